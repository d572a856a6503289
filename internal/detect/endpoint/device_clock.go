package endpoint

import (
	"cmp"
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/enrich/activity"
	"github.com/rollcall/rollcall/internal/enrich/ipintel"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/profile"
)

// DeviceClock is END-08: the time zone the company laptop's clock is set
// to does not fit where the person's sign-ins come from, persistently.
type DeviceClock struct{}

var _ detect.PersonScoped = (*DeviceClock)(nil)

// ID implements detect.Indicator.
func (*DeviceClock) ID() string { return "END-08" }

// Name implements detect.Indicator.
func (*DeviceClock) Name() string { return "Device time zone differs from sign-in geography" }

// Stage implements detect.Indicator.
func (*DeviceClock) Stage() detect.Stage { return detect.StageEndpoint }

// Strength implements detect.Indicator: M–H in the catalogue; confidence
// carries the difference.
func (*DeviceClock) Strength() detect.Strength { return detect.Medium }

// Sources implements detect.Indicator: the osquery time table and sign-ins
// with geography.
func (*DeviceClock) Sources() []string { return []string{"osquery", "okta", "entra", "gworkspace"} }

// Weight implements detect.Indicator.
func (*DeviceClock) Weight() float64 { return 35 }

// Description implements detect.Indicator.
func (*DeviceClock) Description() string {
	return "The zone the person's company laptop clock is set to (osquery time table: local_timezone such as \"KST\" or " +
		"\"Korea Standard Time\", or an IANA name) is two hours or more from every zone plausible for the places their " +
		"sign-ins come from that day (the zones of the sign-in state, or of the country near the geolocated point), on at " +
		"least five days " +
		"in three or more weeks, on at least half the days where both are known, and not as one or two stays of three " +
		"weeks or less. An operative who keeps the laptop on their own time while it sits in a laptop farm, or who signs " +
		"in from the claimed country through a relay, shows this. Abbreviations are read from the tz database at the " +
		"date and must belong to the sign-in country (or a zone within 500 km): \"CST\" in August is not Chicago (then " +
		"on CDT) but China, Mexico or Central America, so it does not fit a US sign-in; an ambiguous abbreviation fits " +
		"if any reading does (\"CST\" in January may be Chicago); clocks set to UTC, sign-ins through VPNs, hosting, gateways and allow-listed " +
		"networks, and approved travel windows are left out. Known false positives: travellers whose laptop does not " +
		"switch zones automatically, on long unapproved trips; developers who keep their laptop on a team's or a " +
		"production system's zone."
}

// References implements detect.Indicator.
func (*DeviceClock) References() []string {
	return []string{
		"osquery schema: time table (local_timezone), osquery.io/schema",
		"Recorded Future Insikt Group, North Korea's IT worker schemes: mismatches between device time zone, login geography and claimed location",
	}
}

// Examples implements detect.Indicator.
func (*DeviceClock) Examples() detect.Examples {
	op := []*event.Event{rosterRecord(1, "E720", "Sam Reyes", "sreyes", "US")}
	// A traveller: two weeks in London with the laptop still on Chicago
	// time.
	trip := []*event.Event{rosterRecord(1, "E721", "Lee Park", "lpark", "US")}
	for i := range 30 {
		t := exampleStart.AddDate(0, 0, i)
		op = append(op,
			clockReading(2*i+2, "LT-720", "sreyes", t, "KST"),
			clockSignIn(2*i+3, "sreyes@example.com", t.Add(5*time.Hour), clockChicago))
		n := clockChicago
		if i >= 10 && i < 24 {
			n = clockLondon
		}
		trip = append(trip,
			clockReading(2*i+2, "LT-721", "lpark", t, zoneAbbreviation("America/Chicago", t)),
			clockSignIn(2*i+3, "lpark@example.com", t.Add(5*time.Hour), n))
	}
	return detect.Examples{
		Positive: detect.Example{Name: "laptop_on_korea_time_sign_ins_from_chicago", Events: op, Person: "E720"},
		Negative: detect.Example{Name: "two_week_trip_with_laptop_on_home_time", Events: trip, Person: "E721"},
	}
}

// clockReading is an osquery time-table snapshot of host, logged for user.
func clockReading(record int, host, user string, t time.Time, localTZ string) *event.Event {
	return &event.Event{
		Kind: event.KindDevice,
		Time: t,
		Prov: event.Provenance{Origin: &event.Origin{Source: "osquery", File: exampleOsqueryFile}, Record: record},
		Device: &event.Device{HostID: host, Query: "pack_clock_time", Table: "time", Action: "snapshot", Rows: event.RowsOf(map[string]string{
			"local_timezone": localTZ, "timezone": "UTC", "unix_time": fmt.Sprint(t.Unix()),
			"decorations.hostname": host, "decorations.username": user,
		})},
	}
}

// zoneAbbreviation is what a clock set to zone shows as local_timezone
// at t ("CST" in winter, "CDT" in summer for America/Chicago).
func zoneAbbreviation(zone string, t time.Time) string {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return zone
	}
	name, _ := t.In(loc).Zone()
	return name
}

