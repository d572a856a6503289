package offboarding

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

func TestPreDepartureSpike(t *testing.T) {
	start := exampleHired.AddDate(0, 0, 20)
	end := start.AddDate(0, 0, 120)
	now := end.AddDate(0, 1, 0)
	person := func(id string, active bool) *event.Event {
		return rosterRecord(1, id, "Kevin Tran", active, event.Address{})
	}
	colleagues := func() []*event.Event {
		var out []*event.Event
		for i, id := range []string{"C1", "C2", "C3"} {
			out = append(out, rosterRecord(10+i, id, "Colleague "+id, true, event.Address{}))
			out = append(out, steadyAccess(1000*(i+1), id, start, 120)...)
		}
		return out
	}
	tests := []struct {
		name   string
		events []*event.Event
		want   []outcome
	}{
		{
			name: "spike_over_own_baseline",
			events: append(append([]*event.Event{person("E1", false)}, steadyAccess(1, "E1", start, 120)...),
				clones(500, "E1", "git.clone", 25, end.AddDate(0, 0, -3), time.Hour)...),
			want: []outcome{{Person: "E1", Confidence: confDoubleSpike, Evidence: 20}},
		},
		{
			name: "short_tenure_spike_over_colleagues",
			events: append(append(colleagues(), person("E2", false)),
				clones(1, "E2", "repo.download_zip", 45, start.AddDate(0, 0, 10), time.Hour)...),
			want: []outcome{{Person: "E2", Confidence: confDoubleSpike, Evidence: 20}},
		},
		{
			name: "one_day_burst_after_deprovisioning",
			events: append(append(append([]*event.Event{person("E8", false)}, steadyAccess(1, "E8", start, 120)...),
				signInRecord(1, "E8", end.AddDate(0, 0, -5))),
				clones(500, "E8", "git.clone", 12, end, 30*time.Minute)...),
			want: []outcome{{Person: "E8", Confidence: confSpike, Evidence: 13}},
		},
		// Negative cases.
		{
			name:   "steady_until_the_end",
			events: append([]*event.Event{person("E3", false)}, steadyAccess(1, "E3", start, 120)...),
		},
		{
			name: "still_employed",
			events: append(append([]*event.Event{person("E4", true)}, steadyAccess(1, "E4", start, 120)...),
				clones(500, "E4", "git.clone", 25, end, time.Hour)...),
		},
		{
			name: "busy_person_stays_busy",
			events: append([]*event.Event{person("E5", false)}, func() []*event.Event {
				var out []*event.Event
				for w := range 10 {
					out = append(out, clones(100*w+1, "E5", "git.clone", 12, start.AddDate(0, 0, 14*w), 20*time.Hour)...)
				}
				return out
			}()...),
		},
		{
			name: "ci_runner_in_the_last_week",
			events: append(append([]*event.Event{person("E6", false)}, steadyAccess(1, "E6", start, 120)...), func() []*event.Event {
				out := clones(500, "E6", "git.clone", 30, end.AddDate(0, 0, -2), time.Hour)
				for _, e := range out {
					e.Audit.UserAgent = "git/2.43 github-actions"
				}
				return out
			}()...),
		},
		{
			name: "first_days_after_hire_then_left",
			events: append([]*event.Event{person("E7", false)},
				clones(1, "E7", "git.clone", 30, exampleHired.AddDate(0, 0, 2), time.Hour)...),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := run(t, &PreDepartureSpike{}, nil, now, tt.events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPreDepartureSpikeSummary(t *testing.T) {
	ex := (&PreDepartureSpike{}).Examples().Positive
	_, fs := run(t, &PreDepartureSpike{}, nil, exampleHired.AddDate(1, 0, 0), ex.Events)
	if len(fs) != 1 || !strings.Contains(fs[0].Summary, "their own usual: 5.0 per 14 days") ||
		!strings.Contains(fs[0].Evidence[2].Summary, "repo.download_zip") {
		t.Errorf("findings = %+v", fs)
	}
}
