package identity

import (
	"slices"
	"strings"

	"github.com/adrg/strutil"
)

// Name-variant kinds: why two differently written names plausibly name
// one person.
const (
	VariantSame            = "the same name"
	VariantNickname        = "a nickname of the given name"
	VariantFamilyChange    = "the same given name with another family name (marriage, divorce)"
	VariantTransliteration = "a transliteration or spelling variant"
	VariantMiddleName      = "a middle name used as the first name"
)

// NameVariant reports whether a and b plausibly name one person written two
// ways, and which way: identical or reordered names and small typos
// (SameName), a nickname (Evie / Evelyn Park, FormalGivenNames), a changed
// family name with the same given name (Maria Lopez / Maria Chen), a
// transliteration (Aleksandr Petrov / Alexander Petrov, Mohammed / Muhammad)
// or a middle name used as the first (James Robert Lee / Robert Lee). It
// is "" when the names are really different. Two one-word names never
// count as variants unless they are the same name.
func NameVariant(a, b string) string {
	if SameName(a, b) {
		return VariantSame
	}
	ta, tb := strings.Fields(NormalizeName(a)), strings.Fields(NormalizeName(b))
	ta, tb = withoutInitials(ta), withoutInitials(tb)
	if len(ta) < 2 || len(tb) < 2 {
		return ""
	}
	fa, fb, la, lb := ta[0], tb[0], ta[len(ta)-1], tb[len(tb)-1]
	sameFamily := similar(la, lb, 0.92)
	switch {
	case sameFamily && (nick(fa, fb) || nick(fb, fa) || sharedFormal(fa, fb)):
		return VariantNickname
	case sameFamily && similar(translit(fa), translit(fb), 0.9) && similar(translit(la), translit(lb), 0.9):
		return VariantTransliteration
	case similar(translit(family(ta)), translit(family(tb)), 0.93) && similar(translit(fa), translit(fb), 0.88):
		return VariantTransliteration
	case subset(ta, tb) || subset(tb, ta):
		return VariantMiddleName
	case fa == fb && len(fa) > 2:
		return VariantFamilyChange
	}
	return ""
}

// family joins the tokens after the first: "al sayed" and "alsayed" are
// one family name.
func family(toks []string) string { return strings.Join(toks[1:], "") }

func similar(a, b string, min float64) bool {
	return a == b || strutil.Similarity(a, b, jaroWinkler) >= min
}

// sharedFormal: two nicknames of one formal name (Bill / Will).
func sharedFormal(a, b string) bool {
	return slices.ContainsFunc(nicknames[a], func(f string) bool { return slices.Contains(nicknames[b], f) })
}

// subset: every token of short (two or more) is in long, and they share
// the family name: a middle name used as the first name.
func subset(short, long []string) bool {
	if len(short) >= len(long) || short[len(short)-1] != long[len(long)-1] {
		return false
	}
	for _, t := range short {
		if !slices.Contains(long, t) {
			return false
		}
	}
	return true
}

func withoutInitials(toks []string) []string {
	return slices.DeleteFunc(slices.Clone(toks), func(t string) bool { return len(t) == 1 })
}

// translitFolds are spelling differences between romanisations of one
// name (Cyrillic, Arabic, Greek, Hindi…), folded before comparison.
var translitFolds = strings.NewReplacer(
	"ks", "x", "ph", "f", "kh", "h", "zh", "j", "dzh", "j", "yu", "u", "iu", "u", "ya", "a", "ia", "a",
	"ou", "u", "oo", "u", "ee", "i", "y", "i", "w", "v", "ck", "k", "c", "k", "q", "k", "sch", "sh", "tch", "ch",
	"th", "t", "dh", "d", "gh", "g", "-", "",
)

// translit folds a name token's spelling for transliteration-aware
// comparison: Aleksandr / Alexander, Mohammed / Muhammad, Yuri / Iouri.
func translit(s string) string {
	s = translitFolds.Replace(s)
	// Vowels vary most between romanisations; keep the consonant
	// skeleton with every vowel run as one "a".
	var b strings.Builder
	var last rune
	for _, r := range s {
		if strings.ContainsRune("aeiou", r) {
			r = 'a'
		}
		if r != last {
			b.WriteRune(r)
		}
		last = r
	}
	return b.String()
}
