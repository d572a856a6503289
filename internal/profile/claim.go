package profile

import (
	"slices"
	"time"

	"github.com/rollcall/rollcall/internal/enrich/activity"
	"github.com/rollcall/rollcall/internal/enrich/address"
	"github.com/rollcall/rollcall/internal/event"
)

// MoveWindow is how far apart the parts of one relocation may fall: the HR
// record's change, the payroll's move to a bank in the new country, the
// first sign-ins from the new country, a laptop shipped to the new home.
// An observation this close to a change of claimed home is judged against
// the claims on both sides of it.
const MoveWindow = 31 * 24 * time.Hour

// Home is one period of the claimed home in a person's timeline.
type Home struct {
	// From is when the claim took effect: the version (SCIM
	// meta.lastModified) of the roster record that first shows it; zero
	// for the first home, in force since before anything seen.
	From    time.Time
	Address event.Address
	Country string // ISO alpha-2, upper case; "" when unknown
	// Record is the roster record that shows the home, or, for a home
	// inferred from shipments (Inferred), the earliest shipment there.
	Record   *event.Event
	Inferred bool
}

// Move is a change of claimed home, and what followed it.
type Move struct {
	At       time.Time // the later home's From
	From, To Home
	// Payout is the first payout into a bank in the new country, near At
	// (set only when the country changed); SignIn the first sign-in from
	// the new country after At (country changes only, when sign-ins from
	// the new country are the majority after it); Shipment a shipment
	// to the new home near At.
	Payout, SignIn, Shipment *event.Event
	// Relocation is true when everything the data shows followed the
	// change together: for a change of country, payroll (when the person
	// has payouts) and sign-ins (when they have any after it); for a move
	// inside a country, a shipment to the new home or a roster history
	// showing the change.
	Relocation bool
}

// Timeline is the claimed home over time.
type Timeline struct {
	Homes []Home // in time order; empty when the roster names no home
	Moves []Move // one per change between consecutive Homes
}

// At returns the homes whose claim covers t: the one in force at t, and a
// neighbour whose change lies within MoveWindow of t (during a move both
// the old and the new home are the person's). Nil when there is no claim.
func (tl *Timeline) At(t time.Time) []Home {
	if len(tl.Homes) == 0 {
		return nil
	}
	i := 0
	for i+1 < len(tl.Homes) && !t.Before(tl.Homes[i+1].From) {
		i++
	}
	out := []Home{tl.Homes[i]}
	if i > 0 && t.Sub(tl.Homes[i].From) < MoveWindow {
		out = append(out, tl.Homes[i-1])
	}
	if i+1 < len(tl.Homes) && tl.Homes[i+1].From.Sub(t) < MoveWindow {
		out = append(out, tl.Homes[i+1])
	}
	return out
}

// CountryAt reports whether country (ISO alpha-2) is a claimed country of
// residence at t (see At); false when there is no claim.
func (tl *Timeline) CountryAt(country string, t time.Time) bool {
	for _, h := range tl.At(t) {
		if h.Country == country {
			return true
		}
	}
	return false
}

// AddressAt reports whether a is a claimed home at t (see At).
func (tl *Timeline) AddressAt(a event.Address, t time.Time) bool {
	for _, h := range tl.At(t) {
		if address.Same(h.Address, a) {
			return true
		}
	}
	return false
}

// Relocated returns the last move that was a relocation, or nil.
func (tl *Timeline) Relocated() *Move {
	for i := len(tl.Moves) - 1; i >= 0; i-- {
		if tl.Moves[i].Relocation {
			return &tl.Moves[i]
		}
	}
	return nil
}

// CurrentSince returns when the roster's current claim (home and time
// zone) took effect, when a relocation to another country changed it; the
// zero time otherwise. Comparisons of activity with the roster's time zone
// start there: the hours kept before the move answer to the old home.
func (tl *Timeline) CurrentSince() time.Time {
	if m := tl.Relocated(); m != nil && m.From.Country != m.To.Country && m == &tl.Moves[len(tl.Moves)-1] {
		return m.At
	}
	return time.Time{}
}

// timeline builds the person's claimed home over time. The roster history
// (snapshots of the roster, in version order) gives the recorded homes.
// When it shows one home only, a change of country is inferred from the
// shipments: a laptop shipped to a residence in another country before the
// roster record was last modified (after hire) is the earlier home — kept
// only when payroll and sign-ins moved with the record (a relocation); an
// unfollowed change is no history, and everything is judged against the
// roster as it stands.
func timeline(p *Person) Timeline {
	var tl Timeline
	for _, e := range p.RosterHistory {
		a := e.Person.HomeAddress()
		if a == nil {
			continue
		}
		h := Home{Address: *a, Country: address.Country(*a), Record: e}
		if n := len(tl.Homes); n > 0 {
			last := tl.Homes[n-1]
			if address.Same(last.Address, h.Address) || last.Country == h.Country && (address.Key(h.Address) == "" || address.Key(last.Address) == "") {
				continue
			}
			h.From = RosterVersion(e)
		}
		tl.Homes = append(tl.Homes, h)
	}
	if len(tl.Homes) == 1 {
		if earlier, ok := shippedEarlierHome(p, tl.Homes[0]); ok {
			cur := tl.Homes[0]
			cur.From = RosterVersion(p.Roster)
			m := follow(p, earlier, cur, true)
			if !m.Relocation {
				return tl // one home, judged as the roster stands
			}
			cur.From = m.At
			m.To = cur
			return Timeline{Homes: []Home{earlier, cur}, Moves: []Move{m}}
		}
	}
	for i := 1; i < len(tl.Homes); i++ {
		tl.Moves = append(tl.Moves, follow(p, tl.Homes[i-1], tl.Homes[i], false))
	}
	return tl
}

