package hiring

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/enrich/resume"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/geo"
	"github.com/rollcall/rollcall/internal/profile"
)

// OverseasEducation is APP-02: a person who claims to live in one country
// and whose résumé places every school in other countries. It is weak and
// fairness-sensitive: it compares documents with the claimed residence
// only, never with a name, nationality or language, and the scoring
// policy never lets it lift anyone above low on its own.
type OverseasEducation struct{}

var _ detect.PersonScoped = (*OverseasEducation)(nil)

// ID implements detect.Indicator.
func (*OverseasEducation) ID() string { return "APP-02" }

// Name implements detect.Indicator.
func (*OverseasEducation) Name() string {
	return "Claimed home country with education only abroad"
}

// Stage implements detect.Indicator.
func (*OverseasEducation) Stage() detect.Stage { return detect.StageHiring }

// Strength implements detect.Indicator.
func (*OverseasEducation) Strength() detect.Strength { return detect.Weak }

// Sources implements detect.Indicator: the format that carries the
// observable (the roster and candidate records it is read against are
// needed by every indicator).
func (*OverseasEducation) Sources() []string { return []string{"resumes"} }

// Weight implements detect.Indicator.
func (*OverseasEducation) Weight() float64 { return 8 }

// Description implements detect.Indicator.
func (*OverseasEducation) Description() string {
	return "The person claims to live in one country (roster home address, or the country on their candidate addresses) " +
		"and every school in the Education section of their résumé is placed in another country — by a city, a country, a " +
		"US state or a well-known institution named on the school's line. Operatives posing as US residents have presented " +
		"degrees from schools abroad only. This is a WEAK, FAIRNESS-SENSITIVE signal: immigrants, international graduates " +
		"and people who moved for work are by far the commonest reason, so it only adds a little weight to stronger " +
		"evidence and can never raise anyone above low on its own. It compares the résumé with the claimed residence only — " +
		"never with a name, nationality, ethnicity or language. It stays quiet when any school is in the claimed country, " +
		"when any school cannot be placed, when the education section is missing, or when the claimed residence is unknown."
}

// References implements detect.Indicator.
func (*OverseasEducation) References() []string {
	return []string{
		"Mandiant (Google Cloud), Staying a Step Ahead: Mitigating the DPRK IT Worker Threat, Sept 2024 (claimed US residents with education abroad, via press coverage)",
		"US Department of State, Treasury and FBI, Guidance on the DPRK Information Technology Workers, 16 May 2022",
	}
}

// Detect implements detect.Indicator.
func (d *OverseasEducation) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	return detect.EachPerson(ctx, in, "APP-02", d.check)
}

func (d *OverseasEducation) check(p *profile.Person) (detect.Finding, bool) {
	if len(p.Resumes) == 0 {
		return detect.Finding{}, false
	}
	home := claimedCountry(p)
	if home == "" {
		return detect.Finding{}, false
	}
	type placed struct {
		school resume.School
		doc    *event.Event
	}
	var schools []placed
	for _, e := range p.Resumes {
		for _, s := range resume.Schools(e.Resume.Text) {
			if s.Country == "" || s.Country == home {
				return detect.Finding{}, false // unplaceable or domestic: no claim of "abroad only"
			}
			schools = append(schools, placed{s, e})
		}
	}
	if len(schools) == 0 {
		return detect.Finding{}, false
	}
	var names []string
	var ev []detect.Evidence
	if src := claimSource(p); src != nil {
		ev = append(ev, detect.EvidenceOf(src, "%s gives a home in %s", recordLabel(src), countryName(home)))
	}
	for _, s := range schools {
		names = append(names, fmt.Sprintf("%q (%s, from %q)", clipLine(s.school.Line), countryName(s.school.Country), s.school.Clue))
		ev = append(ev, detect.EvidenceOf(s.doc, "education section of résumé %s lists %q, placed in %s by %q",
			resumeName(s.doc), clipLine(s.school.Line), countryName(s.school.Country), s.school.Clue))
	}
	summary := fmt.Sprintf("claims a home in %s; every school on the résumé is abroad: %s (weak, fairness-sensitive: "+
		"only corroborates stronger evidence)", countryName(home), strings.Join(names, "; "))
	if len(ev) > detect.MaxEvidence {
		summary += fmt.Sprintf(" (%d records in all; the first %d cited)", len(ev), detect.MaxEvidence)
		ev = ev[:detect.MaxEvidence]
	}
	return detect.Finding{Indicator: d.ID(), Person: p.ID, Summary: summary, Evidence: ev}, true
}

// countryName shows a country code with its name: "China (CN)".
func countryName(code string) string {
	if c, ok := geo.ByAlpha2(code); ok {
		return c.Name + " (" + code + ")"
	}
	return code
}

// clipLine shortens a résumé line for a summary.
func clipLine(s string) string {
	const limit = 90
	if len(s) <= limit {
		return s
	}
	cut := strings.LastIndexByte(s[:limit], ' ')
	if cut < limit/2 {
		cut = limit
	}
	return strings.ToValidUTF8(s[:cut], "") + " …"
}

// Examples implements detect.Indicator: a candidate claiming a Dallas home
// whose résumé lists only schools in China; and an immigrant engineer with
// a bachelor's degree from India and a master's from a US university.
func (*OverseasEducation) Examples() detect.Examples {
	applied := exampleTime.AddDate(0, -1, 0)
	return detect.Examples{
		Positive: detect.Example{
			Name: "us_home_schools_only_abroad",
			Events: []*event.Event{
				candidateRecord(1, event.Applicant{CandidateID: "3101", Name: "Kevin Tran", Addresses: []string{"4100 Live Oak St, Dallas, TX 75204, USA"},
					Applications: []event.Application{{ID: "8101", AppliedAt: applied, Jobs: []string{"Senior DevOps Engineer"}}}}),
				resumeRecord("3101", "Kevin Tran\nSenior DevOps Engineer\n\nExperience\nLead DevOps Engineer, Redline Logistics, 2016 - 2024\n\n"+
					"Education\nB.Eng. Computer Science, Dalian University of Technology, Dalian, China\n"+
					"M.Sc. Software Engineering, Shenyang Aerospace University, China\n", time.Time{}),
			},
			Person: profile.ApplicantIDPrefix + "3101",
		},
		Negative: detect.Example{
			Name: "immigrant_with_a_us_degree",
			Events: []*event.Event{
				candidateRecord(1, event.Applicant{CandidateID: "3102", Name: "Priya Raman", Addresses: []string{"2200 Guadalupe St, Austin, TX 78705, USA"},
					Applications: []event.Application{{ID: "8102", AppliedAt: applied, Jobs: []string{"Backend Engineer"}}}}),
				resumeRecord("3102", "Priya Raman\nBackend engineer\n\nEducation\nB.Tech. Computer Science, Indian Institute of Technology, Madras\n"+
					"M.S. Computer Science, The University of Texas at Austin\n", time.Time{}),
			},
			Person: profile.ApplicantIDPrefix + "3102",
		},
	}
}

// PersonScoped implements detect.PersonScoped: a finding about a person
// depends on that person's own model alone.
func (d *OverseasEducation) PersonScoped() {}
