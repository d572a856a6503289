package resume

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// corpus builds n unrelated résumés with groups of near-duplicates placed
// at the given positions: groups[g] lists the indices of one group, the
// first being the template and the others mutated copies.
func corpus(seed uint64, n int, groups [][]int, share float64) []string {
	s := newSynth(seed)
	docs := make([]string, n)
	for i := range docs {
		docs[i] = s.resume(240)
	}
	for _, g := range groups {
		for _, i := range g[1:] {
			docs[i] = s.mutate(docs[g[0]], share)
		}
	}
	return docs
}

func pairKeys(ps []Pair) []string {
	var out []string
	for _, p := range ps {
		out = append(out, fmt.Sprintf("%d-%d", p.A, p.B))
	}
	return out
}

func TestNearDuplicates(t *testing.T) {
	tests := []struct {
		name   string
		n      int
		groups [][]int
		share  float64
		want   []string
	}{
		{name: "three_personas_one_template", n: 300, groups: [][]int{{10, 150, 299}}, share: 0.05,
			want: []string{"10-150", "10-299", "150-299"}},
		{name: "two_separate_cells", n: 300, groups: [][]int{{1, 2}, {40, 41}}, share: 0.05,
			want: []string{"1-2", "40-41"}},
		{name: "heavily_rewritten_copy_is_not_a_duplicate", n: 200, groups: [][]int{{5, 6}}, share: 0.45},
		{name: "unrelated_documents_from_one_builder", n: 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs := corpus(7, tt.n, tt.groups, tt.share)
			pairs, st, err := NearDuplicates(context.Background(), docs, DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, pairKeys(pairs)); diff != "" {
				t.Errorf("pairs (-want +got):\n%s\nstats %+v", diff, st)
			}
			if st.Documents != tt.n || st.Indexed != tt.n {
				t.Errorf("stats %+v: want every document indexed", st)
			}
		})
	}
}

