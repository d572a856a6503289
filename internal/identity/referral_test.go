package identity

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

// TestReferrals: a referral resolves to the credited employee by employee
// id, else by a name exactly one employee has; an ambiguous name, an
// unknown referrer, a self-referral and a non-referral source resolve to
// nothing.
func TestReferrals(t *testing.T) {
	applying := func(id, name string, apps ...event.Application) *event.Event {
		e := applicantEvent(id, name, id+"@mail.example", "")
		e.Applicant.Phones = nil
		e.Applicant.Applications = apps
		return e
	}
	events := []*event.Event{
		rosterEvent("E1", "Ana Lima", "ana@corp.example", ""),
		rosterEvent("E2", "Sam Ortiz", "sam.o@corp.example", ""),
		rosterEvent("E3", "Sam Ortiz", "sam.ortiz@corp.example", ""),
		applying("101", "Kim Park", event.Application{ID: "a1", Source: "Employee Referral", CreditedToEmployee: "e1"}),
		applying("102", "Lee Chan", event.Application{ID: "a2", Source: "Referral", CreditedToName: "ana lima"}),
		applying("103", "Joe Bell", event.Application{ID: "a3", Source: "Referral", CreditedToName: "Sam Ortiz"}),
		applying("104", "Eva Roth", event.Application{ID: "a4", Source: "Referral", CreditedToEmployee: "E404"}),
		applying("105", "Ivo Mraz", event.Application{ID: "a5", Source: "LinkedIn", CreditedToEmployee: "E1"}),
	}
	for _, e := range events {
		if e.Person != nil {
			e.Person.Phones = nil
		}
	}
	var got []string
	for _, r := range Referrals(Resolve(events)) {
		got = append(got, r.Referred.ID+" <- "+r.Referrer.ID+" ("+r.App.ID+")")
	}
	want := []string{"cand-101 <- E1 (a1)", "cand-102 <- E1 (a2)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Referrals (-want +got):\n%s", diff)
	}
}
