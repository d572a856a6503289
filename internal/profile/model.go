package profile

import (
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
	// Countries are the network countries of the person's successful
	// sign-ins, sorted by key.
	Countries []Seen
	// Networks are the autonomous systems ("AS7922") of the person's
	// successful sign-ins, sorted by key.
	Networks []Seen
}

// Seen summarises one value seen in a person's events.
type Seen struct {
	Key         string
	First, Last time.Time
	Days        int // distinct UTC days
	Events      int
}

// Index says who holds which identifier, across the population.
type Index map[string][]string // canonical value → ids of people, sorted, unique

// Holders returns the people holding value.
func (x Index) Holders(value string) []string { return x[value] }

func (x Index) add(value, person string) {
	if value == "" {
		return
	}
	if l := x[value]; len(l) == 0 || l[len(l)-1] != person {
		x[value] = append(l, person)
	}
}

// Indexes are the population indexes of identifiers, built from the
// stamped facts: payout account fingerprints (lower case), address keys
// (roster homes and ship-to addresses), device serials (osquery
// system_info hardware_serial, shipment asset serials), phone keys,
// canonical mailboxes and public IPs that locate a person.
type Indexes struct {
	Payout, Address, Serial, Phone, Mailbox, IP Index
}

// Build derives every person's features and the population indexes under
// the policy (pol may be nil), and learns the organisation's device
// states once. Run it after identity resolution over stamped events
// (internal/enrich.Stamp), before detection.
func Build(pop *Population, pol *policy.Policy) {
	BuildIndexes(pop)
	BuildFeatures(pop, pol, nil, nil)
}

// BuildIndexes builds the population indexes and learns the device states
// (the population-wide part of Build).
func BuildIndexes(pop *Population) {
	signIns := make([][]*event.Event, 0, len(pop.People))
	pop.Index = Indexes{Payout: Index{}, Address: Index{}, Serial: Index{}, Phone: Index{}, Mailbox: Index{}, IP: Index{}}
	for _, p := range pop.People { // sorted by ID, so every index list is sorted
		signIns = append(signIns, p.SignIns)
		index(&pop.Index, p)
	}
	pop.DeviceStates = activity.LearnDeviceStates(signIns...)
}

// BuildFeatures derives the features of the people in scope (everyone
// when scope is nil) under the policy; everyone else takes the features
// their namesake in prev had, which must have been built from the same
// events under the same policy (an incremental update).
func BuildFeatures(pop *Population, pol *policy.Policy, prev *Population, scope map[string]bool) {
	var allow *policy.Allow
	if pol != nil {
		allow = &pol.Allow
	}
	var loc activity.Locator
	for _, p := range pop.People {
		if scope != nil && !scope[p.ID] && prev != nil {
			if q := prev.Person(p.ID); q != nil {
				p.Features = q.Features
				continue
			}
		}
		p.Features = features(p, allow, &loc)
	}
}

// Linked returns the people who share an identifier of the indexes with
// one of people (by id), people included.
func (x *Indexes) Linked(people map[string]bool) map[string]bool {
	out := make(map[string]bool, len(people))
	for id := range people {
		out[id] = true
	}
	for _, ix := range []Index{x.Payout, x.Address, x.Serial, x.Phone, x.Mailbox, x.IP} {
		for _, holders := range ix {
			if len(holders) < 2 || !slices.ContainsFunc(holders, func(id string) bool { return people[id] }) {
				continue
			}
			for _, id := range holders {
				out[id] = true
			}
		}
	}
	return out
}

func features(p *Person, allow *policy.Allow, loc *activity.Locator) Features {
	var f Features
	f.Claim, f.HasClaim = activity.ClaimOf(p.Roster)
	f.Touches = activity.Touches(p.SignIns, p.Audits, p.Commits)
	f.Working = activity.WithoutTravel(f.Touches, allow, p.ID)
	f.CommitHours = activity.WithoutTravel(activity.Touches(nil, nil, p.Commits), allow, p.ID)
	if f.HasClaim {
		f.WorkZone, f.HasWorkZone = activity.Compare(f.Working, f.Claim)
		f.CommitZone, f.HasCommitZone = activity.Compare(f.CommitHours, f.Claim)
	}
	f.Clocks = activity.Clocks(p.Devices)
	f.Places = activity.Places(p.ID, p.SignIns, allow, loc)
	countries, networks := map[string]*seenAcc{}, map[string]*seenAcc{}
	for _, e := range p.SignIns {
		n := e.Facts.Net
		if n == nil || e.SignIn.Outcome != event.OutcomeSuccess {
			continue
		}
		see(countries, n.Country, e.Time)
		if asn := e.SignIn.Net.ASN; asn != 0 {
			see(networks, "AS"+strconv.FormatUint(uint64(asn), 10), e.Time)
		}
	}
	f.Countries, f.Networks = seen(countries), seen(networks)
	return f
}

type seenAcc struct {
	s    Seen
	last int64
}

func see(m map[string]*seenAcc, key string, t time.Time) {
	if key == "" {
		return
	}
	a := m[key]
	if a == nil {
		a = &seenAcc{s: Seen{Key: key, First: t, Last: t}, last: -1 << 62}
		m[key] = a
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

func seen(m map[string]*seenAcc) []Seen {
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
		x.Serial.add(device.SerialKey(e.Shipment.AssetSerial), p.ID)
	}
	for _, e := range p.Devices {
		if d := e.Device; d != nil && (d.Table == "system_info" || strings.Contains(d.Query, "system_info")) {
			for _, row := range d.Rows {
				x.Serial.add(device.SerialKey(row["hardware_serial"]), p.ID)
			}
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
				x.IP.add(e.Net().IP.Unmap().String(), p.ID)
			}
		}
	}
}