// TestBoilerplateIsIgnored: 60 documents share a long builder template
// (more than the boilerplate threshold of 20 documents) with short
// distinct bodies; they are not duplicates of each other.
func TestBoilerplateIsIgnored(t *testing.T) {
	s := newSynth(3)
	template := s.resume(300)
	var docs []string
	for range 60 {
		docs = append(docs, template+"\n"+s.resume(60))
	}
	pairs, st, err := NearDuplicates(context.Background(), docs, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(pairs) != 0 {
		t.Errorf("got %d pairs of documents that share only a template, e.g. %+v (stats %+v)", len(pairs), pairs[0], st)
	}
	// The same documents without the template filter would all pair up.
	opt := DefaultOptions()
	opt.BoilerplateMin = 1000
	pairs, _, err = NearDuplicates(context.Background(), docs, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(pairs) == 0 {
		t.Error("without the boilerplate filter the templated documents should pair up")
	}
}

func TestShortDocumentsAreNotCompared(t *testing.T) {
	docs := []string{
		"Jane Doe. Software engineer. Python, Go, Kubernetes. Seattle, WA.",
		"John Roe. Software engineer. Python, Go, Kubernetes. Seattle, WA.",
	}
	pairs, st, err := NearDuplicates(context.Background(), docs, DefaultOptions())
	if err != nil || len(pairs) != 0 || st.Indexed != 0 {
		t.Errorf("short documents: pairs %v, stats %+v, err %v; want none indexed", pairs, st, err)
	}
}

func TestPassages(t *testing.T) {
	shared := "Designed and operated the ledger reconciliation service that settles card payments for forty regional " +
		"banks, moving nightly batch jobs to streaming consumers written in Go with exactly once delivery and a full audit trail for regulators."
	s := newSynth(11)
	body := s.resume(120)
	a := "Daniel Brooks\n" + shared + "\n" + body
	b := "KEVIN TRAN\n" + strings.ToUpper(shared[:50]) + shared[50:] + "\n" + s.mutate(body, 0.12)
	docs := append(corpus(1, 30, nil, 0), a, b)
	pairs, _, err := NearDuplicates(context.Background(), docs, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(pairs) != 1 || pairs[0].A != 30 || pairs[0].B != 31 || len(pairs[0].Passages) != 2 {
		t.Fatalf("pairs = %+v, want the two documents with two passages", pairs)
	}
	p := pairs[0].Passages[0]
	if !strings.HasPrefix(p.A, "Designed and operated the ledger") || !strings.HasPrefix(p.B, "DESIGNED AND OPERATED THE LEDGER") ||
		!strings.HasSuffix(p.A, "…") || p.Words <= maxExcerptWords {
		t.Errorf("passage = %+v, want the shared sentence as each document writes it, cut with an ellipsis", p)
	}
}

func TestSignatureEstimatesJaccard(t *testing.T) {
	fam := newHashFamily(120)
	for _, overlap := range []int{0, 100, 250, 400, 500} {
		a, b := make([]uint64, 500), make([]uint64, 500)
		for i := range a {
			a[i] = mix64(uint64(i) + 1)
			if i < overlap {
				b[i] = a[i]
			} else {
				b[i] = mix64(uint64(i) + 1_000_000)
			}
		}
		exact := float64(overlap) / float64(1000-overlap)
		sa, sb := make([]uint32, 120), make([]uint32, 120)
		fam.signature(uniqueSorted(a), sa)
		fam.signature(uniqueSorted(b), sb)
		if est := similarity(sa, sb); math.Abs(est-exact) > 0.13 {
			t.Errorf("overlap %d: estimate %.2f, exact %.2f", overlap, est, exact)
		}
	}
}

func TestTokenize(t *testing.T) {
	toks := tokenize("Led K8s roll-out, cut p99 by 40% — Zürich 2019.", nil)
	var words []string
	for _, tk := range toks {
		words = append(words, "Led K8s roll-out, cut p99 by 40% — Zürich 2019."[tk.start:tk.end])
	}
	want := []string{"Led", "K8s", "roll", "out", "cut", "p99", "by", "40", "Zürich", "2019"}
	if diff := cmp.Diff(want, words); diff != "" {
		t.Errorf("words (-want +got):\n%s", diff)
	}
	if toks[7].hash != toks[9].hash || toks[7].hash != digitsHash {
		t.Error("runs of digits should share one placeholder hash")
	}
	if tokenize("LED", nil)[0].hash != tokenize("led", nil)[0].hash || tokenize("ZÜRICH", nil)[0].hash != tokenize("zürich", nil)[0].hash {
		t.Error("tokens should be case-insensitive")
	}
}

func TestOptionsValidate(t *testing.T) {
	bad := []func(*Options){
		func(o *Options) { o.Shingle = 0 },
		func(o *Options) { o.Bands = 7 },
		func(o *Options) { o.Threshold = 0 },
		func(o *Options) { o.BoilerplateMin = 1 },
	}
	for i, f := range bad {
		o := DefaultOptions()
		f(&o)
		if _, _, err := NearDuplicates(context.Background(), nil, o); err == nil {
			t.Errorf("case %d: invalid options accepted", i)
		}
	}
}

func TestNearDuplicatesCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := NearDuplicates(ctx, corpus(1, 600, nil, 0), DefaultOptions()); err == nil {
		t.Error("cancelled context: no error")
	}
}

// BenchmarkNearDuplicates runs near-duplicate detection over 100,000
// synthetic résumés of about 240 words, with 1,000 templated groups of
// three. It reports documents/s and the all-pairs comparisons it stands in
// for per second (n(n-1)/2 over the run time).
func BenchmarkNearDuplicates(b *testing.B) {
	n := 100_000
	if testing.Short() {
		n = 10_000
	}
	var groups [][]int
	for g := range n / 100 {
		groups = append(groups, []int{g * 100, g*100 + 37, g*100 + 71})
	}
	docs := corpus(42, n, groups, 0.05)
	b.ResetTimer()
	var pairs []Pair
	start := time.Now()
	for b.Loop() {
		var err error
		if pairs, _, err = NearDuplicates(context.Background(), docs, DefaultOptions()); err != nil {
			b.Fatal(err)
		}
	}
	per := time.Since(start).Seconds() / float64(b.N)
	b.ReportMetric(float64(n)/per, "docs/s")
	b.ReportMetric(float64(n)*float64(n-1)/2/per, "pairs/s")
	b.ReportMetric(float64(len(pairs)), "pairs_found")
}
