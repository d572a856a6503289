package hiring

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/enrich/resume"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// TechAnachronism is APP-03: a résumé claims more years with a technology
// than the technology had existed when the résumé was sent.
type TechAnachronism struct{}

var _ detect.Indicator = (*TechAnachronism)(nil)

// ID implements detect.Indicator.
func (*TechAnachronism) ID() string { return "APP-03" }

// Name implements detect.Indicator.
func (*TechAnachronism) Name() string {
	return "Résumé claims more years with a technology than it has existed"
}

// Stage implements detect.Indicator.
func (*TechAnachronism) Stage() detect.Stage { return detect.StageHiring }

// Strength implements detect.Indicator.
func (*TechAnachronism) Strength() detect.Strength { return detect.Medium }

// Sources implements detect.Indicator.
func (*TechAnachronism) Sources() []string { return []string{"resumes"} }

// Weight implements detect.Indicator.
func (*TechAnachronism) Weight() float64 { return 28 }

// Thresholds: one claim this many years beyond what was possible, or
// anachronisms with several technologies each at least anachronismMin
// beyond.
const (
	anachronismStrong = 2.0
	anachronismMin    = 1.0
)

// Description implements detect.Indicator.
func (*TechAnachronism) Description() string {
	return "A résumé claims more years of experience with a technology (\"12 years of Kubernetes\", \"Go (8 years)\", " +
		"\"Docker since 2010\") than the technology had been public when the résumé was sent. Fabricated résumés are " +
		"assembled from job ads without regard to when the tools appeared. Release dates come from rollcall's documented " +
		"table (internal/enrich/resume/technologies.csv), each with its source, and use the earliest public release " +
		"(open-sourcing, public beta) so that early adopters are not flagged; the résumé is dated by the latest of its " +
		"document date and the candidate's application dates, the most lenient reading. Only a number written right " +
		"before or after the technology counts (\"8 years of Java, Kotlin and Go\" says nothing about Go). Fires on one " +
		"claim at least 2 years beyond what was possible, or on claims about two or more technologies each at least a " +
		"year beyond. Known false positives: typos (\"15\" for \"5\"); people who used a technology inside the company " +
		"that built it before its public release (React at Facebook, Kubernetes' predecessor Borg at Google); a " +
		"predecessor counted under its successor's name; career length written next to a skill."
}

// References implements detect.Indicator.
func (*TechAnachronism) References() []string {
	return []string{
		"DTEX Systems, i3 threat advisory on DPRK IT workers (résumés claiming experience longer than the technology has existed)",
		"US Department of State, Treasury and FBI, Guidance on the DPRK Information Technology Workers, 16 May 2022 (fabricated résumés)",
	}
}

// anachronism is one impossible claim in one résumé.
type anachronism struct {
	claim  resume.Claim
	excess float64
	doc    *event.Event
	ref    time.Time
}

// Detect implements detect.Indicator.
func (d *TechAnachronism) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	var out []detect.Finding
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("APP-03: %w", err)
		}
		var found []anachronism
		for _, e := range p.Resumes {
			ref := resumeDate(p, e, in.Now)
			for _, c := range resume.Claims(e.Resume.Text) {
				if x := c.Excess(ref); x >= anachronismMin {
					found = append(found, anachronism{claim: c, excess: x, doc: e, ref: ref})
				}
			}
		}
		if f, ok := d.finding(p, found); ok {
			out = append(out, f)
		}
	}
	return out, nil
}

// resumeDate is the date a résumé's claims are read at: the latest of its
// document date and the candidate's application dates (the most lenient
// reading); now when neither is known.
func resumeDate(p *profile.Person, doc *event.Event, now time.Time) time.Time {
	ref := applied(p, false)
	if doc.Time.After(ref) {
		ref = doc.Time
	}
	if ref.IsZero() || ref.After(now) && !now.IsZero() {
		return now
	}
	return ref
}

func (d *TechAnachronism) finding(p *profile.Person, found []anachronism) (detect.Finding, bool) {
	if len(found) == 0 {
		return detect.Finding{}, false
	}
	slices.SortStableFunc(found, func(a, b anachronism) int {
		switch {
		case a.excess > b.excess:
			return -1
		case a.excess < b.excess:
			return 1
		}
		return 0
	})
	var techs []string
	for _, a := range found {
		if !slices.Contains(techs, a.claim.Technology.Name) {
			techs = append(techs, a.claim.Technology.Name)
		}
	}
	if found[0].excess < anachronismStrong && len(techs) < 2 {
		return detect.Finding{}, false
	}
	conf := 0.7
	if found[0].excess >= 3 || len(techs) >= 2 {
		conf = 1
	}
	var parts []string
	var ev []detect.Evidence
	for _, a := range found {
		c := a.claim
		what := fmt.Sprintf("%q, but %s was first public in %s, %.1f years before %s", c.Text, c.Technology.Name,
			monthYear(c.Technology.FirstPublic), c.Existed(a.ref), a.ref.Format("2006-01-02"))
		if c.Since > 0 {
			what = fmt.Sprintf("%q, but %s was first public in %s", c.Text, c.Technology.Name, monthYear(c.Technology.FirstPublic))
		}
		parts = append(parts, what)
		ev = append(ev, detect.EvidenceOf(a.doc, "résumé %s claims %s (%.1f years too many; date source: %s)",
			resumeName(a.doc), what, a.excess, c.Technology.Source))
	}
	summary := fmt.Sprintf("résumé claims more experience than possible with %s: %s", strings.Join(techs, ", "), strings.Join(parts, "; "))
	if len(ev) > detect.MaxEvidence {
		summary += fmt.Sprintf(" (%d claims in all; the first %d cited)", len(ev), detect.MaxEvidence)
		ev = ev[:detect.MaxEvidence]
	}
	return detect.Finding{Indicator: d.ID(), Person: p.ID, Summary: summary, Confidence: conf, Evidence: ev}, true
}

// Examples implements detect.Indicator: a DevOps candidate claiming
// thirteen years of Kubernetes in 2025; and an engineer whose "8 years" is a career
// length written before a list that includes a young technology.
func (*TechAnachronism) Examples() detect.Examples {
	applied := time.Date(2025, 2, 10, 15, 0, 0, 0, time.UTC)
	return detect.Examples{
		Positive: detect.Example{
			Name: "twelve_years_of_kubernetes_in_2025",
			Events: []*event.Event{
				candidateRecord(1, event.Applicant{CandidateID: "3201", Name: "Kevin Tran",
					Applications: []event.Application{{ID: "8201", AppliedAt: applied, Jobs: []string{"Senior DevOps Engineer"}}}}),
				resumeRecord("3201", "Kevin Tran\nSenior DevOps Engineer\n\nSummary\nDevOps engineer with 13+ years of Kubernetes experience "+
					"and 12 years of Terraform in production.\n", time.Time{}),
			},
			Person: profile.ApplicantIDPrefix + "3201",
		},
		Negative: detect.Example{
			Name: "career_length_before_a_skill_list",
			Events: []*event.Event{
				candidateRecord(1, event.Applicant{CandidateID: "3202", Name: "Hannah Weiss",
					Applications: []event.Application{{ID: "8202", AppliedAt: applied, Jobs: []string{"Frontend Engineer"}}}}),
				resumeRecord("3202", "Hannah Weiss\nFrontend engineer with 14 years of experience in web development with React, "+
					"Svelte and Next.js.\nSkills\nReact (7 years), TypeScript (9 years)\n", time.Time{}),
			},
			Person: profile.ApplicantIDPrefix + "3202",
		},
	}
}
