package activity

import (
	"slices"
	"time"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

// Clock is one reading of an endpoint's time-zone setting.
type Clock struct {
	At      time.Time
	Event   *event.Event
	Setting Setting
}

// Offsets returns the reading's UTC offsets at t.
func (c Clock) Offsets(t time.Time) []int { return c.Setting.Offsets(t) }

// Clocks returns the person's endpoint clock readings in time order: rows
// of the osquery time table (or any row with a zone column) that name a
// zone. Clocks set to UTC say nothing about where anyone is and are left
// out.
func Clocks(devices []*event.Event) []Clock {
	var out []Clock
	for _, e := range devices {
		d := e.Device
		if d == nil || (d.Table != "" && d.Table != "time") {
			continue
		}
		for _, row := range d.Rows {
			if s, ok := DeviceSetting(row); ok && !s.UTC {
				out = append(out, Clock{At: e.Time, Event: e, Setting: s})
				break
			}
		}
	}
	return exactSize(out)
}

// Place is where a sign-in puts the person: a country and the zones of it
// near the geolocated point.
type Place struct {
	Event   *event.Event
	Country string
	Zones   []Zone
}

// Offsets returns the place's UTC offsets at its sign-in.
func (pl Place) Offsets() []int { return ZoneOffsets(pl.Zones, pl.Event.Time) }

// Places returns where the person's successful sign-ins put them, in time
// order: sign-ins from ordinary and mobile networks whose country is known
// (mobile ones by country only: carrier NAT geolocates to a gateway city).
// VPNs, hosting, gateways, allow-listed networks and sign-ins in approved
// travel windows are left out. loc remembers zone look-ups across calls
// (nil: none).
func Places(person string, signIns []*event.Event, allow *policy.Allow, loc *Locator) []Place {
	var out []Place
	for _, e := range signIns {
		si := e.SignIn
		if si == nil || si.Outcome != event.OutcomeSuccess || InTravel(allow, person, e.Time) {
			continue
		}
		n, f := e.Net(), e.Facts.Net
		kind := f.Verdict.Kind
		if kind != event.NetOrdinary && kind != event.NetMobile {
			continue
		}
		c := f.Country
		region := n.Region
		if kind != event.NetOrdinary {
			region = "" // carrier NAT: the gateway's state, not the person's
		}
		zs := loc.ZonesNear(c, region, n.Lat, n.Lon, n.HasGeo && kind == event.NetOrdinary)
		if len(zs) == 0 {
			continue
		}
		out = append(out, Place{Event: e, Country: CountryOf(zs), Zones: zs})
	}
	return exactSize(out)
}

// Locator is ZonesNear with remembered answers: a population signs in from
// few distinct places, many times. The zero value is ready; a nil Locator
// remembers nothing. It is not safe for concurrent use.
type Locator struct {
	known map[zoneQuery][]Zone
}

type zoneQuery struct {
	country, region string
	lat, lon        float64
	hasGeo          bool
}

// ZonesNear is the package's ZonesNear, remembered. The zones returned are
// shared: callers must not modify them.
func (l *Locator) ZonesNear(country, region string, lat, lon float64, hasGeo bool) []Zone {
	if l == nil {
		return ZonesNear(country, region, lat, lon, hasGeo)
	}
	q := zoneQuery{country, region, lat, lon, hasGeo}
	if zs, ok := l.known[q]; ok {
		return zs
	}
	if l.known == nil {
		l.known = map[zoneQuery][]Zone{}
	}
	zs := ZonesNear(country, region, lat, lon, hasGeo)
	l.known[q] = zs
	return zs
}

// CountryOf returns the country of zones (all of one country).
func CountryOf(zs []Zone) string {
	if len(zs) == 0 {
		return ""
	}
	return zs[0].Country
}

// clockReach: a clock reading stands for the days after it until the next
// reading, for at most this long (agents log the time table daily or
// hourly; a laptop may stay off for a weekend).
const clockReach = 4 * 24 * time.Hour

// DayView is what one UTC day shows of a person: the endpoint clock in
// force (the latest reading within clockReach) and the sign-in places.
// Clock points into the clock readings Days was given.
type DayView struct {
	Day    time.Time
	Clock  *Clock
	Places []Place
}

// Days returns the UTC days on which both an endpoint clock reading and a
// sign-in place are known, in order.
func Days(clocks []Clock, places []Place) []DayView {
	// Each day's places are a run of places in day order (kept in their
	// own order within the day), shared with places, not copied.
	day := func(pl Place) time.Time { return DayOf(pl.Event.Time) }
	if !slices.IsSortedFunc(places, func(a, b Place) int { return day(a).Compare(day(b)) }) {
		places = slices.Clone(places)
		slices.SortStableFunc(places, func(a, b Place) int { return day(a).Compare(day(b)) })
	}
	var out []DayView
	for i := 0; i < len(places); {
		d := day(places[i])
		j := i + 1
		for j < len(places) && day(places[j]).Equal(d) {
			j++
		}
		run := places[i:j:j]
		i = j
		end := d.Add(24 * time.Hour)
		// The latest reading before the day ends, if recent enough.
		k, _ := slices.BinarySearchFunc(clocks, end, func(c Clock, t time.Time) int { return c.At.Compare(t) })
		if k == 0 {
			continue
		}
		c := &clocks[k-1]
		if end.Sub(c.At) > clockReach+24*time.Hour {
			continue
		}
		out = append(out, DayView{Day: d, Clock: c, Places: run})
	}
	return exactSize(out)
}

// DayOf is the UTC calendar day of t.
func DayOf(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Trip bounds: days (in order) with gaps of at most tripGap form one stay;
// one or two stays of at most maxTrip each are travel, not a pattern.
const (
	tripGap  = 7 * 24 * time.Hour
	maxTrip  = 21 * 24 * time.Hour
	maxTrips = 2
)

// TripLike reports whether days (in order) are one or two stays of three
// weeks or less: travel, not a persistent pattern.
func TripLike(days []time.Time) bool {
	if len(days) == 0 {
		return true
	}
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

// Weeks counts the distinct ISO weeks of days.
func Weeks(days []time.Time) int {
	seen := map[[2]int]bool{}
	for _, d := range days {
		y, w := d.ISOWeek()
		seen[[2]int{y, w}] = true
	}
	return len(seen)
}
