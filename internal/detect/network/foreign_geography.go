package network

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/enrich/ipintel"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/geo"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/profile"
)

// ForeignGeography is NET-02: the person's sign-ins come from another
// country than the roster's home address, persistently (many days over
// many weeks, not one trip) or as recurring leaks between home-country
// sign-ins.
type ForeignGeography struct{}

var _ detect.PersonScoped = (*ForeignGeography)(nil)

// ID implements detect.Indicator.
func (*ForeignGeography) ID() string { return "NET-02" }

// Name implements detect.Indicator.
func (*ForeignGeography) Name() string {
	return "Sign-in geography persistently outside the claimed country"
}

// Stage implements detect.Indicator.
func (*ForeignGeography) Stage() detect.Stage { return detect.StageNetwork }

// Strength implements detect.Indicator: M–H in the catalogue; the
// confidence of a finding carries the difference.
func (*ForeignGeography) Strength() detect.Strength { return detect.Medium }

// Sources implements detect.Indicator. The roster (scim) supplies the
// claimed country and is required besides one of these.
func (*ForeignGeography) Sources() []string { return []string{"okta", "entra", "gworkspace"} }

// Weight implements detect.Indicator.
func (*ForeignGeography) Weight() float64 { return 40 }

// Description implements detect.Indicator.
func (*ForeignGeography) Description() string {
	return "The person's successful sign-ins come from a country other than the one of the home address on the roster, " +
		"and not as a trip: either on at least 20% of their sign-in days, in at least three different weeks, and not as one " +
		"or two stays of three weeks or less (persistence); or as sign-ins from the foreign country slipped in between " +
		"home-country (or VPN) sign-ins less than 12 hours before and after, in at least three different weeks, again not " +
		"within one or two short stays (leaks: the operative's own connection showing when the VPN or remote-control " +
		"set-up drops). Mandiant's incident responders found laptops whose egress was persistently in another region than " +
		"the claimed home. Sign-ins through VPNs, hosting networks, enterprise gateways, privacy relays and allow-listed " +
		"VPN/egress ranges are left out (their geography is not the person's), as are sign-ins in approved travel windows " +
		"(allow.travel). People without a roster country (applicants) are skipped. " +
		"Known false positives: staff who moved or work abroad for long periods without the roster being updated (an HR " +
		"matter, but not covert work); frequent travel to one country without travel windows; cross-border commuters whose " +
		"ISP geolocates to the neighbouring country."
}

// References implements detect.Indicator.
func (*ForeignGeography) References() []string {
	return []string{
		"Mandiant (Google Cloud), Staying a Step Ahead: Mitigating the DPRK IT Worker Threat, Sept 2024 (corporate laptops egressing from another region than the claimed home)",
		"US Department of State, Treasury and FBI, Guidance on the Democratic People's Republic of Korea Information Technology Workers, May 2022",
	}
}

// Examples implements detect.Indicator.
func (*ForeignGeography) Examples() detect.Examples {
	abroad := []*event.Event{rosterRecord(1, "E500", "kpark@example.com", "US")}
	trip := []*event.Event{rosterRecord(1, "E600", "lgarcia@example.com", "US")}
	for i := range 56 {
		t := exampleStart.AddDate(0, 0, i)
		abroad = append(abroad, oktaSignIn(i+1, "kpark@example.com", t, shenyang))
		n := homeUS
		if i >= 20 && i < 34 { // a two-week trip to the UK
			n = homeGB
		}
		trip = append(trip, oktaSignIn(i+1, "lgarcia@example.com", t, n))
	}
	return detect.Examples{
		Positive: detect.Example{Name: "us_roster_eight_weeks_of_sign_ins_from_china", Events: abroad, Person: "E500"},
		Negative: detect.Example{Name: "two_week_trip_to_the_uk", Events: trip, Person: "E600"},
	}
}

