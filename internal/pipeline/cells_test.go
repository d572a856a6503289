package pipeline

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/internal/event"
)

var cellsT0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// facilitatorResume is one facilitator's résumé template: every persona's
// résumé is this text with the persona's name.
const facilitatorResume = `Senior full stack engineer with nine years building scalable fintech platforms for
distributed teams across three continents. Led the migration of a monolithic payments ledger to event sourced
microservices on Kubernetes, cutting settlement latency from hours to seconds while keeping five nines of
availability. Designed a reconciliation engine in Go that matched forty million card transactions a day against
partner bank statements. Mentored a squad of seven engineers through weekly architecture reviews and pair
programming on the hardest parts of the ledger. Built React and TypeScript dashboards that let operations analysts
trace a disputed payment from authorisation to chargeback in one screen. Comfortable owning production on call,
writing postmortems and turning them into roadmap items that the whole organisation could follow and fund.`

// agencyWords fill each agency candidate's résumé with their own history.
var agencyWords = strings.Fields(`accounting logistics retail nursing teaching welding carpentry plumbing marketing
sales support design audit payroll tax insurance banking warehouse driving catering cleaning security hospitality
tourism farming fishing mining printing publishing journalism photography animation music theatre dance sport
coaching fitness pharmacy dentistry veterinary surveying architecture planning law policing firefighting`)

// Names of the agency's candidates: 25 × 20 distinct people.
var (
	cellGiven  = strings.Fields("Aisha Bruno Chen Dmitri Elena Farah Gustavo Hana Ivan Jamal Keiko Liam Mei Nadia Omar Priya Quinn Rosa Sanjay Tomas Uma Viktor Wen Yusuf Zara")
	cellFamily = strings.Fields("Abbott Baptiste Castillo Dubois Eriksen Fontaine Gallagher Haddad Ibarra Jovanovic Kowalski Lindqvist Moreau Nakamura Okafor Petrov Quintero Rahman Schulz Tanaka")
)

// TestAnalyse_agency_phone_versus_facilitator_personas is issue 16's
// done-when test through the scan path: 500 applicants one recruiting
// agency submitted with its own phone (and its résumé template) do not
// become a cell, while a facilitator's ten personas sharing a phone
// written three ways, a résumé template and a payout account do, with the
// matched identifiers as typed links.
//
// With 30 candidates (fewer than the largest cell) the agency's phone is
// not dropped as infrastructure: the agency rule keeps them apart.
func TestAnalyse_agency_phone_versus_facilitator_personas(t *testing.T) {
	for _, n := range []int{500, 30} {
		t.Run(fmt.Sprintf("agency_of_%d", n), func(t *testing.T) { agencyVersusFacilitator(t, n) })
	}
}

