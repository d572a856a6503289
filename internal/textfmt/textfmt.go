// Package textfmt holds the small formatting helpers that findings,
// reports, the CLI and the web UI share, so that dates, counts and
// rounded figures read the same everywhere. It is a leaf: it imports only
// the standard library, so every other package may import it.
package textfmt

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Date writes t's UTC calendar date ("2025-03-03"), or ifZero when t is
// the zero time.
func Date(t time.Time, ifZero string) string {
	if t.IsZero() {
		return ifZero
	}
	return t.UTC().Format(time.DateOnly)
}

// Stamp writes a time to the minute in UTC: "2025-03-03 14:05 UTC".
func Stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// Plural returns one when n is 1, else many.
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Count writes n and the noun that agrees with it: "1 cell", "3 cells".
func Count(n int, one, many string) string {
	return strconv.Itoa(n) + " " + Plural(n, one, many)
}

// Quantity is Count with thousands separators: "1 file", "12,345 records".
func Quantity(n int, one, many string) string {
	return Thousands(n) + " " + Plural(n, one, many)
}

// Thousands writes n with comma thousands separators: "-12,345".
func Thousands(n int) string {
	s := strconv.Itoa(n)
	digits := strings.TrimPrefix(s, "-")
	var b strings.Builder
	b.Grow(len(s) + len(s)/3)
	if len(digits) < len(s) {
		b.WriteByte('-')
	}
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Round2 rounds x to two decimals (half away from zero), for scores and
// confidences.
func Round2(x float64) float64 { return math.Round(x*100) / 100 }
