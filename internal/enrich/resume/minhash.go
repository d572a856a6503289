package resume

import (
	"math"
	"sync/atomic"
)

// hashFamily is the MinHash permutation family: h_i(x) = (a_i·x + b_i) mod
// 2^64, keeping the top 32 bits (multiply-shift hashing over inputs that
// are already mixed). The coefficients come from a fixed seed, so that
// signatures are the same in every run.
type hashFamily struct {
	a, b []uint64
}

func newHashFamily(n int) hashFamily {
	f := hashFamily{a: make([]uint64, n), b: make([]uint64, n)}
	s := uint64(0x726f6c6c63616c6c) // "rollcall"
	next := func() uint64 {
		s += 0x9e3779b97f4a7c15
		return mix64(s)
	}
	for i := range n {
		f.a[i] = next() | 1
		f.b[i] = next()
	}
	return f
}

// signature writes the MinHash signature of a set of shingle hashes into
// sig (len(sig) = the family's size).
func (f hashFamily) signature(set []uint64, sig []uint32) {
	for i := range sig {
		sig[i] = math.MaxUint32
	}
	a, b := f.a[:len(sig)], f.b[:len(sig)]
	for _, x := range set {
		for i := range sig {
			if v := uint32((a[i]*x + b[i]) >> 32); v < sig[i] {
				sig[i] = v
			}
		}
	}
}

// similarity estimates the Jaccard similarity of two sets from their
// signatures: the share of positions where they agree.
func similarity(s, t []uint32) float64 {
	n := 0
	for i := range s {
		if s[i] == t[i] {
			n++
		}
	}
	return float64(n) / float64(len(s))
}

// sketch is a count-min sketch of document frequencies: how many documents
// hold each shingle, over-estimated by collisions, never under-estimated.
// Two rows of 2^bits saturating counters; safe for concurrent adds.
type sketch struct {
	rows [2][]uint32
	mask uint64
}

func newSketch(items int) *sketch {
	bits := 12
	for bits < 23 && 1<<bits < items {
		bits++
	}
	s := &sketch{mask: 1<<bits - 1}
	for r := range s.rows {
		s.rows[r] = make([]uint32, 1<<bits)
	}
	return s
}

func (s *sketch) add(h uint64) {
	atomic.AddUint32(&s.rows[0][h&s.mask], 1)
	atomic.AddUint32(&s.rows[1][(h>>32)&s.mask], 1)
}

func (s *sketch) count(h uint64) uint32 {
	return min(atomic.LoadUint32(&s.rows[0][h&s.mask]), atomic.LoadUint32(&s.rows[1][(h>>32)&s.mask]))
}
