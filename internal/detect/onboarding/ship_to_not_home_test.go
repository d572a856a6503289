package onboarding

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

func TestShipToNotHome(t *testing.T) {
	noHome := func(rec int, id, name string) *event.Event {
		e := rosterRecord(rec, id, name, event.Address{})
		e.Person.Addresses = nil
		return e
	}
	office := event.Address{Street: "500 Market St Floor 4", Locality: "San Francisco", PostalCode: "94105", Country: "US"}
	tests := []struct {
		name   string
		pol    *policy.Policy
		events []*event.Event
		want   []outcome
	}{
		{
			name:   "other_address_same_country",
			events: []*event.Event{rosterRecord(1, "E1", "Daniel Brooks", austin), shipmentRecord(1, "E1", "LT-1", days(-5), edison)},
			want:   []outcome{{Person: "E1", Confidence: confOtherAddress, Records: []string{ship(1), roster(1)}}},
		},
		{
			name: "other_country",
			events: []*event.Event{rosterRecord(1, "E1", "Daniel Brooks", austin),
				shipmentRecord(1, "E1", "LT-1", days(-5), event.Address{Street: "Damrak 70", Locality: "Amsterdam", PostalCode: "1012 LM", Country: "Netherlands"})},
			want: []outcome{{Person: "E1", Confidence: confOtherCountry, Records: []string{ship(1), roster(1)}}},
		},
		{
			name: "other_country_with_only_a_country_on_the_roster",
			events: []*event.Event{rosterRecord(1, "E1", "Daniel Brooks", event.Address{Country: "US"}),
				shipmentRecord(1, "E1", "LT-1", days(-5), event.Address{Street: "Damrak 70", Locality: "Amsterdam", PostalCode: "1012 LM", Country: "NL"})},
			want: []outcome{{Person: "E1", Confidence: confOtherCountry, Records: []string{ship(1), roster(1)}}},
		},
		{
			name: "first_shipped_home_then_rerouted",
			events: []*event.Event{rosterRecord(1, "E1", "Daniel Brooks", austin),
				shipmentRecord(1, "E1", "LT-1", days(-5), austin), shipmentRecord(2, "E1", "LT-2", days(20), edison)},
			want: []outcome{{Person: "E1", Confidence: confOtherAddress, Records: []string{ship(2), roster(1)}}},
		},
		{
			name: "no_roster_home_ship_to_changed_after_hire",
			events: []*event.Event{noHome(1, "E1", "Daniel Brooks"),
				shipmentRecord(1, "E1", "LT-1", days(-5), austin), shipmentRecord(2, "E1", "LT-2", days(10), edison)},
			want: []outcome{{Person: "E1", Confidence: confRerouted, Records: []string{ship(2)}}},
		},
		// Negative cases.
		{
			name: "shipped_home_written_differently",
			events: []*event.Event{rosterRecord(1, "E1", "Hannah Weiss", seattle),
				shipmentRecord(1, "E1", "LT-1", days(-5), event.Address{Street: "1200 Pine St. #5", Locality: "SEATTLE", PostalCode: "98101-2210", Country: "USA"})},
		},
		{
			name: "relocation_roster_updated_and_replacement_shipped_home",
			events: []*event.Event{
				rosterRecord(1, "E1", "Hannah Weiss", austin),
				func() *event.Event { e := rosterRecord(2, "E1", "Hannah Weiss", seattle); e.Time = days(200); return e }(),
				shipmentRecord(1, "E1", "LT-1", days(-5), austin),
				shipmentRecord(2, "E1", "MON-1", days(210), seattle),
			},
		},
		{
			name: "relocation_abroad_then_shipment_home",
			events: []*event.Event{rosterRecord(1, "E1", "Hannah Weiss", seattle),
				shipmentRecord(1, "E1", "LT-1", days(-5), event.Address{Street: "Damrak 70", Locality: "Amsterdam", PostalCode: "1012 LM", Country: "NL"}),
				shipmentRecord(2, "E1", "LT-2", days(100), seattle)},
		},
		{
			name:   "allow_listed_depot",
			pol:    depotPolicy(),
			events: []*event.Event{rosterRecord(1, "E1", "Daniel Brooks", austin), shipmentRecord(1, "E1", "LT-1", days(-5), depot)},
		},
		{
			name: "expired_depot_entry_no_longer_allows",
			pol: func() *policy.Policy {
				p := depotPolicy()
				p.Allow.SharedAddresses[0].Expires = days(-30)
				return p
			}(),
			events: []*event.Event{rosterRecord(1, "E1", "Daniel Brooks", austin), shipmentRecord(1, "E1", "LT-1", days(-5), depot)},
			want:   []outcome{{Person: "E1", Confidence: confOtherAddress, Records: []string{ship(1), roster(1)}}},
		},
		{
			name: "roster_office",
			events: []*event.Event{
				withWork(rosterRecord(1, "E1", "Daniel Brooks", austin), office),
				withWork(rosterRecord(2, "E2", "Lucia Ortiz", seattle), office),
				shipmentRecord(1, "E1", "LT-1", days(-5), office),
			},
		},
		{
			name: "no_roster_home_same_ship_to_again",
			events: []*event.Event{noHome(1, "E1", "Daniel Brooks"),
				shipmentRecord(1, "E1", "LT-1", days(-5), austin), shipmentRecord(2, "E1", "MON-1", days(40), austin)},
		},
		{
			name: "no_roster_home_change_before_start",
			events: []*event.Event{noHome(1, "E1", "Daniel Brooks"),
				shipmentRecord(1, "E1", "LT-1", days(-20), austin), shipmentRecord(2, "E1", "LT-2", days(-3), edison)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := run(t, &ShipToNotHome{}, tt.pol, tt.events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestShipToNotHomeSummary(t *testing.T) {
	_, fs := run(t, &ShipToNotHome{}, nil, []*event.Event{rosterRecord(1, "E1", "Daniel Brooks", austin),
		shipmentRecord(1, "E1", "LT-1", days(-5), event.Address{Street: "Damrak 70", Locality: "Amsterdam", PostalCode: "1012 LM", Country: "Netherlands"})})
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1", len(fs))
	}
	if want := "another country (NL) than the claimed home (US)"; !strings.Contains(fs[0].Summary, want) {
		t.Errorf("summary %q does not say %q", fs[0].Summary, want)
	}
	if want := "asset LT-1 shipped on 2025-01-29 to Damrak 70, Amsterdam, Netherlands"; !strings.Contains(fs[0].Evidence[0].Summary, want) {
		t.Errorf("evidence %q does not say %q", fs[0].Evidence[0].Summary, want)
	}
}
