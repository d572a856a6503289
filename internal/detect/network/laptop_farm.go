package network

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

// LaptopFarm is NET-01: the corporate laptops of different people live
// behind one public IP address — a laptop farm.
type LaptopFarm struct{}

var _ detect.Indicator = (*LaptopFarm)(nil)

// ID implements detect.Indicator.
func (*LaptopFarm) ID() string { return "NET-01" }

// Name implements detect.Indicator.
func (*LaptopFarm) Name() string { return "Corporate laptops of different people share one egress IP" }

// Stage implements detect.Indicator.
func (*LaptopFarm) Stage() detect.Stage { return detect.StageNetwork }

// Strength implements detect.Indicator.
func (*LaptopFarm) Strength() detect.Strength { return detect.Strong }

// Sources implements detect.Indicator: sign-ins that say whether the
// device is managed (Entra deviceDetail.isManaged/isCompliant, Okta device
// context).
func (*LaptopFarm) Sources() []string { return []string{"entra", "okta"} }

// Weight implements detect.Indicator.
func (*LaptopFarm) Weight() float64 { return 50 }

// Description implements detect.Indicator.
func (*LaptopFarm) Description() string {
	return "Sign-ins from company-managed devices (Entra deviceDetail isManaged or isCompliant, Okta device context) of two " +
		"or more people (computers only: not phones, not MFA steps, whose device is the authenticator) come from one " +
		"public IP address, and for each of them that address carries at least half of " +
		"their managed-device sign-in days (three or more, over more than a week): their corporate laptops live on one " +
		"connection. Laptop farms in the claimed country host the laptops shipped to operatives, who reach them by " +
		"remote control; DOJ cases describe farms with dozens of laptops of many companies. Only ordinary residential or " +
		"business addresses count — never mobile carriers, VPNs, hosting, gateways, allow-listed egress or sanctioned " +
		"VPNs — and an address used by more people than cluster.max_ip_sharers is an office. Couples and roommates (the " +
		"same roster home) and people whose homes are in the same state or region (a co-working space, neighbours) do not " +
		"count; confidence is lower when a home is unknown. Days in approved travel windows do not count. Known false " +
		"positives: a small satellite office or a client site not yet allow-listed; relatives on the roster living " +
		"together with out-of-date home addresses."
}

// References implements detect.Indicator.
func (*LaptopFarm) References() []string {
	return []string{
		"Mandiant (Google Cloud), Staying a Step Ahead: Mitigating the DPRK IT Worker Threat, Sept 2024 (many corporate laptops egressing from one residential IP)",
		"US DOJ, coordinated actions against North Korean remote IT worker schemes, 30 June 2025 (laptop farms hosting company laptops)",
	}
}

// Examples implements detect.Indicator.
func (*LaptopFarm) Examples() detect.Examples {
	farm := []*event.Event{
		farmRoster(1, "E160", "hjones@example.com", "WA", "12 Pine St"),
		farmRoster(2, "E161", "ikahn@example.com", "GA", "77 Oak Ave"),
	}
	// A couple: both work here, both laptops at home.
	couple := []*event.Event{
		farmRoster(1, "E170", "jlee@example.com", "TX", "40 Cedar Ln"),
		farmRoster(2, "E171", "klee@example.com", "TX", "40 Cedar Lane"),
	}
	for i := range 10 {
		t := exampleStart.AddDate(0, 0, i)
		farm = append(farm,
			managedSignIn(2*i+1, "hjones@example.com", t, homeUS, "LT-0101"),
			managedSignIn(2*i+2, "ikahn@example.com", t.Add(time.Hour), homeUS, "LT-0102"))
		couple = append(couple,
			managedSignIn(2*i+1, "jlee@example.com", t, homeUS, "LT-0201"),
			managedSignIn(2*i+2, "klee@example.com", t.Add(time.Hour), homeUS, "LT-0202"))
	}
	return detect.Examples{
		Positive: detect.Example{Name: "two_corporate_laptops_from_different_states_on_one_ip", Events: farm, Person: "E160"},
		Negative: detect.Example{Name: "couple_both_employed_laptops_at_home", Events: couple, Person: "E170"},
	}
}

