package graph

import (
	"slices"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/identity"
	"github.com/rollcall/rollcall/internal/profile"
)

// KindReferral is a typed weak link: an application credited to an
// employee who referred the candidate. Alone it is how honest people are
// hired every day and links nobody; it joins the referred person to the
// referrer's cell when
//
//   - the two also share an identifier of their own (a phone, mailbox,
//     address, payout account, device, URL or IP), even one too widely
//     held to link on its own; or
//   - the referrer is already in a cell joined by other links (not a
//     household): operators refer their cell's next persona, and a
//     referral chain inside a cell is part of it (SEAL).
const KindReferral = "referral"

// referralLinks returns the referral links that join a cell under the
// rules above. linked says whether a person is in a cell of the other
// links that is not a household alone; links are those other links.
func (c *collector) referralLinks(links []rawLink, linked func(string) bool) []rawLink {
	refs := identity.Referrals(c.pop)
	if len(refs) == 0 {
		return nil
	}
	shared := c.sharedPairs(links, refs)
	var out []rawLink
	seen := map[[2]string]int{}
	for _, r := range refs {
		a, b := r.Referred.ID, r.Referrer.ID
		pair := [2]string{min(a, b), max(a, b)}
		if !shared[pair] && !linked(b) {
			continue
		}
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
			Value:    "referred by " + b,
			Members:  pair[:],
			Evidence: []event.Evidence{ev},
		}})
	}
	return out
}

// sharedPairs marks the referral pairs that hold a common identifier:
// any collected identifier, whether or not its own rules let it link,
// or a kept link (IPs).
func (c *collector) sharedPairs(links []rawLink, refs []identity.Referral) map[[2]string]bool {
	want := map[string][]string{} // person → the other sides of their referrals
	for _, r := range refs {
		a, b := r.Referred.ID, r.Referrer.ID
		want[a] = append(want[a], b)
		want[b] = append(want[b], a)
	}
	out := map[[2]string]bool{}
	mark := func(people []string) {
		for _, p := range people {
			for _, q := range want[p] {
				if p < q && slices.Contains(people, q) {
					out[[2]string{p, q}] = true
				}
			}
		}
	}
	for _, id := range c.ids {
		mark(id.people)
	}
	for _, l := range links {
		mark(l.Members)
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
