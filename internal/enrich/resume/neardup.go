package resume

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
)

// Options tune near-duplicate detection. The zero value is not usable;
// start from DefaultOptions.
type Options struct {
	// Shingle is the number of consecutive words in a shingle.
	Shingle int
	// Hashes is the MinHash signature length; Bands divides it into LSH
	// bands of Hashes/Bands rows. With 120 hashes in 40 bands of 3, a pair
	// with Jaccard 0.4 becomes a candidate with probability 0.93, one with
	// 0.5 with 0.995, one with 0.1 with 0.04 and one with 0.01 with 0.00004.
	Hashes, Bands int
	// Threshold is the least exact Jaccard similarity of two documents'
	// distinctive shingles for a pair to be reported.
	Threshold float64
	// MinShared is the least number of distinctive shingles a reported pair
	// has in common (a few sentences), so that short documents sharing a
	// heading and a line are not reported.
	MinShared int
	// A shingle held by more than max(BoilerplateShare × documents,
	// BoilerplateMin) documents is boilerplate (section headings, résumé
	// builder and AI stock phrases) and is ignored.
	BoilerplateShare float64
	BoilerplateMin   int
	// MaxBucket bounds one LSH bucket; a bucket holding more documents is
	// not expanded into pairs (and is counted in Stats.SkippedBuckets).
	MaxBucket int
	// Passages is how many shared passages each pair reports; 0 skips
	// finding them (callers that only need the pairs save the time).
	Passages int
	// Workers is the number of goroutines; 0 means GOMAXPROCS.
	Workers int
}

// DefaultOptions returns the documented defaults.
func DefaultOptions() Options {
	return Options{
		Shingle: 4, Hashes: 120, Bands: 40, Threshold: 0.4, MinShared: 30,
		BoilerplateShare: 0.01, BoilerplateMin: 20, MaxBucket: 2000, Passages: 2,
	}
}

// Validate says what is wrong with the options.
func (o Options) Validate() error {
	switch {
	case o.Shingle < 1:
		return errors.New("resume options: Shingle must be at least 1")
	case o.Hashes < 1 || o.Bands < 1 || o.Hashes%o.Bands != 0:
		return fmt.Errorf("resume options: Hashes (%d) must be a positive multiple of Bands (%d)", o.Hashes, o.Bands)
	case o.Threshold <= 0 || o.Threshold > 1:
		return fmt.Errorf("resume options: Threshold %v must be in (0, 1]", o.Threshold)
	case o.BoilerplateShare <= 0 || o.BoilerplateMin < 2:
		return errors.New("resume options: BoilerplateShare must be positive and BoilerplateMin at least 2")
	}
	return nil
}

// Pair is two near-duplicate documents, by index in the input (A < B).
type Pair struct {
	A, B int
	// Jaccard is the exact similarity of the two documents' distinctive
	// (non-boilerplate) shingle sets; Shared is the size of their
	// intersection.
	Jaccard float64
	Shared  int
	// Passages are the longest passages the documents share, side by side.
	Passages []Passage
}

// Stats describe one run.
type Stats struct {
	Documents      int // input documents
	Indexed        int // documents with enough distinctive shingles to compare
	Boilerplate    int // document-frequency threshold above which a shingle is boilerplate
	Candidates     int // distinct pairs proposed by LSH
	Pairs          int // pairs reported
	SkippedBuckets int // LSH buckets larger than MaxBucket, not expanded
}

