package link

import (
	"cmp"
	"slices"
)

// edge is a scored pair of records above the match threshold.
type edge struct {
	a, b   int32
	weight float64
	shared bool // linked by shared identifiers, not as one person
	pat    pattern
}

// disjointSet is union-find with union by size and path halving.
type disjointSet struct {
	parent, size []int32
}

func newDisjointSet(n int) *disjointSet {
	d := &disjointSet{parent: make([]int32, n), size: make([]int32, n)}
	for i := range d.parent {
		d.parent[i] = int32(i)
		d.size[i] = 1
	}
	return d
}

func (d *disjointSet) find(x int32) int32 {
	for d.parent[x] != x {
		d.parent[x] = d.parent[d.parent[x]]
		x = d.parent[x]
	}
	return x
}

// union joins the sets of a and b unless the joined set would hold more
// than limit members; it reports whether they are now one set.
func (d *disjointSet) union(a, b int32, limit int) bool {
	a, b = d.find(a), d.find(b)
	if a == b {
		return true
	}
	if int(d.size[a]+d.size[b]) > limit {
		return false
	}
	if d.size[a] < d.size[b] {
		a, b = b, a
	}
	d.parent[b] = a
	d.size[a] += d.size[b]
	return true
}

// clusterStats count what clustering did.
type clusterStats struct {
	cutBridges, capRefused int
}

// clusterEdges groups records joined by edges without over-merging:
//
//   - a weak bridge (an edge whose removal splits its component, weaker
//     than strong) that joins two groups of two or more records is cut:
//     one borderline pair does not fuse two people's records;
//   - the remaining edges are joined strongest first, and a join that
//     would make a cluster larger than maxSize is refused.
//
// It returns the clusters of two or more records, each with its member
// indexes (ascending) and its kept edges.
func clusterEdges(n int, edges []edge, strong float64, maxSize int) ([][]int32, [][]edge, clusterStats) {
	var st clusterStats
	cut := weakBridges(n, edges, strong)
	st.cutBridges = len(cut)
	order := make([]int, 0, len(edges))
	for i := range edges {
		if !cut[i] {
			order = append(order, i)
		}
	}
	slices.SortFunc(order, func(x, y int) int {
		if c := cmp.Compare(edges[y].weight, edges[x].weight); c != 0 {
			return c
		}
		return cmp.Compare(pairKey(edges[x].a, edges[x].b), pairKey(edges[y].a, edges[y].b))
	})
	ds := newDisjointSet(n)
	for _, i := range order {
		if !ds.union(edges[i].a, edges[i].b, maxSize) {
			st.capRefused++
		}
	}
	// Members in ascending order: walk the records once.
	index := map[int32]int{}
	var members [][]int32
	for x := range int32(n) {
		r := ds.find(x)
		if ds.size[r] < 2 {
			continue
		}
		c, ok := index[r]
		if !ok {
			c = len(members)
			index[r] = c
			members = append(members, nil)
		}
		members[c] = append(members[c], x)
	}
	links := make([][]edge, len(members))
	for _, i := range order {
		e := edges[i]
		if r := ds.find(e.a); r == ds.find(e.b) {
			c := index[r]
			links[c] = append(links[c], e)
		}
	}
	return members, links, st
}

// weakBridges returns the edges (by index) that are bridges of the graph,
// weaker than strong, with two or more records on each side. Bridges are
// found with Tarjan's low-link algorithm, iteratively.
func weakBridges(n int, edges []edge, strong float64) map[int]bool {
	// Adjacency in compressed form: node → (neighbour, edge index).
	start := make([]int32, n+1)
	for _, e := range edges {
		start[e.a+1]++
		start[e.b+1]++
	}
	for i := 1; i <= n; i++ {
		start[i] += start[i-1]
	}
	adj := make([]int32, 2*len(edges))
	adjEdge := make([]int32, 2*len(edges))
	fill := slices.Clone(start[:n])
	for i, e := range edges {
		adj[fill[e.a]], adjEdge[fill[e.a]] = e.b, int32(i)
		fill[e.a]++
		adj[fill[e.b]], adjEdge[fill[e.b]] = e.a, int32(i)
		fill[e.b]++
	}
	disc := make([]int32, n) // 0 = not visited; visit order from 1
	low := make([]int32, n)
	size := make([]int32, n) // DFS subtree sizes
	cut := map[int]bool{}
	type frame struct {
		node, parentEdge, next int32
	}
	var stack []frame
	var bridges []int32 // candidate bridges: (edge, child) pairs checked once the component's size is known
	var children []int32
	clock := int32(0)
	for root := range int32(n) {
		if disc[root] != 0 || start[root] == start[root+1] {
			continue
		}
		bridges, children = bridges[:0], children[:0]
		clock++
		disc[root], low[root], size[root] = clock, clock, 1
		stack = append(stack[:0], frame{node: root, parentEdge: -1, next: start[root]})
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.next < start[f.node+1] {
				to, ei := adj[f.next], adjEdge[f.next]
				f.next++
				if ei == f.parentEdge {
					continue
				}
				if disc[to] != 0 {
					low[f.node] = min(low[f.node], disc[to])
					continue
				}
				clock++
				disc[to], low[to], size[to] = clock, clock, 1
				stack = append(stack, frame{node: to, parentEdge: ei, next: start[to]})
				continue
			}
			done := *f
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				break
			}
			p := &stack[len(stack)-1]
			low[p.node] = min(low[p.node], low[done.node])
			size[p.node] += size[done.node]
			if low[done.node] > disc[p.node] {
				bridges = append(bridges, done.parentEdge)
				children = append(children, done.node)
			}
		}
		total := size[root]
		for i, ei := range bridges {
			below := size[children[i]]
			if edges[ei].weight < strong && below >= 2 && total-below >= 2 {
				cut[int(ei)] = true
			}
		}
	}
	return cut
}
