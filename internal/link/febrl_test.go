package link

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// febrlDir is where the FEBRL benchmark files live (they are not in the
// repository).
var febrlDir = filepath.Join("..", "..", "..", "shared", "samples", "febrl")

func readFEBRL(t *testing.T, names ...string) []Record {
	t.Helper()
	var recs []Record
	for _, n := range names {
		path := filepath.Join(febrlDir, n)
		f, err := os.Open(path)
		if os.IsNotExist(err) {
			t.Skipf("FEBRL samples not found at %s (../shared is absent): skipping the accuracy test", path)
		}
		if err != nil {
			t.Fatal(err)
		}
		rs, err := ReadCSV(f, n, nil)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, rs...)
	}
	return recs
}

// febrlEntity is the original record a FEBRL id belongs to: rec-12-org
// and rec-12-dup-3 are both entity "12".
func febrlEntity(id string) string {
	s := strings.TrimPrefix(id, "rec-")
	if i := strings.IndexByte(s, '-'); i >= 0 {
		return s[:i]
	}
	return s
}

// scores are pair and cluster accuracy against a truth.
type scores struct {
	truePairs, predictedPairs, correctPairs int
	pairPrecision, pairRecall, pairF1       float64
	trueClusters, predictedClusters, exact  int
	clusterPrecision, clusterRecall         float64
}

// evaluate scores clusters against entity(id): a predicted pair is two
// records in one cluster; a cluster is right when it holds exactly one
// entity's records.
func evaluate(recs []Record, clusters []Cluster, entity func(string) string) scores {
	var s scores
	size := map[string]int{}
	for _, r := range recs {
		size[entity(r.ID)]++
	}
	for _, n := range size {
		s.truePairs += n * (n - 1) / 2
		if n > 1 {
			s.trueClusters++
		}
	}
	for _, c := range clusters {
		n := len(c.Members)
		s.predictedPairs += n * (n - 1) / 2
		in := map[string]int{}
		for _, m := range c.Members {
			in[entity(m)]++
		}
		for e, k := range in {
			s.correctPairs += k * (k - 1) / 2
			if len(in) == 1 && k == size[e] {
				s.exact++
			}
		}
	}
	s.predictedClusters = len(clusters)
	s.pairPrecision = ratio(s.correctPairs, s.predictedPairs)
	s.pairRecall = ratio(s.correctPairs, s.truePairs)
	if s.pairPrecision+s.pairRecall > 0 {
		s.pairF1 = 2 * s.pairPrecision * s.pairRecall / (s.pairPrecision + s.pairRecall)
	}
	s.clusterPrecision = ratio(s.exact, s.predictedClusters)
	s.clusterRecall = ratio(s.exact, s.trueClusters)
	return s
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func (s scores) log(t *testing.T, name string) {
	t.Logf("%s: pairs precision %.4f recall %.4f F1 %.4f (%d true, %d predicted, %d correct); clusters precision %.4f recall %.4f (%d true, %d predicted, %d exact)",
		name, s.pairPrecision, s.pairRecall, s.pairF1, s.truePairs, s.predictedPairs, s.correctPairs,
		s.clusterPrecision, s.clusterRecall, s.trueClusters, s.predictedClusters, s.exact)
}

// TestFEBRL measures accuracy on the FEBRL benchmark: dataset4a + 4b
// (5,000 originals, one duplicate each; issue 16 asks pair F1 ≥ 0.95) and
// dataset3 (several duplicates per original, for clusters).
func TestFEBRL(t *testing.T) {
	for _, tc := range []struct {
		name                    string
		files                   []string
		minF1, minClusterRecall float64
	}{
		{"dataset4a_4b", []string{"dataset4a.csv", "dataset4b.csv"}, 0.95, 0.95},
		{"dataset3", []string{"dataset3.csv"}, 0.95, 0.90},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recs := readFEBRL(t, tc.files...)
			res, err := Link(context.Background(), recs, DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			s := evaluate(recs, res.Clusters, febrlEntity)
			s.log(t, "FEBRL "+strings.Join(tc.files, " + "))
			t.Logf("stats: %+v", res.Stats)
			if s.pairF1 < tc.minF1 || s.clusterRecall < tc.minClusterRecall {
				t.Errorf("pair F1 %.4f, cluster recall %.4f; want at least %.2f and %.2f", s.pairF1, s.clusterRecall, tc.minF1, tc.minClusterRecall)
			}
		})
	}
}
