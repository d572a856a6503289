package code

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

func TestCommitTimezone(t *testing.T) {
	newYork, _ := time.LoadLocation("America/New_York")
	berlin, _ := time.LoadLocation("Europe/Berlin")
	cst8 := time.FixedZone("", 8*3600)
	travel := policy.Default()
	travel.Allow.Travel = []policy.TravelEntry{{
		Person: "E1", Countries: []string{"JP"}, From: exampleStart, To: exampleStart.AddDate(0, 0, 13),
		Entry: policy.Entry{Reason: "customer visit in Tokyo"},
	}}
	us := func(tz string) *event.Event {
		return rosterRecord(1, "E1", "Jane Roe", "jroe@example.com", "US", "NY", tz)
	}
	commits := func(start time.Time, weeks int, loc *time.Location, hours ...int) []*event.Event {
		return weekdayCommits(1, "Jane Roe", "jroe@example.com", start, weeks, loc, hours...)
	}
	tests := []struct {
		name   string
		events []*event.Event
		pol    *policy.Policy
		want   []verdict
	}{
		{
			name:   "plus_0900_for_four_weeks",
			events: detecttest.Join([]*event.Event{us("America/New_York")}, commits(exampleStart, 4, kst, 10, 15)),
			want:   []verdict{{Person: "E1", Confidence: 1}},
		},
		{
			// Offsets alone, hours look local: someone in Shanghai keeping
			// New York hours on a machine set to +0800.
			name:   "plus_0800_at_local_looking_hours",
			events: detecttest.Join([]*event.Event{us("")}, commits(exampleStart, 2, cst8, 23, 27)),
			want:   []verdict{{Person: "E1", Confidence: 1}},
		},
		{
			// The hours alone: a clock set to the claimed zone, the work
			// done at Seoul's office hours.
			name:   "local_offsets_at_seoul_hours",
			events: detecttest.Join([]*event.Event{us("America/New_York")}, weekdayCommits(1, "Jane Roe", "jroe@example.com", exampleStart, 8, kst, 9, 11, 14, 17)),
			want:   nil, // replaced below: stamped +0900 by weekdayCommits; see the next case
		},
		{
			name:   "new_york_across_dst",
			events: detecttest.Join([]*event.Event{us("America/New_York")}, commits(exampleStart, 6, newYork, 10, 15)),
		},
		{
			name:   "utc_stamps_from_ci_and_containers",
			events: detecttest.Join([]*event.Event{us("America/New_York")}, commits(exampleStart, 6, utcZone, 3, 15)),
		},
		{
			name:   "a_few_commits_while_travelling_unannounced",
			events: detecttest.Join([]*event.Event{us("America/New_York")}, commits(exampleStart, 4, newYork, 10, 15), weekdayCommits(100, "Jane Roe", "jroe@example.com", exampleStart.AddDate(0, 0, 28), 1, kst, 11)[:4]),
		},
		{
			name:   "approved_trip_to_tokyo",
			events: detecttest.Join([]*event.Event{us("America/New_York")}, commits(exampleStart, 2, kst, 10, 15), weekdayCommits(100, "Jane Roe", "jroe@example.com", exampleStart.AddDate(0, 0, 14), 4, newYork, 10, 15)),
			pol:    travel,
		},
		{
			name:   "berlin_developer",
			events: detecttest.Join([]*event.Event{rosterRecord(1, "E1", "Jane Roe", "jroe@example.com", "DE", "", "")}, commits(exampleStart, 6, berlin, 10, 15)),
		},
		{
			name:   "no_claim",
			events: detecttest.Join([]*event.Event{rosterRecord(1, "E1", "Jane Roe", "jroe@example.com", "", "", "")}, commits(exampleStart, 4, kst, 10, 15)),
		},
	}
	// local_offsets_at_seoul_hours: restamp the Seoul-hour commits with
	// New York's offset (the machine's clock set to the claimed zone).
	for _, e := range tests[2].events[1:] {
		e.Commit.AuthorTime = e.Commit.AuthorTime.In(newYork)
	}
	tests[2].want = []verdict{{Person: "E1", Confidence: 0.42}} // the clocks contradict the hours: lower
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, fs := run(t, &CommitTimezone{}, tc.pol, tc.events)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				for _, f := range fs {
					t.Log(f.Summary)
				}
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCommitTimezoneSummary(t *testing.T) {
	events := detecttest.Join([]*event.Event{rosterRecord(1, "E1", "Jane Roe", "jroe@example.com", "US", "NY", "America/New_York")},
		weekdayCommits(1, "Jane Roe", "jroe@example.com", exampleStart, 4, kst, 10, 15))
	_, fs := run(t, &CommitTimezone{}, nil, events)
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1", len(fs))
	}
	for _, want := range []string{
		"40 commits of 40 with a non-zero UTC offset (100%), on 20 days, carry +0900 ×40",
		"claimed UTC−5 (roster timezone America/New_York, home NY, US)", "commit hours fit a working day at UTC+",
		"(first 20 of 41 records cited)",
	} {
		if !strings.Contains(fs[0].Summary, want) {
			t.Errorf("summary %q lacks %q", fs[0].Summary, want)
		}
	}
	if e := fs[0].Evidence[1]; e.File != exampleGitFile || !strings.Contains(e.Summary, "offset +0900") {
		t.Errorf("evidence %+v", e)
	}
}
