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
	"github.com/rollcall/rollcall/internal/identity"
	"github.com/rollcall/rollcall/internal/profile"
)

// TemplatedResume is APP-04: résumés of different people that are nearly
// the same text once the boilerplate every résumé shares is set aside.
type TemplatedResume struct{}

var _ detect.Indicator = (*TemplatedResume)(nil)

// ID implements detect.Indicator.
func (*TemplatedResume) ID() string { return "APP-04" }

// Name implements detect.Indicator.
func (*TemplatedResume) Name() string {
	return "Résumé nearly identical to another applicant's"
}

// Stage implements detect.Indicator.
func (*TemplatedResume) Stage() detect.Stage { return detect.StageHiring }

// Strength implements detect.Indicator.
func (*TemplatedResume) Strength() detect.Strength { return detect.Medium }

// Sources implements detect.Indicator.
func (*TemplatedResume) Sources() []string { return []string{"resumes"} }

// Weight implements detect.Indicator.
func (*TemplatedResume) Weight() float64 { return 30 }

// strongCopy is the similarity from which a pair is a near-verbatim copy
// (full confidence); pairs between the detection threshold and it get
// partial confidence.
const strongCopy = 0.7

// Description implements detect.Indicator.
func (*TemplatedResume) Description() string {
	return "The résumé is nearly the same text as the résumé of another, differently named person: operators produce " +
		"personas from one template, changing the name, contacts and employers. Documents are compared on 4-word shingles " +
		"(MinHash and LSH, then the exact Jaccard similarity); shingles held by more than 1% of all résumés in the scan " +
		"(at least 20) are boilerplate — section headings, résumé-builder layouts, AI and job-board stock phrases — and are " +
		"ignored, and a pair must share at least 30 distinctive shingles with a similarity of 0.4 or more (full confidence " +
		"from 0.7). The evidence shows the longest shared passages side by side. Known false positives: the same person " +
		"applying under two candidate records (ignored when the names match); candidates who copied the same public sample " +
		"résumé or bootcamp project write-up; several candidates pasting the same job description into their résumés; " +
		"an agency submitting one résumé for two people by mistake."
}

// References implements detect.Indicator.
func (*TemplatedResume) References() []string {
	return []string{
		"US Department of State, Treasury and FBI, Guidance on the DPRK Information Technology Workers, 16 May 2022 (fabricated and shared résumé material)",
		"Mandiant (Google Cloud), Staying a Step Ahead: Mitigating the DPRK IT Worker Threat, Sept 2024 (résumés reused across personas)",
	}
}

// copyOf is one near-duplicate of one of a person's résumés.
type copyOf struct {
	mine, theirs *event.Event
	other        *profile.Person
	pair         resume.Pair
}

// Detect implements detect.Indicator.
func (d *TemplatedResume) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	var (
		docs   []*event.Event
		owners []*profile.Person
		texts  []string
	)
	for _, p := range in.Pop.People {
		for _, e := range p.Resumes {
			docs = append(docs, e)
			owners = append(owners, p)
			texts = append(texts, e.Resume.Text)
		}
	}
	if len(docs) < 2 {
		return nil, nil
	}
	pairs, _, err := resume.NearDuplicates(ctx, texts, resume.DefaultOptions())
	if err != nil {
		return nil, fmt.Errorf("APP-04: %w", err)
	}
	copies := map[*profile.Person][]copyOf{}
	for _, pr := range pairs {
		a, b := owners[pr.A], owners[pr.B]
		if a == b || identity.SameName(a.Name, b.Name) {
			continue // one person's résumés, or the same person under two records
		}
		copies[a] = append(copies[a], copyOf{mine: docs[pr.A], theirs: docs[pr.B], other: b, pair: pr})
		swapped := pr
		swapped.Passages = make([]resume.Passage, len(pr.Passages))
		for i, ps := range pr.Passages {
			swapped.Passages[i] = resume.Passage{A: ps.B, B: ps.A, Words: ps.Words}
		}
		copies[b] = append(copies[b], copyOf{mine: docs[pr.B], theirs: docs[pr.A], other: a, pair: swapped})
	}
	var out []detect.Finding
	for _, p := range in.Pop.People {
		if cs := copies[p]; len(cs) > 0 {
			out = append(out, d.finding(p, cs))
		}
	}
	return out, nil
}

