package hiring

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
)

func TestOddSocialGraph(t *testing.T) {
	asOf := time.Date(2025, 1, 27, 0, 0, 0, 0, time.UTC)
	old := time.Date(2013, 5, 1, 0, 0, 0, 0, time.UTC)
	person := func(id string, pr event.Profile) []*event.Event {
		pr.Login, pr.Email, pr.UpdatedAt = "user"+id, "user"+id+"@mail.example", asOf
		return []*event.Event{
			candidateRecord(1, event.Applicant{CandidateID: id, Name: "Alex Park", Emails: []string{pr.Email}}),
			profileRecord(1, pr),
		}
	}
	prof := detecttest.Ref(exampleProfileFile, 1)
	tests := []struct {
		name   string
		events []*event.Event
		want   []outcome
	}{
		{
			name:   "mass_following",
			events: person("1", event.Profile{Followers: 40, Following: 1200, PublicRepos: 1, CreatedAt: old}),
			want:   []outcome{{Person: "cand-1", Confidence: 0.8, Records: []string{prof}}},
		},
		{
			name:   "follow_ring",
			events: person("2", event.Profile{Followers: 150, Following: 160, PublicRepos: 3, CreatedAt: old}),
			want:   []outcome{{Person: "cand-2", Confidence: 0.8, Records: []string{prof}}},
		},
		{
			name:   "young_ring_with_bought_followers_and_identicon",
			events: person("3", event.Profile{Followers: 420, Following: 400, PublicRepos: 1, CreatedAt: asOf.AddDate(0, -3, 0), AvatarURL: "https://github.com/identicons/user3.png"}),
			want:   []outcome{{Person: "cand-3", Confidence: 1, Records: []string{prof}}},
		},
		// Negative cases.
		{
			name:   "developer_advocate_publishes_a_lot",
			events: person("4", event.Profile{Followers: 4200, Following: 910, PublicRepos: 87, PublicGists: 140, CreatedAt: old}),
		},
		{
			name:   "well_known_engineer_with_private_work",
			events: person("5", event.Profile{Followers: 2500, Following: 3, PublicRepos: 4, CreatedAt: old}),
		},
		{
			name:   "ordinary_small_account",
			events: person("6", event.Profile{Followers: 12, Following: 30, PublicRepos: 2, CreatedAt: asOf.AddDate(0, -2, 0)}),
		},
		{
			name:   "identicon_alone",
			events: person("7", event.Profile{Followers: 0, Following: 0, PublicRepos: 0, AvatarURL: "https://github.com/identicons/u7.png", CreatedAt: asOf.AddDate(0, 0, -5)}),
		},
		{
			name:   "follows_back_everyone_but_publishes",
			events: person("8", event.Profile{Followers: 300, Following: 310, PublicRepos: 25, CreatedAt: old}),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := run(t, &OddSocialGraph{}, tt.events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOddSocialGraphSummary(t *testing.T) {
	ex := (&OddSocialGraph{}).Examples().Positive
	_, fs := run(t, &OddSocialGraph{}, ex.Events)
	if len(fs) != 1 || !strings.Contains(fs[0].Summary, "410 followers and 395 following") || !strings.Contains(fs[0].Summary, "only 2 public repositories") {
		t.Errorf("findings = %+v", fs)
	}
}
