package link

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/rollcall/rollcall/internal/enrich/resume"
	"github.com/rollcall/rollcall/internal/textfmt"
)

// Options tune linking. Start from DefaultOptions.
type Options struct {
	// MatchProbability is the least match probability of a link.
	MatchProbability float64
	// SharedWeight is the least evidence of shared identifiers (the sum of
	// the weights of two or more kinds of identifier the records share:
	// phone, mailbox, payout account, URL, national id, near-duplicate
	// résumé) for records that disagree on names to be linked as one
	// operator's personas.
	SharedWeight float64
	// StrongWeight is the match weight at or above which a link is never
	// cut as a weak bridge.
	StrongWeight float64
	// MaxCluster caps a cluster's size: links are joined strongest first
	// and a join past the cap is refused.
	MaxCluster int
	// MaxBlock bounds a name or address block; larger blocks are not
	// expanded into pairs (their records meet through other keys).
	MaxBlock int
	// FrequentValue is the number of records above which an identifier
	// value (phone, mailbox, URL, payout account, national id) counts as
	// frequent: an agency's switchboard, a shared inbox. Its block is not
	// expanded, and agreeing on it is graded apart (and weighs less).
	FrequentValue int
	// USamples is the number of random pairs per comparison that estimate
	// u; EMIterations bounds expectation maximisation.
	USamples, EMIterations int
	// DefaultRegion reads phone numbers written without a country code
	// when the record gives no country (ISO 3166-1 alpha-2).
	DefaultRegion string
	// Resume tunes résumé near-duplicate detection.
	Resume resume.Options
	// Workers is the number of goroutines; 0 means GOMAXPROCS.
	Workers int
}

// DefaultOptions returns the documented defaults.
func DefaultOptions() Options {
	ro := resume.DefaultOptions()
	ro.Passages = 0
	return Options{
		MatchProbability: 0.9, SharedWeight: 16, StrongWeight: 20, MaxCluster: 50, MaxBlock: 200, FrequentValue: 100,
		USamples: 100_000, EMIterations: 50, DefaultRegion: "US", Resume: ro,
	}
}

// Validate says what is wrong with the options.
func (o Options) Validate() error {
	switch {
	case o.MatchProbability <= 0 || o.MatchProbability >= 1:
		return fmt.Errorf("link options: match probability %v must be between 0 and 1 (exclusive)", o.MatchProbability)
	case o.MaxCluster < 2:
		return fmt.Errorf("link options: max cluster %d must be at least 2", o.MaxCluster)
	case o.MaxBlock < 2 || o.FrequentValue < 2:
		return fmt.Errorf("link options: max block (%d) and frequent value (%d) must be at least 2", o.MaxBlock, o.FrequentValue)
	case o.USamples < 1 || o.EMIterations < 1:
		return errors.New("link options: u samples and EM iterations must be positive")
	}
	return o.Resume.Validate()
}

// Result is what Link found.
type Result struct {
	Clusters []Cluster `json:"clusters"`
	Stats    Stats     `json:"stats"`
	Model    *Model    `json:"model"`
}

// Cluster is a group of records linked as one person or one operator.
type Cluster struct {
	ID      string   `json:"id"`
	Members []string `json:"members"` // record ids, sorted
	Links   []Pair   `json:"links"`   // strongest first
}

// Pair is one scored link inside a cluster.
type Pair struct {
	A string `json:"a"`
	B string `json:"b"`
	// Kind is "person" when the records match as one person, "shared"
	// when they are told apart by name but share an operator's
	// identifiers.
	Kind        string  `json:"kind"`
	Weight      float64 `json:"weight"`      // match weight, log2 of the odds (for shared links, of the shared identifiers)
	Probability float64 `json:"probability"` // match probability
	Matched     []Field `json:"matched"`     // fields whose agreement counted for the match
}

// Stats count what one run did.
type Stats struct {
	Records       int                      `json:"records"`
	BlockingKeys  int                      `json:"blocking_keys"`
	Blocks        int                      `json:"blocks"`         // blocks expanded into pairs
	SkippedBlocks int                      `json:"skipped_blocks"` // blocks too large to expand (frequent values, very common names)
	ResumePairs   int                      `json:"resume_pairs"`   // near-duplicate résumé pairs found by MinHash LSH
	PairsCompared int                      `json:"pairs_compared"` // distinct candidate pairs scored
	Patterns      int                      `json:"patterns"`       // distinct agreement patterns the model was fitted on
	Links         int                      `json:"links"`          // pairs at or above the match probability
	CutBridges    int                      `json:"cut_bridges"`    // weak bridges cut
	CapRefused    int                      `json:"cap_refused"`    // links not joined because of the cluster cap
	Clusters      int                      `json:"clusters"`       // clusters of two or more records
	LinkedRecords int                      `json:"linked_records"` // records in those clusters
	Timings       map[string]time.Duration `json:"-"`
}

