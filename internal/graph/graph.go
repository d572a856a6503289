// Package graph builds the identity graph: people are joined when they
// share an identifier that should belong to one person — a payout account,
// a postal address, a phone, an email, a device serial, a portfolio URL or
// a home-style public IP — and each connected group of two or more people
// is a cluster ("cell").
//
// Payout accounts, addresses, phones, emails and URLs are not keyed here:
// they are the identifiers two or more people hold in the entity-resolution
// linker's shared-identifier index (link.Identifiers, stored with the
// linker's verdict on the population), the keys APP-01 compares too.
//
// Findings that relate people through an identifier (IAM-02's shared MFA
// device) come in as FindingLinks the caller builds: the graph reads the
// person model and those, never the detect package (TestImports_not_detect).
//
// Grouping uses a disjoint-set (union-find), so a cell joined through any
// chain of links (A–B by bank account, B–C by address) is one cluster.
// Weak identifiers are filtered before they can link anyone, so that
// offices, carriers and VPNs never chain whole companies together:
//
//   - an IP links only when it locates a person (event.NetFacts.Locates:
//     a public address outside CGNAT space on an ordinary network — not a
//     mobile carrier, gateway, hosting network or anonymiser, not
//     allow-listed corporate egress or a sanctioned VPN),
//     used by at most Cluster.MaxIPSharers people in all, and then only
//     people who used it on at least two distinct days and who claim
//     different homes (a couple at home legitimately shares one IP);
//   - an address links only when at most Cluster.MaxAddressSharers people
//     have it (roster home or ship-to) and it is not an allow-listed shared
//     address;
//   - a device serial links only when at most Cluster.MaxIdentifierSharers
//     people have it (more is a cloned disk image), and so does a phone,
//     email or URL found on roster records or code-host profiles alone
//     (more is a switchboard or a team mailbox); one that candidate
//     records carry is an operator's contact reused across personas and
//     links up to Cluster.MaxCellSize holders (a cell of eight puts one
//     contact on all eight records);
//   - a payout account links only when it pays at most
//     Cluster.MaxPayoutSharers people and its payee is not a known employer
//     of record or contractor platform (profile.PayoutInfrastructure);
//   - a phone or email that only one recruiting agency's submissions carry
//     (profile.Agencies) links nobody: it is the agency's recruiter;
//   - a device serial re-issued to a new hire after its previous holder
//     left is not a link;
//   - a referral (KindReferral) links only a referred person to a
//     referrer who is in a cell of the other links (not a household
//     alone): a referral alone is how honest people are hired;
//   - a near-duplicate résumé (KindResume) links only two people entity
//     resolution (profile.Linked, internal/link) scored as one person or
//     one operator's personas, never one agency's template;
//   - one MFA device completing sign-ins for several people
//     (KindMFADevice) links them when IAM-02 found it at full confidence.
//
// No cell grows beyond Cluster.MaxCellSize people: links are joined
// strongest first (fewest holders) and one that would grow a cell past the
// cap is left out.
//
// A home address shared by exactly two people who share nothing else (but
// perhaps a joint account) is kept as a link but marked Household: a
// couple or roommates. Clusters say
// who is connected and how; whether that matters is for scoring to decide
// from the members' own findings (internal/score).
package graph

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/link"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/profile"
)

// Link kinds. DESIGN.md §5 lists bank_account, address, device, ip, phone,
// email and resume; graph adds url for a shared portfolio / code-host URL.
const (
	KindBankAccount = "bank_account"
	KindDevice      = "device"
	KindAddress     = "address"
	KindPhone       = "phone"
	KindEmail       = "email"
	KindURL         = "url"
	KindIP          = "ip"
)

// Kinds lists the link kinds in the order links are reported: the most
// specific identifiers first.
var Kinds = []string{KindBankAccount, KindDevice, KindMFADevice, KindAddress, KindPhone, KindEmail, KindURL, KindResume, KindIP, KindReferral}

// Cluster is a cell: two or more people joined by shared identifiers.
type Cluster struct {
	ID      string   `json:"id"`      // "C1", "C2"… by size (largest first), then smallest member id
	Members []string `json:"members"` // person ids, sorted
	Links   []Link   `json:"links"`   // by kind (Kinds order), then value
}

// Link is one identifier shared by some members of a cluster.
type Link struct {
	Kind string `json:"kind"`
	// Value names the identifier so an analyst can look it up: the
	// normalised address, the IP, "payout account 1a2b3c4d…" (never the
	// whole fingerprint), the phone digits, the email, the serial, the URL.
	Value   string   `json:"value"`
	Members []string `json:"members"` // person ids, sorted
	// Household is set on an address link between exactly two people for
	// whom it is the roster home and who share nothing else: a couple or
	// roommates, legitimate on its own.
	Household bool             `json:"household,omitempty"`
	Evidence  []event.Evidence `json:"evidence"`
}

// Has reports whether person is a member of the cluster.
func (c *Cluster) Has(person string) bool {
	_, ok := slices.BinarySearch(c.Members, person)
	return ok
}

