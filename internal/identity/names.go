package identity

import (
	"strings"
	"unicode"

	"github.com/adrg/strutil"
	"github.com/adrg/strutil/metrics"
	"golang.org/x/text/unicode/norm"
)

// NormalizeName folds a personal name for comparison: lower case, accents
// removed, punctuation dropped, whitespace collapsed.
func NormalizeName(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		default:
			space = true
		}
	}
	return b.String()
}

var jaroWinkler = metrics.NewJaroWinkler()

// SameName reports whether two personal names plausibly name the same
// person: equal after normalisation, the same tokens in another order, or
// a close match on the family name with a compatible given name/initial.
func SameName(a, b string) bool {
	a, b = NormalizeName(a), NormalizeName(b)
	if a == "" || b == "" {
		return false
	}
	if a == b {
		return true
	}
	ta, tb := strings.Fields(a), strings.Fields(b)
	if sameTokens(ta, tb) {
		return true
	}
	la, lb := ta[len(ta)-1], tb[len(tb)-1]
	if strutil.Similarity(la, lb, jaroWinkler) < 0.92 {
		return false
	}
	fa, fb := ta[0], tb[0]
	if len(fa) == 1 || len(fb) == 1 {
		return fa[0] == fb[0]
	}
	return strutil.Similarity(fa, fb, jaroWinkler) >= 0.85
}

func sameTokens(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, t := range a {
		seen[t]++
	}
	for _, t := range b {
		if seen[t] == 0 {
			return false
		}
		seen[t]--
	}
	return true
}

// NormalizeEmail lower-cases and trims an email address.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