const (
	// minShare and minWeeks: persistence needs this share of sign-in days
	// abroad in one country, over this many distinct weeks.
	minShare = 0.20
	minWeeks = 3
	// Trips: foreign days with gaps of at most tripGap form one stay; one
	// or two stays of at most maxTrip are travel, not persistence.
	tripGap  = 7 * 24 * time.Hour
	maxTrip  = 21 * 24 * time.Hour
	maxTrips = 2
	// leakGap: a leak lies within this time of the sign-ins around it.
	leakGap = 12 * time.Hour
)

// located is one successful sign-in and where it puts the person: the
// country when the geography is the person's, else "" (VPN, gateway,
// allow-listed network).
type located struct {
	e       *event.Event
	country string
}

// abroad is what was seen of the person in one foreign country.
type abroad struct {
	country   string
	days      []time.Time    // distinct days with a sign-in there, in order
	first     []*event.Event // the first sign-in of each of those days
	leaks     []*event.Event // sign-ins there between home / masked ones
	leakDays  []time.Time    // distinct days with a leak
	leakWhy   map[*event.Event]string
	weeks     map[week]bool
	leakWeeks map[week]bool
}

func (a *abroad) addDay(e *event.Event) {
	d := detect.Day(e.Time)
	if n := len(a.days); n > 0 && a.days[n-1].Equal(d) {
		return
	}
	a.days = append(a.days, d)
	a.first = append(a.first, e)
	a.weeks[weekOf(d)] = true
}

func (a *abroad) addLeak(e *event.Event, why string) {
	a.leaks = append(a.leaks, e)
	a.leakWhy[e] = why
	a.leakWeeks[weekOf(e.Time)] = true
	if d := detect.Day(e.Time); len(a.leakDays) == 0 || !a.leakDays[len(a.leakDays)-1].Equal(d) {
		a.leakDays = append(a.leakDays, d)
	}
}

// tripLike reports whether days (in order) are one or two stays of at most
// maxTrip each.
func tripLike(days []time.Time) bool {
	stays, start := 1, days[0]
	for i := 1; i < len(days); i++ {
		if days[i].Sub(days[i-1]) > tripGap {
			if days[i-1].Sub(start) > maxTrip {
				return false
			}
			stays++
			start = days[i]
		}
	}
	return stays <= maxTrips && days[len(days)-1].Sub(start) <= maxTrip
}

// verdict is one qualifying country.
type verdict struct {
	a          *abroad
	persistent bool
	leaky      bool
	share      float64
	conf       float64
}

// Detect implements detect.Indicator.
func (d *ForeignGeography) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	allow := in.Allow()
	return detect.EachPerson(ctx, in, "NET-02", func(p *profile.Person) (detect.Finding, bool) { return d.person(p, allow) })
}

