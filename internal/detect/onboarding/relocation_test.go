package onboarding

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

// TestShipToNotHomeRelocation compares each shipment with the home the
// roster claimed when it was shipped (profile.Timeline): a laptop sent to
// the Austin home before a move to Seattle that an earlier roster snapshot
// records is quiet, without a new shipment; against a roster that only
// ever said Seattle it still fires, as does a shipment to New Jersey while
// the roster said Austin.
func TestShipToNotHomeRelocation(t *testing.T) {
	moved := days(200)
	now := func() *event.Event {
		e := rosterRecord(2, "E1", "Dana Cole", seattle)
		e.Person.Modified = moved
		return e
	}
	before := rosterRecord(1, "E1", "Dana Cole", austin)
	tests := []struct {
		name   string
		events []*event.Event
		want   []outcome
	}{
		{name: "shipped_to_the_home_claimed_then",
			events: []*event.Event{now(), before, shipmentRecord(1, "E1", "LT-1", days(-5), austin)}},
		{name: "no_history",
			events: []*event.Event{now(), shipmentRecord(1, "E1", "LT-1", days(-5), austin)},
			want:   []outcome{{Person: "E1", Confidence: confOtherAddress, Records: []string{ship(1), roster(2)}}}},
		{name: "neither_home_claimed_then",
			events: []*event.Event{now(), before, shipmentRecord(1, "E1", "LT-1", days(-5), edison)},
			want:   []outcome{{Person: "E1", Confidence: confOtherAddress, Records: []string{ship(1), roster(2)}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := run(t, &ShipToNotHome{}, nil, tc.events)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
