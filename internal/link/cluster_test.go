package link

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestClusterEdges(t *testing.T) {
	e := func(a, b int32, w float64) edge { return edge{a: a, b: b, weight: w} }
	for _, tc := range []struct {
		name     string
		n        int
		edges    []edge
		maxSize  int
		want     [][]int32
		wantCuts int
	}{
		{
			name:  "transitive_chain_is_one_cluster",
			n:     4,
			edges: []edge{e(0, 1, 25), e(1, 2, 25), e(2, 3, 25)},
			want:  [][]int32{{0, 1, 2, 3}}, maxSize: 50,
		},
		{
			// Two triangles joined by one borderline link: two people.
			name:  "weak_bridge_between_groups_is_cut",
			n:     6,
			edges: []edge{e(0, 1, 30), e(1, 2, 30), e(0, 2, 30), e(3, 4, 30), e(4, 5, 30), e(3, 5, 30), e(2, 3, 5)},
			want:  [][]int32{{0, 1, 2}, {3, 4, 5}}, maxSize: 50, wantCuts: 1,
		},
		{
			name:  "strong_bridge_is_kept",
			n:     6,
			edges: []edge{e(0, 1, 30), e(1, 2, 30), e(0, 2, 30), e(3, 4, 30), e(4, 5, 30), e(3, 5, 30), e(2, 3, 25)},
			want:  [][]int32{{0, 1, 2, 3, 4, 5}}, maxSize: 50,
		},
		{
			// A weak link to a single record is a bridge but joins no
			// group: it stays.
			name:  "weak_link_to_a_single_record_is_kept",
			n:     4,
			edges: []edge{e(0, 1, 30), e(1, 2, 30), e(0, 2, 30), e(2, 3, 5)},
			want:  [][]int32{{0, 1, 2, 3}}, maxSize: 50,
		},
		{
			// A star of ten around record 0, capped at four: the
			// strongest links win.
			name: "cap_keeps_the_strongest",
			n:    10,
			edges: []edge{e(0, 1, 40), e(0, 2, 39), e(0, 3, 38), e(0, 4, 37), e(0, 5, 36), e(0, 6, 35),
				e(0, 7, 34), e(0, 8, 33), e(0, 9, 32), e(5, 6, 31)},
			want: [][]int32{{0, 1, 2, 3}, {5, 6}}, maxSize: 4,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			members, links, st := clusterEdges(tc.n, tc.edges, 20, tc.maxSize)
			if diff := cmp.Diff(tc.want, members); diff != "" {
				t.Errorf("clusters (-want +got):\n%s", diff)
			}
			if st.cutBridges != tc.wantCuts {
				t.Errorf("cut %d bridges, want %d", st.cutBridges, tc.wantCuts)
			}
			for c, ls := range links {
				for _, l := range ls {
					if !contains(members[c], l.a) || !contains(members[c], l.b) {
						t.Errorf("cluster %v holds link %d-%d of another cluster", members[c], l.a, l.b)
					}
				}
			}
		})
	}
}

func contains(s []int32, x int32) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}
