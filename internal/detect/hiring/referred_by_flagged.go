package hiring

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/identity"
	"github.com/rollcall/rollcall/internal/profile"
)

// ReferredByFlagged is APP-14: an application that came in as a referral
// credited to a person the first scoring pass flagged.
type ReferredByFlagged struct{}

var (
	_ detect.Indicator      = (*ReferredByFlagged)(nil)
	_ detect.ScoreDependent = (*ReferredByFlagged)(nil)
)

// ID implements detect.Indicator.
func (*ReferredByFlagged) ID() string { return "APP-14" }

// Name implements detect.Indicator.
func (*ReferredByFlagged) Name() string { return "Referred by a flagged person" }

// Stage implements detect.Indicator.
func (*ReferredByFlagged) Stage() detect.Stage { return detect.StageHiring }

// Strength implements detect.Indicator.
func (*ReferredByFlagged) Strength() detect.Strength { return detect.Strong }

// Sources implements detect.Indicator.
func (*ReferredByFlagged) Sources() []string { return []string{"greenhouse"} }

// Weight implements detect.Indicator.
func (*ReferredByFlagged) Weight() float64 { return 45 }

// NeedsScores implements detect.ScoreDependent: the indicator reads
// Input.Flagged, the people flagged by the first scoring pass.
func (*ReferredByFlagged) NeedsScores() {}

// Description implements detect.Indicator.
func (*ReferredByFlagged) Description() string {
	return "The person applied through a referral (application source such as \"Referral\" or \"Employee Referral\") " +
		"credited to an employee who is flagged (medium level or above) on other evidence. Operatives who are already " +
		"inside refer further members of their cell; referral chains inside a cell are a documented pattern. " +
		"The referrer is matched by the credited employee id, or by the credited name when exactly one employee has it. " +
		"Known false positives: the referrer's flag is itself a false positive (check the referrer first); an innocent " +
		"colleague referred by a genuinely compromised employee. This finding never stands alone: it follows the referrer's."
}

// References implements detect.Indicator.
func (*ReferredByFlagged) References() []string {
	return []string{
		"Mandiant (Google Cloud), Staying a Step Ahead: Mitigating the DPRK IT Worker Threat, Sept 2024 (operatives referring further operatives)",
		"Security Alliance (SEAL), DPRK IT Workers framework, github.com/security-alliance/frameworks",
	}
}

// Detect implements detect.Indicator.
func (d *ReferredByFlagged) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	if len(in.Flagged) == 0 {
		return nil, nil
	}
	var out []detect.Finding
	refs := identity.Referrals(in.Pop)
	for i := 0; i < len(refs); {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("APP-14: %w", err)
		}
		p := refs[i].Referred
		var (
			ev      []detect.Evidence
			related []string
			names   []string
		)
		for ; i < len(refs) && refs[i].Referred == p; i++ {
			ref := refs[i]
			r, e, app := ref.Referrer, ref.Record, ref.App
			if !in.Flagged[r.ID] {
				continue
			}
			ev = append(ev, detect.EvidenceOf(e, "%s application %s%s came in as %q credited to %s, who is flagged",
				recordLabel(e), app.ID, jobs(app), app.Source, r.Label()))
			if !slices.Contains(related, r.ID) {
				related = append(related, r.ID)
				names = append(names, r.Label())
			}
		}
		if len(ev) == 0 {
			continue
		}
		slices.Sort(related)
		if len(ev) > detect.MaxEvidence {
			ev = ev[:detect.MaxEvidence]
		}
		out = append(out, detect.Finding{
			Indicator: d.ID(),
			Person:    p.ID,
			Summary:   "referred by flagged " + strings.Join(names, ", "),
			Evidence:  ev,
			Related:   related,
		})
	}
	return out, nil
}

func jobs(app event.Application) string {
	if len(app.Jobs) == 0 {
		return ""
	}
	return " (" + strings.Join(app.Jobs, ", ") + ")"
}

// Examples implements detect.Indicator: a candidate referred by a flagged
// employee; and a candidate referred by an employee nobody flagged.
func (*ReferredByFlagged) Examples() detect.Examples {
	roster := func() []*event.Event {
		return []*event.Event{
			rosterRecord(1, event.Person{EmployeeID: "E1041", SCIMID: "u-1041", UserName: "mjensen@example.com", Name: "Marcus Jensen"}),
			rosterRecord(2, event.Person{EmployeeID: "E1077", SCIMID: "u-1077", UserName: "lortiz@example.com", Name: "Lucia Ortiz"}),
		}
	}
	return detect.Examples{
		Positive: detect.Example{
			Name: "referred_by_flagged_employee",
			Events: append(roster(), candidateRecord(1, event.Applicant{CandidateID: "3001", Name: "Ethan Cole",
				Emails: []string{"ethan.cole.dev@gmail.com"},
				Applications: []event.Application{{ID: "7001", Jobs: []string{"Senior Backend Engineer"}, Source: "Referral",
					CreditedToName: "Marcus Jensen", CreditedToEmployee: "E1041"}}})),
			Person:  profile.ApplicantIDPrefix + "3001",
			Flagged: []string{"E1041"},
		},
		Negative: detect.Example{
			Name: "referred_by_unflagged_employee",
			Events: append(roster(), candidateRecord(1, event.Applicant{CandidateID: "3002", Name: "Hannah Weiss",
				Emails: []string{"hannah.weiss@gmail.com"},
				Applications: []event.Application{{ID: "7002", Jobs: []string{"Data Engineer"}, Source: "Employee Referral",
					CreditedToName: "Lucia Ortiz", CreditedToEmployee: "E1077"}}})),
			Person:  profile.ApplicantIDPrefix + "3002",
			Flagged: []string{"E1041"},
		},
	}
}