func (d *TemplatedResume) finding(p *profile.Person, cs []copyOf) detect.Finding {
	slices.SortStableFunc(cs, func(x, y copyOf) int {
		switch {
		case x.pair.Jaccard > y.pair.Jaccard:
			return -1
		case x.pair.Jaccard < y.pair.Jaccard:
			return 1
		}
		return strings.Compare(x.other.ID, y.other.ID)
	})
	var (
		related, others []string
		ev              []detect.Evidence
	)
	conf := 0.7
	for _, c := range cs {
		if c.pair.Jaccard >= strongCopy {
			conf = 1
		}
		if !slices.Contains(related, c.other.ID) {
			related = append(related, c.other.ID)
			others = append(others, fmt.Sprintf("%s (similarity %.2f, %d distinctive 4-word sequences shared)",
				c.other.Label(), c.pair.Jaccard, c.pair.Shared))
		}
		if len(c.pair.Passages) == 0 {
			ev = append(ev,
				detect.EvidenceOf(c.mine, "résumé %s is nearly the same text as the résumé of %s", resumeName(c.mine), c.other.Label()),
				detect.EvidenceOf(c.theirs, "résumé %s of %s", resumeName(c.theirs), c.other.Label()))
			continue
		}
		for _, ps := range c.pair.Passages {
			ev = append(ev,
				detect.EvidenceOf(c.mine, "résumé %s, %d-word passage shared with %s: “%s”", resumeName(c.mine), ps.Words, c.other.Label(), ps.A),
				detect.EvidenceOf(c.theirs, "résumé %s of %s, the same passage: “%s”", resumeName(c.theirs), c.other.Label(), ps.B))
		}
	}
	slices.Sort(related)
	summary := fmt.Sprintf("résumé is nearly the same text as the résumé of %d other %s: %s",
		len(others), detect.Plural(len(others), "person", "people"), strings.Join(others, "; "))
	if len(ev) > detect.MaxEvidence {
		summary += fmt.Sprintf(" (%d passages in all; the first %d cited)", len(ev), detect.MaxEvidence)
		ev = ev[:detect.MaxEvidence]
	}
	return detect.Finding{Indicator: d.ID(), Person: p.ID, Summary: summary, Confidence: conf, Evidence: ev, Related: related}
}

// templateBody is a persona résumé whose name and employer vary.
func templateBody(name, employer string) string {
	return name + "\nSenior Full-Stack Engineer\n\nSummary\n" +
		"Full-stack engineer who has shipped fintech and logistics platforms end to end, from React front ends to " +
		"event-driven Node.js services on AWS. Comfortable owning features from the first customer call to production " +
		"monitoring, and mentoring junior developers through code review and pairing.\n\n" +
		"Experience\nSenior Software Engineer, " + employer + ", 2019 - 2024\n" +
		"- Rebuilt the merchant onboarding flow in React and TypeScript, lifting completed sign-ups by a third.\n" +
		"- Designed a webhook delivery service on AWS Lambda and SQS that retries failed deliveries with exponential back-off.\n" +
		"- Cut the monthly cloud bill by moving nightly reconciliation jobs from EC2 instances to Fargate tasks.\n"
}

// Examples implements detect.Indicator: two candidates whose résumés are
// one template with the names and employers changed; and two candidates
// whose résumés share a builder's headings and a stock sentence only.
func (*TemplatedResume) Examples() detect.Examples {
	applied := exampleTime.AddDate(0, -1, 0)
	apps := func(id string) []event.Application {
		return []event.Application{{ID: id, AppliedAt: applied, Jobs: []string{"Senior Full-Stack Engineer"}}}
	}
	return detect.Examples{
		Positive: detect.Example{
			Name: "two_personas_one_template",
			Events: []*event.Event{
				candidateRecord(1, event.Applicant{CandidateID: "3301", Name: "Daniel Brooks", Applications: apps("8301")}),
				candidateRecord(2, event.Applicant{CandidateID: "3302", Name: "Samuel Okafor", Applications: apps("8302")}),
				resumeRecord("3301", templateBody("Daniel Brooks", "Northwind Payments"), time.Time{}),
				resumeRecord("3302", templateBody("Samuel Okafor", "Bluefin Freight"), time.Time{}),
			},
			Person: profile.ApplicantIDPrefix + "3301",
		},
		Negative: detect.Example{
			Name: "same_builder_template_different_careers",
			Events: []*event.Event{
				candidateRecord(1, event.Applicant{CandidateID: "3303", Name: "Hannah Weiss", Applications: apps("8303")}),
				candidateRecord(2, event.Applicant{CandidateID: "3304", Name: "Omar Haddad", Applications: apps("8304")}),
				resumeRecord("3303", "Hannah Weiss\nPROFESSIONAL SUMMARY\nResults-driven software engineer with a passion for building "+
					"scalable, reliable and secure systems.\nWORK EXPERIENCE\nBackend Engineer, Cascade Health, 2018 - 2024\n"+
					"- Moved claims adjudication from a nightly mainframe batch to a Kafka pipeline processing two million events a day.\n"+
					"- Wrote the HIPAA audit logging library every service in the company now uses.\nEDUCATION\nB.S. Computer Science, University of Washington\n", time.Time{}),
				resumeRecord("3304", "Omar Haddad\nPROFESSIONAL SUMMARY\nResults-driven software engineer with a passion for building "+
					"scalable, reliable and secure systems.\nWORK EXPERIENCE\nAndroid Developer, Tidewater Bank, 2017 - 2024\n"+
					"- Led the rewrite of the mobile banking app in Kotlin and Jetpack Compose for four million customers.\n"+
					"- Added offline cheque capture that works on low-end devices without a network connection.\nEDUCATION\nB.Eng. Software Engineering, University of Michigan\n", time.Time{}),
			},
			Person: profile.ApplicantIDPrefix + "3303",
		},
	}
}
