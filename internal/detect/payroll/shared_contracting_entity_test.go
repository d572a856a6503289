package payroll

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

// entityVerdict is the part of a PAY-04 finding the table compares.
type entityVerdict struct {
	Person     string
	Confidence float64
	Related    []string
}

func runEntity(t *testing.T, now time.Time, events []*event.Event) ([]entityVerdict, []detect.Finding) {
	t.Helper()
	fs, err := (&SharedContractingEntity{}).Detect(context.Background(), &detect.Input{Pop: detecttest.Population(events, nil), Policy: policy.Default(), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	var out []entityVerdict
	for _, f := range fs {
		if len(f.Evidence) == 0 || len(f.Evidence) > detect.MaxEvidence {
			t.Errorf("finding on %s cites %d records", f.Person, len(f.Evidence))
		}
		out = append(out, entityVerdict{f.Person, f.Confidence, f.Related})
	}
	return out, fs
}

func TestSharedContractingEntity(t *testing.T) {
	hired := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	now := hired.AddDate(0, 6, 0)
	staff := func(n int, id, name, org string) *event.Event {
		return entityStaff(n, id, name, org, "Contractor", hired)
	}
	pay := func(n int, id, payee string, at time.Time) *event.Event {
		return entityPayout(n, id, payee, strings.Repeat(id, 4), at)
	}
	tests := []struct {
		name   string
		now    time.Time
		events []*event.Event
		want   []entityVerdict
	}{
		{
			name: "two_people_one_new_company",
			events: []*event.Event{staff(1, "E1", "Kevin Tran", ""), staff(2, "E2", "Daniel Brooks", ""),
				pay(1, "E1", "Northstar Digital Ltd", hired), pay(2, "E2", "Northstar Digital Limited", hired.AddDate(0, 1, 0))},
			want: []entityVerdict{{"E1", 1, []string{"E2"}}, {"E2", 1, []string{"E1"}}},
		},
		{
			name: "company_paid_for_years",
			now:  hired.AddDate(3, 0, 0),
			events: []*event.Event{staff(1, "E1", "Kevin Tran", ""), staff(2, "E2", "Daniel Brooks", "Acme Corp"),
				pay(1, "E1", "Northstar Digital Ltd", hired), pay(2, "E2", "Northstar Digital Ltd", hired)},
			want: []entityVerdict{{"E1", confOldEntity, []string{"E2"}}, {"E2", confOldEntity, []string{"E1"}}},
		},
		// Negative cases.
		{
			name: "staffing_firm_named_on_the_roster_for_one_of_them",
			events: []*event.Event{staff(1, "E1", "Kevin Tran", "Northstar Digital Ltd"), staff(2, "E2", "Daniel Brooks", ""),
				pay(1, "E1", "Northstar Digital Ltd", hired), pay(2, "E2", "Northstar Digital Ltd", hired)},
		},
		{
			name: "employer_of_record",
			events: []*event.Event{staff(1, "E1", "Kevin Tran", ""), staff(2, "E2", "Daniel Brooks", ""),
				pay(1, "E1", "Deel, Inc.", hired), pay(2, "E2", "Deel Inc", hired)},
		},
		{
			name: "bank_name_in_the_payee_column",
			events: []*event.Event{staff(1, "E1", "Kevin Tran", ""), staff(2, "E2", "Daniel Brooks", ""),
				pay(1, "E1", "Wells Fargo & Co", hired), pay(2, "E2", "Wells Fargo & Co.", hired)},
		},
		{
			name: "own_one_person_companies",
			events: []*event.Event{staff(1, "E1", "Kevin Tran", ""), staff(2, "E2", "Daniel Brooks", ""),
				pay(1, "E1", "Tran Consulting LLC", hired), pay(2, "E2", "Brooks Software Ltd", hired)},
		},
		{
			name: "people_paid_in_their_own_names",
			events: []*event.Event{staff(1, "E1", "Kevin Tran", ""), staff(2, "E2", "Daniel Brooks", ""),
				pay(1, "E1", "Kevin Tran", hired), pay(2, "E2", "Daniel Brooks", hired)},
		},
		{
			name: "one_person_paid_through_a_company",
			events: []*event.Event{staff(1, "E1", "Kevin Tran", ""),
				pay(1, "E1", "Northstar Digital Ltd", hired), pay(2, "E1", "Northstar Digital Ltd", hired.AddDate(0, 1, 0))},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := now
			if !tt.now.IsZero() {
				at = tt.now
			}
			got, _ := runEntity(t, at, tt.events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSharedContractingEntitySummary(t *testing.T) {
	ex := (&SharedContractingEntity{}).Examples().Positive
	_, fs := runEntity(t, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), ex.Events)
	if len(fs) != 3 {
		t.Fatalf("findings = %+v", fs)
	}
	for _, want := range []string{`"Bluewave Tech Solutions LLC"`, "2 other people", "Daniel Brooks (E4102)", "first seen in payroll only"} {
		if !strings.Contains(fs[0].Summary, want) {
			t.Errorf("summary %q does not say %q", fs[0].Summary, want)
		}
	}
}

func TestOrgKey(t *testing.T) {
	for in, want := range map[string]string{
		"BLUEWAVE TECH SOLUTIONS, L.L.C.": "bluewave tech solutions",
		"Bluewave Tech Solutions LLC":     "bluewave tech solutions",
		"Grupo Andino S.A.":               "grupo andino",
		"A B C":                           "a b c",
	} {
		if got := orgKey(in); got != want {
			t.Errorf("orgKey(%q) = %q, want %q", in, got, want)
		}
	}
}
