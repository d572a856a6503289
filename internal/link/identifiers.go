package link

import (
	"cmp"

	phonekey "github.com/rollcall/rollcall/internal/enrich/phone"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/profile"
)

// Identifiers builds the population's shared-identifier index: every
// person's identifiers under the linker's canonical keys — mailboxes
// (canonicalMailbox), phones (the stamped key, enrich/phone.Key: the last
// ten digits, the same with or without a country code; placeholders such
// as 0000000000 are no key; the linker compares the E.164 form, carried as
// the sighting's Value), portfolio and
// profile URLs (canonicalURL), personal payout accounts and addresses
// (the roster home and ship-to addresses, enrich/address keys). The
// linker's records are made from it (People), and the graph and APP-01
// read the identifiers two or more people hold from it, so one mechanism
// decides what "the same phone" or "the same URL" is.
//
// A payout account of the staffing firm or employer of record the roster
// names, of a known contractor platform, or paying more than the
// policy's cluster.max_payout_sharers people is payroll infrastructure
// (profile.PayoutInfrastructure), nobody's own identifier: it is left out.
func Identifiers(pop *profile.Population, pol *policy.Policy) *profile.Identifiers {
	if pol == nil {
		pol = policy.Default()
	}
	x := &profile.Identifiers{Of: make(map[string][]profile.Sighting, len(pop.People))}
	group := map[string]int{} // kind \x00 key → index into groups
	var groups [][]profile.Sighting
	for _, p := range pop.People {
		mine := sightings(pop, p, pol.Cluster.MaxPayoutSharers)
		x.Of[p.ID] = mine
		for _, s := range mine {
			k := s.Kind + "\x00" + s.Key
			i, ok := group[k]
			if !ok {
				i = len(groups)
				group[k] = i
				groups = append(groups, nil)
			}
			groups[i] = append(groups[i], s)
		}
	}
	for _, g := range groups {
		if g[0].Person != g[len(g)-1].Person { // people come in order: two or more
			x.Shared = append(x.Shared, g)
		}
	}
	return x
}

// IdentifiersOf returns the index the engine stored with the linker's
// verdict (pop.Linked), or builds it for a population the engine did not
// link (a test's, a tool's).
func IdentifiersOf(pop *profile.Population, pol *policy.Policy) *profile.Identifiers {
	if pop.Linked != nil && pop.Linked.Identifiers != nil {
		return pop.Linked.Identifiers
	}
	return Identifiers(pop, pol)
}

// sightings lists p's identifiers in the order profile.Identifiers.Of
// documents, one per identifier and record.
func sightings(pop *profile.Population, p *profile.Person, maxPayoutSharers int) []profile.Sighting {
	var out []profile.Sighting
	add := func(kind, key, value string, e *event.Event) {
		if key == "" {
			return
		}
		for _, s := range out {
			if s.Record == e && s.Kind == kind && s.Key == key {
				return
			}
		}
		out = append(out, profile.Sighting{Kind: kind, Key: key, Value: cmp.Or(value, key), Person: p, Record: e})
	}
	contacts := func(e *event.Event) {
		c := e.Contacts()
		if c == nil {
			return
		}
		for _, m := range c.Mailboxes {
			mb, _ := canonicalMailbox(m)
			add(profile.IDEmail, mb, "", e)
		}
		for _, ph := range c.Phones {
			if !phonekey.Placeholder(ph.Key) {
				add(profile.IDPhone, ph.Key, cmp.Or(ph.E164, ph.Raw), e)
			}
		}
	}
	if p.Roster != nil {
		contacts(p.Roster)
	}
	for _, e := range p.Applicants {
		contacts(e)
		for _, lists := range [][]string{e.Applicant.Websites, e.Applicant.SocialMedia} {
			for _, u := range lists {
				add(profile.IDURL, canonicalURL(u), "", e)
			}
		}
	}
	for _, e := range p.Profiles {
		add(profile.IDURL, canonicalURL(e.Profile.Blog), "", e)
	}
	for _, e := range p.Payouts {
		if p.PaidViaEmployer(e.Payout) || pop.PayoutInfrastructure(e.Payout, maxPayoutSharers) != "" {
			continue
		}
		add(profile.IDPayout, e.Payout.AccountKey(), "", e)
	}
	if p.Roster != nil {
		add(profile.IDAddress, p.HomeKey(), "", p.Roster)
	}
	for _, e := range p.Shipments {
		add(profile.IDAddress, e.AddressKey(0), "", e)
	}
	return out
}
