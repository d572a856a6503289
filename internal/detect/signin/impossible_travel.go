package signin

import (
	"cmp"
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

// ImpossibleTravel is IAM-04: consecutive successful sign-ins of one
// person farther apart than anyone can travel in the time between them,
// or sign-ins hopping between three or more countries within a day.
type ImpossibleTravel struct{}

var _ detect.PersonScoped = (*ImpossibleTravel)(nil)

// ID implements detect.Indicator.
func (*ImpossibleTravel) ID() string { return "IAM-04" }

// Name implements detect.Indicator.
func (*ImpossibleTravel) Name() string { return "Impossible travel or many countries in a short time" }

// Stage implements detect.Indicator.
func (*ImpossibleTravel) Stage() detect.Stage { return detect.StageIdentity }

// Strength implements detect.Indicator.
func (*ImpossibleTravel) Strength() detect.Strength { return detect.Medium }

// Sources implements detect.Indicator.
func (*ImpossibleTravel) Sources() []string { return []string{"okta", "entra", "gworkspace"} }

// Weight implements detect.Indicator.
func (*ImpossibleTravel) Weight() float64 { return 28 }

// Description implements detect.Indicator.
func (*ImpossibleTravel) Description() string {
	return "Two consecutive successful sign-ins of the person are farther apart than anyone can travel in the time between " +
		"them (faster than 1,000 km/h after allowing for IP-geolocation error: 250 km around vendor coordinates, at least " +
		"500 km — more for large countries — around a country centroid), or the sign-ins change country three or more " +
		"times among three or more countries within 24 hours. Both mean that several people, or a person and a relay in " +
		"another country, use the account: the 2022 advisory names one account used from many IPs and countries in a short " +
		"time. Sign-ins through VPNs, hosting networks, enterprise gateways, privacy relays, mobile carriers and " +
		"allow-listed VPN/egress ranges are ignored, since their geography is not the person's (anonymisers are IAM-01's " +
		"business). Within one country a jump must exceed 1,000 km after the error allowance. " +
		"Known false positives: split-tunnel or unlisted corporate VPNs egressing in another country; IP geolocation that " +
		"is wrong for a whole ISP block (seen with new IPv6 ranges); a dual-stack connection whose IPv4 and IPv6 addresses " +
		"geolocate far apart. A real flight is not a false positive: its speed stays under the threshold."
}

// References implements detect.Indicator.
func (*ImpossibleTravel) References() []string {
	return []string{
		"US Department of State, Treasury and FBI, Guidance on the Democratic People's Republic of Korea Information Technology Workers, May 2022 (logins from multiple IP addresses in different countries in a short period)",
		"Microsoft Entra ID Protection, atypical travel risk detection, learn.microsoft.com/entra/id-protection/concept-identity-protection-risks",
	}
}

// Examples implements detect.Indicator.
func (*ImpossibleTravel) Examples() detect.Examples {
	// Sign-ins from New York and, 40 minutes later, from Shenyang; and back.
	shared := []*event.Event{rosterRecord(1, "E300", "asmith@example.com", "US")}
	for i := range 5 {
		t := exampleStart.AddDate(0, 0, i)
		shared = append(shared,
			oktaSignIn(2*i+1, "asmith@example.com", t, homeNY),
			oktaSignIn(2*i+2, "asmith@example.com", t.Add(40*time.Minute), shenyang))
	}
	// A flight: New York in the morning, London eight hours later.
	flight := []*event.Event{
		rosterRecord(1, "E400", "bwong@example.com", "US"),
		oktaSignIn(1, "bwong@example.com", exampleStart, homeNY),
		oktaSignIn(2, "bwong@example.com", exampleStart.Add(8*time.Hour), hotelLondon),
		oktaSignIn(3, "bwong@example.com", exampleStart.Add(20*time.Hour), hotelLondon),
	}
	return detect.Examples{
		Positive: detect.Example{Name: "new_york_and_shenyang_forty_minutes_apart", Events: shared, Person: "E300"},
		Negative: detect.Example{Name: "flight_new_york_to_london", Events: flight, Person: "E400"},
	}
}

const (
	// maxSpeedKmh is the fastest plausible travel (a long-haul flight,
	// door to door, is well below it).
	maxSpeedKmh = 1000.0
	// coordErrKm is the error allowed around vendor/database coordinates.
	coordErrKm = 250.0
	// centroidErrKm is the least error allowed around a country centroid;
	// large countries get their own (countryExtentKm).
	centroidErrKm = 500.0
	// sameCountryMinKm: a jump inside one country counts only beyond this
	// (after the error allowance); city-level geolocation of residential
	// blocks is often off by hundreds of kilometres.
	sameCountryMinKm = 1000.0
	// minGap keeps near-simultaneous sign-ins from dividing by zero.
	minGap = time.Minute
	// hopWindow, hopCountries, hopChanges: countries changing at least
	// hopChanges times among at least hopCountries countries within
	// hopWindow. A traveller with a layover changes twice.
	hopWindow    = 24 * time.Hour
	hopCountries = 3
	hopChanges   = 3
)

// countryExtentKm is roughly how far the populated parts of a large or
// elongated country reach from its centroid: the error allowed when only
// the country of a sign-in is known. Other countries get centroidErrKm.
var countryExtentKm = map[string]float64{
	"US": 2500, "CA": 2500, "RU": 3500, "CN": 2200, "BR": 2000, "AU": 2000, "IN": 1500, "ID": 2500,
	"AR": 1700, "CL": 2000, "KZ": 1500, "MX": 1600, "JP": 1300, "NO": 900, "SE": 800, "DZ": 1000,
	"CD": 1000, "SA": 1000, "IR": 1000, "MN": 1100, "PE": 1000, "CO": 800, "SD": 900, "LY": 900,
	"VN": 800, "PH": 900, "NZ": 800, "ZA": 800, "TR": 800, "UA": 600, "FR": 600, "ES": 600, "IT": 600,
	"FI": 600, "EG": 600, "PK": 800, "TH": 700, "MY": 900, "NG": 600, "ET": 600, "BO": 700, "VE": 700,
	"TZ": 600, "AO": 600, "ML": 800, "NE": 800, "TD": 800, "MR": 700, "MM": 800, "AF": 600, "GL": 1500,
}

// place is where a sign-in happened, with the error allowed around it.
type place struct {
	e        *event.Event
	country  string
	lat, lon float64
	errKm    float64
	coords   bool // lat/lon are the vendor's or database's, not a centroid
}

// placeOf locates a sign-in whose geography can be trusted.
func placeOf(e *event.Event, allow *policy.Allow) (place, bool) {
	n := e.Net()
	if e.Facts.Net.Verdict.Kind != event.NetOrdinary {
		return place{}, false
	}
	c := e.Facts.Net.Country
	if n.HasGeo {
		return place{e: e, country: c, lat: n.Lat, lon: n.Lon, errKm: coordErrKm, coords: true}, true
	}
	ctry, ok := geo.ByAlpha2(c)
	if !ok {
		return place{}, false
	}
	errKm := centroidErrKm
	if x, ok := countryExtentKm[ctry.Alpha2]; ok {
		errKm = x
	}
	return place{e: e, country: ctry.Alpha2, lat: ctry.Lat, lon: ctry.Lon, errKm: errKm}, true
}

// jump is a pair of consecutive sign-ins too far apart for the time.
type jump struct {
	from, to place
	km       float64 // great-circle distance
	speed    float64 // km/h over the distance less the error allowance
}

// impossible returns the jump from a to b, if it is one.
func impossible(a, b place) (jump, bool) {
	if a.country == b.country && (!a.coords || !b.coords) {
		return jump{}, false // no measure of distance within a country
	}
	km := geo.DistanceKm(a.lat, a.lon, b.lat, b.lon)
	adj := km - a.errKm - b.errKm
	if adj <= 0 || (a.country == b.country && adj < sameCountryMinKm) {
		return jump{}, false
	}
	gap := max(b.e.Time.Sub(a.e.Time), minGap)
	speed := adj / gap.Hours()
	if speed <= maxSpeedKmh {
		return jump{}, false
	}
	return jump{from: a, to: b, km: km, speed: speed}, true
}

// hop is a window of sign-ins hopping between countries.
type hop struct {
	places    []place
	countries []string
	changes   int
}

// hops finds windows of hopWindow in which the country changes at least
// hopChanges times among at least hopCountries countries. Windows do not
// overlap: the next search starts after the end of a found window.
func hops(ps []place) []hop {
	var out []hop
	for i := 0; i < len(ps); {
		j := i
		for j+1 < len(ps) && ps[j+1].e.Time.Sub(ps[i].e.Time) <= hopWindow {
			j++
		}
		h := hop{places: ps[i : j+1]}
		for k, p := range h.places {
			if !slices.Contains(h.countries, p.country) {
				h.countries = append(h.countries, p.country)
			}
			if k > 0 && p.country != h.places[k-1].country {
				h.changes++
			}
		}
		if len(h.countries) >= hopCountries && h.changes >= hopChanges {
			out = append(out, h)
			i = j + 1
			continue
		}
		i++
	}
	return out
}

// Detect implements detect.Indicator.
func (d *ImpossibleTravel) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	allow := in.Allow()
	return detect.EachPerson(ctx, in, "IAM-04", func(p *profile.Person) (detect.Finding, bool) { return d.person(p, allow) })
}

