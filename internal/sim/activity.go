package sim

import (
	"math/rand/v2"
	"slices"
	"time"
)

// Activity is one work session of one person: when it started and ended,
// the public address it came from, the device used and the device that
// completed MFA. It is the model every sign-in and audit writer reads.
type Activity struct {
	Person         *Person
	Day            int // day index the activity belongs to
	Start          time.Time
	End            time.Time
	Egress         *Egress
	Device         *Device // the device the session runs on
	MFA            *Device // the device that completed MFA; nil when not prompted
	Failures       int     // failed password attempts just before the session
	Logout         bool    // ended by sign-out (else the session expires)
	PasswordChange bool    // the password was changed during the session
	Where          *Place  // where the person physically is (truth)
	SessionID      string  // Okta externalSessionId
}

// EachDay calls fn for every simulated day in order with the activities of
// all people that day, sorted by start time. Every activity of day d starts
// at or after local midnight of d in a zone at most 14 hours ahead of UTC,
// so an event-level writer may flush everything before Watermark(d).
func (o *Org) EachDay(fn func(day int, acts []*Activity) error) error {
	rs := newReseeder()
	var buf []*Activity
	for d := range o.cfg.Days {
		buf = buf[:0]
		for _, p := range o.People {
			buf = o.personDay(rs.at(o.cfg.Seed, streamActivity, uint64(p.Index), uint64(d)), p, d, buf)
		}
		slices.SortStableFunc(buf, func(a, b *Activity) int { return a.Start.Compare(b.Start) })
		if err := fn(d, buf); err != nil {
			return err
		}
	}
	return nil
}

// PersonActivities returns all activities of one person over the window.
func (o *Org) PersonActivities(p *Person) []*Activity {
	rs := newReseeder()
	var out []*Activity
	for d := range o.cfg.Days {
		out = o.personDay(rs.at(o.cfg.Seed, streamActivity, uint64(p.Index), uint64(d)), p, d, out)
	}
	slices.SortStableFunc(out, func(a, b *Activity) int { return a.Start.Compare(b.Start) })
	return out
}

// Watermark is the instant before which no activity of a day after d can
// have an event: 00:00 UTC of day d+1 minus 14 hours.
func (o *Org) Watermark(d int) time.Time {
	return o.start.AddDate(0, 0, d+1).Add(-14 * time.Hour)
}

// personDay appends the activities of p on day d.
func (o *Org) personDay(r *rand.Rand, p *Person, d int, out []*Activity) []*Activity {
	if p.Op != nil {
		return o.operativeDay(r, p, d, out)
	}
	return o.legitDay(r, p, d, out)
}

// employed reports whether p works at instant t.
func (p *Person) employed(t time.Time) bool {
	return !t.Before(p.Hired) && (p.Terminated.IsZero() || t.Before(p.Terminated))
}

// session builds an activity of length dur starting at start.
func newActivity(r *rand.Rand, p *Person, d int, start time.Time, dur time.Duration, e *Egress, dev *Device, where *Place) *Activity {
	start = start.Truncate(time.Millisecond).Add(time.Duration(r.IntN(1000)) * time.Millisecond)
	return &Activity{Person: p, Day: d, Start: start, End: start.Add(dur), Egress: e, Device: dev, Where: where,
		SessionID: "idx" + randBase62(r, 22), Logout: chance(r, 0.3)}
}

