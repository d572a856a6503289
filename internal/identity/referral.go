package identity

import (
	"strings"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// Referral is one application credited to an employee who referred the
// candidate: who was referred, by whom, on which record.
type Referral struct {
	Referred, Referrer *profile.Person
	Record             *event.Event // the candidate record carrying the application
	App                event.Application
}

// ReferralSource reports whether an application source is a referral
// ("Referral", "Employee Referral", "Referred by …").
func ReferralSource(source string) bool {
	s := strings.ToLower(source)
	return strings.Contains(s, "referral") || strings.Contains(s, "referred")
}

// Referrals lists every referral application in the population whose
// referrer resolves to an employee other than the referred person, in
// population order (then record and application order).
func Referrals(pop *profile.Population) []Referral {
	ix := newReferrerIndex(pop)
	var out []Referral
	for _, p := range pop.People {
		for _, e := range p.Applicants {
			for _, app := range e.Applicant.Applications {
				if !ReferralSource(app.Source) {
					continue
				}
				if r := ix.resolve(app); r != nil && r != p {
					out = append(out, Referral{Referred: p, Referrer: r, Record: e, App: app})
				}
			}
		}
	}
	return out
}

// referrerIndex finds the employee an application's referral is credited to.
type referrerIndex struct {
	byEmployeeID map[string]*profile.Person
	employees    []*profile.Person
}

func newReferrerIndex(pop *profile.Population) *referrerIndex {
	ix := &referrerIndex{byEmployeeID: map[string]*profile.Person{}}
	for _, p := range pop.People {
		if p.Kind != profile.KindEmployee {
			continue
		}
		ix.employees = append(ix.employees, p)
		ix.byEmployeeID[strings.ToLower(p.EmployeeID)] = p
	}
	return ix
}

// resolve returns the credited employee: by credited_to.employee_id, else
// by the credited name when exactly one employee has it; nil when unknown
// or ambiguous.
func (ix *referrerIndex) resolve(app event.Application) *profile.Person {
	if id := strings.ToLower(strings.TrimSpace(app.CreditedToEmployee)); id != "" {
		return ix.byEmployeeID[id]
	}
	if strings.TrimSpace(app.CreditedToName) == "" {
		return nil
	}
	var found *profile.Person
	for _, p := range ix.employees {
		if SameName(p.Name, app.CreditedToName) {
			if found != nil {
				return nil
			}
			found = p
		}
	}
	return found
}