func (d *ForeignGeography) person(p *profile.Person, allow *policy.Allow) (detect.Finding, bool) {
	home := geo.Alpha2(p.Country())
	if home == "" {
		return detect.Finding{}, false
	}
	// A sign-in is at home in the country claimed at its time: before a
	// relocation the old home, after it the new one (profile.Timeline).
	atHome := func(country string, t time.Time) bool {
		return country == home || p.Features.Homes.CountryAt(country, t)
	}
	var ls []located
	for _, e := range p.SignIns {
		if !detect.Succeeded(e) {
			continue
		}
		l := located{e: e}
		switch f := e.Facts.Net; f.Verdict.Kind {
		case event.NetOrdinary, event.NetMobile:
			l.country = f.Country
			if l.country == "" {
				continue // no geography at all: tells nothing
			}
		}
		ls = append(ls, l)
	}
	active := map[time.Time]bool{}
	byCountry := map[string]*abroad{}
	for i, l := range ls {
		if l.country == "" {
			continue
		}
		active[detect.Day(l.e.Time)] = true
		if atHome(l.country, l.e.Time) {
			continue
		}
		if allow != nil {
			if _, ok := allow.TravelApproved(p.ID, l.country, l.e.Time); ok {
				continue
			}
		}
		a := byCountry[l.country]
		if a == nil {
			a = &abroad{country: l.country, weeks: map[week]bool{}, leakWeeks: map[week]bool{}, leakWhy: map[*event.Event]string{}}
			byCountry[l.country] = a
		}
		a.addDay(l.e)
		if why, ok := leak(ls, i, atHome); ok {
			a.addLeak(l.e, why)
		}
	}
	var vs []verdict
	for _, a := range byCountry {
		v := verdict{a: a, share: float64(len(a.days)) / float64(len(active))}
		if v.share >= minShare && len(a.weeks) >= minWeeks && !tripLike(a.days) {
			v.persistent = true
			v.conf = min(1, 0.4+v.share)
		}
		if len(a.leakWeeks) >= minWeeks && !tripLike(a.leakDays) {
			v.leaky = true
			v.conf = max(v.conf, min(1, 0.5+0.1*float64(len(a.leakWeeks)-minWeeks)))
		}
		if v.persistent || v.leaky {
			vs = append(vs, v)
		}
	}
	if len(vs) == 0 {
		return detect.Finding{}, false
	}
	slices.SortFunc(vs, func(x, y verdict) int {
		if x.conf != y.conf {
			if x.conf > y.conf {
				return -1
			}
			return 1
		}
		return strings.Compare(x.a.country, y.a.country)
	})
	var parts []string
	var ev []detect.Evidence
	for _, v := range vs {
		a := v.a
		if v.persistent {
			parts = append(parts, fmt.Sprintf("signed in from %s on %s of %d sign-in days (%.0f%%) across %s",
				a.country, detect.Count(len(a.days), "day"), len(active), 100*v.share, detect.Count(len(a.weeks), "week")))
			for _, e := range a.first {
				ev = append(ev, detect.EvidenceOf(e, "%s %s from %s: first sign-in of the day from %s; roster home country %s",
					detect.Stamp(e.Time), e.SignIn.Action, ipintel.Describe(e.Net()), a.country, home))
			}
		}
		if v.leaky {
			parts = append(parts, fmt.Sprintf("%s from %s between home-country or VPN sign-ins, in %s",
				detect.Count(len(a.leaks), "sign-in"), a.country, detect.Count(len(a.leakWeeks), "week")))
			for _, e := range a.leaks {
				ev = append(ev, detect.EvidenceOf(e, "%s %s from %s between %s; roster home country %s",
					detect.Stamp(e.Time), e.SignIn.Action, ipintel.Describe(e.Net()), a.leakWhy[e], home))
			}
		}
	}
	ev = detect.DedupEvidence(ev)
	ev, more := detect.CapEvidence(ev)
	return detect.Finding{
		Indicator:  d.ID(),
		Person:     p.ID,
		Summary:    fmt.Sprintf("claimed residence %s; %s%s", home, strings.Join(parts, "; "), more),
		Confidence: detect.Round2(vs[0].conf),
		Evidence:   ev,
	}, true
}

// leak reports whether ls[i] (abroad) lies between two sign-ins, each
// within leakGap, that put the person at home (atHome) or behind a VPN /
// gateway, and describes them.
func leak(ls []located, i int, atHome func(string, time.Time) bool) (string, bool) {
	if i == 0 || i == len(ls)-1 {
		return "", false
	}
	prev, next := ls[i-1], ls[i+1]
	t := ls[i].e.Time
	if t.Sub(prev.e.Time) > leakGap || next.e.Time.Sub(t) > leakGap {
		return "", false
	}
	for _, n := range []located{prev, next} {
		if n.country != "" && !atHome(n.country, n.e.Time) {
			return "", false
		}
	}
	return fmt.Sprintf("sign-ins from %s at %s and %s at %s", where(prev), detect.Stamp(prev.e.Time), where(next), detect.Stamp(next.e.Time)), true
}

func where(l located) string {
	if l.country != "" {
		return l.country
	}
	return "a masked network (" + ipintel.Describe(l.e.Net()) + ")"
}

// PersonScoped implements detect.PersonScoped: a finding about a person
// depends on that person's own model alone.
func (d *ForeignGeography) PersonScoped() {}
