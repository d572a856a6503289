package graph

import (
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/identity"
	"github.com/rollcall/rollcall/internal/profile"
	"slices"
)

// KindReferral is a typed weak link: an application credited to an
// employee who referred the candidate. Alone it is how honest people are
// hired every day and links nobody. It joins the referred person to the
// referrer's cell when the referrer is in a cell joined by other links
// (not a household alone): operators refer their cell's next persona,
// and a referral chain inside a cell is part of it (SEAL: referral trees
// reaching 50-70% of a company's hires). When the two also share an
// identifier that links, the referral is shown beside it as one more
// typed link. It never joins a referrer to the cell of someone they
// referred: an honest employee who referred a friend's friend is not
// thereby in that friend's cell.
const KindReferral = "referral"

// withReferrals adds the referral links to links (sorted by order): one
// pass per step of a referral chain (a member referred by a member who
// was referred), until no referral joins anyone new.
func (c *collector) withReferrals(links []rawLink, maxCell int, order func(a, b rawLink) int) []rawLink {
	all := identity.Referrals(c.pop)
	if len(all) == 0 {
		return links
	}
	prev := -1
	var refs []rawLink
	for len(refs) != prev {
		prev = len(refs)
		refs = referralLinks(all, inCell(c.pop, append(slices.Clip(links), refs...), maxCell))
	}
	if len(refs) == 0 {
		return links
	}
	links = append(links, refs...)
	slices.SortFunc(links, order)
	return links
}

// referralLinks returns the referral links whose referrer is in a cell
// (linked) of the other links.
func referralLinks(all []identity.Referral, linked func(string) bool) []rawLink {
	var out []rawLink
	seen := map[[2]string]int{}
	for _, r := range all {
		a, b := r.Referred.ID, r.Referrer.ID
		if !linked(b) {
			continue
		}
		pair := [2]string{min(a, b), max(a, b)}
		ev := event.EvidenceOf(r.Record, "%s of %s: application %s came in as %q credited to %s",
			recordName(r.Record), a, r.App.ID, r.App.Source, b)
		if i, ok := seen[pair]; ok {
			if len(out[i].Evidence) < event.MaxEvidence {
				out[i].Evidence = append(out[i].Evidence, ev)
			}
			continue
		}
		seen[pair] = len(out)
		out = append(out, rawLink{key: pair[0] + "\x00" + pair[1], Link: Link{
			Kind:     KindReferral,
			Value:    a + " referred by " + b,
			Members:  pair[:],
			Evidence: []event.Evidence{ev},
		}})
	}
	return out
}

// inCell returns whether a person is in a cell of links that is not a
// single household link.
func inCell(pop *profile.Population, links []rawLink, maxCell int) func(string) bool {
	var strong []rawLink
	for _, l := range links {
		if !l.Household {
			strong = append(strong, l)
		}
	}
	cells := group(pop, strong, maxCell)
	return func(id string) bool {
		for i := range cells {
			if cells[i].Has(id) {
				return true
			}
		}
		return false
	}
}
