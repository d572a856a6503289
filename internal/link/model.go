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
	// Lambda is the share of candidate pairs that match (the prior).
	Lambda float64 `json:"lambda"`
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

// probability turns a match weight into a match probability.
func probability(w float64) float64 { return 1 / (1 + math.Exp2(-w)) }

// estimateU estimates every comparison's u probabilities from random
// pairs of records that both have the field (all such pairs when there are
// at most samples of them). Sampling is seeded, so runs are repeatable.
func estimateU(ctx context.Context, c *comparer, samples int) ([numComparisons][]float64, error) {
	var u [numComparisons][]float64
	rng := rand.New(rand.NewPCG(0x6c696e6b, 0x75)) // "link", "u"
	present := make([]int32, 0, len(c.recs))
	for k := range numComparisons {
		if err := ctx.Err(); err != nil {
			return u, fmt.Errorf("estimating u: %w", err)
		}
		present = present[:0]
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
		// Add one to every level (Laplace), so that a level never seen
		// among random pairs gets a small u rather than zero.
		total := 0.0
		for l := range counts {
			counts[l]++
			total += counts[l]
		}
		u[k] = make([]float64, levels)
		for l := range counts {
			u[k][l] = counts[l] / total
		}
	}
	return u, nil
}

// fitEM estimates m and the prior by expectation maximisation over the
// candidate pairs' agreement patterns (counted), with u fixed, as Splink
// does.
func fitEM(counts map[pattern]int, u [numComparisons][]float64, maxIter int) *Model {
	m := &Model{Lambda: 0.1}
	var mp [numComparisons][]float64
	for k := range numComparisons {
		levels := len(u[k])
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
			sum := 0.0
			for l := range mp[k] {
				sum += acc[k][l]
			}
			if sum == 0 {
				continue
			}
			for l := range mp[k] {
				v := max(acc[k][l]/sum, 1e-9)
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
	m.setWeights(mp, u)
	for k := range numComparisons {
		cm := ComparisonModel{Field: comparisons[k].name}
		for l, desc := range comparisons[k].levels {
			cm.Levels = append(cm.Levels, LevelModel{Level: desc, M: mp[k][l], U: u[k][l], Weight: m.weights[k][l]})
		}
		m.Comparisons = append(m.Comparisons, cm)
	}
	return m
}

func (m *Model) setWeights(mp, u [numComparisons][]float64) {
	m.prior = math.Log2(m.Lambda / (1 - m.Lambda))
	for k := range numComparisons {
		for l := range mp[k] {
			m.weights[k][l] = math.Log2(mp[k][l] / u[k][l])
		}
		m.weights[k][null] = 0
	}
}
