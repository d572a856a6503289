package onboarding

import (
	"fmt"
	"testing"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

// outcome is the part of a finding the table tests compare.
type outcome struct {
	Person     string
	Related    []string
	Confidence float64
	Records    []string // "file#record" of each evidence
}

// run resolves events, runs ind under pol (nil: an empty policy) and
// reduces its findings to outcomes.
func run(t *testing.T, ind detect.Indicator, pol *policy.Policy, events []*event.Event) ([]outcome, []detect.Finding) {
	t.Helper()
	if pol == nil {
		pol = &policy.Policy{}
	}
	in := &detect.Input{Pop: detecttest.Population(events, pol), Policy: pol, Now: exampleHired.AddDate(1, 0, 0)}
	fs := detecttest.Run(t, ind, in)
	var out []outcome
	for _, f := range fs {
		o := outcome{Person: f.Person, Related: f.Related, Confidence: f.Confidence}
		for _, e := range f.Evidence {
			o.Records = append(o.Records, fmt.Sprintf("%s#%d", e.File, e.Record))
		}
		out = append(out, o)
	}
	return out, fs
}

func ship(n int) string   { return fmt.Sprintf("%s#%d", exampleShipmentFile, n) }
func roster(n int) string { return fmt.Sprintf("%s#%d", exampleRosterFile, n) }

// days is a time relative to the example hire date.
func days(n int) time.Time { return exampleHired.AddDate(0, 0, n) }

// depotPolicy allow-lists the company's IT depot.
func depotPolicy() *policy.Policy {
	return &policy.Policy{Allow: policy.Allow{SharedAddresses: []policy.AddressEntry{
		{Address: "10 Commerce Pkwy, Suite 300, Columbus, OH 43215, US", Entry: policy.Entry{Reason: "IT depot: laptops for pickup"}},
	}}}
}

var (
	depot   = event.Address{Street: "10 Commerce Parkway Ste 300", Locality: "Columbus", Region: "OH", PostalCode: "43215", Country: "US"}
	austin  = event.Address{Street: "4810 Duval St", Locality: "Austin", Region: "TX", PostalCode: "78751", Country: "US"}
	edison  = event.Address{Street: "27 Maple Ave", Locality: "Edison", Region: "NJ", PostalCode: "08817", Country: "US"}
	seattle = event.Address{Street: "1200 Pine Street Apt 5", Locality: "Seattle", Region: "WA", PostalCode: "98101", Country: "US"}
)

// withWork adds a work address to a roster record.
func withWork(e *event.Event, work event.Address) *event.Event {
	work.Type = "work"
	e.Person.Addresses = append(e.Person.Addresses, work)
	return e
}