// Link resolves records into clusters. Record ids must be unique.
func Link(ctx context.Context, recs []Record, opt Options) (*Result, error) {
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	if len(recs) > MaxRecords {
		return nil, fmt.Errorf("link: %d records is more than the %d one run takes", len(recs), MaxRecords)
	}
	if err := checkIDs(recs); err != nil {
		return nil, err
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	st := Stats{Records: len(recs), Timings: map[string]time.Duration{}}
	phase := time.Now()
	lap := func(name string) {
		now := time.Now()
		st.Timings[name] = now.Sub(phase)
		phase = now
	}

	// 1. Normalise.
	preps := make([]prepared, len(recs))
	if err := parallel(ctx, len(recs), workers, 4096, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			preps[i] = prepare(&recs[i], opt.DefaultRegion)
		}
	}); err != nil {
		return nil, fmt.Errorf("normalising: %w", err)
	}
	lap("normalise")

	// 2. Résumé near-duplicates propose pairs and grade résumé agreement.
	c := &comparer{recs: preps}
	resumePairs, err := resumeNearDuplicates(ctx, recs, preps, opt)
	if err != nil {
		return nil, err
	}
	c.resume = resumePairs
	st.ResumePairs = len(resumePairs)
	lap("resumes")

	// 3. Block.
	keys := blockingKeys(preps, workers)
	scratch := radixSort(keys, nil)
	c.frequent = frequentValues(keys, opt.FrequentValue)
	pairs, bst, err := candidatePairs(ctx, keys, opt.FrequentValue, opt.MaxBlock)
	if err != nil {
		return nil, err
	}
	st.BlockingKeys, st.Blocks, st.SkippedBlocks = bst.keys, bst.blocks, bst.skippedBlocks
	keys = nil
	for k := range resumePairs {
		pairs = append(pairs, k)
	}
	radixSort(pairs, scratch)
	scratch = nil
	pairs = uniqueSorted(pairs)
	st.PairsCompared = len(pairs)
	lap("block")

	// 4. Compare.
	pats := make([]pattern, len(pairs))
	counts := make([]map[pattern]int, workers)
	for w := range counts {
		counts[w] = map[pattern]int{}
	}
	if err := parallel(ctx, len(pairs), workers, 4096, func(w, lo, hi int) {
		for i := lo; i < hi; i++ {
			a, b := unpair(pairs[i])
			p := c.compare(a, b)
			pats[i] = p
			counts[w][p]++
		}
	}); err != nil {
		return nil, fmt.Errorf("comparing: %w", err)
	}
	all := counts[0]
	for _, m := range counts[1:] {
		for p, n := range m {
			all[p] += n
		}
	}
	st.Patterns = len(all)
	lap("compare")

	// 5. Fit the model.
	u, err := estimateU(ctx, c, opt.USamples, workers)
	if err != nil {
		return nil, err
	}
	model := fitEM(all, u, opt.EMIterations, float64(len(recs))*float64(len(recs)-1)/2)
	lap("model")

	// 6. Cluster the links.
	threshold := math.Log2(opt.MatchProbability / (1 - opt.MatchProbability))
	type scored struct {
		weight float64
		shared bool
	}
	weights := make(map[pattern]scored, len(all))
	for p := range all {
		w := model.weight(p)
		sw, kinds := model.sharedWeight(p)
		switch {
		case w >= threshold:
			weights[p] = scored{weight: w}
		case kinds >= 2 && sw >= opt.SharedWeight:
			weights[p] = scored{weight: sw, shared: true}
		default:
			weights[p] = scored{weight: math.Inf(-1)}
		}
	}
	var edges []edge
	for i, k := range pairs {
		if s := weights[pats[i]]; !math.IsInf(s.weight, -1) {
			a, b := unpair(k)
			edges = append(edges, edge{a: a, b: b, weight: s.weight, shared: s.shared, pat: pats[i]})
		}
	}
	st.Links = len(edges)
	members, links, cst := clusterEdges(len(recs), edges, max(opt.StrongWeight, threshold), opt.MaxCluster)
	st.CutBridges, st.CapRefused = cst.cutBridges, cst.capRefused
	res := &Result{Model: model, Clusters: buildClusters(recs, members, links, model)}
	st.Clusters = len(res.Clusters)
	for _, cl := range res.Clusters {
		st.LinkedRecords += len(cl.Members)
	}
	lap("cluster")
	res.Stats = st
	return res, nil
}

