package signin

import (
	"context"
	"fmt"
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

// LocationMismatch is IAM-08: the sign-in geography and the laptop's time
// zone both contradict the HR address, day after day — and, in the
// three-way form, contradict each other too.
type LocationMismatch struct{}

var _ detect.PersonScoped = (*LocationMismatch)(nil)

// ID implements detect.Indicator.
func (*LocationMismatch) ID() string { return "IAM-08" }

// Name implements detect.Indicator.
func (*LocationMismatch) Name() string {
	return "Sign-in geography and device time zone persistently contradict the HR address"
}

// Stage implements detect.Indicator.
func (*LocationMismatch) Stage() detect.Stage { return detect.StageIdentity }

// Strength implements detect.Indicator: strong when systematic, which the
// rules require.
func (*LocationMismatch) Strength() detect.Strength { return detect.Strong }

// Sources implements detect.Indicator: sign-ins with geography, the
// osquery time table and the roster.
func (*LocationMismatch) Sources() []string {
	return []string{"okta", "entra", "gworkspace", "osquery", "scim"}
}

// Weight implements detect.Indicator.
func (*LocationMismatch) Weight() float64 { return 45 }

// Description implements detect.Indicator.
func (*LocationMismatch) Description() string {
	return "Three independent records say where the person is: the HR address (roster home country, state and timezone), " +
		"the geography of their sign-ins (ordinary and mobile networks only, the zones of the country near the geolocated " +
		"point) and the time zone their company laptop's clock is set to (osquery time table). The finding fires when, on " +
		"at least five days in three or more weeks and on at least half the days where all three are known, both the " +
		"sign-in place (another country, or zones two hours or more away) and the laptop clock (two hours or more from " +
		"every claimed zone, or an abbreviation that no zone of the claimed country uses at the date) contradict the HR " +
		"address — not as one or two stays of three weeks or less, and not in " +
		"approved travel windows. Full confidence when the three disagree with each other on most such days (a laptop " +
		"farm in one place, the operative's clock in another, a borrowed identity's address in a third); somewhat less " +
		"when the sign-ins and the clock agree with each other against HR (the person simply lives elsewhere), and much " +
		"less when the sign-ins come from another state of the claimed country (a move HR was not told of). VPNs, " +
		"hosting and gateways give no geography; clocks set to UTC are ignored. Known false positives: staff who moved " +
		"abroad without HR being told; long unapproved stays abroad."
}

// References implements detect.Indicator.
func (*LocationMismatch) References() []string {
	return []string{
		"Recorded Future Insikt Group, North Korea's IT worker schemes: mismatches between device time zone, login geography and claimed location",
		"Mandiant (Google Cloud), Staying a Step Ahead: Mitigating the DPRK IT Worker Threat, Sept 2024 (egress persistently in another region than the claimed home)",
	}
}

// Examples implements detect.Indicator.
func (*LocationMismatch) Examples() detect.Examples {
	op := []*event.Event{staff{record: 1, id: "E740", email: "wbrook@example.com", country: "US", region: "IL", tz: "America/Chicago"}.event()}
	// A two-week trip to Tokyo: sign-ins and laptop clock follow the
	// traveller, then come home.
	trip := []*event.Event{staff{record: 1, id: "E741", email: "xchen@example.com", country: "US", region: "IL", tz: "America/Chicago"}.event()}
	tokyo := event.Network{Country: "JP", City: "Tokyo", Lat: 35.68, Lon: 139.69, HasGeo: true, ASN: 2516, ASOrg: "kddi corporation",
		IP: homeChicago.IP.Next().Next()}
	for i := range 35 {
		t := exampleStart.AddDate(0, 0, i)
		op = append(op,
			clockRow(2*i+2, "LT-740", "wbrook", t, "KST"),
			oktaSignIn(2*i+3, "wbrook@example.com", t.Add(time.Hour), shenyang))
		n, tz := homeChicago, zoneAbbreviation("America/Chicago", t)
		if i >= 10 && i < 24 {
			n, tz = tokyo, "JST"
		}
		trip = append(trip,
			clockRow(2*i+2, "LT-741", "xchen", t, tz),
			oktaSignIn(2*i+3, "xchen@example.com", t.Add(time.Hour), n))
	}
	return detect.Examples{
		Positive: detect.Example{Name: "illinois_roster_shenyang_sign_ins_korea_clock", Events: op, Person: "E740"},
		Negative: detect.Example{Name: "two_week_trip_to_tokyo", Events: trip, Person: "E741"},
	}
}

const (
	// mismatchMinGap: offsets this far apart (minutes) disagree; an hour
	// off is a neighbouring zone.
	mismatchMinGap = 120
	// A pattern: mismatchMinDays days in mismatchMinWeeks weeks, on
	// mismatchMinShare of the days where all three are known.
	mismatchMinDays  = 5
	mismatchMinWeeks = 3
	mismatchMinShare = 0.5
	// twoAgainstOne scales findings where sign-ins and clock agree with
	// each other; sameCountry those where the sign-ins come mostly from
	// the claimed country (another state).
	twoAgainstOne = 0.85
	sameCountry   = 0.6
)

// Detect implements detect.Indicator.
func (d *LocationMismatch) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	allow := in.Allow()
	return detect.EachPerson(ctx, in, "IAM-08", func(p *profile.Person) (detect.Finding, bool) { return d.person(p, allow) })
}