func agencyVersusFacilitator(t *testing.T, agency int) {
	var events []*event.Event
	rec := 0
	candidate := func(a event.Applicant) {
		rec++
		a.CreatedAt = cellsT0.AddDate(0, -2, 0)
		events = append(events, &event.Event{Kind: event.KindApplicant, Time: a.CreatedAt, Applicant: &a,
			Prov: event.Provenance{Origin: &event.Origin{Source: "greenhouse", File: "candidates.json"}, Record: rec, ID: a.CandidateID}})
	}
	resume := func(candidateID, text string) {
		rec++
		events = append(events, &event.Event{Kind: event.KindResume, Time: cellsT0.AddDate(0, -2, 0),
			Resume: &event.Resume{CandidateID: candidateID, Text: text},
			Prov:   event.Provenance{Origin: &event.Origin{Source: "resumes", File: "resumes/" + candidateID + ".txt"}, Record: 1}})
	}
	rng := rand.New(rand.NewPCG(16, 4))
	for i := range agency {
		id := fmt.Sprintf("7%04d", i)
		given, family := cellGiven[i%len(cellGiven)], cellFamily[(i/len(cellGiven))%len(cellFamily)]
		candidate(event.Applicant{CandidateID: id, Name: given + " " + family,
			Emails: []string{fmt.Sprintf("%s.%s%d@mail.example", strings.ToLower(given), strings.ToLower(family), i)},
			Phones: []string{"+1 646 555 0199"}, Tags: []string{"Agency: BrightPath Staffing"},
			Applications: []event.Application{{ID: id + "1", Source: "BrightPath Staffing (Agency)", Jobs: []string{"Engineer"}}}})
		own := make([]string, 80)
		for j := range own {
			own[j] = agencyWords[rng.IntN(len(agencyWords))]
		}
		resume(id, "BrightPath Staffing presents this candidate for your consideration. Please contact BrightPath Staffing "+
			"for interviews and references. "+strings.Join(own, " ")+" BrightPath Staffing confidential submission.")
	}
	phones := []string{"+1 (415) 555-0123", "415.555.0123", "14155550123"}
	var personas []string
	for i := range 10 {
		id := fmt.Sprintf("E9%02d", i)
		personas = append(personas, id)
		name := fmt.Sprintf("Persona%d Facilitated%d", i, i)
		email := fmt.Sprintf("persona%d@corp.example", i)
		rec++
		events = append(events, &event.Event{Kind: event.KindPerson, Time: cellsT0,
			Prov: event.Provenance{Origin: &event.Origin{Source: "scim", File: "roster.json"}, Record: rec, ID: "u-" + id},
			Person: &event.Person{EmployeeID: id, SCIMID: "u-" + id, UserName: email, Name: name, Emails: []string{email},
				Phones: []string{phones[i%3]}, Active: true, Created: cellsT0,
				Addresses: []event.Address{{Type: "home", Street: fmt.Sprintf("%d Elm St", 100+i), Locality: "Austin", PostalCode: "78701", Country: "US"}}}})
		cid := fmt.Sprintf("8%04d", i)
		candidate(event.Applicant{CandidateID: cid, Name: name, Emails: []string{email}, Phones: []string{phones[(i+1)%3]},
			Applications: []event.Application{{ID: cid + "1", Source: "LinkedIn", Status: "hired", Jobs: []string{"Engineer"}}}})
		resume(cid, name+"\n"+facilitatorResume)
		rec++
		events = append(events, &event.Event{Kind: event.KindPayout, Time: cellsT0,
			Prov:   event.Provenance{Origin: &event.Origin{Source: "payroll", File: "payroll.csv"}, Record: rec},
			Payout: &event.Payout{EmployeeID: id, EffectiveDate: cellsT0, Method: "bank", AccountFingerprint: "facilitator-account", PayeeName: name}})
	}

	res, err := Analyse(context.Background(), events, Options{Now: cellsT0.AddDate(0, 1, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Clusters) != 1 {
		var got []string
		for _, c := range res.Clusters {
			got = append(got, fmt.Sprint(c.Members))
		}
		t.Fatalf("got %d cells, want the personas' one: %v", len(res.Clusters), got)
	}
	cell := res.Clusters[0]
	if !slices.Equal(cell.Members, personas) {
		t.Errorf("cell members = %v, want the ten personas %v", cell.Members, personas)
	}
	kinds := map[string]bool{}
	for _, l := range cell.Links {
		kinds[l.Kind] = true
	}
	for _, k := range []string{"bank_account", "phone", "resume"} {
		if !kinds[k] {
			t.Errorf("cell links %v: no %s link", kinds, k)
		}
	}
	if res.Pop.Linked == nil || len(res.Pop.Linked.Pairs) == 0 {
		t.Fatal("the engine stored no entity-resolution result on the population")
	}
	for _, lp := range res.Pop.Linked.Pairs {
		if strings.HasPrefix(lp.A, "cand-7") && strings.HasPrefix(lp.B, "cand-7") && lp.Has("resume") {
			t.Errorf("two agency candidates linked on the agency's résumé template: %+v", lp)
		}
	}
}
