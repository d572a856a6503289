package signin

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

// worker builds one person's activity at chosen local hours.
type worker struct {
	email  string
	events []*event.Event
	rec    int
}

func newWorker(id, country, tz string) *worker {
	return newWorkerIn(id, country, "", tz)
}

func newWorkerIn(id, country, region, tz string) *worker {
	email := strings.ToLower(id) + "@example.com"
	s := staff{record: 1, id: id, email: email, country: country, region: region, tz: tz}
	return &worker{email: email, events: []*event.Event{s.event()}}
}

// signIns adds Okta sign-ins at each of hours (local to loc, 24 and more
// meaning the next day) on every weekday of weeks weeks from start.
func (w *worker) signIns(start time.Time, weeks int, loc *time.Location, hours ...int) *worker {
	for _, d := range weekdaysFrom(start, weeks) {
		for _, h := range hours {
			w.rec++
			w.events = append(w.events, oktaSignIn(w.rec, w.email, localAt(d, 0, loc).Add(time.Duration(h)*time.Hour), homeChicago))
		}
	}
	return w
}

// commits adds commits authored at each of hours local to loc, stamped
// with stamp's offset.
func (w *worker) commits(start time.Time, weeks int, loc, stamp *time.Location, hours ...int) *worker {
	for _, d := range weekdaysFrom(start, weeks) {
		for _, h := range hours {
			w.rec++
			at := localAt(d, 0, loc).Add(time.Duration(h)*time.Hour + 20*time.Minute)
			w.events = append(w.events, &event.Event{
				Kind: event.KindCommit, Time: at, Account: &event.Actor{Email: w.email},
				Prov:   event.Provenance{Origin: &event.Origin{Source: "gitlog", File: exampleGitFile}, Record: w.rec},
				Commit: &event.Commit{Hash: "c0ffee" + strings.Repeat("0", 34), AuthorEmail: w.email, AuthorTime: at.In(stamp)},
			})
		}
	}
	return w
}

var (
	kst = time.FixedZone("KST", 9*3600)
	cst = mustZone("America/Chicago")
	pst = mustZone("America/Los_Angeles")
	jst = time.FixedZone("JST", 9*3600)
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func TestActivityHours(t *testing.T) {
	travel := policy.Default()
	travel.Allow.Travel = []policy.TravelEntry{{
		Person: "E1", Countries: []string{"JP"}, From: exampleStart.AddDate(0, 0, 28), To: exampleStart.AddDate(0, 0, 60),
		Entry: policy.Entry{Reason: "secondment to the Tokyo office"},
	}}
	tests := []struct {
		name    string
		w       *worker
		pol     *policy.Policy
		want    []verdict
		minConf float64
	}{
		{
			name: "seoul_office_hours_chicago_roster",
			w:    newWorker("E1", "US", "America/Chicago").signIns(exampleStart, 8, kst, 9, 11, 14, 17),
			want: []verdict{{Person: "E1"}}, minConf: 0.5,
		},
		{
			name: "seoul_office_hours_us_address_without_timezone",
			w:    newWorker("E1", "US", "").signIns(exampleStart, 8, kst, 9, 11, 14, 17),
			want: []verdict{{Person: "E1"}}, minConf: 0.5,
		},
		{
			name: "seoul_office_hours_illinois_address_without_timezone",
			w:    newWorkerIn("E1", "US", "IL", "").signIns(exampleStart, 8, kst, 9, 11, 14, 17),
			want: []verdict{{Person: "E1"}}, minConf: 0.8,
		},
		{
			name: "commit_offsets_corroborate",
			w: newWorkerIn("E1", "US", "IL", "America/Chicago").signIns(exampleStart, 8, kst, 9, 14).
				commits(exampleStart, 8, kst, kst, 11, 16),
			want: []verdict{{Person: "E1"}}, minConf: 0.8,
		},
		{
			// The evasion: Chicago office hours kept from Seoul look local.
			name: "night_shift_to_look_local",
			w:    newWorker("E1", "US", "America/Chicago").signIns(exampleStart, 8, kst, 24, 26, 29, 31),
		},
		{
			name: "night_owl",
			w:    newWorker("E1", "US", "America/Chicago").signIns(exampleStart, 8, cst, 9, 11, 14, 17, 23),
		},
		{
			name: "around_the_clock",
			w:    newWorker("E1", "US", "America/Chicago").signIns(exampleStart, 8, cst, 1, 5, 9, 13, 17, 21),
		},
		{
			name: "two_humps_own_day_and_local_mornings",
			w:    newWorker("E1", "US", "America/Chicago").signIns(exampleStart, 8, kst, 10, 13, 16, 24, 25, 26),
		},
		{
			// HR left the timezone at the head office's; the home is in the
			// US, and Los Angeles is a US zone.
			name: "west_coast_employee_with_head_office_timezone",
			w:    newWorker("E1", "US", "America/New_York").signIns(exampleStart, 8, pst, 9, 11, 14, 17),
		},
		{
			name: "chicago_office_hours",
			w:    newWorker("E1", "US", "America/Chicago").signIns(exampleStart, 8, cst, 9, 11, 14, 17),
		},
		{
			name: "approved_secondment_in_tokyo",
			w: newWorker("E1", "US", "America/Chicago").signIns(exampleStart, 4, cst, 9, 11, 14, 17).
				signIns(exampleStart.AddDate(0, 0, 28), 4, jst, 9, 11, 14, 17),
			pol: travel,
		},
		{
			name: "too_little_activity",
			w:    newWorker("E1", "US", "America/Chicago").signIns(exampleStart, 1, kst, 9, 11, 14, 17),
		},
		{
			name: "no_claim",
			w:    newWorker("E1", "", "").signIns(exampleStart, 8, kst, 9, 11, 14, 17),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, fs := detectAll(t, &ActivityHours{}, tc.pol, tc.w.events)
			if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreFields(verdict{}, "Confidence")); diff != "" {
				t.Fatalf("findings mismatch (-want +got):\n%s", diff)
			}
			for _, f := range fs {
				if f.Confidence < tc.minConf {
					t.Errorf("confidence %v, want at least %v: %s", f.Confidence, tc.minConf, f.Summary)
				}
				if f.Evidence[0].File != exampleRosterFile {
					t.Errorf("first evidence %+v, want the roster record", f.Evidence[0])
				}
			}
		})
	}
}

func TestActivityHoursSummary(t *testing.T) {
	w := newWorker("E1", "US", "America/Chicago").signIns(exampleStart, 8, kst, 9, 11, 14, 17)
	_, fs := detectAll(t, &ActivityHours{}, nil, w.events)
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1", len(fs))
	}
	for _, want := range []string{
		"activity fits a working day at UTC+8", "160 touches on 40 days: okta 160",
		"6 hours from the nearest claimed zone (Pacific/Honolulu, UTC−10; roster timezone America/Chicago, home country US)",
		"hours in America/Chicago: 00–05h", "(first 20 of 81 records cited)",
	} {
		if !strings.Contains(fs[0].Summary, want) {
			t.Errorf("summary %q lacks %q", fs[0].Summary, want)
		}
	}
	if !strings.Contains(fs[0].Evidence[1].Summary, "local time") {
		t.Errorf("evidence %q does not give the claimed local time", fs[0].Evidence[1].Summary)
	}
}
