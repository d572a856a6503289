package link

import (
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/profile"
)

func candidate(record int, a event.Applicant) *event.Event {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	return &event.Event{Kind: event.KindApplicant, Time: t0, Applicant: &a,
		Prov: event.Provenance{Origin: &event.Origin{Source: "greenhouse", File: "candidates.json"}, Record: record, ID: a.CandidateID}}
}

// TestIdentifiers: the shared-identifier index groups the linker's
// canonical keys — one mailbox with and without a "+tag", one portfolio
// written two ways, one phone in two formats — and leaves out what
// identifies nobody: a placeholder phone and a shared platform's bare home
// page, held by both candidates too.
func TestIdentifiers(t *testing.T) {
	events := []*event.Event{
		candidate(1, event.Applicant{CandidateID: "701", Name: "Daniel Brooks", Emails: []string{"dbrooks+acme@proton.me"},
			Phones: []string{"+1 (312) 555-0147", "000-000-0000"}, Websites: []string{"https://www.GitHub.com/DBrooks-Dev/", "https://github.com"}}),
		candidate(2, event.Applicant{CandidateID: "702", Name: "Kevin Tran", Emails: []string{"DBrooks@proton.me"},
			Phones: []string{"312-555-0147", "0000000000"}, SocialMedia: []string{"github.com/dbrooks-dev", "github.com/"}}),
		candidate(3, event.Applicant{CandidateID: "703", Name: "Ana Lima", Emails: []string{"ana.lima@proton.me"},
			Phones: []string{"+55 11 91234-5678"}, Websites: []string{"https://analima.dev"}}),
	}
	pol := policy.Default()
	pop := detecttest.Population(events, pol)
	if len(pop.People) != 3 {
		t.Fatalf("resolved %d people, want 3", len(pop.People))
	}
	x := Identifiers(pop, pol)
	var got []string
	for _, g := range x.Shared {
		var holders []string
		for _, s := range g {
			holders = append(holders, s.Person.ID+"@"+s.Record.Prov.Key())
		}
		got = append(got, g[0].Kind+" "+g[0].Key+": "+strings.Join(holders, " "))
	}
	want := []string{
		"email dbrooks@proton.me: cand-701@" + events[0].Prov.Key() + " cand-702@" + events[1].Prov.Key(),
		"phone 3125550147: cand-701@" + events[0].Prov.Key() + " cand-702@" + events[1].Prov.Key(),
		"url github.com/dbrooks-dev: cand-701@" + events[0].Prov.Key() + " cand-702@" + events[1].Prov.Key(),
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("shared identifiers:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := len(x.Of["cand-703"]); n != 3 {
		t.Errorf("cand-703 has %d identifiers, want 3 (mailbox, phone, URL): %+v", n, x.Of["cand-703"])
	}

	// The engine stores the index with the linker's verdict; readers get
	// that one, not a rebuilt one.
	stored := &profile.Identifiers{}
	pop.Linked = &profile.Linked{Identifiers: stored}
	if IdentifiersOf(pop, pol) != stored {
		t.Error("IdentifiersOf did not return the index stored on the population")
	}
}
