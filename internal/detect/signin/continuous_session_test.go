package signin

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

func TestContinuousSession(t *testing.T) {
	// every adds a sign-in every step from start for span, with session id
	// sid (may be empty) and action.
	type series struct {
		start      time.Time
		span, step time.Duration
		sid        string
		action     string
	}
	build := func(ss ...series) []*event.Event {
		events := []*event.Event{staff{record: 1, id: "E1", email: "e1@example.com", country: "US"}.event()}
		rec := 0
		for _, s := range ss {
			for at := s.start; !at.After(s.start.Add(s.span)); at = at.Add(s.step) {
				rec++
				e := entraSignIn(rec, "e1@example.com", at, homeChicago, "Windows10", "", "", "")
				e.SignIn.SessionID = s.sid
				if s.action != "" {
					e.SignIn.Action = s.action
				}
				events = append(events, e)
			}
		}
		return events
	}
	week := 7 * 24 * time.Hour
	tests := []struct {
		name   string
		events []*event.Event
		want   []verdict
	}{
		{
			name:   "one_thirty_hour_stretch",
			events: build(series{start: exampleStart, span: 30 * time.Hour, step: 2 * time.Hour}),
			want:   []verdict{{Person: "E1", Confidence: 0.35}},
		},
		{
			name: "stretches_in_three_weeks",
			events: build(series{start: exampleStart, span: 30 * time.Hour, step: 2 * time.Hour},
				series{start: exampleStart.Add(week), span: 26 * time.Hour, step: 2 * time.Hour},
				series{start: exampleStart.Add(2 * week), span: 48 * time.Hour, step: 150 * time.Minute}),
			want: []verdict{{Person: "E1", Confidence: 1}},
		},
		{
			name: "one_session_in_use_for_two_days",
			events: build(series{start: exampleStart, span: 50 * time.Hour, step: 5 * time.Hour, sid: "s-1"},
				series{start: exampleStart.Add(week), span: 30 * time.Hour, step: 5 * time.Hour, sid: "s-2"}),
			want: []verdict{{Person: "E1", Confidence: 0.65}},
		},
		{
			// An Okta session kept for days but used mornings only.
			name: "long_lived_session_used_each_morning",
			events: build(series{start: exampleStart, span: 4 * time.Hour, step: time.Hour, sid: "s-1"},
				series{start: exampleStart.Add(24 * time.Hour), span: 4 * time.Hour, step: time.Hour, sid: "s-1"},
				series{start: exampleStart.Add(48 * time.Hour), span: 4 * time.Hour, step: time.Hour, sid: "s-1"}),
		},
		{
			name: "long_days_every_day",
			events: build(series{start: exampleStart, span: 15 * time.Hour, step: time.Hour},
				series{start: exampleStart.Add(24 * time.Hour), span: 15 * time.Hour, step: time.Hour},
				series{start: exampleStart.Add(48 * time.Hour), span: 15 * time.Hour, step: time.Hour}),
		},
		{
			name:   "token_refreshes_all_night",
			events: build(series{start: exampleStart, span: 72 * time.Hour, step: time.Hour, sid: "s-1", action: "nonInteractiveUser"}),
		},
		{
			name:   "twenty_hours",
			events: build(series{start: exampleStart, span: 20 * time.Hour, step: time.Hour}),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, fs := detectAll(t, &ContinuousSession{}, nil, tc.events)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				for _, f := range fs {
					t.Log(f.Summary)
				}
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestContinuousSessionSummary(t *testing.T) {
	ex := (&ContinuousSession{}).Examples().Positive
	_, fs := detectAll(t, &ContinuousSession{}, nil, ex.Events)
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1", len(fs))
	}
	want := "3 stretches of continuous use of 24 h or more (longest 30 h): 2025-03-04 14:00 UTC to 2025-03-05 20:00 UTC (30 h)"
	if !strings.HasPrefix(fs[0].Summary, want) {
		t.Errorf("summary %q, want prefix %q", fs[0].Summary, want)
	}
	if !strings.Contains(fs[0].Evidence[0].Summary, "start of a 30 h stretch — actions never paused for more than 3 h") {
		t.Errorf("evidence %+v", fs[0].Evidence[0])
	}
}
