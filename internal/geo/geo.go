// Package geo holds country reference data: ISO 3166-1 alpha-2 and alpha-3
// codes, English names with the other names vendors write (Okta's
// "United States", ISO's "Korea, Republic of", "Russia"…), approximate
// country centroids, and great-circle distance. It has no I/O and no
// dependencies, so that adapters, enrichment and detectors share one view
// of countries.
package geo

import (
	"math"
	"strings"
	"sync"
	"unicode/utf8"
)

// Country is one country or territory.
type Country struct {
	Alpha2 string  // ISO 3166-1 alpha-2, upper case ("KP")
	Alpha3 string  // ISO 3166-1 alpha-3, upper case ("PRK")
	Name   string  // common English name ("North Korea")
	Lat    float64 // approximate centroid
	Lon    float64
}

type country struct {
	Country
	aliases []string
}

// index maps normalized codes, names and aliases to positions in countries.
var index = sync.OnceValue(func() map[string]int {
	m := make(map[string]int, len(countries)*4)
	for i, c := range countries {
		m[normalize(c.Alpha2)] = i
		m[normalize(c.Alpha3)] = i
		m[normalize(c.Name)] = i
		for _, a := range c.aliases {
			m[normalize(a)] = i
		}
	}
	return m
})

// Lookup finds a country by alpha-2 or alpha-3 code, English name or a
// known alias. Matching ignores case, accents, punctuation, a leading
// "The", and treats "&" as "and" and "St" as "Saint".
func Lookup(s string) (Country, bool) {
	k := normalize(s)
	if k == "" {
		return Country{}, false
	}
	i, ok := index()[k]
	if !ok {
		return Country{}, false
	}
	return countries[i].Country, true
}

// Alpha2 returns the alpha-2 code for a code, name or alias, or "" when the
// country is not known.
func Alpha2(s string) string {
	c, _ := Lookup(s)
	return c.Alpha2
}

// ByAlpha2 finds a country by its alpha-2 code only (case-insensitive).
func ByAlpha2(code string) (Country, bool) {
	if len(code) != 2 {
		return Country{}, false
	}
	code = strings.ToUpper(code)
	lo, hi := 0, len(countries)
	for lo < hi {
		mid := (lo + hi) / 2
		switch c := countries[mid].Alpha2; {
		case c == code:
			return countries[mid].Country, true
		case c < code:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return Country{}, false
}

// Countries returns every known country, sorted by alpha-2 code.
func Countries() []Country {
	out := make([]Country, len(countries))
	for i, c := range countries {
		out[i] = c.Country
	}
	return out
}

// earthRadiusKm is the mean Earth radius.
const earthRadiusKm = 6371.0088

// DistanceKm is the great-circle (haversine) distance between two points
// given in degrees.
func DistanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	rad := math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLon := (lon2 - lon1) * rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusKm * math.Asin(math.Sqrt(min(1, a)))
}

// foldAccent maps accented Latin letters found in country names to ASCII.
var foldAccent = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a",
	'ç': "c", 'è': "e", 'é': "e", 'ê': "e", 'ë': "e",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ñ': "n",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ý': "y", 'ÿ': "y",
	'ş': "s", 'ș': "s", 'ţ': "t", 'ț': "t", 'ğ': "g", 'ı': "i",
}

// normalize turns a code or name into a lookup key: lower case, ASCII,
// words separated by one space, punctuation dropped, "&" spelled "and",
// "st" spelled "saint", a leading "the" dropped.
func normalize(s string) string {
	if !utf8.ValidString(s) || len(s) > 200 {
		return ""
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	word := func() {
		if b.Len() > 0 {
			space = true
		}
	}
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
		case r == '&':
			word()
			b.WriteString(" and")
			space = true
		case r == '\'' || r == '’' || r == '.':
			// "Cote d'Ivoire" → "cote divoire", "U.S." → "us"
		default:
			if f, ok := foldAccent[r]; ok {
				if space {
					b.WriteByte(' ')
					space = false
				}
				b.WriteString(f)
				continue
			}
			word() // spaces, commas, brackets, hyphens separate words
		}
	}
	k := strings.TrimSpace(b.String())
	k = strings.TrimPrefix(k, "the ")
	if strings.HasPrefix(k, "st ") {
		k = "saint " + k[3:]
	}
	return strings.ReplaceAll(k, " st ", " saint ")
}
