package link

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

// TestPersonRecord: a person's record carries the person model's
// canonical contacts from the roster and every candidate record, the
// claimed home, the URLs, the longest résumé and the personal payout
// accounts, not the employer of record's.
func TestPersonRecord(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	events := []*event.Event{
		detecttest.RosterRecord(1, event.Person{EmployeeID: "E1", SCIMID: "u-E1", UserName: "jane@corp.example", Name: "Jane Q Doe",
			Emails: []string{"jane@corp.example", "J.Doe+jobs@googlemail.com"}, Phones: []string{"+1 (415) 555-0123"}, Active: true,
			Organization: "Deel Inc.", Created: t0,
			Addresses: []event.Address{{Type: "home", Street: "12 Elm St", Locality: "Austin", PostalCode: "78701", Country: "US"}}}),
		{Kind: event.KindApplicant, Time: t0, Prov: event.Provenance{Origin: &event.Origin{Source: "greenhouse", File: "c.json"}, Record: 1, ID: "501"},
			Applicant: &event.Applicant{CandidateID: "501", Name: "Jane Doe", Emails: []string{"jdoe@gmail.com"},
				Phones: []string{"415.555.0123"}, Websites: []string{"https://janedoe.dev"}}},
		{Kind: event.KindResume, Time: t0, Prov: event.Provenance{Origin: &event.Origin{Source: "resumes", File: "501.txt"}, Record: 1},
			Resume: &event.Resume{CandidateID: "501", Text: "Jane Doe, engineer"}},
		{Kind: event.KindPayout, Time: t0, Prov: event.Provenance{Origin: &event.Origin{Source: "payroll", File: "p.csv"}, Record: 1},
			Payout: &event.Payout{EmployeeID: "E1", EffectiveDate: t0, Method: "bank", AccountFingerprint: "EOR-ACCT", PayeeName: "Deel Inc."}},
		{Kind: event.KindPayout, Time: t0.AddDate(0, 1, 0), Prov: event.Provenance{Origin: &event.Origin{Source: "payroll", File: "p.csv"}, Record: 2},
			Payout: &event.Payout{EmployeeID: "E1", EffectiveDate: t0.AddDate(0, 1, 0), Method: "bank", AccountFingerprint: "Own-Acct", PayeeName: "Jane Doe"}},
	}
	pol := policy.Default()
	pop := detecttest.Population(events, pol)
	if len(pop.People) != 1 {
		t.Fatalf("resolved %d people, want 1", len(pop.People))
	}
	got := personRecord(pop.People[0], Identifiers(pop, pol).Of["E1"])
	want := Record{
		ID: "E1", Ref: "E1", GivenName: "Jane", FamilyName: "Doe",
		Emails:  []string{"jane@corp.example", "jdoe@gmail.com"},
		Phones:  []string{"+14155550123"},
		Address: "12 Elm St", City: "Austin", Postcode: "78701", Country: "US",
		URLs:    []string{"janedoe.dev"},
		Payouts: []string{"own-acct"},
		Resume:  "Jane Doe, engineer",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("personRecord (-want +got):\n%s", diff)
	}
	linked, err := People(context.Background(), pop, pol)
	if err != nil || linked == nil || len(linked.Pairs) != 0 {
		t.Errorf("People(one person) = %+v, %v; want no pairs", linked, err)
	}
}
