package onboarding

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

func TestSharedShipTo(t *testing.T) {
	farm := event.Address{Street: "318 Saguaro Way", Locality: "Glendale", Region: "AZ", PostalCode: "85301", Country: "US"}
	farmAgain := event.Address{Street: "318 Saguaro Wy.", Locality: "Glendale", PostalCode: "85301-4410", Country: "USA"}
	madison := event.Address{Street: "55 Birch Lane", Locality: "Madison", Region: "WI", PostalCode: "53703", Country: "US"}
	office := event.Address{Street: "500 Market St Floor 4", Locality: "San Francisco", PostalCode: "94105", Country: "US"}
	tests := []struct {
		name   string
		pol    *policy.Policy
		events []*event.Event
		want   []outcome
	}{
		{
			name: "two_personas_one_farm",
			events: []*event.Event{
				rosterRecord(1, "E1", "Kevin Tran", austin), rosterRecord(2, "E2", "Samuel Okafor", seattle),
				shipmentRecord(1, "E1", "LT-1", days(-4), farm), shipmentRecord(2, "E2", "LT-2", days(90), farmAgain),
			},
			want: []outcome{
				{Person: "E1", Related: []string{"E2"}, Records: []string{ship(1), ship(2)}},
				{Person: "E2", Related: []string{"E1"}, Records: []string{ship(2), ship(1)}},
			},
		},
		{
			name: "facilitator_home_receives_another_persons_laptop",
			events: []*event.Event{
				rosterRecord(1, "E1", "Christine Hall", farm), rosterRecord(2, "E2", "Samuel Okafor", seattle),
				shipmentRecord(1, "E1", "LT-1", days(-4), farm), shipmentRecord(2, "E2", "LT-2", days(400), farm),
			},
			want: []outcome{
				{Person: "E1", Related: []string{"E2"}, Records: []string{ship(1), ship(2)}},
				{Person: "E2", Related: []string{"E1"}, Records: []string{ship(2), ship(1)}},
			},
		},
		{
			name: "three_people_over_a_year",
			events: []*event.Event{
				rosterRecord(1, "E1", "Kevin Tran", austin), rosterRecord(2, "E2", "Samuel Okafor", seattle), rosterRecord(3, "E3", "Alex Park", edison),
				shipmentRecord(1, "E1", "LT-1", days(-4), farm), shipmentRecord(2, "E2", "LT-2", days(100), farm), shipmentRecord(3, "E3", "LT-3", days(380), farm),
			},
			want: []outcome{
				{Person: "E1", Related: []string{"E2", "E3"}, Records: []string{ship(1), ship(2), ship(3)}},
				{Person: "E2", Related: []string{"E1", "E3"}, Records: []string{ship(2), ship(1), ship(3)}},
				{Person: "E3", Related: []string{"E1", "E2"}, Records: []string{ship(3), ship(1), ship(2)}},
			},
		},
		// Negative cases.
		{
			name: "couple_both_employed",
			events: []*event.Event{
				rosterRecord(1, "E1", "Anna Kowalski", madison), rosterRecord(2, "E2", "Piotr Kowalski", madison),
				shipmentRecord(1, "E1", "LT-1", days(-4), madison), shipmentRecord(2, "E2", "LT-2", days(30), madison),
			},
		},
		{
			name: "three_housemates",
			events: []*event.Event{
				rosterRecord(1, "E1", "Anna Kowalski", seattle), rosterRecord(2, "E2", "Ben Ruiz", seattle), rosterRecord(3, "E3", "Cara Lind", seattle),
				shipmentRecord(1, "E1", "LT-1", days(-4), seattle), shipmentRecord(2, "E2", "LT-2", days(30), seattle), shipmentRecord(3, "E3", "LT-3", days(60), seattle),
			},
		},
		{
			name: "allow_listed_depot",
			pol:  depotPolicy(),
			events: []*event.Event{
				rosterRecord(1, "E1", "Kevin Tran", austin), rosterRecord(2, "E2", "Samuel Okafor", seattle),
				shipmentRecord(1, "E1", "LT-1", days(-4), depot), shipmentRecord(2, "E2", "LT-2", days(3), depot),
			},
		},
		{
			name: "roster_office",
			events: []*event.Event{
				withWork(rosterRecord(1, "E1", "Kevin Tran", austin), office), withWork(rosterRecord(2, "E2", "Samuel Okafor", seattle), office),
				shipmentRecord(1, "E1", "LT-1", days(-4), office), shipmentRecord(2, "E2", "LT-2", days(3), office),
			},
		},
		{
			name: "office_shipments_in_care_of_the_employer",
			events: func() []*event.Event {
				r1, r2 := rosterRecord(1, "E1", "Kevin Tran", austin), rosterRecord(2, "E2", "Samuel Okafor", seattle)
				r1.Person.Organization, r2.Person.Organization = "Kestrel Systems, Inc.", "Kestrel Systems, Inc."
				s1, s2 := shipmentRecord(1, "E1", "LT-1", days(-4), office), shipmentRecord(2, "E2", "LT-2", days(3), office)
				s1.Shipment.ShipToName, s2.Shipment.ShipToName = "Kevin Tran c/o Kestrel Systems", "Samuel Okafor c/o Kestrel Systems"
				return []*event.Event{r1, r2, s1, s2}
			}(),
		},
		{
			name: "care_of_someone_else_is_no_office",
			events: func() []*event.Event {
				r1, r2 := rosterRecord(1, "E1", "Kevin Tran", austin), rosterRecord(2, "E2", "Samuel Okafor", seattle)
				r1.Person.Organization, r2.Person.Organization = "Kestrel Systems, Inc.", "Kestrel Systems, Inc."
				s1, s2 := shipmentRecord(1, "E1", "LT-1", days(-4), farm), shipmentRecord(2, "E2", "LT-2", days(90), farmAgain)
				s1.Shipment.ShipToName, s2.Shipment.ShipToName = "Kevin Tran c/o C. Chapman", "Samuel Okafor c/o C. Chapman"
				return []*event.Event{r1, r2, s1, s2}
			}(),
			want: []outcome{
				{Person: "E1", Related: []string{"E2"}, Records: []string{ship(1), ship(2)}},
				{Person: "E2", Related: []string{"E1"}, Records: []string{ship(2), ship(1)}},
			},
		},
		{
			name: "one_person_two_shipments",
			events: []*event.Event{
				rosterRecord(1, "E1", "Kevin Tran", austin),
				shipmentRecord(1, "E1", "LT-1", days(-4), farm), shipmentRecord(2, "E1", "MON-1", days(3), farm),
			},
		},
		{
			name: "neighbours_in_one_building",
			events: []*event.Event{
				rosterRecord(1, "E1", "Kevin Tran", event.Address{Street: "1200 Pine St Apt 5", PostalCode: "98101", Country: "US"}),
				rosterRecord(2, "E2", "Samuel Okafor", event.Address{Street: "1200 Pine St Apt 9", PostalCode: "98101", Country: "US"}),
				shipmentRecord(1, "E1", "LT-1", days(-4), event.Address{Street: "1200 Pine St Apt 5", PostalCode: "98101", Country: "US"}),
				shipmentRecord(2, "E2", "LT-2", days(3), event.Address{Street: "1200 Pine St Apt 9", PostalCode: "98101", Country: "US"}),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := run(t, &SharedShipTo{}, tt.pol, tt.events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSharedShipToSummaryNamesTheHomeOwner(t *testing.T) {
	farm := event.Address{Street: "318 Saguaro Way", Locality: "Glendale", PostalCode: "85301", Country: "US"}
	_, fs := run(t, &SharedShipTo{}, nil, []*event.Event{
		rosterRecord(1, "E1", "Christine Hall", farm), rosterRecord(2, "E2", "Samuel Okafor", seattle),
		shipmentRecord(1, "E1", "LT-1", days(-4), farm), shipmentRecord(2, "E2", "LT-2", days(400), farm),
	})
	if len(fs) != 2 {
		t.Fatalf("got %d findings, want 2", len(fs))
	}
	want := "318 Saguaro Way, Glendale, US also received equipment for 1 other person: Christine Hall (E1) (roster home of Christine Hall (E1))"
	if got := fs[1].Summary; got != want {
		t.Errorf("summary = %q, want %q", got, want)
	}
	if got := fs[1].Evidence[1].Summary; !strings.Contains(got, "asset LT-1 for Christine Hall (E1) shipped on 2025-01-30 to the same address") {
		t.Errorf("evidence summary = %q", got)
	}
}
