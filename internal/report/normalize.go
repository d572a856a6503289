package report

import (
	"cmp"
	"slices"
)

// Sort puts people in report order: score, highest first, then id. Clusters
// are ordered by score, highest first, keeping their order on ties.
func (r *Report) Sort() {
	slices.SortStableFunc(r.People, comparePeople)
	slices.SortStableFunc(r.Clusters, func(a, b Cluster) int { return cmp.Compare(b.Score, a.Score) })
}

func comparePeople(a, b Person) int {
	if c := cmp.Compare(b.Score, a.Score); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// normalized returns a copy of r that every reporter renders: the version
// is set, every list the JSON contract promises is non-nil (so it encodes as
// [] rather than null), and people and clusters are in report order. r is
// not modified; strings and evidence values are shared with it.
func normalized(r *Report) *Report {
	if r == nil {
		r = &Report{}
	}
	n := *r
	if n.Version == 0 {
		n.Version = Version
	}
	n.Rejected = orEmpty(slices.Clone(r.Rejected))
	n.SkippedFiles = orEmpty(slices.Clone(r.SkippedFiles))
	n.Unresolved = orEmpty(slices.Clone(r.Unresolved))
	n.Notes = slices.Clone(r.Notes)

	n.People = make([]Person, len(r.People))
	for i, p := range r.People {
		p.CandidateIDs = orEmpty(slices.Clone(p.CandidateIDs))
		inds := make([]Indicator, len(p.Indicators))
		for j, ind := range p.Indicators {
			ind.Evidence = orEmpty(slices.Clone(ind.Evidence))
			ind.Related = slices.Clone(ind.Related)
			inds[j] = ind
		}
		p.Indicators = inds
		n.People[i] = p
	}

	n.Clusters = make([]Cluster, len(r.Clusters))
	for i, c := range r.Clusters {
		c.Members = orEmpty(slices.Clone(c.Members))
		links := make([]Link, len(c.Links))
		for j, l := range c.Links {
			l.Members = orEmpty(slices.Clone(l.Members))
			links[j] = l
		}
		c.Links = links
		n.Clusters[i] = c
	}
	n.Sort()
	return &n
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
