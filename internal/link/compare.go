package link

import (
	"github.com/adrg/strutil/metrics"
)

// A comparison grades how well two records agree on one field into a
// level: 0 is the best agreement, higher levels are weaker, the last one is
// disagreement, and null (both or either side unknown) carries no weight.
type comparison struct {
	name   Field
	levels []string // level descriptions, best first; the last is "different"
	// has reports whether a record has the field; grade grades records a
	// and b (x and y).
	has   func(x *prepared) bool
	grade func(c *comparer, a, b int32, x, y *prepared) int
}

// null is the level of a comparison with a side unknown.
const null = 0xF

// bitsPerLevel packs a pair's levels into a pattern: comparison k's level
// is bits 4k..4k+3.
const bitsPerLevel = 4

// The comparisons, in pattern order.
const (
	cmpGiven = iota
	cmpFamily
	cmpBirth
	cmpEmail
	cmpPhone
	cmpStreetNo
	cmpStreet
	cmpAddress2
	cmpCity
	cmpPostcode
	cmpRegion
	cmpNationalID
	cmpURL
	cmpPayout
	cmpResume
	numComparisons
)

var comparisons = [numComparisons]comparison{
	cmpGiven: {FieldGivenName, []string{"exact", "nickname or Jaro-Winkler ≥ 0.92", "Jaro-Winkler ≥ 0.80", "different"},
		func(x *prepared) bool { return x.given != "" },
		func(_ *comparer, _, _ int32, x, y *prepared) int {
			return nameLevel(x.given, y.given, x.formal, y.formal)
		}},
	cmpFamily: {FieldFamilyName, []string{"exact", "Jaro-Winkler ≥ 0.92", "Jaro-Winkler ≥ 0.80", "different"},
		func(x *prepared) bool { return x.family != "" },
		func(_ *comparer, _, _ int32, x, y *prepared) int {
			return nameLevel(x.family, y.family, x.family, y.family)
		}},
	cmpBirth: {FieldBirthDate, []string{"exact", "one digit off or day/month swapped", "same year", "different"},
		func(x *prepared) bool { return x.dob != "" },
		func(_ *comparer, _, _ int32, x, y *prepared) int { return dateLevel(x.dob, y.dob) }},
	cmpEmail: {FieldEmail, []string{"same mailbox", "same mailbox, frequent", "same local part", "different"},
		func(x *prepared) bool { return len(x.mailboxes) > 0 },
		func(c *comparer, _, _ int32, x, y *prepared) int {
			return c.valuesLevel(x.mailboxes, y.mailboxes, tagEmail, x.locals, y.locals)
		}},
	cmpPhone: {FieldPhone, []string{"same number", "same number, frequent", "different"},
		func(x *prepared) bool { return len(x.phones) > 0 },
		func(c *comparer, _, _ int32, x, y *prepared) int {
			return c.valuesLevel(x.phones, y.phones, tagPhone, nil, nil)
		}},
	cmpStreetNo: {FieldStreetNumber, []string{"exact", "different"},
		func(x *prepared) bool { return x.streetNo != "" },
		func(_ *comparer, _, _ int32, x, y *prepared) int { return exactLevel(x.streetNo, y.streetNo) }},
	cmpStreet: {FieldAddress, []string{"exact", "Jaro-Winkler ≥ 0.90", "Jaro-Winkler ≥ 0.75", "different"},
		func(x *prepared) bool { return x.street != "" },
		func(_ *comparer, _, _ int32, x, y *prepared) int { return similarLevel(x.street, y.street, 0.90, 0.75) }},
	cmpAddress2: {FieldAddress2, []string{"exact", "Jaro-Winkler ≥ 0.90", "different"},
		func(x *prepared) bool { return x.address2 != "" },
		func(_ *comparer, _, _ int32, x, y *prepared) int {
			return similarLevel(x.address2, y.address2, 0.90, 0)
		}},
	cmpCity: {FieldCity, []string{"exact", "Jaro-Winkler ≥ 0.90", "different"},
		func(x *prepared) bool { return x.city != "" },
		func(_ *comparer, _, _ int32, x, y *prepared) int { return similarLevel(x.city, y.city, 0.90, 0) }},
	cmpPostcode: {FieldPostcode, []string{"exact", "one character off", "different"},
		func(x *prepared) bool { return x.postcode != "" },
		func(_ *comparer, _, _ int32, x, y *prepared) int { return typoLevel(x.postcode, y.postcode) }},
	cmpRegion: {FieldRegion, []string{"exact", "different"},
		func(x *prepared) bool { return x.region != "" },
		func(_ *comparer, _, _ int32, x, y *prepared) int { return exactLevel(x.region, y.region) }},
	cmpNationalID: {FieldNationalID, []string{"exact", "one edit", "different"},
		func(x *prepared) bool { return x.nid != "" },
		func(_ *comparer, _, _ int32, x, y *prepared) int { return typoLevel(x.nid, y.nid) }},
	cmpURL: {FieldURL, []string{"same URL", "same URL, frequent", "different"},
		func(x *prepared) bool { return len(x.urls) > 0 },
		func(c *comparer, _, _ int32, x, y *prepared) int {
			return c.valuesLevel(x.urls, y.urls, tagURL, nil, nil)
		}},
	cmpPayout: {FieldPayout, []string{"same account", "same account, frequent", "different"},
		func(x *prepared) bool { return len(x.payouts) > 0 },
		func(c *comparer, _, _ int32, x, y *prepared) int {
			return c.valuesLevel(x.payouts, y.payouts, tagPayout, nil, nil)
		}},
	cmpResume: {FieldResume, []string{"Jaccard ≥ 0.80", "near duplicate (Jaccard ≥ 0.40)", "not a near duplicate"},
		func(x *prepared) bool { return x.resume >= 0 },
		(*comparer).resumeLevel},
}