// shippedEarlierHome finds the home a person had before the roster's last
// modification, from the shipments: the last shipment before it to a
// street address in another country than the current home. Whether it was
// a home is for follow to confirm: payroll and sign-ins must have moved
// from that country to the roster's.
func shippedEarlierHome(p *Person, cur Home) (Home, bool) {
	hr := p.HR()
	if hr == nil || hr.Modified.IsZero() || cur.Country == "" || !hr.Modified.After(hr.Created) {
		return Home{}, false
	}
	var found *event.Event
	for _, e := range p.Shipments {
		if !e.Time.Before(hr.Modified) {
			break
		}
		to := e.Shipment.ShipTo
		if c := address.Country(to); c == "" || c == cur.Country || address.Key(to) == "" {
			continue
		}
		found = e
	}
	if found == nil {
		return Home{}, false
	}
	to := found.Shipment.ShipTo
	return Home{Address: to, Country: address.Country(to), Record: found, Inferred: true}, true
}

// follow says what followed the change from one home to the next. For an
// inferred earlier home the change is dated by what followed (the first
// payout or sign-in in the new country), as the roster's modification may
// be a later, unrelated edit.
func follow(p *Person, from, to Home, inferred bool) Move {
	m := Move{At: to.From, From: from, To: to}
	if from.Country != to.Country && to.Country != "" {
		m.Payout = firstPayoutIn(p, to.Country)
		m.SignIn = signInsMoved(p, from.Country, to.Country)
		if inferred {
			// The move is when payroll or sign-ins moved, whichever came
			// first; the roster's edit must come after it.
			at := time.Time{}
			for _, e := range []*event.Event{m.Payout, m.SignIn} {
				if e != nil && (at.IsZero() || e.Time.Before(at)) {
					at = e.Time
				}
			}
			if at.IsZero() || at.After(to.From.Add(MoveWindow)) {
				return m
			}
			m.At = at
		}
		if m.Payout != nil && m.Payout.Time.Sub(m.At).Abs() > MoveWindow && !inferred {
			m.Payout = nil
		}
		paid := len(p.Payouts) > 0
		signedIn := signInsAfter(p, m.At)
		m.Relocation = (!paid || m.Payout != nil) && (!signedIn || m.SignIn != nil) && (paid || signedIn)
		if inferred { // both must have moved, together
			m.Relocation = m.Relocation && m.Payout != nil && m.SignIn != nil && m.Payout.Time.Sub(m.SignIn.Time).Abs() <= MoveWindow
		}
	}
	for _, e := range p.Shipments {
		if e.Time.Sub(m.At).Abs() <= MoveWindow && address.Same(e.Shipment.ShipTo, to.Address) {
			m.Shipment = e
			break
		}
	}
	if from.Country == to.Country {
		m.Relocation = !inferred
	}
	return m
}

// firstPayoutIn returns the first payout into a bank in country after the
// last one into a bank elsewhere, or nil when payroll never moved there.
func firstPayoutIn(p *Person, country string) *event.Event {
	var first *event.Event
	for _, e := range p.Payouts {
		switch address.CountryCode(e.Payout.BankCountry) {
		case country:
			if first == nil {
				first = e
			}
		case "":
		default:
			first = nil
		}
	}
	if first == nil || first == firstOf(p.Payouts) {
		return nil // always paid there: payroll did not move
	}
	return first
}

func firstOf(l []*event.Event) *event.Event {
	if len(l) == 0 {
		return nil
	}
	return l[0]
}

// located reports the country a successful sign-in puts the person in
// (ordinary and mobile networks only), or "".
func located(e *event.Event) string {
	n := e.Facts.Net
	if n == nil || e.SignIn == nil || e.SignIn.Outcome != event.OutcomeSuccess {
		return ""
	}
	if k := n.Verdict.Kind; k != event.NetOrdinary && k != event.NetMobile {
		return ""
	}
	return n.Country
}

// signInsMoved returns the first sign-in from to, when sign-ins located
// in from before it and in to from it on are each the majority of their
// side; nil otherwise.
func signInsMoved(p *Person, from, to string) *event.Event {
	var ls []*event.Event
	for _, e := range p.SignIns {
		if located(e) != "" {
			ls = append(ls, e)
		}
	}
	for i, e := range ls {
		if located(e) != to {
			continue
		}
		if before, after := ls[:i], ls[i:]; majority(after, to) && (len(before) == 0 || majority(before, from)) {
			return e
		}
	}
	return nil
}

func majority(l []*event.Event, country string) bool {
	n := 0
	for _, e := range l {
		if located(e) == country {
			n++
		}
	}
	return 2*n > len(l)
}

// signInsAfter reports whether the person has located sign-ins after t.
func signInsAfter(p *Person, t time.Time) bool {
	for i := len(p.SignIns) - 1; i >= 0; i-- {
		e := p.SignIns[i]
		if !e.Time.After(t) {
			return false
		}
		if located(e) != "" {
			return true
		}
	}
	return false
}

// touchesFrom returns the touches (in time order) at or after t.
func touchesFrom(ts []activity.Touch, t time.Time) []activity.Touch {
	i, _ := slices.BinarySearchFunc(ts, t, func(x activity.Touch, t time.Time) int { return x.At.Compare(t) })
	return ts[i:]
}