// legitDay is a day of a legitimate employee.
func (o *Org) legitDay(r *rand.Rand, p *Person, d int, out []*Activity) []*Activity {
	pl := &p.plan
	homePlace, loc := p.Home.Place, p.Loc()
	if rl := pl.relocation; rl != nil && d < rl.day {
		homePlace, loc = rl.from.Place, zone(rl.tz)
	}
	for i := range pl.trips {
		if t := &pl.trips[i]; d >= t.depart && d <= t.back {
			return o.tripDay(r, p, t, d, homePlace, loc, out)
		}
	}
	lm := o.midnight(d, loc)
	work := o.workday(lm, homePlace.Country) && !(pl.vacation[1] > 0 && d >= pl.vacation[0] && d < pl.vacation[0]+pl.vacation[1])
	home := p.homeEgress(d)
	if !work {
		if chance(r, pl.weekendWork) {
			if a := o.legitSession(r, p, d, lm.Add(minutes(float64(between(r, 10*60, 16*60)))), minutes(float64(between(r, 20, 90))), home, homePlace); a != nil {
				out = append(out, a)
			}
		}
		return out
	}
	startH := normal(r, pl.startMean, 0.6, 6.2, 12)
	if pl.nightOwl {
		startH = normal(r, 10.8, 0.8, 9, 13)
	}
	start := lm.Add(minutes(startH * 60))
	if p.Hired.After(lm) {
		if !p.Hired.Before(lm.Add(24 * time.Hour)) {
			return out
		}
		start = p.Hired.Add(minutes(float64(between(r, 8*60+30, 9*60+45)))) // first day: after orientation
	}
	if !p.employed(start) {
		return out
	}
	e := home
	switch {
	case pl.office && lm.Weekday() >= time.Tuesday && lm.Weekday() <= time.Thursday && chance(r, 0.8):
		e = o.office.Egress
	case pl.zscaler != nil:
		e = pick(r, pl.zscaler)
	case pl.vpnShare > 0 && chance(r, pl.vpnShare):
		exits := o.vpnExitsUS
		if c := homePlace.Country; c != "US" && c != "CA" && c != "MX" && c != "BR" {
			exits = o.vpnExitsEU
		}
		e = exits[(p.Index*7+r.IntN(3))%len(exits)] // a few favourite exits
	case chance(r, 0.02): // a café or co-working space
		isp := ispByKey(pick(r, homePlace.ISPs))
		e = newEgress(r, isp.randomIP(r), isp, homePlace)
	}
	a := o.legitSession(r, p, d, start, minutes(normal(r, 540, 50, 300, 660)), e, homePlace)
	if a == nil {
		return out
	}
	if pl.personalShare > 0 && chance(r, pl.personalShare) {
		a.Device = p.PersonalPC
		if e == o.office.Egress {
			a.Egress = home
		}
	}
	a.PasswordChange = d == pl.pwChange
	out = append(out, a)
	if pl.mobile != nil && chance(r, pl.mobileShare) {
		t := lm.Add(minutes(float64(between(r, 11*60+30, 20*60))))
		if p.employed(t) {
			m := newActivity(r, p, d, t, minutes(float64(between(r, 10, 60))), o.mobileEgress(r, pl.mobile, homePlace), p.MFAPhone, homePlace)
			out = append(out, m)
		}
	}
	if pl.nightOwl && chance(r, 0.5) {
		t := lm.Add(24*time.Hour + minutes(float64(between(r, 60, 4*60))))
		if p.employed(t) {
			n := newActivity(r, p, d, t, minutes(float64(between(r, 30, 120))), home, p.Laptop, homePlace)
			if chance(r, 0.5) {
				n.MFA = p.MFAPhone
			}
			out = append(out, n)
		}
	}
	return out
}

// legitSession is an ordinary laptop session with the usual MFA prompt and
// the odd mistyped password.
func (o *Org) legitSession(r *rand.Rand, p *Person, d int, start time.Time, dur time.Duration, e *Egress, where *Place) *Activity {
	if !p.employed(start) {
		return nil
	}
	a := newActivity(r, p, d, start, dur, e, p.Laptop, where)
	if chance(r, 0.85) {
		a.MFA = p.MFAPhone
	}
	if chance(r, 0.03) {
		a.Failures = between(r, 1, 2)
	}
	return a
}

// mobileEgress is an address of a mobile carrier: T-Mobile from a small
// shared CGNAT pool of the metro, the others from their large pools.
func (o *Org) mobileEgress(r *rand.Rand, isp *ISP, home *Place) *Egress {
	if pool := o.mobileNAT[home.City]; isp.Key == "tmobile" && len(pool) > 0 {
		return pick(r, pool)
	}
	return newEgress(r, isp.randomIP(r), isp, home)
}

// tripDay is a day of a trip: the flight out, days at the destination on
// local hours from the hotel (now and then a phone hotspot that roams on the
// home carrier and so appears at home), and the flight back.
func (o *Org) tripDay(r *rand.Rand, p *Person, t *trip, d int, homePlace *Place, homeLoc *time.Location, out []*Activity) []*Activity {
	dest := t.dest
	switch d {
	case t.depart:
		lm := o.midnight(d, homeLoc)
		start := lm.Add(minutes(normal(r, 8, 0.4, 7, 9) * 60))
		leave := t.outArrive.Add(-flightDuration(homePlace, dest)).Add(-2 * time.Hour)
		if leave.Sub(start) > 30*time.Minute {
			if a := o.legitSession(r, p, d, start, leave.Sub(start), p.homeEgress(d), homePlace); a != nil {
				out = append(out, a)
			}
		}
		return out
	case t.back:
		lm := o.midnight(d, dest.Loc())
		start := lm.Add(minutes(normal(r, 7.5, 0.3, 6.5, 8.5) * 60))
		if leave := t.backDepart.Add(-2 * time.Hour); leave.Sub(start) > 20*time.Minute && start.After(t.outArrive) {
			if a := o.legitSession(r, p, d, start, leave.Sub(start), t.hotel, dest); a != nil {
				out = append(out, a)
			}
		}
		return out
	}
	lm := o.midnight(d, dest.Loc())
	work := lm.Weekday() != time.Saturday && lm.Weekday() != time.Sunday
	start := lm.Add(minutes(normal(r, 8.5, 0.5, 7, 10) * 60))
	if !work {
		if !chance(r, 0.4) {
			return out
		}
		start = lm.Add(minutes(float64(between(r, 10*60, 17*60))))
	}
	if earliest := t.outArrive.Add(75 * time.Minute); start.Before(earliest) {
		if earliest.Sub(lm) > 23*time.Hour {
			return out
		}
		start = earliest.Add(minutes(float64(r.IntN(60)))) // check in from the hotel after landing
	}
	dur := minutes(normal(r, 480, 60, 120, 600))
	if !work {
		dur = minutes(float64(between(r, 30, 120)))
	}
	e := t.hotel
	if p.plan.mobile != nil && chance(r, 0.15) {
		e = o.mobileEgress(r, p.plan.mobile, homePlace) // roaming data is routed home
	}
	if a := o.legitSession(r, p, d, start, dur, e, dest); a != nil {
		out = append(out, a)
	}
	return out
}

