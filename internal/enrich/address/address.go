// Package address normalises postal addresses with rules (no libpostal) so
// that the same place written two ways compares equal, and classifies
// addresses that are not homes (PO boxes, mail forwarders, commercial
// receiving addresses).
package address

import (
	"strings"
	"unicode"

	"github.com/rollcall/rollcall/internal/event"
)

// Key returns a normalised comparison key for an address: street, postal
// code and country folded to a canonical form. Two addresses with the same
// non-empty Key are the same place. It returns "" when the address has too
// little to compare.
func Key(a event.Address) string {
	street := foldStreet(a.Street)
	if street == "" && a.Formatted != "" {
		street = foldStreet(firstLine(a.Formatted))
	}
	if street == "" {
		return ""
	}
	postal := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(a.PostalCode), " ", ""))
	if i := strings.IndexByte(postal, '-'); i == 5 { // US ZIP+4 → ZIP
		postal = postal[:5]
	}
	loc := fold(a.Locality)
	return street + "|" + postal + "|" + loc + "|" + strings.ToUpper(strings.TrimSpace(a.Country))
}

func firstLine(s string) string {
	if i := strings.IndexAny(s, "\n,"); i >= 0 {
		return s[:i]
	}
	return s
}

// fold lower-cases, drops punctuation and collapses spaces.
func fold(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '#' {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		} else {
			space = true
		}
	}
	return b.String()
}

// streetWords maps street-type and directional words to USPS abbreviations.
var streetWords = map[string]string{
	"street": "st", "avenue": "ave", "av": "ave", "road": "rd", "drive": "dr", "boulevard": "blvd",
	"lane": "ln", "court": "ct", "place": "pl", "terrace": "ter", "circle": "cir", "parkway": "pkwy",
	"highway": "hwy", "square": "sq", "trail": "trl", "way": "way", "apartment": "apt", "suite": "ste",
	"unit": "unit", "north": "n", "south": "s", "east": "e", "west": "w", "northeast": "ne",
	"northwest": "nw", "southeast": "se", "southwest": "sw", "#": "unit", "number": "unit", "no": "unit",
}

func foldStreet(s string) string {
	words := strings.Fields(fold(s))
	for i, w := range words {
		if r, ok := streetWords[w]; ok {
			words[i] = r
		}
		if strings.HasPrefix(w, "#") && len(w) > 1 {
			words[i] = "unit " + w[1:]
		}
	}
	out := strings.Join(words, " ")
	for _, u := range []string{"apt ", "ste ", "unit "} {
		out = strings.ReplaceAll(out, u, "unit ")
	}
	return out
}
