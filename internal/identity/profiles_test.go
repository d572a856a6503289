package identity

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

func profileEvent(record int, login, email string) *event.Event {
	return &event.Event{Kind: event.KindProfile, Account: &event.Actor{Login: login, Email: email},
		Prov:    event.Provenance{Origin: &event.Origin{Source: "github-users", File: "users.json"}, Record: record},
		Profile: &event.Profile{Login: login, Email: email}}
}

func withURLs(e *event.Event, websites, social []string) *event.Event {
	e.Applicant.Websites, e.Applicant.SocialMedia = websites, social
	return e
}

func TestResolveProfiles(t *testing.T) {
	events := []*event.Event{
		rosterEvent("E1", "Jane Doe", "jane.doe@acme.example", "+1 312 555 0101"),
		// Hired candidate: the personal email joins the roster person.
		applicantEvent("100", "Jane Doe", "jane.personal@mail.example", "312-555-0101"),
		withURLs(applicantEvent("101", "Kevin Tran", "kevin.tran@mail.example", ""), []string{"https://www.GitHub.com/KTran-Dev/"}, nil),
		withURLs(applicantEvent("102", "Ana Souza", "ana@mail.example", ""), nil, []string{"github.com/orgs/acme"}),
		// Two candidates claim one GitHub URL: ambiguous, resolves to nobody.
		withURLs(applicantEvent("103", "Alex Park", "alex@mail.example", ""), []string{"github.com/shared-dev"}, nil),
		withURLs(applicantEvent("104", "Brian Lee", "brian@mail.example", ""), []string{"https://github.com/shared-dev"}, nil),
		profileEvent(1, "janed", "jane.personal@mail.example"), // by applicant email → the employee
		profileEvent(2, "ktran-dev", ""),  // by URL on the candidate
		profileEvent(3, "jane.doe", ""),   // by roster userName local part, like audit actors
		profileEvent(4, "shared-dev", ""), // ambiguous URL
		profileEvent(5, "acme", ""),       // an org page is no one's profile
		profileEvent(6, "nobody", "nobody@mail.example"),
	}
	pop := Resolve(events)
	got := map[string][]int{}
	for _, p := range pop.People {
		for _, e := range p.Profiles {
			got[p.ID] = append(got[p.ID], e.Prov.Record)
		}
	}
	want := map[string][]int{"E1": {1, 3}, "cand-101": {2}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("profiles by person (-want +got):\n%s", diff)
	}
	var unresolved []string
	for _, u := range pop.Unresolved {
		unresolved = append(unresolved, u.Account)
	}
	if diff := cmp.Diff([]string{"github:acme", "github:nobody", "github:shared-dev"}, unresolved); diff != "" {
		t.Errorf("unresolved (-want +got):\n%s", diff)
	}
}

func TestGitHubLogin(t *testing.T) {
	tests := map[string]string{
		"https://github.com/dbrooks-dev":        "dbrooks-dev",
		"http://www.GitHub.com/DBrooks-Dev/":    "dbrooks-dev",
		"github.com/dbrooks-dev?tab=repos":      "dbrooks-dev",
		"https://github.com/dbrooks-dev/ledger": "",
		"https://github.com/orgs/acme":          "",
		"https://github.com/features":           "",
		"https://gitlab.com/dbrooks":            "",
		"https://github.com/":                   "",
	}
	for in, want := range tests {
		if got := GitHubLogin(in); got != want {
			t.Errorf("GitHubLogin(%q) = %q, want %q", in, got, want)
		}
	}
}
