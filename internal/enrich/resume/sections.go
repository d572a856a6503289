package resume

import (
	"regexp"
	"strings"
	"unicode"
)

// Section is one titled part of a résumé ("Education", "Experience"…).
type Section struct {
	Kind    string // canonical kind: education, experience, skills, summary, projects, other
	Heading string // the heading line as written
	Body    string // the text up to the next heading
	Start   int    // byte offset of the heading in the text
}

// headingKinds maps heading words (lower case, after folding "&"/"and"
// and punctuation) to a section kind.
var headingKinds = map[string]string{
	"education": "education", "academic background": "education", "academic qualifications": "education",
	"education and training": "education", "education and certifications": "education", "educational background": "education",
	"academics": "education", "qualifications": "education", "formation": "education", "ausbildung": "education", "formación": "education",
	"experience": "experience", "work experience": "experience", "professional experience": "experience",
	"employment": "experience", "employment history": "experience", "work history": "experience", "career history": "experience",
	"relevant experience": "experience", "professional background": "experience",
	"skills": "skills", "technical skills": "skills", "core competencies": "skills", "technologies": "skills", "tech stack": "skills",
	"summary": "summary", "professional summary": "summary", "profile": "summary", "objective": "summary", "about me": "summary",
	"career objective": "summary", "summary of qualifications": "summary",
	"projects": "projects", "personal projects": "projects", "selected projects": "projects",
	"certifications": "other", "certificates": "other", "languages": "other", "publications": "other", "awards": "other",
	"honors": "other", "honours": "other", "references": "other", "interests": "other", "volunteer": "other",
	"volunteering": "other", "contact": "other", "achievements": "other", "training": "other", "courses": "other",
	"activities": "other", "hobbies": "other", "links": "other",
}

// headingKind returns the section kind a line names when the line is a
// heading: short, and (after dropping punctuation, bullets and a trailing
// colon) one of headingKinds.
func headingKind(line string) (string, bool) {
	s := strings.TrimSpace(line)
	if s == "" || len(s) > 48 {
		return "", false
	}
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(strings.ReplaceAll(s, "&", " and ")) {
		switch {
		case unicode.IsLetter(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	k, ok := headingKinds[b.String()]
	return k, ok
}

// Sections splits a résumé into its titled sections, in order. Text before
// the first heading (name, contact line) is not a section.
func Sections(text string) []Section {
	var out []Section
	off := 0
	for line := range strings.SplitSeq(text, "\n") {
		if kind, ok := headingKind(line); ok {
			if n := len(out); n > 0 {
				out[n-1].Body = strings.TrimSpace(text[out[n-1].Start+len(out[n-1].Heading) : off])
			}
			out = append(out, Section{Kind: kind, Heading: strings.TrimSpace(line), Start: off})
			// Start points at the trimmed heading.
			out[len(out)-1].Start = off + strings.Index(line, strings.TrimSpace(line))
		}
		off += len(line) + 1
	}
	if n := len(out); n > 0 {
		out[n-1].Body = strings.TrimSpace(text[min(len(text), out[n-1].Start+len(out[n-1].Heading)):])
	}
	return out
}

// overallYears matches a career-length claim: "10+ years of experience",
// "over 12 years of professional software engineering experience".
var overallYears = regexp.MustCompile(`(?i)\b` + yearsNumber + `\s*\+?\s*(?:years?|yrs?)['’]?\s+(?:of\s+)?` +
	`(?:(?:professional|industry|software|engineering|development|hands-on|commercial|it|technical|progressive|combined|total)\s+){0,4}experience\b`)

// OverallYears returns the longest career length a résumé claims ("10+
// years of experience"), or 0 when it claims none. Values over 45 are
// ignored as misreadings.
func OverallYears(text string) float64 {
	best := 0.0
	for _, m := range overallYears.FindAllStringSubmatch(text, -1) {
		if v := years(m[1]); v > best && v <= 45 {
			best = v
		}
	}
	return best
}
