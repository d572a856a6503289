package offboarding

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

// TestPreDepartureSpikePeers compares a leaver's last weeks with their
// own history and with their peers (same SCIM department and title):
// release engineers who check out every repository every day stay quiet,
// whether they leave after years or weeks; an ordinary engineer's spike
// still fires, and says it is above the peers too.
func TestPreDepartureSpikePeers(t *testing.T) {
	start := exampleHired.AddDate(0, 0, 20)
	end := start.AddDate(0, 0, 120)
	now := end.AddDate(0, 1, 0)
	staff := func(rec int, id, title string, active bool) *event.Event {
		e := rosterRecord(rec, id, "Staff "+id, active, event.Address{})
		e.Person.Department, e.Person.Title = "Engineering", title
		return e
	}
	// everything checks out 30 repositories a day from from for days days.
	everything := func(first int, id string, from time.Time, days int) []*event.Event {
		var out []*event.Event
		for d := range days {
			for i := range 30 {
				out = append(out, auditRecord(first+30*d+i, id, "git.fetch", fmt.Sprintf("acme/repo-%03d", i), from.AddDate(0, 0, d).Add(time.Duration(i)*time.Minute)))
			}
		}
		return out
	}
	// team is three release engineers and five software engineers, all
	// still employed.
	team := func() []*event.Event {
		var out []*event.Event
		for i, id := range []string{"R1", "R2", "R3"} {
			out = append(out, staff(10+i, id, "Release Engineer", true))
			out = append(out, everything(10000*(i+1), id, start, 120)...)
		}
		for i, id := range []string{"S1", "S2", "S3", "S4", "S5"} {
			out = append(out, staff(20+i, id, "Software Engineer", true))
			out = append(out, steadyAccess(50000+1000*i, id, start, 120)...)
		}
		return out
	}
	// colleaguesOnly is five software engineers and no release engineer.
	colleaguesOnly := func(start time.Time) []*event.Event {
		var out []*event.Event
		for i, id := range []string{"S1", "S2", "S3", "S4", "S5"} {
			out = append(out, staff(20+i, id, "Software Engineer", true))
			out = append(out, steadyAccess(50000+1000*i, id, start, 120)...)
		}
		return out
	}
	tests := []struct {
		name    string
		events  []*event.Event
		want    []outcome
		summary string
	}{
		{
			name:   "release_engineer_leaves_after_years",
			events: append(append(team(), staff(1, "E1", "Release Engineer", false)), everything(1, "E1", start, 120)...),
		},
		{
			name: "release_engineer_leaves_after_weeks",
			events: append(append(team(), staff(1, "E2", "Release Engineer", false)),
				everything(1, "E2", end.AddDate(0, 0, -20), 20)...),
		},
		{
			// No history before the final fortnight, no release peers: the
			// same thirty repositories every day are routine, not a copy.
			name: "release_engineer_alone_same_repositories_daily",
			events: append(append(colleaguesOnly(start), staff(1, "E5", "Release Engineer", false)),
				everything(1, "E5", end.AddDate(0, 0, -12), 12)...),
		},
		{
			// Twenty-two repositories in a day is four times this release
			// engineer's own quiet usual, but less than the release
			// engineers check out every day.
			name: "quiet_release_engineer_within_peer_norm",
			events: append(append(append(team(), staff(1, "E3", "Release Engineer", false)), steadyAccess(1, "E3", start, 100)...),
				clones(500, "E3", "git.fetch", 22, end.AddDate(0, 0, -3), time.Hour)...),
		},
		{
			name: "software_engineer_spike_above_own_and_peers",
			events: append(append(append(team(), staff(1, "E4", "Software Engineer", false)), steadyAccess(1, "E4", start, 120)...),
				clones(500, "E4", "git.clone", 25, end.AddDate(0, 0, -3), time.Hour)...),
			want:    []outcome{{Person: "E4", Confidence: confDoubleSpike, Evidence: 20}},
			summary: "above their peers too (Engineering / Software Engineer, 5 people",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, fs := run(t, &PreDepartureSpike{}, nil, now, tt.events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
			if tt.summary != "" && (len(fs) != 1 || !strings.Contains(fs[0].Summary, tt.summary)) {
				t.Errorf("summary lacks %q: %+v", tt.summary, fs)
			}
		})
	}
}
