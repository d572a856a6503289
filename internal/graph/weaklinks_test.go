package graph

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/profile"
)

// referred gives p a candidate record whose application is credited to
// the employee referrer.
func referred(p *profile.Person, candidate, referrer string) *profile.Person {
	p.CandidateIDs = append(p.CandidateIDs, candidate)
	p.Applicants = append(p.Applicants, &event.Event{Kind: event.KindApplicant, Time: t0, Prov: prov("greenhouse"),
		Applicant: &event.Applicant{CandidateID: candidate, Name: p.Name, Applications: []event.Application{
			{ID: candidate + "0", Source: "Referral", CreditedToEmployee: referrer, Status: "hired"}}}})
	return p
}

// candidatePhone is an applicant whose candidate record lists number.
func candidatePhone(id, number string) *profile.Person {
	p := applicant(id)
	p.Applicants[0].Applicant.Phones = []string{number}
	return p
}

// TestBuild_referral_joins_the_referrers_cell: a referred member of a cell
// is inside it, through a typed referral link; a referral alone, or
// between a couple, or from someone a cell member referred, joins nobody.
func TestBuild_referral_joins_the_referrers_cell(t *testing.T) {
	cell := func() []*profile.Person {
		return []*profile.Person{payout(employee("E1", street(1)), "mule"), payout(employee("E2", street(2)), "mule")}
	}
	runCellCases(t, []cellCase{
		{name: "referred_by_a_cell_member", people: append(cell(), referred(employee("E3", street(3)), "903", "E2")),
			want: [][]string{{"E1", "E2", "E3"}}},
		{name: "referral_chain_inside_a_cell", people: append(cell(),
			referred(employee("E3", street(3)), "903", "E2"), referred(employee("E4", street(4)), "904", "E3")),
			want: [][]string{{"E1", "E2", "E3", "E4"}}},
		{name: "referral_alone", people: []*profile.Person{employee("E1", street(1)), referred(employee("E2", street(2)), "902", "E1")}},
		{name: "cell_member_referred_by_an_outsider_does_not_pull_them_in", people: append(cell(),
			employee("E0", street(9)), referred(employee("E9", street(8)), "909", "E0")),
			want: [][]string{{"E1", "E2"}}},
		{name: "couple_one_referred_the_other", people: []*profile.Person{
			employee("E1", street(1)), referred(employee("E2", street(1)), "902", "E1"), employee("E3", street(3)),
			referred(employee("E4", street(4)), "904", "E2")},
			want: [][]string{{"E1", "E2"}}},
	})
}

// TestBuild_referral_link_is_typed: the report shows the referral beside
// the identifier the two share, each as its own typed link, with the
// application as evidence.
func TestBuild_referral_link_is_typed(t *testing.T) {
	a := phone(employee("E1", street(1)), "+1 (312) 555-0147")
	b := referred(phone(employee("E2", street(2)), "312.555.0147"), "902", "E1")
	c := candidatePhone("77", "13125550147")
	got := build(population(a, b, c), policy.Default(), now)
	if len(got) != 1 {
		t.Fatalf("got %d cells, want 1: %+v", len(got), got)
	}
	var kinds []string
	for _, l := range got[0].Links {
		kinds = append(kinds, l.Kind+" "+fmt.Sprint(l.Members))
	}
	want := []string{"phone [E1 E2 cand-77]", "referral [E1 E2]"}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Errorf("links (-want +got):\n%s", diff)
	}
	ref := got[0].Links[1]
	if len(ref.Evidence) != 1 || ref.Evidence[0].Source != "greenhouse" || ref.Value != "E2 referred by E1" {
		t.Errorf("referral link = %+v, want the greenhouse application as evidence", ref)
	}
}

// TestBuild_reused_contact_links_a_large_cell: a contact eight candidate
// records reuse (a cell's personas) links all eight, past
// max_identifier_sharers; on roster records alone it is a switchboard;
// past max_cell_size it is infrastructure.
func TestBuild_reused_contact_links_a_large_cell(t *testing.T) {
	personas := func(n int) []*profile.Person {
		var out []*profile.Person
		for i := range n {
			out = append(out, candidatePhone(fmt.Sprint(100+i), "+1 415 555 0123"))
		}
		return out
	}
	roster := func(n int) []*profile.Person {
		var out []*profile.Person
		for i := range n {
			out = append(out, phone(employee(fmt.Sprintf("E%d", i+1), street(i)), "+1 415 555 0123"))
		}
		return out
	}
	size := func(people []*profile.Person) int {
		n := 0
		for _, c := range build(population(people...), policy.Default(), now) {
			n = max(n, len(c.Members))
		}
		return n
	}
	if got := size(personas(8)); got != 8 {
		t.Errorf("eight personas reusing a phone: cell of %d, want 8", got)
	}
	if got := size(append(roster(2), personas(6)...)); got != 8 {
		t.Errorf("two employees and six personas: cell of %d, want 8", got)
	}
	if got := size(roster(8)); got != 0 {
		t.Errorf("a phone on eight roster records alone (a switchboard): cell of %d, want none", got)
	}
	if got := size(personas(policy.Default().Cluster.MaxCellSize + 1)); got != 0 {
		t.Errorf("a phone on more candidate records than any cell: cell of %d, want none", got)
	}
}
