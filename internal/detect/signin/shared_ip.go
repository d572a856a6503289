package signin

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/enrich/activity"
	"github.com/rollcall/rollcall/internal/enrich/address"
	"github.com/rollcall/rollcall/internal/enrich/ipintel"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// SharedIP is IAM-03: distinct people sign in from the same public IP,
// persistently, although the roster puts their homes in different states
// or countries.
type SharedIP struct{}

var _ detect.Indicator = (*SharedIP)(nil)

// ID implements detect.Indicator.
func (*SharedIP) ID() string { return "IAM-03" }

// Name implements detect.Indicator.
func (*SharedIP) Name() string { return "People with distant homes sign in from the same public IP" }

// Stage implements detect.Indicator.
func (*SharedIP) Stage() detect.Stage { return detect.StageIdentity }

// Strength implements detect.Indicator.
func (*SharedIP) Strength() detect.Strength { return detect.Strong }

// Sources implements detect.Indicator. The roster (scim) supplies homes.
func (*SharedIP) Sources() []string { return []string{"okta", "entra", "gworkspace", "scim"} }

// Weight implements detect.Indicator.
func (*SharedIP) Weight() float64 { return 45 }

// Description implements detect.Indicator.
func (*SharedIP) Description() string {
	return "Two or more people sign in (or act on the code host) from the same public IP address, each on at least two " +
		"days over more than a week, although the roster puts their homes in different countries or different states: " +
		"one connection — a laptop farm, a facilitator's home, an operatives' shared flat — serves several identities. " +
		"Only ordinary residential or business addresses count: mobile carriers (carrier-grade NAT), VPNs, hosting, " +
		"enterprise gateways and privacy relays, allow-listed corporate egress and sanctioned VPNs never link anyone, " +
		"and an address used by more people than cluster.max_ip_sharers is an office and links nobody. Days in approved " +
		"travel windows do not count. Confidence grows when the homes are in different countries and when the shared " +
		"address carries most of the person's sign-in days. Known false positives: co-working spaces and small offices " +
		"used by staff from neighbouring states; couples and roommates whose roster homes disagree (one not yet " +
		"updated); team off-sites longer than a week at one venue."
}

// References implements detect.Indicator.
func (*SharedIP) References() []string {
	return []string{
		"US Department of State, Treasury and FBI, Guidance on the Democratic People's Republic of Korea Information Technology Workers, May 2022 (several workers using one IP address)",
		"Mandiant (Google Cloud), Staying a Step Ahead: Mitigating the DPRK IT Worker Threat, Sept 2024 (laptop farms: many corporate laptops behind one residential connection)",
	}
}

// Examples implements detect.Indicator.
func (*SharedIP) Examples() detect.Examples {
	farm := []*event.Event{
		staff{record: 1, id: "E140", email: "dlane@example.com", country: "US", region: "WA", street: "12 Pine St"}.event(),
		staff{record: 2, id: "E141", email: "efox@example.com", country: "US", region: "GA", street: "77 Oak Ave"}.event(),
	}
	// Two colleagues from the same city at one co-working space.
	cowork := []*event.Event{
		staff{record: 1, id: "E150", email: "fgray@example.com", country: "US", region: "IL", street: "5 Elm St"}.event(),
		staff{record: 2, id: "E151", email: "ghart@example.com", country: "US", region: "Illinois", street: "9 Birch Rd"}.event(),
	}
	for i, d := range weekdaysFrom(exampleStart, 2) {
		farm = append(farm,
			oktaSignIn(2*i+1, "dlane@example.com", d, farmPhoenix),
			oktaSignIn(2*i+2, "efox@example.com", d.Add(time.Hour), farmPhoenix))
		cowork = append(cowork,
			oktaSignIn(2*i+1, "fgray@example.com", d, homeChicago),
			oktaSignIn(2*i+2, "ghart@example.com", d.Add(time.Hour), homeChicago))
	}
	return detect.Examples{
		Positive: detect.Example{Name: "washington_and_georgia_homes_one_ip", Events: farm, Person: "E140"},
		Negative: detect.Example{Name: "same_city_colleagues_at_a_coworking_space", Events: cowork, Person: "E150"},
	}
}

const (
	// ipMinDays: days each person must use the address.
	ipMinDays = 2
	// ipMinSpan: the shared use must last longer than an off-site.
	ipMinSpan = 7 * 24 * time.Hour
	// ipMostDays: the address carries this share of the person's sign-in
	// days: the connection they live on.
	ipMostDays = 0.5
)

// ipUse is one person's use of one address.
type ipUse struct {
	person      *profile.Person
	first       *event.Event
	days        map[time.Time]bool
	start, last time.Time
}

// apart is how far apart two roster homes are.
type apart int

const (
	notApart     apart = iota // unknown, the same address, or one region
	otherRegion               // different states / regions of one country
	otherCountry              // different countries
)

// homesApart says whether two roster homes are far enough apart that
// sharing a connection is not a commute, and describes them. Unknown homes,
// the same address, and homes in one region (co-working, neighbours) are
// not apart.
func homesApart(a, b *event.Address) (apart, string) {
	if a == nil || b == nil || address.Same(*a, *b) {
		return notApart, ""
	}
	ca, cb := address.Country(*a), address.Country(*b)
	if ca == "" || cb == "" {
		return notApart, ""
	}
	if ca != cb {
		return otherCountry, "homes in " + ca + " and " + cb
	}
	ra, rb := activity.RegionKey(ca, a.Region), activity.RegionKey(cb, b.Region)
	if ra == "" || rb == "" || ra == rb {
		return notApart, ""
	}
	return otherRegion, fmt.Sprintf("homes in %s and %s, %s", a.Region, b.Region, ca)
}

