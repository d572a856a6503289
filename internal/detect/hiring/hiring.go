// Package hiring holds the indicators of the applicant / hiring stage
// (catalogue section "Applicant / hiring"): evidence in applicant-tracking
// records (Greenhouse candidates and their applications) and the HR roster
// records they become. One file per indicator; this file holds what they
// share: reading applicant records and their application sources.
package hiring

import (
	"strings"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// candidateName is the name on a candidate record.
func candidateName(a *event.Applicant) string {
	if strings.TrimSpace(a.Name) != "" {
		return a.Name
	}
	return strings.TrimSpace(a.FirstName + " " + a.LastName)
}

// recordLabel names a roster or candidate record for evidence summaries.
func recordLabel(e *event.Event) string {
	switch {
	case e.Applicant != nil:
		return "candidate " + e.Applicant.CandidateID
	case e.Person != nil:
		return "roster record of " + e.Person.EmployeeID
	}
	return "record"
}

// agencySource reports whether an application source names an agency
// (profile.AgencySource).
func agencySource(source string) bool { return profile.AgencySource(source) }

// emailOfSource reports whether an email address belongs to the
// organisation an application source names: jobs@talentbridge.co.uk and
// the source "TalentBridge" (an agency whose source name does not say so).
func emailOfSource(email, source string) bool {
	at := strings.LastIndexByte(email, '@')
	if at < 0 || source == "" {
		return false
	}
	labels := strings.Split(strings.ToLower(email[at+1:]), ".")
	if len(labels) < 2 {
		return false
	}
	labels = labels[:len(labels)-1] // top-level domain
	if n := len(labels); n >= 2 && genericSecondLevel[labels[n-1]] {
		labels = labels[:n-1] // co.uk, com.au…
	}
	org := labels[len(labels)-1]
	return len(org) >= 4 && strings.Contains(alnum(source), org)
}

var genericSecondLevel = map[string]bool{"co": true, "com": true, "org": true, "net": true, "ac": true, "gov": true}

// alnum lower-cases s and keeps only letters and digits.
func alnum(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