// Build links the population's people by shared identifiers under the
// policy and returns the clusters of two or more people, ordered and
// numbered deterministically. now decides which allow-list entries are in
// force for addresses; IP allow-lists were applied at each event's time
// when its facts were stamped (enrich.Stamp). It reads the stamped facts
// and the person model's indexes (profile.Build), so both must have run.
//
// findings, when given, are the indicators' findings that relate people
// (FindingLink): those that relate them through one identifier they hold
// (relatingIndicators: IAM-02's shared MFA device) become links too.
func Build(pop *profile.Population, pol *policy.Policy, now time.Time, findings ...FindingLink) []Cluster {
	if pop == nil || len(pop.People) == 0 {
		return nil
	}
	if pol == nil {
		pol = policy.Default()
	}
	c := newCollector(pop)
	c.indexed(link.IdentifiersOf(pop, pol))
	c.devices()

	var links []rawLink
	contact := c.contactRule(pol.Cluster.MaxIdentifierSharers, pol.Cluster.MaxCellSize)
	links = append(links, c.links(KindBankAccount, nil)...)
	links = append(links, c.links(KindAddress, addressRule(pol, now))...)
	links = append(links, c.links(KindPhone, c.agencyRule(contact))...)
	links = append(links, c.links(KindEmail, c.agencyRule(contact))...)
	links = append(links, c.links(KindDevice, sharerRule(pol.Cluster.MaxIdentifierSharers, c.reissueRule()))...)
	links = append(links, c.links(KindURL, contact)...)
	links = append(links, ipLinks(pop, pol)...)
	links = append(links, resumeLinks(pop)...)
	links = append(links, findingLinks(findings)...)
	markHouseholds(links, c.homes)
	// Identifiers come out of maps: fix their order before anything
	// depends on it.
	order := func(a, b rawLink) int { return cmp.Or(compareLinks(a.Link, b.Link), cmp.Compare(a.key, b.key)) }
	slices.SortFunc(links, order)
	links = c.withReferrals(links, pol.Cluster.MaxCellSize, order)
	return group(pop, links, pol.Cluster.MaxCellSize)
}

// rawLink is a link while the graph is built, with its identifier key.
type rawLink struct {
	Link
	key string
}

// sharerRule drops identifiers held by more than max people (0: all), then
// applies next, if any.
func sharerRule(max int, next func(*identifier) []string) func(*identifier) []string {
	return func(id *identifier) []string {
		if max == 0 || len(id.people) > max {
			return nil
		}
		if next != nil {
			return next(id)
		}
		return id.people
	}
}

// group unions the members of every link and returns the clusters. With
// maxCell > 0, links are joined fewest holders first and a link that would
// make a cell larger than maxCell is left out.
func group(pop *profile.Population, links []rawLink, maxCell int) []Cluster {
	index := make(map[string]int, len(pop.People))
	for i, p := range pop.People {
		index[p.ID] = i
	}
	ds := newDisjointSet(len(pop.People))
	order := make([]int, len(links))
	for i := range order {
		order[i] = i
	}
	if maxCell > 0 {
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(len(links[a].Members), len(links[b].Members)) })
	}
	kept := make([]bool, len(links))
	for _, i := range order {
		l := links[i]
		if maxCell > 0 && joinedSize(ds, index, l.Members) > maxCell {
			continue
		}
		kept[i] = true
		first := index[l.Members[0]]
		for _, m := range l.Members[1:] {
			ds.union(first, index[m])
		}
	}
	byRoot := map[int]*Cluster{}
	var clusters []*Cluster
	for i, p := range pop.People { // people are sorted by id, so members are too
		if ds.setSize(i) < 2 {
			continue
		}
		r := ds.find(i)
		cl := byRoot[r]
		if cl == nil {
			cl = &Cluster{}
			byRoot[r] = cl
			clusters = append(clusters, cl)
		}
		cl.Members = append(cl.Members, p.ID)
	}
	for i, l := range links {
		if !kept[i] {
			continue
		}
		cl := byRoot[ds.find(index[l.Members[0]])]
		cl.Links = append(cl.Links, l.Link)
	}
	slices.SortFunc(clusters, func(a, b *Cluster) int {
		if n := cmp.Compare(len(b.Members), len(a.Members)); n != 0 {
			return n
		}
		return cmp.Compare(a.Members[0], b.Members[0])
	})
	if len(clusters) == 0 {
		return nil
	}
	out := make([]Cluster, len(clusters))
	for i, cl := range clusters {
		cl.ID = "C" + strconv.Itoa(i+1)
		slices.SortStableFunc(cl.Links, compareLinks)
		out[i] = *cl
	}
	return out
}

// joinedSize is the size of the set joining members would make.
func joinedSize(ds *disjointSet, index map[string]int, members []string) int {
	roots := map[int]bool{}
	n := 0
	for _, m := range members {
		if r := ds.find(index[m]); !roots[r] {
			roots[r] = true
			n += ds.setSize(r)
		}
	}
	return n
}

func compareLinks(a, b Link) int {
	if n := cmp.Compare(slices.Index(Kinds, a.Kind), slices.Index(Kinds, b.Kind)); n != 0 {
		return n
	}
	if n := cmp.Compare(a.Value, b.Value); n != 0 {
		return n
	}
	return slices.Compare(a.Members, b.Members)
}

// markHouseholds marks address links between exactly two people whose
// roster home it is, when no other link joins the same two people (a
// payout account of theirs alone, a joint account, does not count).
func markHouseholds(links []rawLink, homes map[string]string) {
	linksOf := map[string][]int{}
	for i, l := range links {
		for _, m := range l.Members {
			linksOf[m] = append(linksOf[m], i)
		}
	}
	for i := range links {
		l := &links[i]
		if l.Kind != KindAddress || len(l.Members) != 2 {
			continue
		}
		a, b := l.Members[0], l.Members[1]
		if homes[a] != l.key || homes[b] != l.key {
			continue
		}
		shared := 0
		for _, j := range linksOf[a] {
			o := &links[j]
			if o.Kind == KindBankAccount && len(o.Members) == 2 {
				continue // their joint account: households share one
			}
			if _, ok := slices.BinarySearch(o.Members, b); ok {
				shared++
			}
		}
		l.Household = shared == 1
	}
}
