// Package resume holds résumé forensics: near-duplicate detection across
// many documents (MinHash over word shingles with LSH banding, then exact
// Jaccard on the candidates, near-linear in the number of documents), the
// passages two documents share, a documented table of technology release
// dates with a parser for "N years of X" claims, and the sections and
// education entries of a résumé's text.
//
// Everything here is pure: text in, facts out. The hiring indicators
// (APP-02, APP-03, APP-04, APP-06) decide what the facts mean.
package resume

import (
	"slices"
	"unicode"
	"unicode/utf8"
)

// token is one normalised word and where it is in the text.
type token struct {
	hash       uint64
	start, end int32 // byte offsets of the word in the original text
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// digitsHash is the hash every run of digits gets: years, percentages and
// phone numbers differ between copies of one template and say nothing
// about its wording.
var digitsHash = mix64(0x5eed_d161_7500_0000)

// tokenize splits text into words: maximal runs of letters and digits,
// lower-cased; a run of digits is one placeholder word. Letters and
// digits glued together ("k8s", "S3") stay one word.
func tokenize(text string, dst []token) []token {
	dst = dst[:0]
	i := 0
	for i < len(text) {
		c := text[i]
		if c < utf8.RuneSelf {
			if !isASCIIWord(c) {
				i++
				continue
			}
		} else if r, n := utf8.DecodeRuneInString(text[i:]); !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			i += n
			continue
		}
		start := i
		h := uint64(fnvOffset)
		digitsOnly := true
		for i < len(text) {
			c := text[i]
			if c < utf8.RuneSelf {
				if !isASCIIWord(c) {
					break
				}
				if c >= 'A' && c <= 'Z' {
					c += 'a' - 'A'
				}
				if c < '0' || c > '9' {
					digitsOnly = false
				}
				h = (h ^ uint64(c)) * fnvPrime
				i++
				continue
			}
			r, n := utf8.DecodeRuneInString(text[i:])
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				break
			}
			digitsOnly = false
			h = (h ^ uint64(unicode.ToLower(r))) * fnvPrime
			i += n
		}
		if digitsOnly {
			h = digitsHash
		}
		dst = append(dst, token{hash: h, start: int32(start), end: int32(i)})
	}
	return dst
}

func isASCIIWord(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// mix64 is the splitmix64 finaliser: a fast, well-distributed 64-bit
// mixing function.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// shingles appends the hash of every run of k consecutive words to dst,
// in text order (position i is the shingle starting at word i).
func shingles(toks []token, k int, dst []uint64) []uint64 {
	dst = dst[:0]
	for i := 0; i+k <= len(toks); i++ {
		h := uint64(k)
		for j := i; j < i+k; j++ {
			h = (h ^ toks[j].hash) * 0x9e3779b97f4a7c15
			h ^= h >> 29
		}
		dst = append(dst, mix64(h))
	}
	return dst
}

// uniqueSorted sorts hashes and removes repeats, in place.
func uniqueSorted(hs []uint64) []uint64 {
	slices.Sort(hs)
	return slices.Compact(hs)
}

// intersectCount counts the values two sorted, repeat-free slices share.
func intersectCount(a, b []uint64) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return n
}
