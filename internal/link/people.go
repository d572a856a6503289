package link

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/rollcall/rollcall/internal/enrich/address"
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
	ids := Identifiers(pop, pol)
	recs := make([]Record, 0, len(pop.People))
	for _, p := range pop.People {
		recs = append(recs, personRecord(p, ids.Of[p.ID]))
	}
	res, err := Link(ctx, recs, ScanOptions(pol))
	if err != nil {
		return nil, fmt.Errorf("linking people: %w", err)
	}
	out := &profile.Linked{Cluster: map[string]string{}, Identifiers: ids}
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

// personRecord is p as a link record; its id is the person id. Its
// mailboxes, phones, URLs and payout accounts are p's identifiers in the
// shared-identifier index (mine: Identifiers.Of).
func personRecord(p *profile.Person, mine []profile.Sighting) Record {
	r := Record{ID: p.ID, Ref: p.ID}
	r.GivenName, r.FamilyName = splitName(p.Name)
	var phoneKeys []string
	for _, s := range mine {
		switch s.Kind {
		case profile.IDEmail:
			r.Emails = appendNew(r.Emails, s.Key)
		case profile.IDPhone:
			if !slices.Contains(phoneKeys, s.Key) { // one number written several ways is one phone
				phoneKeys = append(phoneKeys, s.Key)
				r.Phones = append(r.Phones, s.Value)
			}
		case profile.IDURL:
			r.URLs = appendNew(r.URLs, s.Key)
		case profile.IDPayout:
			r.Payouts = appendNew(r.Payouts, s.Key)
		}
	}
	if hr := p.HR(); hr != nil {
		if i := hr.HomeIndex(); i >= 0 {
			a := hr.Addresses[i]
			r.Address, r.City, r.Region, r.Postcode, r.Country = a.Street, a.Locality, a.Region, a.PostalCode, a.Country
		}
	}
	for _, e := range p.Applicants {
		a := e.Applicant
		if r.GivenName == "" {
			r.GivenName, r.FamilyName = a.FirstName, a.LastName
		}
		if r.Address == "" && len(a.Addresses) > 0 {
			ad := address.Parse(a.Addresses[0])
			r.Address, r.City, r.Region, r.Postcode, r.Country = ad.Street, ad.Locality, ad.Region, ad.PostalCode, ad.Country
		}
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
