package code

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
)

// TestCommitTimezoneRelocation judges commit offsets against the zone
// claimed since a relocation abroad (profile.Timeline): New York commits
// before a recorded move to London that payroll followed are quiet; the
// same commits against a roster that only ever said London still fire.
func TestCommitTimezoneRelocation(t *testing.T) {
	newYork, _ := time.LoadLocation("America/New_York")
	london, _ := time.LoadLocation("Europe/London")
	moved := exampleStart.AddDate(0, 0, 21)
	payout := func(record int, at time.Time, country string) *event.Event {
		return &event.Event{Kind: event.KindPayout, Time: at, Prov: event.Provenance{Origin: &event.Origin{Source: "payroll", File: detecttest.PayrollFile}, Record: record},
			Payout: &event.Payout{EmployeeID: "E1", EffectiveDate: at, Method: "bank", AccountFingerprint: "fp-" + country, BankCountry: country}}
	}
	build := func(history bool) []*event.Event {
		now := rosterRecord(2, "E1", "Jane Roe", "jroe@example.com", "GB", "", "Europe/London")
		now.Person.Modified = moved
		events := []*event.Event{now, payout(1, exampleStart.AddDate(0, -3, 0), "US"), payout(2, moved.AddDate(0, 0, 5), "GB")}
		if history {
			events = append(events, rosterRecord(1, "E1", "Jane Roe", "jroe@example.com", "US", "NY", "America/New_York"))
		}
		events = append(events, weekdayCommits(1, "Jane Roe", "jroe@example.com", exampleStart, 3, newYork, 10, 15)...)
		return append(events, weekdayCommits(100, "Jane Roe", "jroe@example.com", moved, 1, london, 10, 15)...)
	}
	for _, tc := range []struct {
		name    string
		history bool
		want    []verdict
	}{
		{name: "recorded_move_payroll_followed", history: true},
		{name: "no_history_new_york_against_london", want: []verdict{{Person: "E1", Confidence: 1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := run(t, &CommitTimezone{}, nil, build(tc.history))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
