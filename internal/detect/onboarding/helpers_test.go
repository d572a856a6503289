package onboarding

import (
	"testing"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

// outcome is the part of a finding the table tests compare; Records are
// "file#record" of each evidence.
type outcome = detecttest.RefOutcome

// run resolves events, runs ind under pol (nil: an empty policy) and
// reduces its findings to outcomes.
func run(t *testing.T, ind detect.Indicator, pol *policy.Policy, events []*event.Event) ([]outcome, []detect.Finding) {
	t.Helper()
	if pol == nil {
		pol = &policy.Policy{}
	}
	return detecttest.RunRefs(t, ind, detecttest.Input(events, pol, exampleHired.AddDate(1, 0, 0)))
}

func ship(n int) string   { return detecttest.Ref(exampleShipmentFile, n) }
func roster(n int) string { return detecttest.Ref(exampleRosterFile, n) }

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
