package graph

import (
	"math/rand/v2"
	"testing"
)

// TestDisjointSet_transitivity checks union-find against a naive
// connected-components search over random edges in random order.
func TestDisjointSet_transitivity(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		n := 2 + rng.IntN(40)
		var edges [][2]int
		for range rng.IntN(2 * n) {
			edges = append(edges, [2]int{rng.IntN(n), rng.IntN(n)})
		}
		ds := newDisjointSet(n)
		for _, e := range edges {
			ds.union(e[0], e[1])
		}
		want := components(n, edges)
		for a := range n {
			for b := range n {
				if got := ds.find(a) == ds.find(b); got != (want[a] == want[b]) {
					t.Fatalf("trial %d: connected(%d,%d) = %v, want %v (edges %v)", trial, a, b, got, !got, edges)
				}
			}
			size := 0
			for b := range n {
				if want[a] == want[b] {
					size++
				}
			}
			if got := ds.setSize(a); got != size {
				t.Fatalf("trial %d: setSize(%d) = %d, want %d", trial, a, got, size)
			}
		}
	}
}

func TestDisjointSet_chain(t *testing.T) {
	// A–B, C–D, then B–C: one group of four, and union reports the merges.
	ds := newDisjointSet(4)
	for _, tt := range []struct {
		a, b   int
		merged bool
	}{{0, 1, true}, {2, 3, true}, {1, 2, true}, {0, 3, false}} {
		if got := ds.union(tt.a, tt.b); got != tt.merged {
			t.Errorf("union(%d,%d) = %v, want %v", tt.a, tt.b, got, tt.merged)
		}
	}
	if ds.setSize(3) != 4 {
		t.Errorf("setSize = %d, want 4", ds.setSize(3))
	}
}

// components labels each node with the smallest node reachable from it.
func components(n int, edges [][2]int) []int {
	adj := make([][]int, n)
	for _, e := range edges {
		adj[e[0]] = append(adj[e[0]], e[1])
		adj[e[1]] = append(adj[e[1]], e[0])
	}
	label := make([]int, n)
	for i := range label {
		label[i] = -1
	}
	for s := range n {
		if label[s] >= 0 {
			continue
		}
		stack := []int{s}
		label[s] = s
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, y := range adj[x] {
				if label[y] < 0 {
					label[y] = s
					stack = append(stack, y)
				}
			}
		}
	}
	return label
}