// contradiction is one day on which clock and sign-ins contradict HR.
type contradiction struct {
	view     activity.DayView
	clock    []int
	place    activity.Place
	threeWay bool
}

func (d *LocationMismatch) person(p *profile.Person, allow *policy.Allow) (detect.Finding, bool) {
	claim := p.Features.Claim
	if !p.Features.HasClaim {
		return detect.Finding{}, false
	}
	clocks := p.Features.Clocks
	if len(clocks) == 0 {
		return detect.Finding{}, false
	}
	views := p.Features.Days
	if since := p.Features.Homes.CurrentSince(); !since.IsZero() {
		// Before a relocation abroad the person answered to the old home
		// (profile.Timeline): only the days since judge the current claim.
		i, _ := slices.BinarySearchFunc(views, since.Truncate(24*time.Hour), func(v activity.DayView, t time.Time) int { return v.Day.Compare(t) })
		views = views[i:]
	}
	var bad []contradiction
	var badDays []time.Time
	var threeWay int
	for _, v := range views {
		noon := v.Day.Add(12 * time.Hour)
		claimed := claim.Offsets(noon)
		clock := v.Clock.Offsets(noon)
		if activity.ClockFitsClaim(v.Clock.Setting, claim, noon, mismatchMinGap) {
			continue
		}
		placeFits := func(pl activity.Place) bool {
			return (claim.Country == "" || pl.Country == claim.Country) && activity.Gap(pl.Offsets(), claimed) < mismatchMinGap
		}
		if slices.ContainsFunc(v.Places, placeFits) {
			continue
		}
		c := contradiction{view: v, clock: clock, place: v.Places[0]}
		c.threeWay = !slices.ContainsFunc(v.Places, func(pl activity.Place) bool {
			return activity.ClockFitsPlace(v.Clock.Setting, pl, pl.Event.Time, mismatchMinGap)
		})
		if c.threeWay {
			threeWay++
		}
		bad = append(bad, c)
		badDays = append(badDays, v.Day)
	}
	share := float64(len(bad)) / float64(max(1, len(views)))
	if len(bad) < mismatchMinDays || activity.Weeks(badDays) < mismatchMinWeeks || activity.TripLike(badDays) || share < mismatchMinShare {
		return detect.Finding{}, false
	}
	conf := 0.5 + 0.5*share
	abroad := 0
	for _, c := range bad {
		if claim.Country != "" && c.place.Country != claim.Country {
			abroad++
		}
	}
	if 2*abroad <= len(bad) {
		conf *= sameCountry // another state of the claimed country: a move HR missed is likelier
	}
	form := "sign-ins and laptop clock agree with each other, not with HR"
	if 2*threeWay > len(bad) {
		form = fmt.Sprintf("all three disagree on %d of these days", threeWay)
	} else {
		conf *= twoAgainstOne
	}
	places, clockLabels := map[string]int{}, map[string]int{}
	ev := []detect.Evidence{detect.EvidenceOf(claim.Roster, "roster: %s (%s)", claim.Describe(),
		activity.FormatOffsets(claim.Offsets(bad[0].view.Day.Add(12*time.Hour))))}
	for i, c := range bad {
		where := c.place.Country
		if r := c.place.Event.Net().Region; r != "" {
			where += " (" + r + ")"
		}
		places[where]++
		clockLabels[c.view.Clock.Setting.Describe(c.view.Day.Add(12*time.Hour))]++
		if i < (detect.MaxEvidence-1)/2 {
			ev = append(ev,
				detect.EvidenceOf(c.place.Event, "%s %s from %s (plausible zones %s)", detect.Stamp(c.place.Event.Time),
					c.place.Event.SignIn.Action, ipintel.Describe(c.place.Event.Net()), activity.FormatOffsets(c.place.Offsets())),
				detect.EvidenceOf(c.view.Clock.Event, "%s host %s clock set to %s", detect.Stamp(c.view.Clock.At),
					c.view.Clock.Event.Device.HostID, c.view.Clock.Setting.Describe(c.view.Day.Add(12*time.Hour))))
		}
	}
	ev = detect.DedupEvidence(ev)
	more := ""
	if n := (detect.MaxEvidence - 1) / 2; len(bad) > n {
		more = fmt.Sprintf(" (records of the first %d of %d days cited)", n, len(bad))
	}
	return detect.Finding{
		Indicator: d.ID(),
		Person:    p.ID,
		Summary: fmt.Sprintf("HR places the person at %s, but on %d of %d days with sign-ins and a laptop clock reading "+
			"(%.0f%%, in %d weeks) the sign-ins came from %s and the laptop clock was set to %s; %s%s",
			claim.Describe(), len(bad), len(views), 100*share, activity.Weeks(badDays), tally(places), tally(clockLabels),
			form, more),
		Confidence: detect.Round2(conf),
		Evidence:   ev,
	}, true
}

// tally lists keys by count, most first: "CN ×30, RU ×2".
func tally(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if m[a] != m[b] {
			return m[b] - m[a]
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s ×%d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

// PersonScoped implements detect.PersonScoped: a finding about a person
// depends on that person's own model alone.
func (d *LocationMismatch) PersonScoped() {}
