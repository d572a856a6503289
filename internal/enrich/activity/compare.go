package activity

import (
	"math"
	"slices"
)

// Comparison is how a person's activity hours compare with their claim.
type Comparison struct {
	Estimate
	// Zone is the claimed zone whose hours fit the activity best (the
	// charitable reading of a claim that spans several zones), and Offsets
	// its offsets over the period (both sides of a DST change).
	Zone    Zone
	Offsets []int
	// Shift is the distance in minutes around the clock between the
	// estimate and the nearest of Offsets.
	Shift int
	// Gap is how much better the estimate fits than Zone: mean
	// log-likelihood per touch.
	Gap float64
}

// Compare estimates the offset of ts and compares it with the claim. ok is
// false when the estimate is undecided (too little activity, flat or
// two-humped hours) or the claim has no zones.
func Compare(ts []Touch, c Claim) (Comparison, bool) {
	v := Comparison{Estimate: Infer(ts)}
	if !v.Decided() || len(c.Zones) == 0 {
		return v, false
	}
	best := math.Inf(-1)
	for _, z := range c.Zones {
		if f := MeanLogLik(ts, z.Loc); f > best {
			best, v.Zone = f, z
		}
	}
	seen := map[int]bool{}
	for _, t := range ts {
		if o := v.Zone.Offset(t.At); !seen[o] {
			seen[o] = true
			v.Offsets = append(v.Offsets, o)
		}
	}
	slices.Sort(v.Offsets)
	v.Shift = 24 * 60
	for _, o := range v.Offsets {
		v.Shift = min(v.Shift, AroundTheClock(v.Offset, o))
	}
	v.Gap = FitAt(ts, v.Offset) - best
	return v, true
}
