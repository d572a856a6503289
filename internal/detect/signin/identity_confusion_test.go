package signin

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

func TestIdentityConfusion(t *testing.T) {
	roster := staff{record: 1, id: "E1", email: "rroe@example.com", name: "Robert Roe", country: "US"}.event()
	// shown makes n Okta sign-ins displayed under name.
	shown := func(first, n int, name string) []*event.Event {
		var out []*event.Event
		for i := range n {
			e := oktaSignIn(first+i, "rroe@example.com", exampleStart.AddDate(0, 0, first+i), homeChicago)
			e.SetActor(renamed(e.Actor(), name))
			out = append(out, e)
		}
		return out
	}
	profile := func(rec int, login, name string) *event.Event {
		return &event.Event{Kind: event.KindProfile, Time: exampleStart, Account: &event.Actor{Login: login},
			Prov:    event.Provenance{Origin: &event.Origin{Source: "github-users", File: "examples/github-users.json"}, Record: rec},
			Profile: &event.Profile{Login: login, Name: name, Email: "rroe@example.com"}}
	}
	// commits makes n commits authored by name <email>, committed by
	// committer (the author when empty) at the same instant.
	commits := func(first, n int, name, email, committer string) []*event.Event {
		var out []*event.Event
		for i := range n {
			at := exampleStart.AddDate(0, 0, first+i)
			c := &event.Commit{Hash: "ab" + strings.Repeat("0", 38), AuthorName: name, AuthorEmail: email, AuthorTime: at,
				CommitterName: name, CommitterEmail: email, CommitterTime: at}
			if committer != "" {
				c.CommitterName, c.CommitterEmail = "Committer", committer
			}
			out = append(out, &event.Event{Kind: event.KindCommit, Time: at, Account: &event.Actor{Email: email, DisplayName: name},
				Prov: event.Provenance{Origin: &event.Origin{Source: "gitlog", File: exampleGitFile}, Record: first + i}, Commit: c})
		}
		return out
	}
	colleague := staff{record: 2, id: "E2", email: "kmin@example.com", name: "Kim Min", country: "US"}.event()
	cat := func(lists ...[]*event.Event) []*event.Event {
		var out []*event.Event
		for _, l := range lists {
			out = append(out, l...)
		}
		return out
	}
	tests := []struct {
		name   string
		events []*event.Event
		want   []verdict
	}{
		{name: "idp_shows_another_name", events: cat([]*event.Event{roster}, shown(1, 5, "Robert Roe"), shown(10, 3, "Kim Chol")), want: []verdict{{Person: "E1", Confidence: 1}}},
		{name: "github_profile_under_another_name", events: []*event.Event{roster, profile(1, "rroe-dev", "Li Wei")}, want: []verdict{{Person: "E1", Confidence: 0.7}}},
		{
			name:   "handle_renamed",
			events: []*event.Event{roster, shown(1, 1, "Robert Roe")[0], githubAudit(2, "rroe@example.com", exampleStart, "user.rename", "rroe2", "")},
			want:   []verdict{{Person: "E1", Confidence: 0.5}},
		},
		{name: "two_github_profiles", events: []*event.Event{roster, profile(1, "rroe-dev", "Robert Roe"), profile(2, "bobroe", "")}, want: []verdict{{Person: "E1", Confidence: 0.5}}},
		{
			name:   "work_account_commits_under_another_name",
			events: cat([]*event.Event{roster}, commits(1, 5, "Robert Roe", "rroe@example.com", ""), commits(10, 4, "Pak Chol", "rroe@example.com", "")),
			want:   []verdict{{Person: "E1", Confidence: 0.6}},
		},
		{
			name:   "unrelated_handle_beside_the_name",
			events: cat([]*event.Event{roster}, commits(1, 5, "Robert Roe", "rroe@example.com", ""), commits(10, 4, "bytemaker666", "rroe@example.com", "")),
			want:   []verdict{{Person: "E1", Confidence: 0.6}},
		},
		{
			name:   "work_account_commits_as_a_colleague",
			events: cat([]*event.Event{roster, colleague}, commits(1, 4, "Kim Min", "kmin@example.com", "rroe@example.com")),
			want:   []verdict{{Person: "E1", Confidence: 0.7}},
		},
		{
			name:   "two_commits_under_another_name",
			events: cat([]*event.Event{roster}, commits(1, 5, "Robert Roe", "rroe@example.com", ""), commits(10, 2, "Pak Chol", "rroe@example.com", "")),
		},
		{
			name:   "default_name_on_a_build_box",
			events: cat([]*event.Event{roster}, commits(1, 5, "Robert Roe", "rroe@example.com", ""), commits(10, 5, "root", "rroe@example.com", "")),
		},
		{name: "one_odd_event", events: cat([]*event.Event{roster}, shown(1, 5, "Robert Roe"), shown(10, 1, "Kim Chol"))},
		{name: "nickname", events: cat([]*event.Event{roster}, shown(1, 5, "Bob Roe"))},
		{name: "surname_first", events: cat([]*event.Event{roster}, shown(1, 5, "ROE, Robert"))},
		{name: "new_family_name", events: cat([]*event.Event{roster}, shown(1, 5, "Robert Smith-Roe"), shown(10, 5, "Robert Smith"))},
		{name: "handle_as_display_name", events: cat([]*event.Event{roster}, shown(1, 5, "rroe"))},
		{name: "another_script", events: cat([]*event.Event{roster}, shown(1, 5, "로버트 로"))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, fs := detectAll(t, &IdentityConfusion{}, nil, tc.events)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				for _, f := range fs {
					t.Log(f.Summary)
				}
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
