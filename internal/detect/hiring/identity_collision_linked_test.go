package hiring

import (
	"context"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/profile"
)

// TestIdentityCollision_cites_entity_resolution: when the engine's linker
// scored the two people as one operator's personas, APP-01 says so with
// the fields that matched; a linker pair with someone APP-01 does not
// relate is not mentioned.
func TestIdentityCollision_cites_entity_resolution(t *testing.T) {
	direct := []event.Application{{ID: "1", Source: "LinkedIn"}}
	events := []*event.Event{
		candidateRecord(1, event.Applicant{CandidateID: "11", Name: "Daniel Brooks", Phones: []string{"+1 (312) 555-0147"}, Applications: direct}),
		candidateRecord(2, event.Applicant{CandidateID: "12", Name: "Kevin Tran", Phones: []string{"312.555.0147"}, Applications: direct}),
		candidateRecord(3, event.Applicant{CandidateID: "13", Name: "Maria Lopez", Phones: []string{"+1 646 555 0100"}, Applications: direct}),
	}
	in := &detect.Input{Pop: detecttest.Population(events, nil), Policy: &policy.Policy{}, Now: exampleTime}
	in.Pop.Linked = &profile.Linked{Pairs: []profile.LinkedPair{
		{A: "cand-11", B: "cand-12", Kind: "shared", Weight: 24.5, Matched: []string{"phone", "resume"}},
		{A: "cand-11", B: "cand-13", Kind: "person", Weight: 9, Matched: []string{"given_name"}},
	}}
	got, err := (&IdentityCollision{}).Detect(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d findings, want 2: %+v", len(got), got)
	}
	want := "entity resolution links cand-12 as personas of one operator (weight 24.5: phone, resume)"
	if !strings.Contains(got[0].Summary, want) {
		t.Errorf("summary %q does not say %q", got[0].Summary, want)
	}
	if strings.Contains(got[0].Summary, "cand-13") {
		t.Errorf("summary %q names cand-13, whom APP-01 does not relate", got[0].Summary)
	}
	in.Pop.Linked = nil
	if got, _ := (&IdentityCollision{}).Detect(context.Background(), in); len(got) != 2 || strings.Contains(got[0].Summary, "entity resolution") {
		t.Errorf("without a linker result: %+v", got)
	}
}

// TestIdentityCollision_shared_identifier_index: APP-01 compares contacts
// under the linker's canonical keys (link.Identifiers), so one mailbox
// written with and without a "+tag" at any provider collides, while a
// placeholder phone two honest candidates typed, and a shared platform's
// bare home page, collide with nobody.
func TestIdentityCollision_shared_identifier_index(t *testing.T) {
	direct := []event.Application{{ID: "1", Source: "LinkedIn"}}
	events := []*event.Event{
		candidateRecord(1, event.Applicant{CandidateID: "21", Name: "Daniel Brooks", Emails: []string{"dbrooks+acme@proton.me"},
			Phones: []string{"000-000-0000"}, Websites: []string{"https://github.com/"}, Applications: direct}),
		candidateRecord(2, event.Applicant{CandidateID: "22", Name: "Kevin Tran", Emails: []string{"DBrooks@proton.me"},
			Phones: []string{"0000000000"}, Applications: direct}),
		candidateRecord(3, event.Applicant{CandidateID: "23", Name: "Maria Lopez", Emails: []string{"maria.lopez@proton.me"},
			Phones: []string{"(000) 000-0000"}, SocialMedia: []string{"github.com"}, Applications: direct}),
	}
	in := &detect.Input{Pop: detecttest.Population(events, nil), Policy: policy.Default(), Now: exampleTime}
	got, err := (&IdentityCollision{}).Detect(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	var people []string
	for _, f := range got {
		people = append(people, f.Person)
		if strings.Contains(f.Summary, "phone") || strings.Contains(f.Summary, "URL") {
			t.Errorf("finding on %s cites a placeholder phone or a bare platform URL: %s", f.Person, f.Summary)
		}
	}
	if want := "cand-21 cand-22"; strings.Join(people, " ") != want {
		t.Fatalf("findings on %v, want %s", people, want)
	}
	if want := "shares email dbrooks@proton.me with 1 other person"; !strings.Contains(got[0].Summary, want) {
		t.Errorf("summary %q does not say %q", got[0].Summary, want)
	}
	if ev := got[0].Evidence; len(ev) != 2 || ev[0].ID != "21" || ev[1].ID != "22" {
		t.Errorf("evidence %+v does not cite candidate 21's then candidate 22's record", ev)
	}
}