// checkIDs refuses empty and repeated record ids, naming the records.
func checkIDs(recs []Record) error {
	seen := make(map[string]int, len(recs))
	for i, r := range recs {
		if r.ID == "" {
			return fmt.Errorf("%s: record has no id", refOf(r, i))
		}
		if j, ok := seen[r.ID]; ok {
			return fmt.Errorf("%s: id %q is also the id of %s; ids must be unique", refOf(r, i), r.ID, refOf(recs[j], j))
		}
		seen[r.ID] = i
	}
	return nil
}

func refOf(r Record, i int) string {
	if r.Ref != "" {
		return r.Ref
	}
	return "record " + strconv.Itoa(i+1)
}

// blockingKeys returns every record's blocking keys, unsorted.
func blockingKeys(preps []prepared, workers int) []uint64 {
	parts := make([][]uint64, workers)
	chunk := (len(preps) + workers - 1) / max(workers, 1)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*chunk, min((w+1)*chunk, len(preps))
		if lo >= hi {
			continue
		}
		wg.Go(func() {
			dst := make([]uint64, 0, (hi-lo)*8)
			for i := lo; i < hi; i++ {
				dst = preps[i].keys(i, dst)
			}
			parts[w] = dst
		})
	}
	wg.Wait()
	return slices.Concat(parts...)
}

// resumeNearDuplicates runs MinHash LSH over the records that carry
// résumé text and returns the near-duplicate pairs' Jaccard similarity
// by pairKey. It sets each prepared record's résumé index.
func resumeNearDuplicates(ctx context.Context, recs []Record, preps []prepared, opt Options) (map[uint64]float32, error) {
	var texts []string
	var owner []int32
	for i := range recs {
		if recs[i].Resume != "" {
			preps[i].resume = int32(len(texts))
			texts = append(texts, recs[i].Resume)
			owner = append(owner, int32(i))
		}
	}
	out := map[uint64]float32{}
	if len(texts) < 2 {
		return out, nil
	}
	ro := opt.Resume
	ro.Workers = opt.Workers
	pairs, _, err := resume.NearDuplicates(ctx, texts, ro)
	if err != nil {
		return nil, fmt.Errorf("résumé near-duplicates: %w", err)
	}
	for _, p := range pairs {
		out[pairKey(owner[p.A], owner[p.B])] = float32(p.Jaccard)
	}
	return out, nil
}

// buildClusters turns member indexes and edges into output clusters,
// largest first, ids C1, C2, … in that order.
func buildClusters(recs []Record, members [][]int32, links [][]edge, model *Model) []Cluster {
	out := make([]Cluster, len(members))
	for c := range members {
		cl := Cluster{Members: make([]string, len(members[c]))}
		for i, m := range members[c] {
			cl.Members[i] = recs[m].ID
		}
		slices.Sort(cl.Members)
		for _, e := range links[c] {
			l := Pair{A: recs[e.a].ID, B: recs[e.b].ID, Kind: "person", Weight: textfmt.Round2(e.weight), Probability: round4(probability(e.weight))}
			if e.shared {
				l.Kind = "shared"
			}
			if l.B < l.A {
				l.A, l.B = l.B, l.A
			}
			for k := range numComparisons {
				if lv := e.pat.level(k); lv != null && model.weights[k][lv] > 0 && (!e.shared || slices.Contains(sharedComparisons, k)) {
					l.Matched = append(l.Matched, comparisons[k].name)
				}
			}
			cl.Links = append(cl.Links, l)
		}
		slices.SortFunc(cl.Links, func(x, y Pair) int {
			if c := cmp.Compare(y.Weight, x.Weight); c != 0 {
				return c
			}
			if c := cmp.Compare(x.A, y.A); c != 0 {
				return c
			}
			return cmp.Compare(x.B, y.B)
		})
		out[c] = cl
	}
	slices.SortFunc(out, func(x, y Cluster) int {
		if c := cmp.Compare(len(y.Members), len(x.Members)); c != 0 {
			return c
		}
		return cmp.Compare(x.Members[0], y.Members[0])
	})
	for i := range out {
		out[i].ID = "C" + strconv.Itoa(i+1)
	}
	return out
}

func round4(f float64) float64 { return math.Round(f*10000) / 10000 }

// parallel runs fn over [0, n) in chunks of chunk on workers goroutines
// (numbered from 0, so that fn may keep per-worker state), checking ctx
// between chunks.
func parallel(ctx context.Context, n, workers, chunk int, fn func(worker, lo, hi int)) error {
	var next int
	var mu sync.Mutex
	take := func() (int, int, bool) {
		mu.Lock()
		defer mu.Unlock()
		lo := next
		if lo >= n || ctx.Err() != nil {
			return 0, 0, false
		}
		next += chunk
		return lo, min(lo+chunk, n), true
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for {
				lo, hi, ok := take()
				if !ok {
					return
				}
				fn(w, lo, hi)
			}
		})
	}
	wg.Wait()
	return ctx.Err()
}