// farmRoster is a roster record with a US home.
func farmRoster(record int, id, email, state, street string) *event.Event {
	e := rosterRecord(record, id, email, "US")
	e.Person.Addresses[0].Region = state
	e.Person.Addresses[0].Street = street
	return e
}

// managedSignIn is a successful Entra sign-in from a managed device.
func managedSignIn(record int, upn string, t time.Time, n event.Network, device string) *event.Event {
	n.GeoSource = "entra"
	return &event.Event{
		Kind:    event.KindSignIn,
		Time:    t,
		Prov:    event.Provenance{Origin: &event.Origin{Source: "entra", File: "examples/entra-signins.json"}, Record: record},
		Account: &event.Actor{ID: "oid-" + upn, Login: upn, Email: upn},
		SignIn: &event.SignIn{Action: "interactiveUser", Outcome: event.OutcomeSuccess, Net: &n, Interactive: true,
			OS: "Windows10", DeviceID: device, DeviceName: device, Managed: "managed"},
	}
}

const (
	// farmMinDays: managed-device days at the address, per person.
	farmMinDays = 3
	// farmMinShare: the address carries this share of the person's
	// managed-device sign-in days.
	farmMinShare = 0.5
	// farmMinSpan: the shared use lasts longer than an off-site.
	farmMinSpan = 7 * 24 * time.Hour
)

// laptopUse is one person's managed-device use of one address.
type laptopUse struct {
	person      *profile.Person
	first       *event.Event
	devices     []string
	days        map[time.Time]bool
	start, last time.Time
}

// Detect implements detect.Indicator.
func (d *LaptopFarm) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	maxSharers := 4
	if in.Policy != nil && in.Policy.Cluster.MaxIPSharers > 0 {
		maxSharers = in.Policy.Cluster.MaxIPSharers
	}
	allow := in.Allow()
	states := in.Pop.DeviceStates
	users := map[netip.Addr]map[string]bool{} // everyone seen at the address
	excluded := map[netip.Addr]bool{}
	laptops := map[netip.Addr]map[string]*laptopUse{}
	managedDays := map[string]int{}
	// Only the people who locate at an address someone else does can
	// share one; the others' sign-ins matter only where they make an
	// address not locating (a VPN exit) and so exclude it, and their
	// count at an address matters only where it is not excluded, where
	// everyone locates.
	sharers := in.Pop.Index.IP.Sharers()
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("NET-01: %w", err)
		}
		sharer := sharers[p.ID]
		var days map[time.Time]bool // managed days at home, of a sharer
		if sharer {
			days = map[time.Time]bool{}
		}
		for _, e := range p.SignIns {
			if !detect.Succeeded(e) || !e.Net().IP.IsValid() {
				continue
			}
			ip := e.Net().IP.Unmap()
			if !e.Facts.Net.Locates {
				excluded[ip] = true
			}
			if !sharer {
				continue
			}
			if users[ip] == nil {
				users[ip] = map[string]bool{}
			}
			users[ip][p.ID] = true
			if states.Of(e) != activity.Managed || activity.InTravel(allow, p.ID, e.Time) {
				continue
			}
			days[detect.Day(e.Time)] = true
			if len(in.Pop.Index.IP.Holders(ip)) < 2 { // nobody else is seen there
				continue
			}
			m := laptops[ip]
			if m == nil {
				m = map[string]*laptopUse{}
				laptops[ip] = m
			}
			u := m[p.ID]
			if u == nil {
				u = &laptopUse{person: p, first: e, days: map[time.Time]bool{}, start: e.Time, last: e.Time}
				m[p.ID] = u
			}
			u.days[detect.Day(e.Time)] = true
			u.last = e.Time
			if dev := deviceOf(e.SignIn); dev != "" && !slices.Contains(u.devices, dev) {
				u.devices = append(u.devices, dev)
			}
		}
		if sharer {
			managedDays[p.ID] = len(days)
		}
	}
	ips := make([]netip.Addr, 0, len(laptops))
	for ip := range laptops {
		ips = append(ips, ip)
	}
	slices.SortFunc(ips, netip.Addr.Compare)
	findings := map[string]*detect.Finding{}
	for _, ip := range ips {
		if excluded[ip] || len(users[ip]) > maxSharers {
			continue
		}
		var living []*laptopUse // laptops that live at the address
		for _, u := range laptops[ip] {
			if n := len(u.days); n >= farmMinDays && float64(n) >= farmMinShare*float64(managedDays[u.person.ID]) {
				living = append(living, u)
			}
		}
		slices.SortFunc(living, func(a, b *laptopUse) int { return strings.Compare(a.person.ID, b.person.ID) })
		for _, u := range living {
			d.add(findings, ip, u, living, managedDays[u.person.ID])
		}
	}
	return detect.Finish(findings), nil
}

