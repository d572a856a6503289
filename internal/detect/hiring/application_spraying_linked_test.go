package hiring

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/profile"
)

// TestApplicationSpraying_operator_wave: three personas with no contact
// on all three records (A–B share a phone, B–C a mailbox), four
// requisitions each within a month. Entity resolution links them as one
// operator's personas, so the twelve applications are one wave; linked
// only as look-alike names ("person"), or not linked, they are three
// small job seekers.
func TestApplicationSpraying_operator_wave(t *testing.T) {
	start := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	persona := func(n int, id, name string, contacts event.Applicant) *event.Event {
		contacts.CandidateID, contacts.Name = id, name
		for i := range 4 {
			contacts.Applications = append(contacts.Applications, event.Application{ID: fmt.Sprintf("%s%d", id, i), Source: "LinkedIn",
				AppliedAt: start.Add(time.Duration(n*4+i) * 50 * time.Hour), Jobs: []string{fmt.Sprintf("Engineer %s-%d", id, i)}})
		}
		return candidateRecord(n, contacts)
	}
	events := []*event.Event{
		persona(1, "31", "Daniel Brooks", event.Applicant{Phones: []string{"+1 312 555 0147"}, Emails: []string{"dbrooks@mail.example"}}),
		persona(2, "32", "Kevin Tran", event.Applicant{Phones: []string{"312-555-0147"}, Emails: []string{"ktran.dev@mail.example"}}),
		persona(3, "33", "Omar Haddad", event.Applicant{Phones: []string{"+1 415 555 0100"}, Emails: []string{"ktran.dev@mail.example"}}),
	}
	detectWith := func(kind string) []detect.Finding {
		in := &detect.Input{Pop: detecttest.Population(events, nil), Policy: &policy.Policy{}, Now: start.AddDate(0, 2, 0)}
		if kind != "" {
			in.Pop.Linked = &profile.Linked{
				Pairs: []profile.LinkedPair{
					{A: "cand-31", B: "cand-32", Kind: kind, Weight: 18, Matched: []string{"phone", "resume"}},
					{A: "cand-32", B: "cand-33", Kind: kind, Weight: 18, Matched: []string{"email", "resume"}},
				},
				Cluster: map[string]string{"cand-31": "L1", "cand-32": "L1", "cand-33": "L1"},
			}
		}
		got, err := (&ApplicationSpraying{}).Detect(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	got := detectWith("shared")
	if len(got) != 3 {
		t.Fatalf("linked as one operator: got %d findings, want one per persona: %+v", len(got), got)
	}
	for _, f := range got {
		if !strings.Contains(f.Summary, "12 requisitions") || !strings.Contains(f.Summary, "group L1") || len(f.Related) != 2 {
			t.Errorf("finding on %s = %q (related %v), want the 12-requisition wave of group L1 naming the other two", f.Person, f.Summary, f.Related)
		}
	}
	for _, kind := range []string{"person", ""} {
		if got := detectWith(kind); len(got) != 0 {
			t.Errorf("linked as %q: got %+v, want no finding", kind, got)
		}
	}
}
