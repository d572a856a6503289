package graph

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// KindResume links two people whose résumés are near-duplicates (MinHash
// over their distinctive passages, internal/enrich/resume) and whom entity
// resolution (internal/link, run once per analysis: profile.Linked) scored
// as one person or as one operator's personas: the résumé agreed together
// with something else. A résumé alike alone, or one recruiting agency's
// template on the candidates it submitted, links nobody.
const KindResume = "resume"

// resumeLinks returns the résumé links of the linker's pairs.
func resumeLinks(pop *profile.Population) []rawLink {
	if pop.Linked == nil {
		return nil
	}
	var out []rawLink
	for _, lp := range pop.Linked.Pairs {
		if !lp.Has(KindResume) {
			continue
		}
		a, b := pop.Person(lp.A), pop.Person(lp.B)
		if a == nil || b == nil || len(a.Resumes) == 0 || len(b.Resumes) == 0 || oneAgency(a, b) {
			continue
		}
		value := fmt.Sprintf("near-duplicate résumés (%s link, weight %.1f: %s)", lp.Kind, lp.Weight, strings.Join(lp.Matched, ", "))
		out = append(out, rawLink{key: lp.A + "\x00" + lp.B, Link: Link{
			Kind:    KindResume,
			Value:   value,
			Members: []string{lp.A, lp.B},
			Evidence: []event.Evidence{
				event.EvidenceOf(a.Resumes[0], "résumé of %s", a.ID),
				event.EvidenceOf(b.Resumes[0], "résumé of %s, a near-duplicate", b.ID),
			},
		}})
	}
	return out
}

// oneAgency reports whether every candidate record of a and of b was
// submitted by one common recruiting agency (its résumé template).
func oneAgency(a, b *profile.Person) bool {
	common := func(p *profile.Person) []string {
		var out []string
		for i, e := range p.Applicants {
			ag := profile.Agencies(e.Applicant)
			if i == 0 {
				out = ag
				continue
			}
			out = slices.DeleteFunc(slices.Clone(out), func(k string) bool { return !slices.Contains(ag, k) })
		}
		return out
	}
	return len(a.Applicants) > 0 && len(b.Applicants) > 0 && profile.SameAgency(common(a), common(b))
}
