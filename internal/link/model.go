package link

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
)

// Model is a fitted Fellegi–Sunter model: for every comparison level, the
// probability m of seeing it in a matching pair and u in a non-matching
// pair; a pair's match weight is log2 of the prior odds plus the sum of
// log2(m/u) over its non-null levels.
type Model struct {
	// Lambda is the share of candidate pairs that match, as EM found it;
	// Prior is the probability that two records drawn at random match
	// (Lambda scaled from the candidate pairs to all pairs), whose log-odds
	// start every pair's match weight, as in Splink.
	Lambda float64 `json:"lambda"`
	Prior  float64 `json:"prior"`
	// Iterations is how many EM iterations ran before m settled.
	Iterations  int               `json:"em_iterations"`
	Comparisons []ComparisonModel `json:"comparisons"`

	weights [numComparisons][null + 1]float64
	prior   float64
}

// ComparisonModel is one comparison's levels.
type ComparisonModel struct {
	Field  Field        `json:"field"`
	Levels []LevelModel `json:"levels"`
}

// LevelModel is one agreement level's parameters.
type LevelModel struct {
	Level  string  `json:"level"`
	M      float64 `json:"m"`
	U      float64 `json:"u"`
	Weight float64 `json:"weight"` // log2(m/u)
}

// Weight returns the match weight of an agreement pattern.
func (m *Model) weight(p pattern) float64 {
	w := m.prior
	for k := range numComparisons {
		w += m.weights[k][p.level(k)]
	}
	return w
}

// sharedComparisons are the identifiers an operator shares across
// personas (contact points, payout accounts, documents), as opposed to
// the personal fields a persona makes up.
var sharedComparisons = []int{cmpEmail, cmpPhone, cmpNationalID, cmpURL, cmpPayout, cmpResume}

// sharedWeight is the evidence that two records are run by one operator:
// the sum of the weights of the identifiers they share (each one's own
// value, not a frequent one; a near-duplicate résumé), and how many kinds
// of identifier that is. Names, dates and addresses do not count for or
// against: personas are made to differ there.
func (m *Model) sharedWeight(p pattern) (w float64, kinds int) {
	for _, k := range sharedComparisons {
		l := p.level(k)
		if l == 0 || k == cmpResume && l == 1 {
			if wk := m.weights[k][l]; wk > 0 {
				w += wk
				kinds++
			}
		}
	}
	return w, kinds
}

// probability turns a match weight into a match probability.
func probability(w float64) float64 { return 1 / (1 + math.Exp2(-w)) }

// estimateU estimates every comparison's u probabilities from random
// pairs of records that both have the field (all such pairs when there are
// at most samples of them). Sampling is seeded, so runs are repeatable.
func estimateU(ctx context.Context, c *comparer, samples, workers int) ([numComparisons][]float64, error) {
	var u [numComparisons][]float64
	err := parallel(ctx, numComparisons, workers, 1, func(_, lo, hi int) {
		for k := lo; k < hi; k++ {
			u[k] = estimateComparisonU(c, k, samples)
		}
	})
	if err != nil {
		return u, fmt.Errorf("estimating u: %w", err)
	}
	return u, nil
}

// estimateComparisonU estimates comparison k's u probabilities, nil when
// fewer than two records have the field.
func estimateComparisonU(c *comparer, k, samples int) []float64 {
	rng := rand.New(rand.NewPCG(0x6c696e6b, uint64(k))) // "link", the comparison
	var present []int32
	for i := range c.recs {
		if c.has(k, int32(i)) {
			present = append(present, int32(i))
		}
	}
	levels := len(comparisons[k].levels)
	counts := make([]float64, levels)
	n := len(present)
	if all := n * (n - 1) / 2; all <= samples {
		for i := range n {
			for j := i + 1; j < n; j++ {
				if l := c.level(k, present[i], present[j]); l != null {
					counts[l]++
				}
			}
		}
	} else {
		for range samples {
			a, b := present[rng.IntN(n)], present[rng.IntN(n)]
			if a == b {
				continue
			}
			if l := c.level(k, a, b); l != null {
				counts[l]++
			}
		}
	}
	// Add one to every level (Laplace), so that a level never seen among
	// random pairs gets a small u rather than zero. A comparison no pair
	// could be graded on stays nil and weighs nothing.
	total := 0.0
	for _, n := range counts {
		total += n
	}
	if total == 0 {
		return nil
	}
	total += float64(levels)
	u := make([]float64, levels)
	for l := range counts {
		u[l] = (counts[l] + 1) / total
	}
	return u
}