func (d *ImpossibleTravel) person(p *profile.Person, allow *policy.Allow) (detect.Finding, bool) {
	var ps []place
	for _, e := range p.SignIns {
		if !detect.Succeeded(e) {
			continue
		}
		if pl, ok := placeOf(e, allow); ok && pl.country != "" {
			ps = append(ps, pl)
		}
	}
	var jumps []jump
	jumpDays := map[time.Time]bool{}
	for i := 1; i < len(ps); i++ {
		if j, ok := impossible(ps[i-1], ps[i]); ok {
			jumps = append(jumps, j)
			jumpDays[detect.Day(j.to.e.Time)] = true
		}
	}
	hs := hops(ps)
	if len(jumps) == 0 && len(hs) == 0 {
		return detect.Finding{}, false
	}
	var ev []detect.Evidence
	cited := map[*event.Event]bool{}
	cite := func(pl place, format string, args ...any) {
		if !cited[pl.e] {
			cited[pl.e] = true
			ev = append(ev, detect.EvidenceOf(pl.e, format, args...))
		}
	}
	for _, j := range jumps {
		cite(j.from, "%s %s from %s", detect.Stamp(j.from.e.Time), j.from.e.SignIn.Action, ipintel.Describe(j.from.e.Net()))
		cite(j.to, "%s %s from %s: %.0f km from the previous sign-in %s earlier (%.0f km/h after %.0f km geolocation allowance)",
			detect.Stamp(j.to.e.Time), j.to.e.SignIn.Action, ipintel.Describe(j.to.e.Net()), j.km,
			gapText(j.to.e.Time.Sub(j.from.e.Time)), j.speed, j.from.errKm+j.to.errKm)
	}
	for _, h := range hs {
		for _, pl := range h.places {
			cite(pl, "%s %s from %s: one of %d countries (%s) within 24 h", detect.Stamp(pl.e.Time), pl.e.SignIn.Action,
				ipintel.Describe(pl.e.Net()), len(h.countries), strings.Join(h.countries, ", "))
		}
	}
	// One impossible jump is a medium-low signal; repeats on other days
	// and country hopping make it stronger.
	var conf float64
	if len(jumps) > 0 {
		conf = 0.45 + 0.2*float64(len(jumpDays)-1)
	}
	if len(hs) > 0 {
		conf = max(conf+0.25, 0.45)
	}
	var parts []string
	if len(jumps) > 0 {
		f := fastest(jumps)
		parts = append(parts, fmt.Sprintf("%s on %s (fastest %s→%s at %.0f km/h)",
			detect.Count(len(jumps), "impossible jump"), detect.Count(len(jumpDays), "day"), f.from.country, f.to.country, f.speed))
	}
	if len(hs) > 0 {
		parts = append(parts, fmt.Sprintf("%s of 24 h hopping between %d or more countries (%s)",
			detect.Count(len(hs), "window"), hopCountries, strings.Join(hs[0].countries, ", ")))
	}
	ev, more := detect.CapEvidence(ev)
	return detect.Finding{
		Indicator:  d.ID(),
		Person:     p.ID,
		Summary:    strings.Join(parts, "; ") + more,
		Confidence: detect.Round2(min(1, conf)),
		Evidence:   ev,
	}, true
}

func fastest(js []jump) jump {
	return slices.MaxFunc(js, func(a, b jump) int { return cmp.Compare(a.speed, b.speed) })
}

// gapText formats a time gap as "40 min" or "3 h 05 min".
func gapText(d time.Duration) string {
	d = d.Round(time.Minute)
	if d < time.Hour {
		return fmt.Sprintf("%d min", int(d.Minutes()))
	}
	return fmt.Sprintf("%d h %02d min", int(d.Hours()), int(d.Minutes())%60)
}

// PersonScoped implements detect.PersonScoped: a finding about a person
// depends on that person's own model alone.
func (d *ImpossibleTravel) PersonScoped() {}