// clockSignIn is a successful Okta sign-in from n.
func clockSignIn(record int, email string, t time.Time, n event.Network) *event.Event {
	n.GeoSource = "okta"
	return &event.Event{
		Kind:    event.KindSignIn,
		Time:    t,
		Prov:    event.Provenance{Origin: &event.Origin{Source: "okta", File: "examples/okta-system-log.ndjson"}, Record: record},
		Account: &event.Actor{ID: "00u-" + email, Login: email},
		SignIn: &event.SignIn{Action: "user.session.start", Outcome: event.OutcomeSuccess, Net: &n, Interactive: true,
			OS: "Mac OS X", Browser: "CHROME"},
	}
}

const (
	// clockMinGap: a clock this far (minutes) from every plausible zone of
	// the sign-in place is a mismatch; an hour off is a neighbouring zone
	// (a laptop left on head-office time, a state misgeolocated).
	clockMinGap = 120
	// A pattern: at least clockMinDays mismatch days in clockMinWeeks
	// weeks, on clockMinShare of the days where both are known.
	clockMinDays  = 5
	clockMinWeeks = 3
	clockMinShare = 0.5
)

// Detect implements detect.Indicator.
func (d *DeviceClock) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	allow := in.Allow()
	return detect.EachPerson(ctx, in, "END-08", func(p *profile.Person) (detect.Finding, bool) { return d.person(p, allow) })
}

// clockMismatch is one day on which the clock fits none of the places.
type clockMismatch struct {
	view  activity.DayView
	offs  []int
	place activity.Place
}

func (d *DeviceClock) person(p *profile.Person, allow *policy.Allow) (detect.Finding, bool) {
	clocks := p.Features.Clocks
	if len(clocks) == 0 {
		return detect.Finding{}, false
	}
	views := p.Features.Days
	var bad []clockMismatch
	var badDays []time.Time
	for _, v := range views {
		fits := slices.ContainsFunc(v.Places, func(pl activity.Place) bool {
			return activity.ClockFitsPlace(v.Clock.Setting, pl, pl.Event.Time, clockMinGap)
		})
		if !fits {
			offs := v.Clock.Offsets(v.Places[0].Event.Time)
			bad = append(bad, clockMismatch{view: v, offs: offs, place: v.Places[0]})
			badDays = append(badDays, v.Day)
		}
	}
	share := float64(len(bad)) / float64(max(1, len(views)))
	if len(bad) < clockMinDays || activity.Weeks(badDays) < clockMinWeeks || activity.TripLike(badDays) || share < clockMinShare {
		return detect.Finding{}, false
	}
	labels, countries := map[string]int{}, map[string]int{}
	var ev []detect.Evidence
	for _, m := range bad {
		labels[m.view.Clock.Setting.Describe(m.place.Event.Time)]++
		countries[fmt.Sprintf("%s (%s)", m.place.Country, activity.FormatOffsets(m.place.Offsets()))]++
	}
	for i, m := range bad {
		if i >= detect.MaxEvidence/2 {
			break
		}
		c := m.view.Clock
		ev = append(ev,
			detect.EvidenceOf(c.Event, "%s host %s clock set to %s", detect.Stamp(c.At), c.Event.Device.HostID,
				c.Setting.Describe(m.place.Event.Time)),
			detect.EvidenceOf(m.place.Event, "%s sign-in from %s: plausible zones %s", detect.Stamp(m.place.Event.Time),
				ipintel.Describe(m.place.Event.Net()), activity.FormatOffsets(m.place.Offsets())))
	}
	ev = dedupClockEvidence(ev)
	more := ""
	if len(bad) > detect.MaxEvidence/2 {
		more = fmt.Sprintf(" (records of the first %d of %d days cited)", detect.MaxEvidence/2, len(bad))
	}
	return detect.Finding{
		Indicator: d.ID(),
		Person:    p.ID,
		Summary: fmt.Sprintf("on %d of %d days with both a laptop clock reading and located sign-ins (%.0f%%, in %d weeks) "+
			"the clock, set to %s, fits none of the sign-in places: %s%s",
			len(bad), len(views), 100*share, activity.Weeks(badDays), countsText(labels), countsText(countries), more),
		Confidence: detect.Round2(0.5 + 0.5*share),
		Evidence:   ev,
	}, true
}

// countsText lists keys by count, most first: "KST (UTC+9) ×12, JST ×1".
func countsText(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if c := cmp.Compare(m[b], m[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s ×%d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

// dedupClockEvidence drops repeated records (one clock reading stands for
// several days), keeping the first.
func dedupClockEvidence(ev []detect.Evidence) []detect.Evidence {
	seen := map[[2]any]bool{}
	out := ev[:0]
	for _, e := range ev {
		k := [2]any{e.File, e.Record}
		if !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	return out
}

// Networks for the examples.
var (
	clockChicago = event.Network{
		IP: netip.MustParseAddr("192.0.2.30"), Country: "US", Region: "Illinois", City: "Chicago", Lat: 41.88, Lon: -87.63, HasGeo: true,
		ASN: 7922, ASOrg: "comcast", ISP: "comcast cable communications llc",
	}
	clockLondon = event.Network{
		IP: netip.MustParseAddr("198.51.100.30"), Country: "GB", Region: "England", City: "London", Lat: 51.51, Lon: -0.13, HasGeo: true,
		ASN: 5089, ASOrg: "virgin media limited", ISP: "virgin media",
	}
)

// PersonScoped implements detect.PersonScoped: a finding about a person
// depends on that person's own model alone.
func (d *DeviceClock) PersonScoped() {}
