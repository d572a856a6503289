package hiring

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// StaffingContext is APP-16: the person works here through a staffing
// firm or as a contractor. The catalogue calls this a context multiplier,
// not an indicator: most contractors are exactly who they say, but the
// schemes route operatives through staffing firms and contractor
// arrangements because those vet less. It is implemented as a context
// finding with a token weight (2 points, catalogue strength L, so weak):
// it shows in the report beside the person's other findings, tells the
// analyst whom to ask about vetting, and can never raise anyone's level on
// its own. A cleaner hook — a detect.Context interface whose findings the
// scorer multiplies into the person's corroborated score instead of adding
// points — is proposed in the change note; this form needs no scoring
// change.
type StaffingContext struct{}

var _ detect.Indicator = (*StaffingContext)(nil)

// ID implements detect.Indicator.
func (*StaffingContext) ID() string { return "APP-16" }

// Name implements detect.Indicator.
func (*StaffingContext) Name() string {
	return "Works here through a staffing firm or as a contractor (context)"
}

// Stage implements detect.Indicator.
func (*StaffingContext) Stage() detect.Stage { return detect.StageHiring }

// Strength implements detect.Indicator.
func (*StaffingContext) Strength() detect.Strength { return detect.Weak }

// Sources implements detect.Indicator.
func (*StaffingContext) Sources() []string { return []string{"scim"} }

// Weight implements detect.Indicator: a token weight; this is context.
func (*StaffingContext) Weight() float64 { return 2 }

// Description implements detect.Indicator.
func (*StaffingContext) Description() string {
	return "CONTEXT, not evidence: the HR roster says the person is a contractor, contingent or agency worker " +
		"(SCIM employeeType or userType), or names an organisation other than the one most of the roster works for " +
		"(the staffing firm or employer of record). The FBI warns that DPRK IT workers are commonly placed through staffing " +
		"firms and contracting arrangements whose vetting is thinner than direct hiring; when other findings exist, ask the " +
		"firm how it verified the identity. The finding carries a token 2 points and is weak, so it never raises anyone's " +
		"level; it exists so that the report says so. Known false positives: by construction most contractors are genuine; " +
		"subsidiaries or acquired companies recorded under their own organisation name."
}

// References implements detect.Indicator.
func (*StaffingContext) References() []string {
	return []string{
		"FBI public service announcement I-051624-PSA, North Korean IT workers and US staffing companies, 16 May 2024",
		"US Department of State, Treasury and FBI, Guidance on the DPRK Information Technology Workers, 16 May 2022 (freelance and contract work)",
	}
}

// contractorType matches roster employee and user types of people who are
// not direct employees.
var contractorType = regexp.MustCompile(`(?i)contract|contingent|vendor|consult|temp\b|temporary|agency|c2c|1099|third[- ]party|supplier|freelanc|outsourc|staff aug`)

// Detect implements detect.Indicator.
func (d *StaffingContext) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	employer := dominantOrganisation(in.Pop)
	var out []detect.Finding
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("APP-16: %w", err)
		}
		hr := p.HR()
		if hr == nil {
			continue
		}
		var why []string
		for _, t := range []string{hr.EmployeeType, hr.UserType} {
			if t != "" && contractorType.MatchString(t) {
				why = append(why, fmt.Sprintf("type %q", t))
				break
			}
		}
		if org := strings.TrimSpace(hr.Organization); org != "" && employer != "" && profile.OrgKey(org) != employer {
			why = append(why, fmt.Sprintf("organisation %q (most of the roster: %q)", org, employerName(in.Pop, employer)))
		}
		if len(why) == 0 {
			continue
		}
		summary := "context: works here through a staffing firm or as a contractor (" + strings.Join(why, "; ") +
			"); check how the firm verified the identity if other findings exist"
		out = append(out, detect.Finding{Indicator: d.ID(), Person: p.ID, Summary: summary,
			Evidence: []detect.Evidence{detect.EvidenceOf(p.Roster, "roster record of %s: %s", hr.EmployeeID, strings.Join(why, "; "))}})
	}
	return out, nil
}

// dominantOrganisation is the organisation key (profile.OrgKey) that most
// roster records with an organisation name, when it is a majority of
// them; "" otherwise.
func dominantOrganisation(pop *profile.Population) string {
	counts := map[string]int{}
	total := 0
	for _, p := range pop.People {
		if hr := p.HR(); hr != nil && strings.TrimSpace(hr.Organization) != "" {
			counts[profile.OrgKey(hr.Organization)]++
			total++
		}
	}
	best, n := "", 0
	for k, c := range counts {
		if c > n || c == n && k < best {
			best, n = k, c
		}
	}
	if total < 3 || 2*n <= total {
		return ""
	}
	return best
}

// employerName is the organisation name as the roster writes it for key.
func employerName(pop *profile.Population, key string) string {
	for _, p := range pop.People {
		if hr := p.HR(); hr != nil && profile.OrgKey(hr.Organization) == key {
			return hr.Organization
		}
	}
	return key
}

// Examples implements detect.Indicator: a contractor placed by a staffing
// firm; and a direct employee of the company.
func (*StaffingContext) Examples() detect.Examples {
	staff := func(n int, id, name, org, typ string) *event.Event {
		return rosterRecord(n, event.Person{EmployeeID: id, UserName: strings.ToLower(id) + "@acme.example", Name: name, Organization: org, EmployeeType: typ})
	}
	base := []*event.Event{
		staff(1, "E3701", "Hannah Weiss", "Acme Corp", "Employee"),
		staff(2, "E3702", "Omar Haddad", "Acme Corp", "Employee"),
		staff(3, "E3703", "Ana Souza", "Acme Corp", "Employee"),
	}
	return detect.Examples{
		Positive: detect.Example{
			Name:   "contractor_through_a_staffing_firm",
			Events: append(base[:3:3], staff(4, "E3704", "Kevin Tran", "Summit Tech Staffing LLC", "Contractor")),
			Person: "E3704",
		},
		Negative: detect.Example{
			Name:   "direct_employee",
			Events: append(base[:3:3], staff(4, "E3705", "Priya Raman", "ACME Corp.", "Full-Time Employee")),
			Person: "E3705",
		},
	}
}
