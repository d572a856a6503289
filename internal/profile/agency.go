package profile

import (
	"slices"
	"strings"

	"github.com/rollcall/rollcall/internal/event"
)

// agencyWords mark an application source (Greenhouse source.public_name)
// or a candidate tag as a recruiting or staffing agency. "Recruiter" alone
// is left out: it is also the name of internal prospecting sources
// ("LinkedIn Recruiter").
var agencyWords = []string{"agency", "agencies", "staffing", "recruitment", "recruiting", "recruiters", "headhunt", "search firm", "talent partner"}

// AgencySource reports whether an application source or candidate tag
// names a recruiting agency.
func AgencySource(source string) bool {
	s := strings.ToLower(source)
	for _, w := range agencyWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// genericAgency is the key of an agency submission whose agency is not
// named (source "Agency", no tag): all such submissions count as one
// agency, the benefit of the doubt the data allows.
const genericAgency = "agency"

// Agencies returns the keys of the recruiting agencies that submitted a
// candidate: from "Agency: Name" tags, from application sources that name
// an agency ("BrightPath Staffing (Agency)"), and, when the source only
// says "Agency", the person credited with the application (Greenhouse
// credited_to, the agency's recruiter). Agencies put their own phone and
// mailbox on the candidates they submit, so a contact shared among one
// agency's candidates is expected. Nil when no agency is involved.
func Agencies(a *event.Applicant) []string {
	if a == nil {
		return nil
	}
	var out []string
	add := func(name string) {
		if k := agencyKey(name); !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	for _, t := range a.Tags {
		if AgencySource(t) {
			add(t)
		}
	}
	for _, app := range a.Applications {
		if !AgencySource(app.Source) {
			continue
		}
		if k := agencyKey(app.Source); k == genericAgency && len(out) == 0 && app.CreditedToName != "" {
			add(app.CreditedToName)
			continue
		}
		add(app.Source)
	}
	if len(out) > 1 {
		out = slices.DeleteFunc(out, func(k string) bool { return k == genericAgency })
	}
	return out
}

// agencyKey folds an agency's name: the organisation key without the
// words that only say it is an agency ("Agency: BrightPath Staffing" and
// "BrightPath Staffing (Agency)" are one agency).
func agencyKey(name string) string {
	words := strings.Fields(OrgKey(name))
	words = slices.DeleteFunc(words, func(w string) bool { return w == "agency" || w == "agencies" })
	if len(words) == 0 {
		return genericAgency
	}
	return strings.Join(words, " ")
}

// SameAgency reports whether two candidates' agency keys (Agencies) share
// an agency.
func SameAgency(a, b []string) bool {
	return slices.ContainsFunc(a, func(k string) bool { return slices.Contains(b, k) })
}