// workday reports whether the local date of lm is a working day in country.
func (o *Org) workday(lm time.Time, country string) bool {
	wd := lm.Weekday()
	if wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return country != "US" || !usHoliday(lm)
}

// usHoliday reports whether t's date is a US federal holiday the company
// observes.
func usHoliday(t time.Time) bool {
	y, m, d := t.Date()
	wd := t.Weekday()
	nth := (d-1)/7 + 1
	observed := func(hm time.Month, hd int) bool {
		h := time.Date(y, hm, hd, 0, 0, 0, 0, time.UTC)
		switch h.Weekday() {
		case time.Saturday:
			h = h.AddDate(0, 0, -1)
		case time.Sunday:
			h = h.AddDate(0, 0, 1)
		}
		return h.Month() == m && h.Day() == d
	}
	switch {
	case observed(time.January, 1), observed(time.June, 19), observed(time.July, 4), observed(time.December, 25):
		return true
	case m == time.January && wd == time.Monday && nth == 3,
		m == time.February && wd == time.Monday && nth == 3,
		m == time.May && wd == time.Monday && d > 24,
		m == time.September && wd == time.Monday && nth == 1,
		m == time.November && wd == time.Thursday && nth == 4,
		m == time.November && wd == time.Friday && d >= 23 && d <= 29:
		return true
	}
	return false
}

// operativeDay is a day of an operative: the company laptop at the farm
// (or wherever it was shipped) driven remotely on the operator's hours,
// sessions from the operator's own machine through VPN exits, and the odd
// session that leaks the real location.
func (o *Org) operativeDay(r *rand.Rand, p *Person, d int, out []*Activity) []*Activity {
	op := p.Op
	c := op.Cell
	loc := p.scheduleLoc()
	lm := o.midnight(d, loc)
	wd := lm.Weekday()
	work := wd != time.Saturday && wd != time.Sunday
	if op.ForeignHours {
		work = work || (wd == time.Saturday && chance(r, 0.35))
	} else if work && usHoliday(lm) {
		work = false
	}
	if !work {
		return out
	}
	start := lm.Add(minutes(normal(r, p.plan.startMean, 0.5, 7.5, 11) * 60))
	if p.Hired.After(lm) {
		if !p.Hired.Before(lm.Add(24 * time.Hour)) {
			return out
		}
		// The first day follows the claimed zone's hours (orientation).
		start = p.Hired.Add(minutes(float64(between(r, 8*60+30, 9*60+45))))
	}
	if !p.employed(start) {
		return out
	}
	e := p.homeEgress(d)
	if op.LaptopAt == "forwarder" {
		e = c.VPN[(d+p.Index)%len(c.VPN)]
	}
	where := c.Real
	if !op.ForeignHours && op.Careful {
		where = p.Home.Place
	}
	a := newActivity(r, p, d, start, minutes(normal(r, 600, 80, 360, 780)), e, p.Laptop, where)
	if chance(r, 0.9) {
		a.MFA = p.MFAPhone
	}
	a.Logout = chance(r, 0.1)
	out = append(out, a)
	if op.VPNShare > 0 && chance(r, op.VPNShare) {
		t := start.Add(minutes(float64(between(r, 30, 6*60))))
		v := newActivity(r, p, d, t, minutes(float64(between(r, 60, 240))), c.VPN[r.IntN(len(c.VPN))], op.Machine, c.Real)
		v.MFA = p.MFAPhone
		out = append(out, v)
	}
	if op.LeakRate > 0 && chance(r, op.LeakRate) {
		isp := ispByKey(pick(r, c.Real.ISPs))
		t := start.Add(minutes(float64(between(r, 20, 8*60))))
		l := newActivity(r, p, d, t, minutes(float64(between(r, 15, 90))), newEgress(r, isp.randomIP(r), isp, c.Real), op.Machine, c.Real)
		l.MFA = p.MFAPhone
		out = append(out, l)
	}
	return out
}