// fitEM estimates m and the prior by expectation maximisation over the
// candidate pairs' agreement patterns (counted), with u fixed, as Splink
// does. allPairs is the number of pairs of records (n·(n-1)/2).
func fitEM(counts map[pattern]int, u [numComparisons][]float64, maxIter int, allPairs float64) *Model {
	m := &Model{Lambda: 0.1}
	var mp [numComparisons][]float64
	for k := range numComparisons {
		levels := len(comparisons[k].levels)
		mp[k] = make([]float64, levels)
		mp[k][0] = 0.85
		mp[k][levels-1] = 0.05
		if levels == 2 {
			mp[k][0], mp[k][1] = 0.9, 0.1
		}
		for l := 1; l < levels-1; l++ {
			mp[k][l] = 0.10 / float64(levels-2)
		}
	}
	pats := make([]pattern, 0, len(counts))
	ns := make([]float64, 0, len(counts))
	for p, n := range counts {
		pats = append(pats, p)
		ns = append(ns, float64(n))
	}
	init := mp
	for k := range mp {
		init[k] = append([]float64(nil), mp[k]...)
	}
	var acc [numComparisons][null + 1]float64
	for m.Iterations = 1; m.Iterations <= maxIter; m.Iterations++ {
		m.setWeights(mp, u)
		clear(acc[:])
		matched, total := 0.0, 0.0
		for i, p := range pats {
			pr := probability(m.weight(p)) * ns[i]
			matched += pr
			total += ns[i]
			for k := range numComparisons {
				acc[k][p.level(k)] += pr
			}
		}
		change := 0.0
		for k := range numComparisons {
			if u[k] == nil {
				continue
			}
			sum := 0.0
			for l := range mp[k] {
				sum += acc[k][l]
			}
			if sum == 0 {
				continue
			}
			// One pseudo-pair spread as the initial m: a level no candidate
			// pair shows keeps a tiny m instead of none.
			for l := range mp[k] {
				v := (acc[k][l] + init[k][l]) / (sum + 1)
				change = max(change, math.Abs(v-mp[k][l]))
				mp[k][l] = v
			}
		}
		if total > 0 {
			m.Lambda = min(max(matched/total, 1e-9), 1-1e-9)
		}
		if change < 1e-5 {
			break
		}
	}
	m.Iterations = min(m.Iterations, maxIter)
	candidates := 0.0
	for _, n := range ns {
		candidates += n
	}
	m.Prior = min(m.Lambda*candidates/max(allPairs, 1), 1-1e-9)
	m.setWeights(mp, u)
	m.prior = math.Log2(m.Prior / (1 - m.Prior))
	for k := range numComparisons {
		cm := ComparisonModel{Field: comparisons[k].name}
		for l, desc := range comparisons[k].levels {
			lm := LevelModel{Level: desc, M: mp[k][l], Weight: m.weights[k][l]}
			if u[k] != nil {
				lm.U = u[k][l]
			}
			cm.Levels = append(cm.Levels, lm)
		}
		m.Comparisons = append(m.Comparisons, cm)
	}
	return m
}

// setWeights computes the levels' weights. A better level never weighs
// less than a worse one: a level too rare among the candidate pairs to
// estimate m (an agency's shared phone when no duplicate used one) takes
// the weight of the next level down rather than a spurious penalty.
func (m *Model) setWeights(mp, u [numComparisons][]float64) {
	m.prior = math.Log2(m.Lambda / (1 - m.Lambda))
	for k := range numComparisons {
		m.weights[k] = [null + 1]float64{}
		if u[k] == nil {
			continue
		}
		last := len(mp[k]) - 1
		m.weights[k][last] = math.Log2(mp[k][last] / u[k][last])
		for l := last - 1; l >= 0; l-- {
			m.weights[k][l] = max(math.Log2(mp[k][l]/u[k][l]), m.weights[k][l+1])
		}
	}
}
