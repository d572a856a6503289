// Package address normalises postal addresses with rules (no libpostal) so
// that the same place written two ways compares equal, and classifies
// addresses that are not homes (PO boxes, mail forwarders, commercial
// receiving addresses).
//
// Key gives a strict comparison key for grouping (two addresses with the
// same Key are the same place); Same is the tolerant comparison to use
// before claiming two addresses differ (a missing postal code or unit on
// one side is not a difference). Parse reads a one-line or multi-line
// free-text address; Classify says what kind of place an address is.
package address

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/rollcall/rollcall/internal/event"
)

// Key returns a normalised comparison key for an address, in four parts
// separated by "|": street (abbreviated per USPS Publication 28, with its
// unit moved to the end as "unit X"), postal code (ZIP+4 cut to the ZIP),
// locality and country (ISO alpha-2 where recognised), each folded to a
// canonical form and empty when unknown. Two addresses with the same
// non-empty Key are the same place. It returns "" when the address has no
// street line to compare. The layout is stable: internal/graph reads the
// parts (empty parts of an allow-list entry act as wildcards).
func Key(a event.Address) string {
	n := normalize(a)
	if n.street == "" {
		return ""
	}
	street := n.street
	if n.unit != "" {
		street += " unit " + n.unit
	}
	return street + "|" + n.postal + "|" + n.locality + "|" + n.country
}

// Same reports whether a and b plausibly name the same place. Streets must
// agree; units, postal codes, localities and countries must agree when both
// sides give them. It is the comparison to use before saying that two
// addresses differ, because a part missing on one side is no evidence.
func Same(a, b event.Address) bool {
	x, y := normalize(a), normalize(b)
	if x.street == "" || y.street != x.street {
		return false
	}
	agree := func(p, q string) bool { return p == "" || q == "" || p == q }
	if !agree(x.unit, y.unit) || !agree(x.country, y.country) {
		return false
	}
	if x.postal != "" && y.postal != "" {
		return x.postal == y.postal
	}
	return agree(x.locality, y.locality)
}

// Country returns the address's country as an ISO 3166-1 alpha-2 code
// (see CountryCode), or "" when it has none.
func Country(a event.Address) string { return normalize(a).country }

// Short renders an address on one line for evidence summaries: street,
// locality and country as the source wrote them.
func Short(a event.Address) string {
	var parts []string
	for _, s := range []string{a.Street, a.Locality, a.Country} {
		if s = strings.Join(strings.Fields(s), " "); s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		return strings.Join(strings.Fields(a.Formatted), " ")
	}
	return strings.Join(parts, ", ")
}

// normalized is an address folded for comparison.
type normalized struct {
	street   string // house number and street, abbreviated, without the unit
	unit     string // apartment / suite / unit value
	postal   string
	locality string
	country  string
}

// normalize folds an address, filling parts missing from the structured
// fields from the free-text Formatted field.
func normalize(a event.Address) normalized {
	if a.Formatted != "" && (a.Street == "" || a.PostalCode == "" || a.Country == "" || a.Locality == "") {
		p := Parse(a.Formatted)
		if a.Street == "" {
			a.Street = p.Street
		}
		if a.PostalCode == "" {
			a.PostalCode = p.PostalCode
		}
		if a.Locality == "" {
			a.Locality = p.Locality
		}
		if a.Country == "" {
			a.Country = p.Country
		}
	}
	n := normalized{locality: foldLocality(a.Locality), country: CountryCode(a.Country)}
	n.street, n.unit = foldStreet(a.Street)
	n.postal = foldPostal(a.PostalCode, n.country)
	return n
}

// foldPostal upper-cases a postal code and removes spaces; a US ZIP+4 is cut
// to the ZIP.
func foldPostal(s, country string) string {
	p := strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if zip4.MatchString(p) && (country == "" || country == "US") {
		p = p[:5]
	}
	return p
}

var zip4 = regexp.MustCompile(`^\d{5}-?\d{4}$`)

// fold lower-cases, drops punctuation (keeping '#') and collapses spaces.
// Full stops are dropped without a space, so that "P.O." folds to "po".
func fold(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '.' || r == '\'' || r == '’':
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '#':
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return b.String()
}

// foldLocality folds a city name: "St. Louis" and "Saint Louis" agree.
func foldLocality(s string) string {
	words := strings.Fields(fold(s))
	for i, w := range words {
		if r, ok := localityWords[w]; ok {
			words[i] = r
		}
	}
	return strings.Join(words, " ")
}

var localityWords = map[string]string{"saint": "st", "sainte": "ste", "mount": "mt", "fort": "ft"}

