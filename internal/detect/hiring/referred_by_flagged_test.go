package hiring

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

func TestReferredByFlagged(t *testing.T) {
	staff := []*event.Event{
		rosterRecord(1, event.Person{EmployeeID: "E1041", UserName: "mjensen@example.com", Name: "Marcus Jensen"}),
		rosterRecord(2, event.Person{EmployeeID: "E1077", UserName: "lortiz@example.com", Name: "Lucia Ortiz"}),
		rosterRecord(3, event.Person{EmployeeID: "E1090", UserName: "jkim@example.com", Name: "Jin Kim"}),
		rosterRecord(4, event.Person{EmployeeID: "E1091", UserName: "jkim2@example.com", Name: "Jin Kim"}),
	}
	with := func(apps ...event.Application) []*event.Event {
		return append(append([]*event.Event(nil), staff...),
			candidateRecord(1, event.Applicant{CandidateID: "900", Name: "Ethan Cole", Applications: apps}))
	}
	tests := []struct {
		name    string
		events  []*event.Event
		flagged []string
		want    []outcome
	}{
		{
			name:    "referral_credited_by_employee_id",
			events:  with(event.Application{ID: "1", Source: "Referral", CreditedToEmployee: "E1041"}),
			flagged: []string{"E1041"},
			want:    []outcome{{Person: "cand-900", Related: []string{"E1041"}, Records: []string{cand(1)}}},
		},
		{
			name:    "referral_credited_by_name_only",
			events:  with(event.Application{ID: "1", Source: "Employee Referral", CreditedToName: "marcus jensen"}),
			flagged: []string{"E1041"},
			want:    []outcome{{Person: "cand-900", Related: []string{"E1041"}, Records: []string{cand(1)}}},
		},
		{
			name: "two_referrals_one_flagged",
			events: with(
				event.Application{ID: "1", Source: "Referral", CreditedToEmployee: "E1077"},
				event.Application{ID: "2", Source: "Referral", CreditedToEmployee: "E1041"}),
			flagged: []string{"E1041"},
			want:    []outcome{{Person: "cand-900", Related: []string{"E1041"}, Records: []string{cand(1)}}},
		},
		// Negative cases.
		{
			name:    "referral_by_unflagged_employee",
			events:  with(event.Application{ID: "1", Source: "Referral", CreditedToEmployee: "E1077"}),
			flagged: []string{"E1041"},
		},
		{
			name:    "flagged_employee_credited_on_a_non_referral_source",
			events:  with(event.Application{ID: "1", Source: "LinkedIn", CreditedToEmployee: "E1041"}),
			flagged: []string{"E1041"},
		},
		{
			name:    "credited_name_is_ambiguous",
			events:  with(event.Application{ID: "1", Source: "Referral", CreditedToName: "Jin Kim"}),
			flagged: []string{"E1090"},
		},
		{
			name:    "credited_employee_unknown",
			events:  with(event.Application{ID: "1", Source: "Referral", CreditedToEmployee: "E9999"}),
			flagged: []string{"E1041"},
		},
		{
			name:   "nobody_flagged",
			events: with(event.Application{ID: "1", Source: "Referral", CreditedToEmployee: "E1041"}),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := run(t, &ReferredByFlagged{}, tt.events, tt.flagged...)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReferredByFlaggedEvidenceNamesReferrer(t *testing.T) {
	ex := (&ReferredByFlagged{}).Examples().Positive
	_, fs := run(t, &ReferredByFlagged{}, ex.Events, ex.Flagged...)
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1", len(fs))
	}
	got := fs[0].Evidence[0].Summary
	for _, want := range []string{"candidate 3001", "application 7001", "Marcus Jensen (E1041)", "Senior Backend Engineer"} {
		if !strings.Contains(got, want) {
			t.Errorf("evidence %q does not say %q", got, want)
		}
	}
}
