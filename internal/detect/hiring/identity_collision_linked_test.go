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
