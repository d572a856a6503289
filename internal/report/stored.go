package report

import (
	"context"

	"github.com/rollcall/rollcall/internal/source"
	"github.com/rollcall/rollcall/internal/store"
)

// The mapping between the JSON report and the store's own result types
// (internal/store/results.go), in both directions: the pipeline saves
// ToStore(report), and the server builds what it shows and serves with
// FromStore, PersonFromStore and ClusterFromStore. The two sides have
// the same fields; the store's are encoded by the store, the report's are
// the JSON contract. Lists keep their nil-ness (nil stays nil, empty stays
// empty), so the JSON of a report read back is the JSON it was saved
// from; the converted values share the lists' backing arrays.

// LoadStored reads the last saved results of st as a report; the error wraps
// store.ErrNotFound when none were saved.
func LoadStored(ctx context.Context, st store.Store) (*Report, error) {
	r, err := st.Results(ctx)
	if err != nil {
		return nil, err
	}
	return FromStore(r), nil
}

// FromStore builds the report of stored results.
func FromStore(r *store.Results) *Report {
	if r == nil {
		return nil
	}
	return &Report{
		Version:      r.Version,
		Stats:        Stats(r.Stats),
		Rejected:     mapList(r.Rejected, func(rj store.Rejection) source.Rejection { return source.Rejection(rj) }),
		SkippedFiles: mapList(r.SkippedFiles, func(sk store.Skipped) Skipped { return Skipped(sk) }),
		Unresolved:   r.Unresolved,
		Notes:        r.Notes,
		People:       PeopleFromStore(r.People),
		Clusters:     ClustersFromStore(r.Clusters),
	}
}

// ToStore maps a report to the results the store saves.
func ToStore(r *Report) *store.Results {
	if r == nil {
		return nil
	}
	return &store.Results{
		Version:      r.Version,
		Stats:        store.Stats(r.Stats),
		Rejected:     mapList(r.Rejected, func(rj source.Rejection) store.Rejection { return store.Rejection(rj) }),
		SkippedFiles: mapList(r.SkippedFiles, func(sk Skipped) store.Skipped { return store.Skipped(sk) }),
		Unresolved:   r.Unresolved,
		Notes:        r.Notes,
		People:       mapList(r.People, personToStore),
		Clusters:     mapList(r.Clusters, clusterToStore),
	}
}

// PersonFromStore builds the report person of a stored one.
func PersonFromStore(p store.Person) Person {
	return Person{
		ID: p.ID, EmployeeID: p.EmployeeID, CandidateIDs: p.CandidateIDs, Name: p.Name, Kind: p.Kind,
		Score: p.Score, Level: p.Level, Flagged: p.Flagged, Cluster: p.Cluster, ClusterBonus: p.ClusterBonus,
		Capped: p.Capped, Indicators: mapList(p.Indicators, func(f store.Finding) Indicator { return Indicator(f) }),
	}
}

func personToStore(p Person) store.Person {
	return store.Person{
		ID: p.ID, EmployeeID: p.EmployeeID, CandidateIDs: p.CandidateIDs, Name: p.Name, Kind: p.Kind,
		Score: p.Score, Level: p.Level, Flagged: p.Flagged, Cluster: p.Cluster, ClusterBonus: p.ClusterBonus,
		Capped: p.Capped, Indicators: mapList(p.Indicators, func(in Indicator) store.Finding { return store.Finding(in) }),
	}
}

// PeopleFromStore builds the report people of stored ones; nil stays nil.
func PeopleFromStore(ps []store.Person) []Person { return mapList(ps, PersonFromStore) }

// ClustersFromStore builds the report clusters of stored ones; nil stays
// nil.
func ClustersFromStore(cs []store.Cluster) []Cluster { return mapList(cs, ClusterFromStore) }

// ClusterFromStore builds the report cluster of a stored one.
func ClusterFromStore(c store.Cluster) Cluster {
	return Cluster{ID: c.ID, Members: c.Members, Score: c.Score,
		Links: mapList(c.Links, func(l store.Link) Link { return Link(l) })}
}

func clusterToStore(c Cluster) store.Cluster {
	return store.Cluster{ID: c.ID, Members: c.Members, Score: c.Score,
		Links: mapList(c.Links, func(l Link) store.Link { return store.Link(l) })}
}

// mapList applies f to every element of in; nil stays nil.
func mapList[S, D any](in []S, f func(S) D) []D {
	if in == nil {
		return nil
	}
	out := make([]D, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}