// Detect implements detect.Indicator.
func (d *SharedIP) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	maxSharers := 4
	if in.Policy != nil && in.Policy.Cluster.MaxIPSharers > 0 {
		maxSharers = in.Policy.Cluster.MaxIPSharers
	}
	allow := in.Allow()
	uses := map[netip.Addr]map[string]*ipUse{}
	excluded := map[netip.Addr]bool{}
	activeDays := map[string]map[time.Time]bool{}
	// Only the people who locate at an address someone else does can
	// share one; the others' events matter only where they make an
	// address not locating (a VPN exit) and so exclude it.
	sharers := in.Pop.Index.IP.Sharers()
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("IAM-03: %w", err)
		}
		sharer := sharers[p.ID]
		if sharer {
			activeDays[p.ID] = map[time.Time]bool{}
		}
		for _, list := range [][]*event.Event{p.SignIns, p.Audits} {
			for _, e := range list {
				if e.SignIn != nil && !detect.Succeeded(e) {
					continue
				}
				n := e.Net()
				if n == nil || !n.IP.IsValid() || e.Facts.Device.Has(event.DeviceAutomated) {
					continue // a CI runner or bot: the machine's address, not the person's
				}
				ip := n.IP.Unmap()
				if !e.Facts.Net.Locates {
					excluded[ip] = true
				}
				if !sharer || activity.InTravel(allow, p.ID, e.Time) {
					continue
				}
				activeDays[p.ID][detect.Day(e.Time)] = true
				if len(in.Pop.Index.IP.Holders(ip)) < 2 { // nobody else is seen there
					continue
				}
				m := uses[ip]
				if m == nil {
					m = map[string]*ipUse{}
					uses[ip] = m
				}
				u := m[p.ID]
				if u == nil {
					u = &ipUse{person: p, first: e, days: map[time.Time]bool{}, start: e.Time, last: e.Time}
					m[p.ID] = u
				}
				u.days[detect.Day(e.Time)] = true
				if e.Time.Before(u.start) {
					u.start, u.first = e.Time, e
				}
				if e.Time.After(u.last) {
					u.last = e.Time
				}
			}
		}
	}
	findings := map[string]*detect.Finding{}
	ips := make([]netip.Addr, 0, len(uses))
	for ip := range uses {
		ips = append(ips, ip)
	}
	slices.SortFunc(ips, netip.Addr.Compare)
	for _, ip := range ips {
		m := uses[ip]
		if excluded[ip] || len(m) < 2 || len(m) > maxSharers {
			continue
		}
		ids := make([]string, 0, len(m))
		for id, u := range m {
			if len(u.days) >= ipMinDays {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		for _, id := range ids {
			d.pair(findings, ip, m[id], ids, m, activeDays[id])
		}
	}
	return detect.Finish(findings), nil
}

// pair adds u's finding for ip against the other users of it.
func (d *SharedIP) pair(findings map[string]*detect.Finding, ip netip.Addr, u *ipUse, ids []string, m map[string]*ipUse, active map[time.Time]bool) {
	var parts []string
	var related []string
	var ev []detect.Evidence
	conf := 0.0
	for _, oid := range ids {
		o := m[oid]
		if oid == u.person.ID {
			continue
		}
		far, why := homesApart(u.person.Home(), o.person.Home())
		if far == notApart {
			continue
		}
		start, last := u.start, u.last
		if o.start.Before(start) {
			start = o.start
		}
		if o.last.After(last) {
			last = o.last
		}
		if last.Sub(start) < ipMinSpan {
			continue
		}
		c := 0.7
		if far == otherCountry {
			c += 0.15
		}
		if float64(len(u.days)) >= ipMostDays*float64(len(active)) {
			c += 0.15 // the connection the person lives on
		}
		conf = max(conf, c)
		related = append(related, oid)
		parts = append(parts, fmt.Sprintf("%s on %s (%s)", oid, detect.Count(len(o.days), "day"), why))
		ev = append(ev, detect.EvidenceOf(o.first, "%s %s by %s (person %s) from the same address %s",
			detect.Stamp(o.first.Time), action(o.first), accountOf(o.first), oid, ipintel.Describe(o.first.Net())))
	}
	if len(related) == 0 {
		return
	}
	ev = append([]detect.Evidence{detect.EvidenceOf(u.first, "%s %s by %s from %s: first of %s there",
		detect.Stamp(u.first.Time), action(u.first), accountOf(u.first), ipintel.Describe(u.first.Net()), detect.Count(len(u.days), "day"))}, ev...)
	summary := fmt.Sprintf("%s used by this person on %s of %d active days (%s) and by %s",
		ip, detect.Count(len(u.days), "day"), len(active), homeOf(u.person), strings.Join(parts, "; "))
	if f := findings[u.person.ID]; f != nil {
		f.Summary += "; " + summary
		f.Evidence = append(f.Evidence, ev...)
		f.Confidence = max(f.Confidence, detect.Round2(conf))
		for _, r := range related {
			if !slices.Contains(f.Related, r) {
				f.Related = append(f.Related, r)
			}
		}
		return
	}
	findings[u.person.ID] = &detect.Finding{
		Indicator: d.ID(), Person: u.person.ID, Summary: summary, Confidence: detect.Round2(conf), Evidence: ev, Related: related,
	}
}

// homeOf describes a person's roster home for a summary.
func homeOf(p *profile.Person) string {
	h := p.Home()
	if h == nil {
		return "home unknown"
	}
	return "home " + strings.TrimLeft(strings.Join([]string{h.Region, h.Country}, ", "), ", ")
}

// action names what an event did.
func action(e *event.Event) string {
	if a := e.Action(); a != "" {
		return a
	}
	return string(e.Kind)
}
