package network

import (
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
)

// TestForeignGeographyRelocation judges each sign-in against the home the
// roster claimed at its time: an honest move from the US to Canada that
// the roster recorded (two snapshots, meta.lastModified) and the sign-ins
// followed is quiet; the same sign-ins against a roster that only ever
// claimed Canada, or a recorded move that China-based sign-ins never
// followed, still fire.
func TestForeignGeographyRelocation(t *testing.T) {
	homeCA := event.Network{IP: netip.MustParseAddr("198.51.100.90"), Country: "CA", City: "Toronto", Lat: 43.65, Lon: -79.38, HasGeo: true, ASN: 812, ASOrg: "rogers communications canada inc."}
	moved := exampleStart.AddDate(0, 0, 35) // the Monday of week six
	// snapshot is the roster record as exported after the move: home in
	// Canada, modified on the day of the move.
	snapshot := func(p *person, country string) *event.Event {
		e := detecttest.Roster(2, p.ID, p.Email, country)
		e.Person.Modified = moved
		return e
	}
	tests := []struct {
		name    string
		history bool // the roster before the move (US) is in the input too
		after   event.Network
		want    []outcome
	}{
		{name: "recorded_move_followed_by_sign_ins", history: true, after: homeCA},
		{name: "no_history_us_sign_ins_against_canada", after: homeCA,
			want: []outcome{{Person: "E1", Confidence: 0.9, Records: detecttest.Records(1, 20)}}},
		{name: "recorded_move_sign_ins_from_china", history: true, after: shenyang,
			want: []outcome{{Person: "E1", Confidence: 0.9, Records: detecttest.Records(26, 45)}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := newPerson("E1", "US")
			p.Weekdays(exampleStart, 5, homeUS)
			p.Weekdays(moved, 5, tc.after)
			events := append([]*event.Event{snapshot(p, "CA")}, p.Events[1:]...)
			if tc.history {
				events = append(events, p.Events[0]) // the earlier snapshot, read after the later one
			}
			got, _ := run(t, &ForeignGeography{}, nil, events)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
