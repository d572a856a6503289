package hiring

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
)

func TestYoungGitHubAccount(t *testing.T) {
	applied := time.Date(2025, 1, 27, 0, 0, 0, 0, time.UTC)
	candAt := func(id string, websites ...string) *event.Event {
		return candidateRecord(1, event.Applicant{CandidateID: id, Name: "Alex Park", Emails: []string{"alex" + id + "@mail.example"},
			Websites: websites, CreatedAt: applied, Applications: []event.Application{{ID: "1", AppliedAt: applied}}})
	}
	gh := func(id string, created time.Time, repos, followers int) *event.Event {
		return profileRecord(1, event.Profile{Login: "apark" + id, Email: "alex" + id + "@mail.example", PublicRepos: repos,
			Followers: followers, CreatedAt: created, UpdatedAt: applied})
	}
	prof := detecttest.Ref(exampleProfileFile, 1)
	tests := []struct {
		name   string
		events []*event.Event
		want   []outcome
	}{
		{
			name:   "bulk_repositories_on_a_new_account",
			events: []*event.Event{candAt("1"), gh("1", applied.AddDate(0, 0, -30), 35, 0)},
			want:   []outcome{{Person: "cand-1", Confidence: confBulkHistory, Records: []string{prof, cand(1)}}},
		},
		{
			name:   "followers_on_a_new_account",
			events: []*event.Event{candAt("2"), gh("2", applied.AddDate(0, 0, -10), 3, 220)},
			want:   []outcome{{Person: "cand-2", Confidence: confFollowers, Records: []string{prof, cand(1)}}},
		},
		{
			name: "new_account_long_claimed_career_linked_by_url",
			events: []*event.Event{candAt("3", "https://github.com/ktran-dev"),
				profileRecord(1, event.Profile{Login: "ktran-dev", PublicRepos: 4, CreatedAt: applied.AddDate(0, -2, 0)}),
				resumeRecord("3", "Kevin Tran\nPlatform engineer with 11+ years of professional experience.", time.Time{})},
			want: []outcome{{Person: "cand-3", Confidence: confCareer, Records: []string{prof, resumeRec("3"), cand(1)}}},
		},
		{
			name:   "account_created_after_applying_with_everything",
			events: []*event.Event{candAt("4"), gh("4", applied.AddDate(0, 0, 3), 60, 90)},
			want:   []outcome{{Person: "cand-4", Confidence: confFollowers + 0.2, Records: []string{prof, cand(1)}}},
		},
		// Negative cases.
		{
			name:   "old_account",
			events: []*event.Event{candAt("5"), gh("5", time.Date(2013, 5, 1, 0, 0, 0, 0, time.UTC), 80, 400)},
		},
		{
			name:   "new_graduate_small_new_account",
			events: []*event.Event{candAt("6"), gh("6", applied.AddDate(0, 0, -20), 6, 4)},
		},
		{
			name: "new_account_and_a_short_career",
			events: []*event.Event{candAt("7"), gh("7", applied.AddDate(0, 0, -20), 3, 1),
				resumeRecord("7", "Alex Park\nJunior developer with 2 years of experience.", time.Time{})},
		},
		{
			name:   "large_history_on_a_year_old_account",
			events: []*event.Event{candAt("8"), gh("8", applied.AddDate(-1, 0, 0), 45, 120)},
		},
		{
			name:   "profile_of_nobody_in_the_scan",
			events: []*event.Event{candAt("9"), profileRecord(1, event.Profile{Login: "stranger", PublicRepos: 50, CreatedAt: applied})},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := run(t, &YoungGitHubAccount{}, tt.events)
			if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 })); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestYoungGitHubAccountSummary(t *testing.T) {
	ex := (&YoungGitHubAccount{}).Examples().Positive
	_, fs := run(t, &YoungGitHubAccount{}, ex.Events)
	if len(fs) != 1 {
		t.Fatalf("findings = %+v", fs)
	}
	for _, want := range []string{`"dbrooks-dev"`, "21 days before applying", "41 public repositories", "312 followers"} {
		if !strings.Contains(fs[0].Summary, want) {
			t.Errorf("summary %q does not say %q", fs[0].Summary, want)
		}
	}
}
