package profile

import (
	"maps"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/enrich/activity"
	"github.com/rollcall/rollcall/internal/enrich/device"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

// Features are what the person model derives once from a person's
// (stamped) events, so that indicators read them instead of re-deriving
// them. Build fills them; they are read-only afterwards.
type Features struct {
	// Claim is where the roster says the person lives, as time zones;
	// HasClaim is false when the roster gives neither a readable time zone
	// nor a known home country.
	Claim    activity.Claim
	HasClaim bool
	// Touches is the person's activity in time order (activity.Touches):
	// successful sign-ins other than session ends and token refreshes,
	// audit actions other than code transfers, commits by author time.
	Touches []activity.Touch
	// Working is Touches outside approved travel windows.
	Working []activity.Touch
	// WorkZone compares the working zone inferred from Working with the
	// claim; HasWorkZone is false when no zone could be inferred or there
	// is no claim.
	WorkZone    activity.Comparison
	HasWorkZone bool
	// CommitHours are the touches of the commits alone (bursts folded
	// among commits) outside approved travel, and CommitZone their
	// comparison with the claim (HasCommitZone as above).
	CommitHours   []activity.Touch
	CommitZone    activity.Comparison
	HasCommitZone bool
	// Clocks are the endpoint clock readings (activity.Clocks).
	Clocks []activity.Clock
	// Places are where successful sign-ins put the person
	// (activity.Places: ordinary and mobile networks, travel left out).
	Places []activity.Place
	// Days pairs each day's places with the endpoint clock reading that
	// stands for that day (activity.Days).
	Days []activity.DayView
	// Countries are the network countries of the person's successful
	// sign-ins, sorted by key.
	Countries []Seen
	// Networks are the autonomous systems ("AS7922") of the person's
	// successful sign-ins, sorted by key.
	Networks []Seen
	// Homes is the claimed home over time (roster snapshots, and a change
	// of country inferred from shipments that payroll and sign-ins
	// followed): observations are judged against the claim in force at
	// their time (Timeline.At).
	Homes Timeline
	// Code is the person's countable code access and its daily volume,
	// the personal baseline of bulk-access indicators (Population.PeersOf
	// gives the peer baseline).
	Code CodeUse
	// Ghostwrites are the commits the person's account made under another
	// person's author identity (git commit --author), in population order.
	Ghostwrites []Ghostwrite
}

// Seen summarises one value seen in a person's events.
type Seen struct {
	Key         string
	First, Last time.Time
	Days        int // distinct UTC days
	Events      int
}

// Index says who holds which identifier, across the population: the
// canonical value → the ids of the people holding it, sorted, unique.
type Index[K comparable] map[K][]string

// Holders returns the people holding value.
func (x Index[K]) Holders(value K) []string { return x[value] }

// Sharers returns the people holding a value that someone else holds
// too.
func (x Index[K]) Sharers() map[string]bool {
	out := map[string]bool{}
	for _, holders := range x {
		if len(holders) > 1 {
			for _, id := range holders {
				out[id] = true
			}
		}
	}
	return out
}

func (x Index[K]) add(value K, person string) {
	var zero K
	if value == zero {
		return
	}
	if l := x[value]; len(l) == 0 || l[len(l)-1] != person {
		x[value] = append(l, person)
	}
}

// Indexes are the population indexes of identifiers, built from the
// stamped facts: payout account keys, address keys (roster homes and
// ship-to addresses; ShipTo: ship-to addresses alone), device serials
// (osquery system_info hardware_serial, shipment asset serials), phone
// keys, canonical mailboxes, and the public IPs of sign-ins and audit
// actions that locate a person (NetFacts.Locates). An identifier with
// fewer than two holders links nobody: the population-wide indicators and
// the graph skip it without further work.
type Indexes struct {
	Payout, Address, ShipTo, Serial, Phone, Mailbox Index[string]
	IP                                              Index[netip.Addr]
}

// Build derives every person's features and the population indexes under
// the policy (pol may be nil), and learns the organisation's device
// states once. Run it after identity resolution over stamped events
// (internal/enrich.Stamp), before detection.
func Build(pop *Population, pol *policy.Policy) {
	BuildIndexes(pop)
	BuildFeatures(pop, pol, nil, nil, nil)
}

// BuildIndexes builds the population indexes and learns the device states
// (the population-wide part of Build).
func BuildIndexes(pop *Population) {
	pop.Index = Indexes{Payout: Index[string]{}, Address: Index[string]{}, ShipTo: Index[string]{}, Serial: Index[string]{},
		Phone: Index[string]{}, Mailbox: Index[string]{}, IP: Index[netip.Addr]{}}
	pop.DeviceCounts = activity.DeviceCounts{}
	for _, p := range pop.People { // sorted by ID, so every index list is sorted
		pop.DeviceCounts.Add(p.SignIns)
		index(&pop.Index, p)
	}
	pop.DeviceStates = pop.DeviceCounts.States()
}

// ExtendIndexes sets pop's indexes and device states to prev's with the
// sign-ins and audit actions of added (by person id) added to them, as
// BuildIndexes would make them when those are all that pop has more than
// prev: the same people, holding the same events otherwise (an
// incremental identity resolution of new sign-ins, audit actions and
// commits). prev's indexes are left as they were; pop shares the parts
// that did not change.
func ExtendIndexes(pop, prev *Population, added map[string][]*event.Event) {
	pop.Index = prev.Index
	pop.DeviceCounts = prev.DeviceCounts.Clone()
	var ips Index[netip.Addr] // copied on the first change
	for id, events := range added {
		pop.DeviceCounts.Add(events)
		for _, e := range events {
			if e.SignIn == nil && e.Audit == nil {
				continue
			}
			n := e.Facts.Net
			if n == nil || !n.Locates {
				continue
			}
			ip := e.Net().IP.Unmap()
			holders := pop.Index.IP[ip]
			i, found := slices.BinarySearch(holders, id)
			if found || !ip.IsValid() {
				continue
			}
			if ips == nil {
				ips = maps.Clone(prev.Index.IP)
				pop.Index.IP = ips
			}
			ips[ip] = slices.Insert(slices.Clip(holders), i, id)
		}
	}
	pop.DeviceStates = pop.DeviceCounts.States()
}

// BuildFeatures derives the features of the people in scope (everyone
// when scope is nil) under the policy; everyone else takes the features
// their namesake in prev had, which must have been built from the same
// events under the same policy (an incremental update). Ghost-written
// commits relate people to each other and are recomputed for everyone.
// done, when set, is called after each person (progress).
func BuildFeatures(pop *Population, pol *policy.Policy, prev *Population, scope map[string]bool, done func()) {
	var allow *policy.Allow
	if pol != nil {
		allow = &pol.Allow
	}
	var loc activity.Locator
	for _, p := range pop.People {
		var was *Person
		if prev != nil {
			was = prev.Person(p.ID)
		}
		if scope != nil && !scope[p.ID] && was != nil {
			p.Features = was.Features
			p.Features.Ghostwrites = nil
			continue
		}
		p.Features = features(p, allow, &loc, was)
		if done != nil {
			done()
		}
	}
	for id, gs := range ghostwrites(pop) {
		pop.ByID[id].Features.Ghostwrites = gs
	}
	buildPeers(pop)
}

// Linked returns the people who share an identifier of the indexes with
// one of people (by id), people included.
func (x *Indexes) Linked(people map[string]bool) map[string]bool {
	out := make(map[string]bool, len(people))
	for id := range people {
		out[id] = true
	}
	for _, ix := range []Index[string]{x.Payout, x.Address, x.ShipTo, x.Serial, x.Phone, x.Mailbox} {
		linkHolders(ix, people, out)
	}
	linkHolders(x.IP, people, out)
	return out
}

// linkHolders adds to out every holder of an identifier of ix that one of
// people holds too.
func linkHolders[K comparable](ix Index[K], people, out map[string]bool) {
	for _, holders := range ix {
		if len(holders) < 2 || !slices.ContainsFunc(holders, func(id string) bool { return people[id] }) {
			continue
		}
		for _, id := range holders {
			out[id] = true
		}
	}
}

// features derives p's features; was, when not nil, is p in the previous
// analysis, whose claim p keeps when its roster record is the same.
func features(p *Person, allow *policy.Allow, loc *activity.Locator, was *Person) Features {
	var f Features
	if was != nil && was.Roster == p.Roster {
		f.Claim, f.HasClaim = was.Features.Claim, was.Features.HasClaim
	} else {
		f.Claim, f.HasClaim = activity.ClaimOf(p.Roster)
	}
	f.Homes = timeline(p)
	f.Code = codeUse(p)
	f.Touches = activity.Touches(p.SignIns, p.Audits, p.Commits)
	f.Working = activity.WithoutTravel(f.Touches, allow, p.ID)
	f.CommitHours = activity.WithoutTravel(activity.Touches(nil, nil, p.Commits), allow, p.ID)
	if since := f.Homes.CurrentSince(); !since.IsZero() {
		// The roster's time zone is the new home's: the hours kept
		// before the move answer to the old one.
		f.Working, f.CommitHours = touchesFrom(f.Working, since), touchesFrom(f.CommitHours, since)
	}
	if f.HasClaim {
		f.WorkZone, f.HasWorkZone = activity.Compare(f.Working, f.Claim)
		f.CommitZone, f.HasCommitZone = activity.Compare(f.CommitHours, f.Claim)
	}
	f.Clocks = activity.Clocks(p.Devices)
	f.Places = activity.Places(p.ID, p.SignIns, allow, loc)
	if len(f.Clocks) > 0 {
		f.Days = activity.Days(f.Clocks, f.Places)
	}
	countries, networks := map[string]*seenAcc{}, map[uint32]*seenAcc{}
	for _, e := range p.SignIns {
		n := e.Facts.Net
		if n == nil || e.SignIn.Outcome != event.OutcomeSuccess {
			continue
		}
		see(countries, n.Country, n.Country, e.Time)
		see(networks, e.Net().ASN, "", e.Time)
	}
	for asn, a := range networks {
		a.s.Key = "AS" + strconv.FormatUint(uint64(asn), 10)
	}
	f.Countries, f.Networks = seen(countries), seen(networks)
	return f
}

type seenAcc struct {
	s    Seen
	last int64
}

// see counts one sighting of k (label: its Key, when already known) at t;
// the zero k is no sighting.
func see[K comparable](m map[K]*seenAcc, k K, label string, t time.Time) {
	var zero K
	if k == zero {
		return
	}
	a := m[k]
	if a == nil {
		a = &seenAcc{s: Seen{Key: label, First: t, Last: t}, last: -1 << 62}
		m[k] = a
	}
	a.s.Events++
	if t.Before(a.s.First) {
		a.s.First = t
	}
	if t.After(a.s.Last) {
		a.s.Last = t
	}
	if d := t.Unix() / 86400; d != a.last { // events are in time order
		a.s.Days++
		a.last = d
	}
}

func seen[K comparable](m map[K]*seenAcc) []Seen {
	out := make([]Seen, 0, len(m))
	for _, a := range m {
		out = append(out, a.s)
	}
	slices.SortFunc(out, func(a, b Seen) int { return strings.Compare(a.Key, b.Key) })
	return out
}

func index(x *Indexes, p *Person) {
	for _, e := range p.Payouts {
		x.Payout.add(e.Payout.AccountKey(), p.ID)
	}
	x.Address.add(p.HomeKey(), p.ID)
	for _, e := range p.Shipments {
		x.Address.add(e.AddressKey(0), p.ID)
		x.ShipTo.add(e.AddressKey(0), p.ID)
		x.Serial.add(device.SerialKey(e.Shipment.AssetSerial), p.ID)
	}
	for _, e := range p.Devices {
		for _, s := range device.HostSerials(e.Device) {
			x.Serial.add(s, p.ID)
		}
	}
	records := p.Applicants
	if p.Roster != nil {
		records = append([]*event.Event{p.Roster}, records...)
	}
	for _, e := range records {
		if c := e.Contacts(); c != nil {
			for _, ph := range c.Phones {
				x.Phone.add(ph.Key, p.ID)
			}
			for _, m := range c.Mailboxes {
				x.Mailbox.add(m, p.ID)
			}
		}
	}
	for _, l := range [][]*event.Event{p.SignIns, p.Audits} {
		for _, e := range l {
			if n := e.Facts.Net; n != nil && n.Locates {
				x.IP.add(e.Net().IP.Unmap(), p.ID)
			}
		}
	}
}