// add records u's finding for ip against the other laptops living there.
func (d *LaptopFarm) add(findings map[string]*detect.Finding, ip netip.Addr, u *laptopUse, living []*laptopUse, managed int) {
	var related, parts []string
	var ev []detect.Evidence
	conf := 0.0
	for _, o := range living {
		if o == u {
			continue
		}
		c, why, ok := farmHomes(u.person.Home(), o.person.Home())
		start, last := u.start, u.last
		if o.start.Before(start) {
			start = o.start
		}
		if o.last.After(last) {
			last = o.last
		}
		if !ok || last.Sub(start) < farmMinSpan {
			continue
		}
		conf = max(conf, c)
		related = append(related, o.person.ID)
		parts = append(parts, fmt.Sprintf("%s's laptop %s on %s (%s)", o.person.ID, devicesText(o.devices), detect.Count(len(o.days), "day"), why))
		ev = append(ev, detect.EvidenceOf(o.first, "%s %s by %s (person %s) from managed device %s at the same address %s",
			detect.Stamp(o.first.Time), o.first.SignIn.Action, o.first.Actor().Login, o.person.ID, devicesText(o.devices),
			ipintel.Describe(o.first.Net())))
	}
	if len(related) == 0 {
		return
	}
	ev = append([]detect.Evidence{detect.EvidenceOf(u.first, "%s %s from managed device %s at %s: first of %s there",
		detect.Stamp(u.first.Time), u.first.SignIn.Action, devicesText(u.devices), ipintel.Describe(u.first.Net()),
		detect.Count(len(u.days), "day"))}, ev...)
	summary := fmt.Sprintf("corporate laptop %s signed in from %s on %s of %d managed-device days; so did %s",
		devicesText(u.devices), ip, detect.Count(len(u.days), "day"), managed, strings.Join(parts, "; "))
	if f := findings[u.person.ID]; f != nil {
		f.Summary += "; " + summary
		f.Evidence = append(f.Evidence, ev...)
		f.Confidence = max(f.Confidence, conf)
		for _, r := range related {
			if !slices.Contains(f.Related, r) {
				f.Related = append(f.Related, r)
			}
		}
		return
	}
	findings[u.person.ID] = &detect.Finding{
		Indicator: d.ID(), Person: u.person.ID, Summary: summary, Confidence: conf, Evidence: ev, Related: related,
	}
}

// farmHomes compares two roster homes: the same address (a couple) or the
// same state/region (co-working, neighbours) rule the pair out; homes in
// different regions or countries give full confidence, an unknown home
// less.
func farmHomes(a, b *event.Address) (float64, string, bool) {
	if a == nil || b == nil {
		return 0.7, "a roster home unknown", true
	}
	if address.Same(*a, *b) {
		return 0, "", false
	}
	ca, cb := address.Country(*a), address.Country(*b)
	if ca != "" && cb != "" && ca != cb {
		return 1, "homes in " + ca + " and " + cb, true
	}
	ra, rb := activity.RegionKey(ca, a.Region), activity.RegionKey(cb, b.Region)
	switch {
	case ra == "" || rb == "" || ca == "" || cb == "":
		return 0.7, "homes not comparable by region", true
	case ra == rb:
		return 0, "", false
	}
	return 1, fmt.Sprintf("homes in %s and %s", a.Region, b.Region), true
}

// deviceOf names the device of a sign-in.
func deviceOf(si *event.SignIn) string {
	if si.DeviceName != "" {
		return si.DeviceName
	}
	return si.DeviceID
}

func devicesText(devs []string) string {
	if len(devs) == 0 {
		return "(unnamed)"
	}
	return strings.Join(devs, "/")
}