// NearDuplicates finds the pairs of documents whose distinctive text is
// nearly the same: shingles held by very many documents are dropped as
// boilerplate, each document gets a MinHash signature, LSH banding
// proposes candidate pairs, and the exact Jaccard similarity decides.
// Time and memory grow about linearly with the number of documents.
func NearDuplicates(ctx context.Context, texts []string, opt Options) ([]Pair, Stats, error) {
	st := Stats{Documents: len(texts)}
	if err := opt.Validate(); err != nil {
		return nil, st, err
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ix := &indexer{opt: opt, texts: texts, fam: newHashFamily(opt.Hashes)}

	// Pass 1: document frequencies of shingles.
	total := 0
	for _, t := range texts {
		total += len(t) / 6 // about one word per six bytes
	}
	ix.df = newSketch(total)
	if err := parallel(ctx, len(texts), workers, ix.count); err != nil {
		return nil, st, err
	}
	ix.limit = max(int(opt.BoilerplateShare*float64(len(texts))), opt.BoilerplateMin)
	st.Boilerplate = ix.limit

	// Pass 2: signatures over the distinctive shingles.
	ix.sigs = make([]uint32, len(texts)*opt.Hashes)
	ix.indexed = make([]bool, len(texts))
	if err := parallel(ctx, len(texts), workers, ix.sign); err != nil {
		return nil, st, err
	}
	for _, ok := range ix.indexed {
		if ok {
			st.Indexed++
		}
	}

	// Pass 3: LSH banding proposes candidates.
	cands, skipped, err := ix.candidates(ctx)
	if err != nil {
		return nil, st, err
	}
	st.Candidates, st.SkippedBuckets = len(cands), skipped

	// Pass 4: exact Jaccard on the candidates; passages for the pairs.
	pairs, err := ix.verify(ctx, cands, workers)
	if err != nil {
		return nil, st, err
	}
	st.Pairs = len(pairs)
	return pairs, st, nil
}

// indexer holds one run's state.
type indexer struct {
	opt     Options
	texts   []string
	fam     hashFamily
	df      *sketch
	limit   int
	sigs    []uint32 // len(texts) × Hashes
	indexed []bool
}

// scratch is one worker's reusable buffers.
type scratch struct {
	toks []token
	shs  []uint64
}

var scratchPool = sync.Pool{New: func() any { return &scratch{} }}

// shingleSet returns the sorted, repeat-free shingles of document i.
func (ix *indexer) shingleSet(i int, sc *scratch) []uint64 {
	sc.toks = tokenize(ix.texts[i], sc.toks)
	sc.shs = shingles(sc.toks, ix.opt.Shingle, sc.shs)
	return uniqueSorted(sc.shs)
}

// distinctive returns document i's shingles that are not boilerplate,
// sorted and repeat-free, in a new slice.
func (ix *indexer) distinctive(i int, sc *scratch) []uint64 {
	set := ix.shingleSet(i, sc)
	out := make([]uint64, 0, len(set))
	for _, h := range set {
		if int(ix.df.count(h)) <= ix.limit {
			out = append(out, h)
		}
	}
	return out
}

func (ix *indexer) count(i int, sc *scratch) {
	for _, h := range ix.shingleSet(i, sc) {
		ix.df.add(h)
	}
}

func (ix *indexer) sign(i int, sc *scratch) {
	set := ix.shingleSet(i, sc)
	keep := set[:0]
	for _, h := range set {
		if int(ix.df.count(h)) <= ix.limit {
			keep = append(keep, h)
		}
	}
	if len(keep) < ix.opt.MinShared {
		return
	}
	ix.indexed[i] = true
	ix.fam.signature(keep, ix.sigs[i*ix.opt.Hashes:(i+1)*ix.opt.Hashes])
}

func (ix *indexer) sig(i int) []uint32 { return ix.sigs[i*ix.opt.Hashes : (i+1)*ix.opt.Hashes] }

// parallel runs fn(i) for i in [0, n) on workers goroutines, each with its
// own scratch buffers, checking ctx between documents.
func parallel(ctx context.Context, n, workers int, fn func(i int, sc *scratch)) error {
	var (
		wg   sync.WaitGroup
		next = make(chan [2]int)
	)
	const chunk = 256
	for range min(workers, max(1, n/chunk+1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sc := scratchPool.Get().(*scratch)
			defer scratchPool.Put(sc)
			for r := range next {
				for i := r[0]; i < r[1]; i++ {
					fn(i, sc)
				}
			}
		}()
	}
	var err error
	for lo := 0; lo < n; lo += chunk {
		if err = ctx.Err(); err != nil {
			break
		}
		next <- [2]int{lo, min(lo+chunk, n)}
	}
	close(next)
	wg.Wait()
	return err
}

// bandEntry is one document's key in one band.
type bandEntry struct {
	key uint64
	doc int32
}

// candidates buckets documents by each band of their signature and returns
// every pair sharing a bucket, once, as a<<32|b with a < b.
func (ix *indexer) candidates(ctx context.Context) ([]uint64, int, error) {
	rows := ix.opt.Hashes / ix.opt.Bands
	seen := map[uint64]struct{}{}
	var out []uint64
	skipped := 0
	entries := make([]bandEntry, 0, len(ix.texts))
	for band := range ix.opt.Bands {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		entries = entries[:0]
		for i, ok := range ix.indexed {
			if !ok {
				continue
			}
			h := uint64(band) + 1
			for _, v := range ix.sig(i)[band*rows : (band+1)*rows] {
				h = mix64(h ^ uint64(v))
			}
			entries = append(entries, bandEntry{key: h, doc: int32(i)})
		}
		slices.SortFunc(entries, func(a, b bandEntry) int {
			switch {
			case a.key < b.key:
				return -1
			case a.key > b.key:
				return 1
			}
			return int(a.doc - b.doc)
		})
		for lo := 0; lo < len(entries); {
			hi := lo + 1
			for hi < len(entries) && entries[hi].key == entries[lo].key {
				hi++
			}
			if hi-lo > ix.opt.MaxBucket {
				skipped++
			} else {
				for x := lo; x < hi; x++ {
					for y := x + 1; y < hi; y++ {
						k := uint64(entries[x].doc)<<32 | uint64(entries[y].doc)
						if _, dup := seen[k]; !dup {
							seen[k] = struct{}{}
							out = append(out, k)
						}
					}
				}
			}
			lo = hi
		}
	}
	slices.Sort(out)
	return out, skipped, nil
}

// verify computes the exact Jaccard similarity of each candidate pair whose
// signatures agree enough, and keeps the pairs over the threshold.
func (ix *indexer) verify(ctx context.Context, cands []uint64, workers int) ([]Pair, error) {
	// Signatures estimate J with a standard error of at most 0.046 at 120
	// hashes; 0.2 below the threshold loses no true pair.
	floor := ix.opt.Threshold - 0.2
	var keep []uint64
	for _, k := range cands {
		if similarity(ix.sig(int(k>>32)), ix.sig(int(k&0xffffffff))) >= floor {
			keep = append(keep, k)
		}
	}
	// The distinctive sets of the documents involved, computed once each.
	var docs []int
	for _, k := range keep {
		docs = append(docs, int(k>>32), int(k&0xffffffff))
	}
	slices.Sort(docs)
	docs = slices.Compact(docs)
	sets := make([][]uint64, len(docs))
	if err := parallel(ctx, len(docs), workers, func(i int, sc *scratch) { sets[i] = ix.distinctive(docs[i], sc) }); err != nil {
		return nil, err
	}
	setOf := func(doc int) []uint64 {
		i, _ := slices.BinarySearch(docs, doc)
		return sets[i]
	}
	var pairs []Pair
	for _, k := range keep {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		a, b := int(k>>32), int(k&0xffffffff)
		sa, sb := setOf(a), setOf(b)
		shared := intersectCount(sa, sb)
		j := float64(shared) / float64(len(sa)+len(sb)-shared)
		if j < ix.opt.Threshold || shared < ix.opt.MinShared {
			continue
		}
		pairs = append(pairs, Pair{A: a, B: b, Jaccard: j, Shared: shared})
	}
	for i := range pairs {
		if ix.opt.Passages <= 0 {
			break
		}
		p := &pairs[i]
		p.Passages = ix.passages(p.A, p.B)
	}
	return pairs, nil
}