// pattern is a pair's agreement levels, packed.
type pattern uint64

func (p pattern) level(k int) int { return int(p>>(bitsPerLevel*k)) & null }

func (p *pattern) set(k, level int) {
	*p = *p&^(null<<(bitsPerLevel*k)) | pattern(level)<<(bitsPerLevel*k)
}

// allNull is the pattern with every comparison null.
const allNull = pattern(1<<(bitsPerLevel*numComparisons) - 1)

var jaroWinkler = func() *metrics.JaroWinkler {
	m := metrics.NewJaroWinkler()
	m.CaseSensitive = true // inputs are folded already
	return m
}()

// comparer grades pairs of prepared records.
type comparer struct {
	recs []prepared
	// frequent holds the hashes of identifier values that many records
	// share (an agency's phone, a shared inbox): agreeing on one is weaker
	// evidence than agreeing on a value of one's own.
	frequent map[uint64]bool
	// resume holds the résumé near-duplicate pairs' Jaccard similarity,
	// keyed by pairKey of the records.
	resume map[uint64]float32
}

// compare returns the agreement pattern of records a and b.
func (c *comparer) compare(a, b int32) pattern {
	p := allNull
	for k := range numComparisons {
		p.set(k, c.level(k, a, b))
	}
	if g, f := p.level(cmpGiven), p.level(cmpFamily); g > 1 && g != null && f > 1 && f != null {
		// Given and family names swapped between the records.
		x, y := &c.recs[a], &c.recs[b]
		if g, f := nameLevel(x.given, y.family, x.given, y.family), nameLevel(x.family, y.given, x.family, y.given); g <= 1 && f <= 1 {
			p.set(cmpGiven, g)
			p.set(cmpFamily, f)
		}
	}
	return p
}

// level grades records a and b on comparison k.
func (c *comparer) level(k int, a, b int32) int {
	return comparisons[k].grade(c, a, b, &c.recs[a], &c.recs[b])
}

// has reports whether record i has the field comparison k reads.
func (c *comparer) has(k int, i int32) bool { return comparisons[k].has(&c.recs[i]) }

// resumeLevel grades two résumés by the near-duplicate pairs MinHash LSH
// found.
func (c *comparer) resumeLevel(a, b int32, x, y *prepared) int {
	if x.resume < 0 || y.resume < 0 {
		return null
	}
	j, ok := c.resume[pairKey(a, b)]
	switch {
	case ok && j >= 0.8:
		return 0
	case ok:
		return 1
	}
	return 2
}

// nameLevel grades two folded names; fa and fb are the forms with
// nicknames resolved (equal to a and b for family names).
func nameLevel(a, b, fa, fb string) int {
	if a != "" && b != "" && a != b && fa == fb {
		return 1
	}
	return similarLevel(a, b, 0.92, 0.80)
}

// settled grades what every comparison shares: a side unknown is null,
// equal values are level 0; ok is false when neither holds.
func settled(a, b string) (level int, ok bool) {
	switch {
	case a == "" || b == "":
		return null, true
	case a == b:
		return 0, true
	}
	return 0, false
}

func exactLevel(a, b string) int {
	if l, ok := settled(a, b); ok {
		return l
	}
	return 1
}

// similarLevel grades by Jaro–Winkler similarity: exact, ≥ high, ≥ low
// (when low > 0), different.
func similarLevel(a, b string, high, low float64) int {
	if l, ok := settled(a, b); ok {
		return l
	}
	s := jaroWinkler.Compare(a, b)
	switch {
	case s >= high:
		return 1
	case low > 0 && s >= low:
		return 2
	case low > 0:
		return 3
	}
	return 2
}

// typoLevel grades codes (postcodes, national ids) where one substituted
// or transposed character is a typo: exact, one edit, different.
func typoLevel(a, b string) int {
	if l, ok := settled(a, b); ok {
		return l
	}
	if oneEdit(a, b) {
		return 1
	}
	return 2
}

// dateLevel grades two YYYYMMDD dates: exact; one digit off, two adjacent
// digits transposed, or day and month swapped; same year; different.
func dateLevel(a, b string) int {
	if l := typoLevel(a, b); l != 2 {
		return l
	}
	switch {
	case a[:4] == b[:4] && a[4:6] == b[6:8] && a[6:8] == b[4:6]:
		return 1
	case a[:4] == b[:4]:
		return 2
	}
	return 3
}

// oneEdit reports whether equal-length a and b differ by one substituted
// character or two adjacent characters transposed, or whether one is the
// other with one character inserted.
func oneEdit(a, b string) bool {
	if len(a) != len(b) {
		if len(a) > len(b) {
			a, b = b, a
		}
		if len(b)-len(a) != 1 {
			return false
		}
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		return a[i:] == b[i+1:]
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if i == len(a) {
		return true
	}
	if a[i+1:] == b[i+1:] {
		return true
	}
	return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
}

// valuesLevel grades two sets of identifier values: shared (a value of
// one's own), shared but frequent, shared local part (email only),
// different.
func (c *comparer) valuesLevel(a, b []string, tag byte, la, lb []string) int {
	if len(a) == 0 || len(b) == 0 {
		return null
	}
	best := -1
	for _, x := range a {
		for _, y := range b {
			if x != y {
				continue
			}
			if !isFrequent(c.frequent, keyHash(tag, x)) {
				return 0
			}
			best = 1
		}
	}
	if best >= 0 {
		return best
	}
	step := 0
	if tag == tagEmail {
		step = 1
		for _, x := range la {
			for _, y := range lb {
				if x == y && len(x) >= 4 {
					return 2
				}
			}
		}
	}
	return 2 + step
}
