package link

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/rollcall/rollcall/internal/enrich/address"
	phonekey "github.com/rollcall/rollcall/internal/enrich/phone"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/profile"
)

// People links the scan's people: one record per person of the person
// model (its names, canonical mailboxes, phones, claimed home, portfolio
// URLs, résumé text and personal payout accounts), linked under options
// fitted to one company (ScanOptions). The engine runs it once per
// analysis and stores the result on the population (profile.Linked),
// where the graph and the applicant indicators read it.
func People(ctx context.Context, pop *profile.Population, pol *policy.Policy) (*profile.Linked, error) {
	if pop == nil || len(pop.People) < 2 {
		return &profile.Linked{}, nil
	}
	if pol == nil {
		pol = policy.Default()
	}
	recs := make([]Record, 0, len(pop.People))
	for _, p := range pop.People {
		recs = append(recs, personRecord(pop, p, pol.Cluster.MaxPayoutSharers))
	}
	res, err := Link(ctx, recs, ScanOptions(pol))
	if err != nil {
		return nil, fmt.Errorf("linking people: %w", err)
	}
	out := &profile.Linked{Cluster: map[string]string{}}
	for i, cl := range res.Clusters {
		id := "L" + strconv.Itoa(i+1)
		for _, m := range cl.Members {
			out.Cluster[m] = id
		}
		for _, l := range cl.Links {
			lp := profile.LinkedPair{A: l.A, B: l.B, Kind: l.Kind, Weight: l.Weight, Probability: l.Probability}
			for _, f := range l.Matched {
				lp.Matched = append(lp.Matched, string(f))
			}
			out.Pairs = append(out.Pairs, lp)
		}
	}
	slices.SortFunc(out.Pairs, func(x, y profile.LinkedPair) int {
		if c := strings.Compare(x.A, y.A); c != 0 {
			return c
		}
		return strings.Compare(x.B, y.B)
	})
	return out, nil
}

// ScanOptions are the linker's options for one company's people: no
// linked group larger than the policy's largest cell; an identifier held
// by more people than any cell is frequent (infrastructure: a switchboard,
// an agency's line), never expanded into pairs; u is estimated from fewer
// random pairs, as a company has thousands of people, not millions.
func ScanOptions(pol *policy.Policy) Options {
	o := DefaultOptions()
	if n := pol.Cluster.MaxCellSize; n >= 2 {
		o.MaxCluster, o.FrequentValue = n, n
	}
	o.USamples = 5_000
	return o
}

// personRecord is p as a link record; its id is the person id.
func personRecord(pop *profile.Population, p *profile.Person, maxPayoutSharers int) Record {
	r := Record{ID: p.ID, Ref: p.ID}
	r.GivenName, r.FamilyName = splitName(p.Name)
	var phoneKeys []string // one number written several ways is one phone
	contacts := func(e *event.Event) {
		c := e.Contacts()
		if c == nil {
			return
		}
		for _, m := range c.Mailboxes {
			if m != "" && !slices.Contains(r.Emails, m) {
				r.Emails = append(r.Emails, m)
			}
		}
		for _, ph := range c.Phones {
			if ph.Key == "" || phonekey.Placeholder(ph.Key) || slices.Contains(phoneKeys, ph.Key) {
				continue
			}
			phoneKeys = append(phoneKeys, ph.Key)
			r.Phones = append(r.Phones, cmp.Or(ph.E164, ph.Raw))
		}
	}
	if hr := p.HR(); hr != nil {
		contacts(p.Roster)
		if i := hr.HomeIndex(); i >= 0 {
			a := hr.Addresses[i]
			r.Address, r.City, r.Region, r.Postcode, r.Country = a.Street, a.Locality, a.Region, a.PostalCode, a.Country
		}
	}
	for _, e := range p.Applicants {
		a := e.Applicant
		contacts(e)
		if r.GivenName == "" {
			r.GivenName, r.FamilyName = a.FirstName, a.LastName
		}
		if r.Address == "" && len(a.Addresses) > 0 {
			ad := address.Parse(a.Addresses[0])
			r.Address, r.City, r.Region, r.Postcode, r.Country = ad.Street, ad.Locality, ad.Region, ad.PostalCode, ad.Country
		}
		r.URLs = append(r.URLs, a.Websites...)
		r.URLs = append(r.URLs, a.SocialMedia...)
	}
	for _, e := range p.Profiles {
		if e.Profile.Blog != "" {
			r.URLs = append(r.URLs, e.Profile.Blog)
		}
	}
	for _, e := range p.Payouts {
		k := e.Payout.AccountKey()
		if k == "" || p.PaidViaEmployer(e.Payout) || pop.PayoutInfrastructure(e.Payout, maxPayoutSharers) != "" || slices.Contains(r.Payouts, k) {
			continue
		}
		r.Payouts = append(r.Payouts, k)
	}
	for _, e := range p.Resumes {
		if e.Resume != nil && len(e.Resume.Text) > len(r.Resume) {
			r.Resume = e.Resume.Text
		}
	}
	return r
}

// splitName reads a display name as given and family name: the first
// word and the last.
func splitName(name string) (given, family string) {
	f := strings.Fields(name)
	switch len(f) {
	case 0:
		return "", ""
	case 1:
		return f[0], ""
	}
	return f[0], f[len(f)-1]
}
