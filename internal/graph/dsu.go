package graph

// disjointSet is a union-find over the integers 0..n-1 with path
// compression (halving) and union by size, so that any sequence of unions
// and finds runs in near-linear time and a group joined through any chain
// of links ends up as one set (transitivity), whatever the order.
type disjointSet struct {
	parent []int
	size   []int
}

func newDisjointSet(n int) *disjointSet {
	d := &disjointSet{parent: make([]int, n), size: make([]int, n)}
	for i := range d.parent {
		d.parent[i] = i
		d.size[i] = 1
	}
	return d
}

// find returns the representative of x's set.
func (d *disjointSet) find(x int) int {
	for d.parent[x] != x {
		d.parent[x] = d.parent[d.parent[x]] // path halving
		x = d.parent[x]
	}
	return x
}

// union merges the sets of a and b and reports whether they were apart.
func (d *disjointSet) union(a, b int) bool {
	ra, rb := d.find(a), d.find(b)
	if ra == rb {
		return false
	}
	if d.size[ra] < d.size[rb] {
		ra, rb = rb, ra
	}
	d.parent[rb] = ra
	d.size[ra] += d.size[rb]
	return true
}

// setSize returns the number of elements in x's set.
func (d *disjointSet) setSize(x int) int { return d.size[d.find(x)] }
