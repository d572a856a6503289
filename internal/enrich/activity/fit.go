package activity

import (
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/geo"
)

// crossBorderKm: a clock set to a zone of a neighbouring country fits a
// place within this distance of the zone's principal city (a Toronto
// clock in Buffalo, a London clock in Dublin).
const crossBorderKm = 500.0

// fitsOffsets reports whether offset o lies within tol minutes of one of
// offs.
func fitsOffsets(o int, offs []int, tol int) bool {
	for _, x := range offs {
		if d := o - x; d > -tol && d < tol {
			return true
		}
	}
	return false
}

// ClockFitsPlace reports whether a clock setting, read at t, fits a
// sign-in place: one of its readings is within tol minutes of one of the
// place's offsets and, for an abbreviation read from the tz database,
// belongs to a zone of the place's country or near the place. So "CST" in
// August fits Mexico City or Shanghai but not Chicago (then on CDT), even
// where offsets coincide; settings with no country (IANA and Windows
// names, numeric offsets) are compared by offset alone.
func ClockFitsPlace(s Setting, pl Place, t time.Time, tol int) bool {
	offs := pl.Offsets()
	n := pl.Event.Net()
	for r := range s.readings(t) {
		if !fitsOffsets(r.Offset, offs, tol) {
			continue
		}
		if r.Country == "" || r.Country == pl.Country {
			return true
		}
		if r.Located && n != nil && n.HasGeo && geo.DistanceKm(r.Lat, r.Lon, n.Lat, n.Lon) <= crossBorderKm {
			return true
		}
	}
	return false
}

// ClockFitsClaim reports whether a clock setting, read at t, fits the
// roster's claim: one of its readings is within tol minutes of a claimed
// offset and, for an abbreviation read from the tz database, belongs to a
// zone of a claimed country.
func ClockFitsClaim(s Setting, c Claim, t time.Time, tol int) bool {
	offs := c.Offsets(t)
	countries := map[string]bool{c.Country: c.Country != ""}
	for _, z := range c.Zones {
		if z.Country != "" {
			countries[z.Country] = true
		}
	}
	for r := range s.readings(t) {
		if fitsOffsets(r.Offset, offs, tol) && (r.Country == "" || countries[r.Country]) {
			return true
		}
	}
	return false
}

// Describe names what a setting means at t for evidence: "Asia/Seoul
// (UTC+9)", or for an abbreviation its readings by offset with the
// countries that use it then: "CST (UTC−6: BZ, CA, CR, GT, HN, MX, NI, SV;
// UTC+8: CN, TW)".
func (s Setting) Describe(t time.Time) string {
	rs := s.Readings(t)
	if !s.abbr || len(rs) <= 1 {
		return s.Label + " (" + FormatOffsets(s.Offsets(t)) + ")"
	}
	byOffset := map[int][]string{}
	var offs []int
	for _, r := range rs {
		if _, ok := byOffset[r.Offset]; !ok {
			offs = append(offs, r.Offset)
		}
		if r.Country != "" && !slices.Contains(byOffset[r.Offset], r.Country) {
			byOffset[r.Offset] = append(byOffset[r.Offset], r.Country)
		} else if byOffset[r.Offset] == nil {
			byOffset[r.Offset] = []string{}
		}
	}
	slices.Sort(offs)
	parts := make([]string, len(offs))
	for i, o := range offs {
		cs := byOffset[o]
		slices.Sort(cs)
		parts[i] = FormatOffset(o)
		if len(cs) > 0 {
			parts[i] += ": " + strings.Join(cs, ", ")
		}
	}
	return s.Label + " (" + strings.Join(parts, "; ") + ")"
}
