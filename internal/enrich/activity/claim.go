package activity

import (
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/geo"
)

// Claim is where the roster says a person lives, as time zones: the
// roster's timezone attribute and the zones of the home address's country
// (of its state, for US addresses).
// Both count: HR systems often leave the timezone at the head office's
// default, so a remote employee in another zone of the same country is not
// contradicted by it.
type Claim struct {
	Roster  *event.Event // the roster record the claim comes from
	TZ      string       // the roster timezone as written ("" when absent or unreadable)
	Country string       // home-address country (alpha-2), "" when unknown
	Region  string       // home-address region when it narrows the country's zones (US states)
	// Zones are the claimed zones: the roster zone (first, when there is
	// one) and the home state's or country's zones.
	Zones []Zone
}

// ClaimOf returns the claimed zones of a roster record (nil: none), or
// false when the roster gives neither a readable timezone nor a known home
// country.
func ClaimOf(roster *event.Event) (Claim, bool) {
	if roster == nil || roster.Person == nil {
		return Claim{}, false
	}
	hr := roster.Person
	home := hr.HomeAddress()
	var country string
	if home != nil {
		country = strings.ToUpper(strings.TrimSpace(home.Country))
	}
	c := Claim{Roster: roster, Country: geo.Alpha2(country)}
	if s, ok := ParseSetting(hr.Timezone); ok && !s.UTC {
		c.TZ = s.Label
		for _, l := range s.Locs {
			c.Zones = append(c.Zones, Zone{Country: ZoneCountry(l.String()), Name: l.String(), Loc: l})
		}
	}
	zones := CountryZones(c.Country)
	if home != nil {
		if rz := RegionZones(c.Country, home.Region); rz != nil {
			zones, c.Region = rz, home.Region
		}
	}
	for _, z := range zones {
		if !slices.ContainsFunc(c.Zones, func(y Zone) bool { return y.Name == z.Name }) {
			c.Zones = append(c.Zones, z)
		}
	}
	return c, len(c.Zones) > 0
}

// Offsets returns the claimed UTC offsets (minutes, ascending) at t.
func (c Claim) Offsets(t time.Time) []int { return ZoneOffsets(c.Zones, t) }

// RosterZone returns the zone the roster's timezone names, if any.
func (c Claim) RosterZone() (Zone, bool) {
	if c.TZ == "" || len(c.Zones) == 0 {
		return Zone{}, false
	}
	return c.Zones[0], true
}

// Describe names the claim for evidence: "roster timezone America/Chicago,
// home country US".
func (c Claim) Describe() string {
	var parts []string
	if c.TZ != "" {
		parts = append(parts, "roster timezone "+c.TZ)
	}
	switch {
	case c.Region != "":
		parts = append(parts, "home "+c.Region+", "+c.Country)
	case c.Country != "":
		parts = append(parts, "home country "+c.Country)
	}
	return strings.Join(parts, ", ")
}
