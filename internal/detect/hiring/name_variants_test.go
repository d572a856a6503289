package hiring

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

// TestIdentityCollisionNameVariants: one person's names written two ways
// on records sharing a mailbox are not two people; two personas are. A
// collision between an employee and a hired candidate's record alone is
// weak.
func TestIdentityCollisionNameVariants(t *testing.T) {
	direct := []event.Application{{ID: "1", Source: "LinkedIn"}}
	hired := []event.Application{{ID: "2", Source: "LinkedIn", Status: "hired"}}
	employee := func(name string) *event.Event {
		return rosterRecord(1, event.Person{EmployeeID: "E100", UserName: "e100@example.com", Name: name,
			Emails: []string{"e100@example.com", "evie.park.dev@gmail.com"}})
	}
	candidate := func(rec int, id, name string, apps []event.Application) *event.Event {
		return candidateRecord(rec, event.Applicant{CandidateID: id, Name: name, Emails: []string{"evie.park.dev@gmail.com"}, Applications: apps})
	}
	tests := []struct {
		name   string
		events []*event.Event
		want   []outcome
	}{
		{name: "nickname", events: []*event.Event{employee("Evelyn Park"), candidate(1, "61", "Evie Park", direct)}},
		{name: "family_name_changed", events: []*event.Event{employee("Maria Chen"), candidate(1, "62", "Maria Lopez", direct)}},
		{name: "transliteration", events: []*event.Event{employee("Muhammad Alsayed"), candidate(1, "63", "Mohammed Al-Sayed", direct)}},
		{name: "middle_name_as_first", events: []*event.Event{employee("Robert Lee"), candidate(1, "64", "James Robert Lee", direct)}},
		{
			name:   "two_personas",
			events: []*event.Event{candidate(1, "65", "Daniel Brooks", direct), candidate(2, "66", "Kevin Tran", direct)},
			want: []outcome{
				{Person: "cand-65", Related: []string{"cand-66"}, Records: []string{cand(1), cand(2)}},
				{Person: "cand-66", Related: []string{"cand-65"}, Records: []string{cand(2), cand(1)}},
			},
		},
		{
			name:   "employee_and_a_hired_record_under_another_name_is_weak",
			events: []*event.Event{employee("Kevin Tran"), candidate(1, "67", "Daniel Brooks", hired)},
			want: []outcome{
				{Person: "E100", Related: []string{"cand-67"}, Confidence: confOwnRecord, Records: []string{roster(1), cand(1)}},
				{Person: "cand-67", Related: []string{"E100"}, Confidence: confOwnRecord, Records: []string{cand(1), roster(1)}},
			},
		},
		{
			name:   "employee_and_a_rejected_candidate_is_full",
			events: []*event.Event{employee("Kevin Tran"), candidate(1, "68", "Daniel Brooks", direct)},
			want: []outcome{
				{Person: "E100", Related: []string{"cand-68"}, Records: []string{roster(1), cand(1)}},
				{Person: "cand-68", Related: []string{"E100"}, Records: []string{cand(1), roster(1)}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := run(t, &IdentityCollision{}, tt.events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}