// streetWords maps street-type, directional and ordinal words to the
// USPS Publication 28 abbreviations (Appendix C), plus a few common
// non-US forms.
var streetWords = map[string]string{
	"street": "st", "avenue": "ave", "av": "ave", "road": "rd", "drive": "dr", "boulevard": "blvd",
	"lane": "ln", "court": "ct", "place": "pl", "terrace": "ter", "circle": "cir", "parkway": "pkwy",
	"highway": "hwy", "square": "sq", "trail": "trl", "wy": "way", "alley": "aly", "crescent": "cres", "expressway": "expy",
	"freeway": "fwy", "center": "ctr", "centre": "ctr", "plaza": "plz", "point": "pt", "ridge": "rdg",
	"heights": "hts", "grove": "grv", "gardens": "gdns", "mount": "mt", "route": "rte", "turnpike": "tpke",
	"north": "n", "south": "s", "east": "e", "west": "w", "northeast": "ne",
	"northwest": "nw", "southeast": "se", "southwest": "sw",
	"first": "1st", "second": "2nd", "third": "3rd", "fourth": "4th", "fifth": "5th", "sixth": "6th",
	"seventh": "7th", "eighth": "8th", "ninth": "9th", "tenth": "10th", "eleventh": "11th", "twelfth": "12th",
}

// unitWords are secondary unit designators (USPS Publication 28 §213)
// that name a dwelling or office unit; their value is the unit.
var unitWords = map[string]bool{
	"apt": true, "apartment": true, "appt": true, "unit": true, "ste": true, "suite": true,
	"flat": true, "#": true, "rm": true, "room": true,
}

// foldStreet folds a street line into the street proper and its unit.
// "Apt 4B, 12 North Main Street" and "12 N Main St #4b" both give
// ("12 n main st", "4b"). PO box spellings fold to "po box N".
func foldStreet(s string) (street, unit string) {
	words := strings.Fields(fold(s))
	var out []string
	for i := 0; i < len(words); i++ {
		w := words[i]
		switch {
		case unitWords[w] && i+1 < len(words):
			unit = words[i+1]
			i++
			// "Apt 4-B" folds to "4 b": join a lone letter to the number.
			if i+1 < len(words) && len(words[i+1]) == 1 && isDigits(unit) && unicode.IsLetter(rune(words[i+1][0])) {
				unit += words[i+1]
				i++
			}
			unit = strings.TrimPrefix(unit, "#")
		case strings.HasPrefix(w, "#") && len(w) > 1:
			unit = w[1:]
		default:
			if r, ok := streetWords[w]; ok {
				w = r
			}
			// German street names: "Hauptstraße", "Hauptstrasse" and
			// "Hauptstr" are one street.
			w = strings.ReplaceAll(w, "ß", "ss")
			if strings.HasSuffix(w, "strasse") {
				w = strings.TrimSuffix(w, "asse")
			}
			out = append(out, w)
		}
	}
	street = strings.Join(out, " ")
	street = poBoxSpelling.ReplaceAllString(street, "po box")
	return street, unit
}

var poBoxSpelling = regexp.MustCompile(`\b(p o box|post office box|pobox|p o b|pob)\b`)

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Parse reads a free-text address ("12 Main St, Apt 4, Springfield, IL
// 62704, USA", or the same on several lines) into its parts. It recognises
// a trailing country, a postal code (US ZIP, Canadian, UK or a 4–6 digit
// code) and a unit line following the street; what it cannot place is
// left in the street or locality. Country is returned as written.
func Parse(s string) event.Address {
	var parts []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == ';' }) {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			parts = append(parts, p)
		}
	}
	a := event.Address{Formatted: strings.Join(parts, ", ")}
	if len(parts) == 0 {
		return a
	}
	if len(parts) > 1 && isCountry(parts[len(parts)-1]) {
		a.Country = parts[len(parts)-1]
		parts = parts[:len(parts)-1]
	}
	a.Street = parts[0]
	parts = parts[1:]
	if len(parts) > 0 && startsWithUnit(parts[0]) {
		a.Street += " " + parts[0]
		parts = parts[1:]
	}
	// The postal code sits in one of the remaining parts, usually the last,
	// beside the region ("IL 62704") or the locality ("10115 Berlin").
	for i := len(parts) - 1; i >= 0; i-- {
		loc := postalCode.FindStringIndex(parts[i])
		if loc == nil {
			continue
		}
		a.PostalCode = parts[i][loc[0]:loc[1]]
		rest := strings.TrimSpace(parts[i][:loc[0]] + " " + parts[i][loc[1]:])
		switch {
		case i > 0:
			a.Locality = parts[i-1]
			a.Region = rest
		default:
			a.Locality = rest
		}
		return a
	}
	if len(parts) > 0 {
		a.Locality = parts[0]
		if len(parts) > 1 {
			a.Region = parts[1]
		}
	}
	return a
}

var postalCode = regexp.MustCompile(`(?i)\b(\d{5}(-\d{4})?|[A-Z]\d[A-Z] ?\d[A-Z]\d|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|\d{2}-\d{3}|\d{4,6})\b`)

func startsWithUnit(s string) bool {
	f := strings.Fields(fold(s))
	return len(f) > 0 && (unitWords[f[0]] || strings.HasPrefix(f[0], "#"))
}

func isCountry(s string) bool {
	_, ok := countryCodes[fold(s)]
	return ok
}
