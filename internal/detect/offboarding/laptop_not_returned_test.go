package offboarding

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

func TestLaptopNotReturned(t *testing.T) {
	home := func(street string) event.Address {
		return event.Address{Street: street, Locality: "Austin", Region: "TX", PostalCode: "78701", Country: "US"}
	}
	farm := home("4410 Bellaire Blvd")
	depot := event.Address{Street: "500 Commerce St", Locality: "Dallas", PostalCode: "75202", Country: "US"}
	left := exampleHired.AddDate(0, 5, 0)
	now := left.AddDate(0, 2, 0)
	// Another leaver's return shows that the data records returns.
	otherReturn := []*event.Event{
		rosterRecord(9, "E9", "Ana Souza", false, home("9 Oak St")),
		shipmentRecord(90, "E9", "S9", "Ana Souza", home("9 Oak St"), exampleHired),
		shipmentRecord(91, "E9", "S9", "IT Returns", depot, left),
	}
	leaver := func(id, street string) []*event.Event {
		return []*event.Event{
			rosterRecord(1, id, "Kevin Tran", false, home(street)),
			shipmentRecord(1, id, "S1", "Kevin Tran", home(street), exampleHired),
			signInRecord(1, id, left),
		}
	}
	tests := []struct {
		name   string
		events []*event.Event
		pol    *policy.Policy
		now    time.Time
		want   []outcome
	}{
		{
			name:   "not_returned",
			events: append(leaver("E1", "12 Elm St"), otherReturn...),
			want:   []outcome{{Person: "E1", Confidence: confNotReturned, Evidence: 2}},
		},
		{
			name: "not_returned_from_a_shared_address",
			events: append(append(leaver("E1", farm.Street), otherReturn...),
				rosterRecord(2, "E2", "Daniel Brooks", true, farm), shipmentRecord(2, "E2", "S2", "Daniel Brooks", farm, exampleHired)),
			want: []outcome{{Person: "E1", Confidence: confAtFarm, Related: []string{"E2"}, Evidence: 3}},
		},
		{
			name: "delivered_care_of_the_employer_is_not_a_return",
			events: append([]*event.Event{
				rosterRecord(1, "E1", "Kevin Tran", false, home("12 Elm St")),
				shipmentRecord(1, "E1", "S1", "Kevin Tran c/o Acme Corp", depot, exampleHired),
				signInRecord(1, "E1", left),
			}, otherReturn...),
			want: []outcome{{Person: "E1", Confidence: confNotReturned, Evidence: 2}},
		},
		// Negative cases.
		{
			name: "returned_to_a_company_office_on_the_roster",
			events: append(leaver("E1", "12 Elm St"), office(3, "E3", depot),
				shipmentRecord(3, "E1", "S1", "Kevin Tran", depot, left.AddDate(0, 0, 3)),
				otherReturn[0], otherReturn[1], otherReturn[2]),
		},
		{
			name:   "returned_to_the_returns_desk",
			events: append(leaver("E1", "12 Elm St"), shipmentRecord(2, "E1", "S1", "Acme Corp Asset Recovery", depot, left.AddDate(0, 0, 4))),
		},
		{
			name:   "returned_to_the_employer_by_name",
			events: append(append(leaver("E1", "12 Elm St"), otherReturn...), shipmentRecord(2, "E1", "S1", "ACME Corp.", home("1 Main St"), left.AddDate(0, 0, 4))),
		},
		{
			name:   "data_records_no_returns",
			events: leaver("E1", "12 Elm St"),
		},
		{
			name:   "still_employed",
			events: append([]*event.Event{rosterRecord(1, "E1", "Kevin Tran", true, home("12 Elm St")), shipmentRecord(1, "E1", "S1", "Kevin Tran", home("12 Elm St"), exampleHired)}, otherReturn...),
		},
		{
			name:   "left_recently_return_in_transit",
			events: append(leaver("E1", "12 Elm St"), otherReturn...),
			now:    left.AddDate(0, 0, 10),
		},
		{
			name:   "returned_to_an_allow_listed_depot",
			events: append(leaver("E1", "12 Elm St"), shipmentRecord(2, "E1", "S1", "Kevin Tran", event.Address{Street: "77 Depot Rd", Locality: "Reno", PostalCode: "89501", Country: "US"}, left.AddDate(0, 0, 2))),
			pol: &policy.Policy{Allow: policy.Allow{SharedAddresses: []policy.AddressEntry{
				{Address: "77 Depot Rd, Reno, NV 89501, US", Entry: policy.Entry{Reason: "equipment depot"}}}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := now
			if !tt.now.IsZero() {
				at = tt.now
			}
			got, _ := run(t, &LaptopNotReturned{}, tt.pol, at, tt.events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLaptopNotReturnedSummary(t *testing.T) {
	ex := (&LaptopNotReturned{}).Examples().Positive
	_, fs := run(t, &LaptopNotReturned{}, nil, exampleHired.AddDate(1, 0, 0), ex.Events)
	if len(fs) != 1 {
		t.Fatalf("findings = %+v", fs)
	}
	for _, want := range []string{"LT-C02XK1", "4410 Bellaire Blvd", "Daniel Brooks (E3902)"} {
		if !strings.Contains(fs[0].Summary, want) {
			t.Errorf("summary %q does not say %q", fs[0].Summary, want)
		}
	}
}

// office is an active employee whose roster work address is addr.
func office(record int, id string, addr event.Address) *event.Event {
	e := rosterRecord(record, id, "Omar Haddad", true, event.Address{Street: "3 Ash St", Locality: "Austin", PostalCode: "78701", Country: "US"})
	addr.Type = "work"
	e.Person.Addresses = append(e.Person.Addresses, addr)
	return e
}

// TestLaptopNotReturnedNegativeExample checks that the negative example is
// quiet because of the recorded return, not because time is short.
func TestLaptopNotReturnedNegativeExample(t *testing.T) {
	ex := (&LaptopNotReturned{}).Examples().Negative
	var events []*event.Event
	for _, e := range ex.Events {
		if e.Shipment == nil || !strings.Contains(e.Shipment.ShipToName, "Returns") {
			events = append(events, e)
		}
	}
	pos := (&LaptopNotReturned{}).Examples().Positive.Events
	events = append(events, pos[2], pos[6]) // another leaver and their recorded return
	got, _ := run(t, &LaptopNotReturned{}, nil, exampleHired.AddDate(0, 8, 0), events)
	if len(got) != 1 || got[0].Person != "E3904" {
		t.Errorf("without the return, the negative example's leaver should be found: %+v", got)
	}
}
