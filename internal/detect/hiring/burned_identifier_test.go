package hiring

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/watchlist"
)

func burnedRoster(record int, id, name, email, phone string, home event.Address) *event.Event {
	home.Type = "home"
	return rosterRecord(record, event.Person{EmployeeID: id, SCIMID: "u-" + id, UserName: email, Name: name,
		Emails: []string{email}, Phones: []string{phone}, Addresses: []event.Address{home}})
}

func burnedPayout(record int, id, fingerprint string, weeks int) *event.Event {
	t := exampleTime.AddDate(0, 0, 7*weeks)
	return &event.Event{Kind: event.KindPayout, Time: t,
		Prov:   event.Provenance{Origin: &event.Origin{Source: "payroll", File: "exports/payroll.csv"}, Record: record, Line: record + 1},
		Payout: &event.Payout{EmployeeID: id, EffectiveDate: t, Method: "bank", AccountFingerprint: fingerprint, BankCountry: "US"}}
}

// TestBurnedIdentifierRotatedPersona is the story the watchlist exists
// for: an operative is confirmed (case 12) and their identifiers burned;
// the list travels as CSV; weeks later a new hire with another name, mailbox
// and phone is paid into the operative's payout account, and is caught with
// evidence naming case 12. A colleague with an unrelated account is not.
func TestBurnedIdentifierRotatedPersona(t *testing.T) {
	const account = "5d41402abc4b2a76b9719d911017c592"
	farm := event.Address{Street: "1207 Harbor View Dr Apt 4", Locality: "Tacoma", Region: "WA", PostalCode: "98402", Country: "US"}
	first := detecttest.Population([]*event.Event{
		burnedRoster(1, "E4410", "Jordan Blake", "jordan.blake@example.com", "+1 253 555 0143", farm),
		burnedPayout(1, "E4410", account, 2),
	}, nil)
	burned := watchlist.Burn(first.Person("E4410"), "case 12", exampleTime.AddDate(0, 0, 30))
	var kinds []string
	for _, b := range burned {
		kinds = append(kinds, b.Kind)
	}
	if diff := cmp.Diff([]string{"payout", "phone", "email", "address"}, kinds); diff != "" {
		t.Fatalf("burned kinds (-want +got):\n%s", diff)
	}

	// The list is exported and imported (another tenant, or the next scan).
	var csv bytes.Buffer
	if err := watchlist.WriteCSV(&csv, burned); err != nil {
		t.Fatal(err)
	}
	imported, err := watchlist.ReadCSV(&csv, "watchlist.csv")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(burned, imported); diff != "" {
		t.Fatalf("CSV round trip (-want +got):\n%s", diff)
	}

	pol := policy.Default()
	pol.Watchlist = imported
	in := detecttest.Input([]*event.Event{
		burnedRoster(1, "E4410", "Jordan Blake", "jordan.blake@example.com", "+1 253 555 0143", farm),
		burnedRoster(2, "E5120", "Casey Lin", "casey.lin@example.com", "+1 206 555 0199", event.Address{Street: "88 Pine St", Locality: "Seattle", Region: "WA", PostalCode: "98101", Country: "US"}),
		burnedRoster(3, "E5121", "Robin Diaz", "robin.diaz@example.com", "+1 206 555 0177", event.Address{Street: "12 Elm St", Locality: "Seattle", Region: "WA", PostalCode: "98102", Country: "US"}),
		burnedPayout(1, "E4410", account, 2),
		burnedPayout(2, "E5120", strings.ToUpper(account), 9), // seven weeks later
		burnedPayout(3, "E5121", "7215ee9c7d9dc229d2921a40e899ec5f", 9),
	}, pol, exampleTime.AddDate(0, 3, 0))
	fs := detecttest.Run(t, &BurnedIdentifier{}, in)
	type got struct {
		Person, Summary string
		Evidence        []detect.Evidence
	}
	var gots []got
	for _, f := range fs {
		gots = append(gots, got{f.Person, f.Summary, f.Evidence})
	}
	want := []got{{
		Person:  "E5120",
		Summary: "payout 5d41402a… is burned (case 12 (operative E4410, burned 2025-04-02))",
		Evidence: []detect.Evidence{{Source: "payroll", File: "exports/payroll.csv", Record: 2, Line: 3,
			Summary: "payout 5d41402a… on a payroll record of 2025-05-05, on the watchlist from case 12 (operative E4410, burned 2025-04-02)"}},
	}}
	if diff := cmp.Diff(want, gots); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

// TestBurnedIdentifierKinds checks matching per kind, the confidence of
// the weaker kinds, and that an empty list costs nothing.
func TestBurnedIdentifierKinds(t *testing.T) {
	home := event.Address{Street: "1207 Harbor View Dr Apt 4", Locality: "Tacoma", Region: "WA", PostalCode: "98402", Country: "US"}
	events := []*event.Event{burnedRoster(1, "E7001", "Sam Reed", "Sam.Reed+jobs@Example.com", "(253) 555-0143", home)}
	pop := detecttest.Population(events, nil)
	ids := watchlist.Of(pop.Person("E7001"))
	tests := []struct {
		name     string
		kind     string
		wantConf float64
	}{
		{name: "phone", kind: policy.BurnedPhone, wantConf: 1},
		{name: "email", kind: policy.BurnedEmail, wantConf: 1},
		{name: "address", kind: policy.BurnedAddress, wantConf: 0.6},
		{name: "unlisted", kind: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pol := policy.Default()
			for _, id := range ids {
				if id.Kind == tc.kind {
					pol.Watchlist = append(pol.Watchlist, policy.Burned{Kind: id.Kind, Value: id.Value, Case: "case 3", Person: "E1"})
				}
			}
			if tc.kind != "" && len(pol.Watchlist) == 0 {
				t.Fatalf("no %s identifier extracted from %v", tc.kind, ids)
			}
			fs := detecttest.Run(t, &BurnedIdentifier{}, &detect.Input{Pop: pop, Policy: pol})
			var conf []float64
			for _, f := range fs {
				conf = append(conf, f.Confidence)
			}
			var want []float64
			if tc.kind != "" {
				want = []float64{tc.wantConf}
			}
			if diff := cmp.Diff(want, conf); diff != "" {
				t.Errorf("confidences (-want +got):\n%s", diff)
			}
		})
	}
}
