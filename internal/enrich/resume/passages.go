package resume

import (
	"slices"
	"strings"
)

// Passage is one passage two documents share: the same run of words as it
// reads in each (their spelling, case and punctuation may differ).
type Passage struct {
	A, B  string
	Words int // words in the shared run
}

// maxExcerptWords bounds a passage excerpt shown in evidence.
const maxExcerptWords = 30

// passages returns the longest runs of distinctive shingles document a
// shares with document b, longest first, at most opt.Passages of them.
func (ix *indexer) passages(a, b int) []Passage {
	k := ix.opt.Shingle
	ta := tokenize(ix.texts[a], nil)
	tb := tokenize(ix.texts[b], nil)
	sa := shingles(ta, k, nil)
	sb := shingles(tb, k, nil)
	firstInB := make(map[uint64]int, len(sb))
	for i, h := range sb {
		if _, ok := firstInB[h]; !ok && int(ix.df.count(h)) <= ix.limit {
			firstInB[h] = i
		}
	}
	type run struct{ a, b, n int }
	var runs []run
	for i := 0; i < len(sa); {
		j, ok := firstInB[sa[i]]
		if !ok {
			i++
			continue
		}
		n := 1
		for i+n < len(sa) && j+n < len(sb) && sa[i+n] == sb[j+n] {
			n++
		}
		runs = append(runs, run{a: i, b: j, n: n})
		i += n
	}
	slices.SortStableFunc(runs, func(x, y run) int { return y.n - x.n })
	var out []Passage
	for _, r := range runs[:min(len(runs), ix.opt.Passages)] {
		words := r.n + k - 1
		out = append(out, Passage{
			A:     excerpt(ix.texts[a], ta[r.a:r.a+words]),
			B:     excerpt(ix.texts[b], tb[r.b:r.b+words]),
			Words: words,
		})
	}
	return out
}

// excerpt returns the text spanned by toks, whitespace collapsed, cut to
// maxExcerptWords words with an ellipsis.
func excerpt(text string, toks []token) string {
	if len(toks) == 0 {
		return ""
	}
	cut := len(toks) > maxExcerptWords
	if cut {
		toks = toks[:maxExcerptWords]
	}
	s := strings.Join(strings.Fields(text[toks[0].start:toks[len(toks)-1].end]), " ")
	if cut {
		s += " …"
	}
	return s
}
