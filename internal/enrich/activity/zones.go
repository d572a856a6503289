package activity

import (
	"bufio"
	"bytes"
	_ "embed" // zones.csv
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // zone rules compiled in, so results do not depend on the host's zoneinfo

	"github.com/rollcall/rollcall/internal/geo"
)

// zonesCSV lists the IANA time zones of every country with the coordinates
// of each zone's principal location (from the tz database's zone.tab).
//
//go:embed zones.csv
var zonesCSV []byte

// Zone is one IANA time zone of a country.
type Zone struct {
	Country  string // ISO 3166-1 alpha-2
	Name     string // IANA name, e.g. "America/Chicago"
	Lat, Lon float64
	Loc      *time.Location
}

// Offset returns the zone's UTC offset in minutes at t.
func (z Zone) Offset(t time.Time) int { return OffsetAt(z.Loc, t) }

// OffsetAt returns loc's UTC offset in minutes at t.
func OffsetAt(loc *time.Location, t time.Time) int {
	_, s := t.In(loc).Zone()
	return s / 60
}

var zoneTable = sync.OnceValue(func() map[string][]Zone {
	out := map[string][]Zone{}
	sc := bufio.NewScanner(bytes.NewReader(zonesCSV))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' || strings.HasPrefix(line, "country,") {
			continue
		}
		f := strings.Split(line, ",")
		if len(f) != 4 {
			continue
		}
		loc, err := time.LoadLocation(f[1])
		if err != nil {
			continue // a zone this Go release does not know
		}
		lat, _ := strconv.ParseFloat(f[2], 64)
		lon, _ := strconv.ParseFloat(f[3], 64)
		out[f[0]] = append(out[f[0]], Zone{Country: f[0], Name: f[1], Lat: lat, Lon: lon, Loc: loc})
	}
	return out
})

// CountryZones returns the time zones of a country (alpha-2 code or name),
// or nil when the country is unknown.
func CountryZones(country string) []Zone {
	return zoneTable()[geo.Alpha2(country)]
}

// zoneCountry maps an IANA zone name to its country, for zones in zone.tab.
var zoneCountry = sync.OnceValue(func() map[string]string {
	out := map[string]string{}
	for c, zs := range zoneTable() {
		for _, z := range zs {
			out[z.Name] = c
		}
	}
	return out
})

// ZoneCountry returns the country of an IANA zone ("" when the zone is not
// a country's, such as "UTC" or "Etc/GMT+5").
func ZoneCountry(name string) string { return zoneCountry()[name] }

// nearZoneKm: zones whose principal location lies within this distance of a
// geolocated point are plausible for it (IP geolocation is often off by
// hundreds of kilometres, and zones reach far from their principal city:
// Seattle is 1,500 km from Los Angeles).
const nearZoneKm = 2000.0

// ZonesNear returns the zones of country plausible for a point: the zones
// of its region when the region is a mapped state (RegionZones), else
// those whose principal location lies within nearZoneKm; always the
// nearest. With no coordinates (hasGeo false) and no mapped region it
// returns every zone of the country.
func ZonesNear(country, region string, lat, lon float64, hasGeo bool) []Zone {
	zs := CountryZones(country)
	if len(zs) <= 1 {
		return zs
	}
	rz := RegionZones(geo.Alpha2(country), region)
	if !hasGeo {
		if rz != nil {
			return rz
		}
		return zs
	}
	best, bestKm := -1, math.Inf(1)
	var out []Zone
	for i, z := range zs {
		km := geo.DistanceKm(lat, lon, z.Lat, z.Lon)
		if km < bestKm {
			best, bestKm = i, km
		}
		if rz == nil && km <= nearZoneKm {
			out = append(out, z)
		}
	}
	out = append(out, rz...)
	if !slices.ContainsFunc(out, func(z Zone) bool { return z.Name == zs[best].Name }) {
		out = append(out, zs[best])
	}
	return out
}

// ZoneOffsets returns the distinct UTC offsets (minutes, ascending) of zones
// at t.
func ZoneOffsets(zs []Zone, t time.Time) []int {
	var out []int
	for _, z := range zs {
		out = append(out, z.Offset(t))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Gap returns the smallest distance in minutes between an offset in a and
// one in b (plain difference: UTC−10 and UTC+14 are a day apart), or -1
// when either is empty.
func Gap(a, b []int) int {
	g := -1
	for _, x := range a {
		for _, y := range b {
			d := x - y
			if d < 0 {
				d = -d
			}
			if g < 0 || d < g {
				g = d
			}
		}
	}
	return g
}

// FormatOffset writes an offset in minutes as "UTC+9", "UTC−5" or
// "UTC+5:30".
func FormatOffset(min int) string {
	sign := "+"
	if min < 0 {
		sign, min = "−", -min
	}
	if min%60 == 0 {
		return "UTC" + sign + strconv.Itoa(min/60)
	}
	return "UTC" + sign + strconv.Itoa(min/60) + ":" + twoDigits(min%60)
}

// FormatOffsets writes offsets as "UTC−6/−5".
func FormatOffsets(offs []int) string {
	if len(offs) == 0 {
		return "unknown"
	}
	var b strings.Builder
	for i, o := range offs {
		s := FormatOffset(o)
		if i > 0 {
			b.WriteByte('/')
			s = strings.TrimPrefix(s, "UTC")
		}
		b.WriteString(s)
	}
	return b.String()
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
