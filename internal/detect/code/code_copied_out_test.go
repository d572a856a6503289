package code

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

// exfilVerdict is the part of a NET-05 finding the table compares.
type exfilVerdict struct {
	Person     string
	Confidence float64
	Evidence   int
}

func runExfil(t *testing.T, events []*event.Event) ([]exfilVerdict, []detect.Finding) {
	t.Helper()
	in := &detect.Input{Pop: detecttest.Population(events, nil), Policy: policy.Default(), Now: time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)}
	fs, err := (&CodeCopiedOut{}).Detect(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	var out []exfilVerdict
	for _, f := range fs {
		out = append(out, exfilVerdict{f.Person, f.Confidence, len(f.Evidence)})
	}
	return out, fs
}

func TestCodeCopiedOut(t *testing.T) {
	hired := time.Date(2024, 9, 2, 9, 0, 0, 0, time.UTC)
	later := hired.AddDate(0, 5, 0)
	clones := func(first int, login, action string, n int, at time.Time, every time.Duration) []*event.Event {
		var out []*event.Event
		for i := range n {
			out = append(out, exfilAudit(first+i, login, action, fmt.Sprintf("acme/repo-%03d", i), at.Add(time.Duration(i)*every)))
		}
		return out
	}
	// A team of six whose busiest days touch 3–8 repositories.
	team := func() []*event.Event {
		var out []*event.Event
		for i := range 6 {
			login := fmt.Sprintf("dev%d", i)
			out = append(out, exfilStaff(10+i, fmt.Sprintf("E9%d", i), "Dev "+login, login, hired))
			out = append(out, clones(100*(i+1), login, "git.fetch", 3+i, later, time.Hour)...)
		}
		return out
	}
	visibility := exfilAudit(2, "ktran", "repo.access", "acme/payments-core", later)
	visibility.Audit.Permission = "public"
	ciClone := clones(2, "ktran", "git.clone", 40, later, time.Minute)
	for _, e := range ciClone {
		e.Audit.UserAgent = "git/2.43.0 (GitHub-Actions runner)"
	}
	tests := []struct {
		name   string
		events []*event.Event
		want   []exfilVerdict
	}{
		{
			name:   "transfer_out",
			events: append(team(), exfilStaff(1, "E1", "Kevin Tran", "ktran", hired), exfilAudit(2, "ktran", "repo.transfer_outgoing", "acme/payments-core", later)),
			want:   []exfilVerdict{{"E1", 1, 1}},
		},
		{
			name:   "made_public",
			events: append(team(), exfilStaff(1, "E1", "Kevin Tran", "ktran", hired), visibility),
			want:   []exfilVerdict{{"E1", 1, 1}},
		},
		{
			name:   "bulk_download_far_above_the_team",
			events: append(append(team(), exfilStaff(1, "E1", "Kevin Tran", "ktran", hired)), clones(2, "ktran", "repo.download_zip", 30, later, 10*time.Minute)...),
			want:   []exfilVerdict{{"E1", 0.7, 20}},
		},
		{
			name:   "bulk_clone_without_a_team_to_compare",
			events: append([]*event.Event{exfilStaff(1, "E1", "Kevin Tran", "ktran", hired)}, clones(2, "ktran", "git.clone", 45, later, 5*time.Minute)...),
			want:   []exfilVerdict{{"E1", 1, 20}},
		},
		// Negative cases.
		{
			name:   "new_hire_first_week",
			events: append(append(team(), exfilStaff(1, "E1", "Kevin Tran", "ktran", hired)), clones(2, "ktran", "git.clone", 40, hired.AddDate(0, 0, 3), time.Minute)...),
		},
		{
			name:   "ci_runner_user_agent",
			events: append(append(team(), exfilStaff(1, "E1", "Kevin Tran", "ktran", hired)), ciClone...),
		},
		{
			name: "service_account_on_the_roster",
			events: append([]*event.Event{exfilStaff(1, "E2", "Build Service", "build-svc", hired)},
				clones(2, "build-svc", "git.clone", 80, later, time.Minute)...),
		},
		{
			name:   "same_repos_refetched_all_day",
			events: append([]*event.Event{exfilStaff(1, "E1", "Kevin Tran", "ktran", hired)}, fetchSame(2, "ktran", 200, later)...),
		},
		{
			name:   "a_team_that_clones_widely",
			events: append(wideTeam(hired, later), clones(2, "ktran", "git.clone", 45, later, time.Minute)...),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := runExfil(t, tt.events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// fetchSame fetches three repositories over and over.
func fetchSame(first int, login string, n int, at time.Time) []*event.Event {
	var out []*event.Event
	for i := range n {
		out = append(out, exfilAudit(first+i, login, "git.fetch", fmt.Sprintf("acme/repo-%d", i%3), at.Add(time.Duration(i)*time.Minute)))
	}
	return out
}

// wideTeam is a platform team whose members routinely clone 20–30
// repositories a day (monorepo tooling, code search), plus ktran.
func wideTeam(hired, at time.Time) []*event.Event {
	out := []*event.Event{exfilStaff(1, "E1", "Kevin Tran", "ktran", hired)}
	rec := 1000
	for i := range 6 {
		login := fmt.Sprintf("plat%d", i)
		out = append(out, exfilStaff(20+i, fmt.Sprintf("E8%d", i), "Plat "+login, login, hired))
		for j := range 20 + 2*i {
			rec++
			out = append(out, exfilAudit(rec, login, "git.clone", fmt.Sprintf("acme/repo-%03d", j), at.Add(time.Duration(j)*time.Minute)))
		}
	}
	return out
}

func TestCodeCopiedOutSummary(t *testing.T) {
	ex := (&CodeCopiedOut{}).Examples().Positive
	_, fs := runExfil(t, ex.Events)
	if len(fs) != 1 {
		t.Fatalf("findings = %+v", fs)
	}
	for _, want := range []string{"transferred a repository out of the organisation (acme/payments-core)", "32 distinct repositories within 24 hours"} {
		if !strings.Contains(fs[0].Summary, want) {
			t.Errorf("summary %q does not say %q", fs[0].Summary, want)
		}
	}
	if fs[0].Confidence != 1 || len(fs[0].Evidence) != detect.MaxEvidence {
		t.Errorf("finding = %+v, want full confidence and capped evidence", fs[0])
	}
}

// TestCodeCopiedOutBaselines compares a busy day with the person's own
// history (profile.CodeUse.Usual) and their peers (profile.PeersOf): a
// release engineer who checks out every repository every day is quiet; a
// bulk day after a quiet history still fires.
func TestCodeCopiedOutBaselines(t *testing.T) {
	hired := time.Date(2024, 9, 2, 9, 0, 0, 0, time.UTC)
	later := hired.AddDate(0, 5, 0)
	// daily accesses n distinct repositories on each of days days.
	daily := func(first int, login string, n, days int, from time.Time) []*event.Event {
		var out []*event.Event
		for d := range days {
			for i := range n {
				out = append(out, exfilAudit(first+n*d+i, login, "git.fetch", fmt.Sprintf("acme/repo-%03d", (i+d)%40), from.AddDate(0, 0, d).Add(time.Duration(i)*time.Minute)))
			}
		}
		return out
	}
	role := func(e *event.Event, title string) *event.Event {
		e.Person.Department, e.Person.Title = "Engineering", title
		return e
	}
	team := func() []*event.Event {
		var out []*event.Event
		for i := range 6 {
			login := fmt.Sprintf("dev%d", i)
			out = append(out, role(exfilStaff(10+i, fmt.Sprintf("E9%d", i), "Dev "+login, login, hired), "Software Engineer"))
			out = append(out, daily(1000*(i+1), login, 2+i%3, 20, later)...)
		}
		return out
	}
	tests := []struct {
		name    string
		events  []*event.Event
		want    []exfilVerdict
		summary string
	}{
		{
			name: "release_engineer_checks_out_everything_every_day",
			events: append(append(team(), role(exfilStaff(1, "E1", "Rel Eng", "releng", hired), "Release Engineer")),
				daily(1, "releng", 30, 20, later)...),
		},
		{
			name: "bulk_day_after_a_quiet_history",
			events: append(append(append(team(), role(exfilStaff(1, "E1", "Kevin Tran", "ktran", hired), "Software Engineer")),
				daily(1, "ktran", 3, 20, later)...), daily(500, "ktran", 30, 1, later.AddDate(0, 0, 25))...),
			want:    []exfilVerdict{{"E1", 0.7, 20}},
			summary: "peers' busiest day (Engineering / Software Engineer, 6 people) is 4; their own usual busy day 3",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, fs := runExfil(t, tt.events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
			if tt.summary != "" && (len(fs) != 1 || !strings.Contains(fs[0].Summary, tt.summary)) {
				t.Errorf("summary lacks %q: %+v", tt.summary, fs)
			}
		})
	}
}
