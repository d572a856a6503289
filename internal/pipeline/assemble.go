package pipeline

import (
	"github.com/rollcall/rollcall/internal/graph"
	"github.com/rollcall/rollcall/internal/profile"
	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/score"
)

// assemble builds the report's people and clusters from the scores. Only
// clusters with independent evidence (some member has a non-weak finding of
// their own) are reported as cells; a household or a shared IP among people
// with no findings is not a cell, and its members carry no cluster id.
func assemble(pop *profile.Population, scores *score.Result, clusters []graph.Cluster) *report.Report {
	rep := &report.Report{Version: report.Version}
	reported := map[string]bool{}
	for _, cs := range scores.Clusters {
		if !cs.Evidence {
			continue
		}
		reported[cs.ID] = true
		rc := report.Cluster{ID: cs.ID, Members: cs.Members, Score: cs.Score}
		for _, l := range cs.Links {
			rc.Links = append(rc.Links, report.Link{Kind: l.Kind, Value: l.Value, Members: l.Members, Strength: score.Strength(l)})
		}
		rep.Clusters = append(rep.Clusters, rc)
	}
	for _, ps := range scores.Ranked {
		p := pop.Person(ps.Person)
		if p == nil {
			continue
		}
		rp := report.Person{
			ID:           p.ID,
			EmployeeID:   p.EmployeeID,
			CandidateIDs: append([]string{}, p.CandidateIDs...),
			Name:         p.Name,
			Kind:         p.Kind,
			Score:        ps.Score,
			Level:        ps.Level,
			Flagged:      ps.Flagged,
			Capped:       ps.Capped,
			Indicators:   []report.Indicator{},
		}
		if reported[ps.Cluster] {
			rp.Cluster = ps.Cluster
			rp.ClusterBonus = ps.ClusterBonus
		}
		for _, c := range ps.Contributions {
			rp.Indicators = append(rp.Indicators, report.Indicator{
				ID:         c.Indicator.ID,
				Name:       c.Indicator.Name,
				Stage:      string(c.Indicator.Stage),
				Strength:   string(c.Indicator.Strength),
				Weight:     c.Weight,
				Points:     c.Points,
				Summary:    c.Finding.Summary,
				Suppressed: c.Suppressed,
				Related:    c.Finding.Related,
				Evidence:   c.Finding.Evidence,
			})
		}
		rep.People = append(rep.People, rp)
	}
	rep.Stats.People = len(rep.People)
	rep.Stats.UnresolvedAccounts = len(pop.Unresolved)
	rep.Unresolved = pop.Unresolved
	rep.Sort()
	return rep
}
