package hiring

import (
	"path"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// What the résumé and code-host-profile indicators (APP-02, APP-03,
// APP-04, APP-06, APP-07) share: when a person applied, where they claim to
// live, and builders for their examples.

// claimedCountry is where a person claims to live (profile.Person.ClaimedCountry).
func claimedCountry(p *profile.Person) string { return p.ClaimedCountry() }

// claimSource is the record that states the person's claimed home.
func claimSource(p *profile.Person) *event.Event {
	if p.Country() != "" {
		return p.Roster
	}
	for _, e := range p.Applicants {
		if len(e.Applicant.Addresses) > 0 {
			return e
		}
	}
	return nil
}

// applied returns when the person applied: the earliest application (or
// candidate record) date when first is set, else the latest; for an
// employee without candidate records, the hire date; the zero time when
// nothing says.
func applied(p *profile.Person, first bool) time.Time {
	var out time.Time
	better := func(t time.Time) {
		if t.IsZero() {
			return
		}
		if out.IsZero() || first && t.Before(out) || !first && t.After(out) {
			out = t
		}
	}
	for _, e := range p.Applicants {
		a := e.Applicant
		better(a.CreatedAt)
		for _, app := range a.Applications {
			better(app.AppliedAt)
		}
	}
	if out.IsZero() {
		out = p.Hired()
	}
	return out
}

// resumeName names a résumé for evidence: its file name.
func resumeName(e *event.Event) string { return path.Base(strings.ReplaceAll(e.Prov.File(), `\`, "/")) }

// monthYear shows a date as "June 2014".
func monthYear(t time.Time) string { return t.Format("January 2006") }

const (
	exampleResumeDir   = "examples/resumes"
	exampleProfileFile = "examples/github-users.json"
)

// resumeRecord is a résumé document as the resumes adapter emits it.
func resumeRecord(candidateID, text string, date time.Time) *event.Event {
	return &event.Event{
		Kind:   event.KindResume,
		Time:   date,
		Prov:   event.Provenance{Origin: &event.Origin{Source: "resumes", File: exampleResumeDir + "/" + candidateID + ".txt"}, Record: 1, ID: candidateID},
		Resume: &event.Resume{CandidateID: candidateID, Text: text},
	}
}

// profileRecord is a GitHub user as the github-users adapter emits it.
func profileRecord(record int, pr event.Profile) *event.Event {
	t := pr.UpdatedAt
	if t.IsZero() {
		t = pr.CreatedAt
	}
	return &event.Event{
		Kind:    event.KindProfile,
		Time:    t,
		Prov:    event.Provenance{Origin: &event.Origin{Source: "github-users", File: exampleProfileFile}, Record: record},
		Account: &event.Actor{Login: pr.Login, Email: pr.Email, DisplayName: pr.Name},
		Profile: &pr,
	}
}
