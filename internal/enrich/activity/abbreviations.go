package activity

import (
	"iter"
	"slices"
	"strings"
	"sync"
	"time"
)

// Zone abbreviations ("CST", "IST", "KST") are what macOS and Linux clocks
// report. Many are ambiguous — "CST" is US Central, China, Cuba, Mexico
// City and Central America — and seasonal — US Central shows "CDT" in
// summer, so "CST" in August is not Chicago. Rather than a hand-kept list,
// the readings come from the tz database itself: at time t, an
// abbreviation means the offsets of the zones (of zone.tab) that use it at
// t; when none does (a clock frozen on last season's name), the offsets
// those zones have when they use it that year. Legacy names that the tz
// database no longer writes (it now writes most zones outside Europe and
// North America as numbers) are read from a short fixed list.

// legacyAbbreviations are names systems still show that the tz database
// replaced by numeric forms, with their offsets in minutes.
var legacyAbbreviations = map[string][]int{
	"BST": {360}, "MET": {60}, "MEST": {120}, "MSD": {240}, "NPT": {345}, "ICT": {420}, "PHT": {480}, "SGT": {480},
	"MYT": {480}, "BRT": {-180}, "ART": {-180}, "CLT": {-240}, "CLST": {-180},
	"COT": {-300}, "PET": {-300}, "VET": {-240}, "UYT": {-180}, "AST": {180}, "GST": {240}, "TRT": {180},
	"AMT": {240}, "AZT": {240}, "GET": {240}, "UZT": {300}, "BTT": {360}, "MMT": {390}, "ULAT": {480},
}

// abbreviationYear is one year's index: abbreviation (upper case) → the
// zones that use it in January or July.
type abbreviationYear map[string][]Zone

var (
	abbrMu    sync.Mutex
	abbrYears = map[int]abbreviationYear{}
)

// abbreviationsIn returns the index for a year, building it once.
func abbreviationsIn(year int) abbreviationYear {
	abbrMu.Lock()
	defer abbrMu.Unlock()
	if idx, ok := abbrYears[year]; ok {
		return idx
	}
	idx := abbreviationYear{}
	seen := map[string]bool{}
	for _, zs := range zoneTable() {
		for _, z := range zs {
			if seen[z.Name] {
				continue
			}
			seen[z.Name] = true
			for _, m := range []time.Month{time.January, time.July} {
				name, _ := time.Date(year, m, 15, 12, 0, 0, 0, time.UTC).In(z.Loc).Zone()
				if name == "" || name[0] == '+' || name[0] == '-' {
					continue
				}
				k := strings.ToUpper(name)
				if !slices.ContainsFunc(idx[k], func(y Zone) bool { return y.Name == z.Name }) {
					idx[k] = append(idx[k], z)
				}
			}
		}
	}
	for _, zs := range idx {
		slices.SortFunc(zs, func(a, b Zone) int { return strings.Compare(a.Name, b.Name) })
	}
	abbrYears[year] = idx
	return idx
}

// knownAbbreviation reports whether label is an abbreviation rollcall can
// read.
func knownAbbreviation(label string) bool {
	k := strings.ToUpper(label)
	if _, ok := legacyAbbreviations[k]; ok {
		return true
	}
	return len(abbreviationsIn(2025)[k]) > 0
}

// abbreviationOffsets returns the offsets (minutes) an abbreviation stands
// for at t.
func abbreviationOffsets(label string, t time.Time) []int {
	var out []int
	for r := range eachAbbreviationReading(label, t) {
		out = append(out, r.Offset)
	}
	return out
}

// abbreviationReadings returns what an abbreviation can mean at t (see
// eachAbbreviationReading).
func abbreviationReadings(label string, t time.Time) []Reading {
	return slices.Collect(eachAbbreviationReading(label, t))
}

// eachAbbreviationReading yields what an abbreviation can mean at t: the
// zones that use it then (with their country and location), and the
// legacy fixed readings (country unknown). When no zone uses it at t (a
// clock frozen on last season's name) the zones that use it that year are
// read at their offset under that name, with no country. It allocates
// nothing: clock checks run it for every day of every person.
func eachAbbreviationReading(label string, t time.Time) iter.Seq[Reading] {
	return func(yield func(Reading) bool) {
		k := strings.ToUpper(label)
		zones := abbreviationsIn(t.Year())[k]
		now := false
		for _, z := range zones {
			if name, secs := t.In(z.Loc).Zone(); strings.EqualFold(name, label) {
				now = true
				if !yield(Reading{Offset: secs / 60, Zone: z.Name, Country: z.Country, Lat: z.Lat, Lon: z.Lon, Located: true}) {
					return
				}
			}
		}
		for _, o := range legacyAbbreviations[k] {
			now = true
			if !yield(Reading{Offset: o}) {
				return
			}
		}
		if now {
			return
		}
		for _, z := range zones {
			for _, m := range []time.Month{time.January, time.July} {
				if name, secs := time.Date(t.Year(), m, 15, 12, 0, 0, 0, time.UTC).In(z.Loc).Zone(); strings.EqualFold(name, label) {
					if !yield(Reading{Offset: secs / 60, Zone: z.Name}) {
						return
					}
				}
			}
		}
	}
}
