package signin

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

// TestLocationMismatchRelocation judges the laptop clock and sign-ins
// against the claim in force (profile.Timeline): a move from Chicago to
// Berlin that the roster recorded (an earlier snapshot, meta.lastModified)
// and the sign-ins followed is quiet; the same days against a roster that
// only ever said Berlin still fire.
func TestLocationMismatchRelocation(t *testing.T) {
	berlin := event.Network{IP: homeChicago.IP.Next(), Country: "DE", City: "Berlin", Lat: 52.52, Lon: 13.40, HasGeo: true, ASN: 3320, ASOrg: "deutsche telekom ag"}
	moved := exampleStart.AddDate(0, 0, 28)
	build := func(history bool) []*event.Event {
		now := staff{record: 2, id: "E1", email: "e1@example.com", country: "DE", tz: "Europe/Berlin"}.event()
		now.Person.Modified = moved.Add(2 * time.Hour)
		events := []*event.Event{now}
		if history {
			events = append(events, staff{record: 1, id: "E1", email: "e1@example.com", country: "US", region: "IL", tz: "America/Chicago"}.event())
		}
		for i := range 35 {
			d := exampleStart.AddDate(0, 0, i)
			zone, net := "America/Chicago", homeChicago
			if !d.Before(moved) {
				zone, net = "Europe/Berlin", berlin
			}
			events = append(events, clockRow(2*i+2, "LT-1", "e1", d, zoneAbbreviation(zone, d)), oktaSignIn(2*i+3, "e1@example.com", d.Add(time.Hour), net))
		}
		return events
	}
	for _, tc := range []struct {
		name    string
		history bool
		want    []verdict
	}{
		{name: "recorded_move_followed", history: true},
		{name: "no_history_chicago_days_against_berlin", want: []verdict{{Person: "E1", Confidence: 0.77}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := detectAll(t, &LocationMismatch{}, nil, build(tc.history))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
