package eval

import (
	"slices"
	"strings"

	"github.com/rollcall/rollcall/internal/sim"
)

// scoreBehaviours counts false positives among legitimate people with
// hard-negative behaviours, overall and by behaviour.
func (res *Result) scoreBehaviours(t *sim.Truth, people map[string]*person) {
	stats := map[string]*BehaviourStat{}
	for _, l := range t.Legitimate {
		if len(l.Behaviours) == 0 || t.IsOperative(l.ID) {
			continue
		}
		p := people[l.ID]
		flagged := p != nil && p.flagged
		res.HardNegatives++
		if flagged {
			res.HardNegativeFP++
		}
		for _, b := range l.Behaviours {
			s := stats[b]
			if s == nil {
				s = &BehaviourStat{Behaviour: b}
				stats[b] = s
			}
			s.People++
			if flagged {
				s.Flagged++
				s.IDs = append(s.IDs, l.ID)
				if s.By == nil {
					s.By = map[string]int{}
				}
				for in := range p.indicators {
					s.By[in]++
				}
			}
		}
	}
	res.HardNegativeFPR = ratio(res.HardNegativeFP, res.HardNegatives)
	for _, s := range stats {
		s.Rate = ratio(s.Flagged, s.People)
		slices.Sort(s.IDs)
		res.Behaviours = append(res.Behaviours, *s)
	}
	slices.SortFunc(res.Behaviours, func(a, b BehaviourStat) int { return strings.Compare(a.Behaviour, b.Behaviour) })
}

// scoreCells matches every true cell with the report cluster of highest
// Jaccard similarity |A∩B| / |A∪B| (ties: the smaller cluster, then the
// first listed).
func (res *Result) scoreCells(t *sim.Truth, rep report, resolve *resolver) {
	type cluster struct {
		id      string
		members map[string]bool
	}
	var clusters []cluster
	ops := map[string]bool{}
	for _, op := range t.Operatives {
		ops[op.ID] = true
	}
	for _, c := range rep.Clusters {
		cl := cluster{id: c.ID, members: map[string]bool{}}
		for _, m := range c.Members {
			cl.members[resolve.id(m, "", nil)] = true
		}
		clusters = append(clusters, cl)
		clean := true
		for m := range cl.members {
			if ops[m] {
				clean = false
				break
			}
		}
		if clean {
			res.CleanClusters++
		}
	}
	res.Clusters = len(clusters)
	sum := 0.0
	for _, c := range t.Cells {
		m := CellMatch{Cell: c.ID, Members: len(c.Members)}
		want := map[string]bool{}
		for _, id := range c.Members {
			want[id] = true
		}
		for _, cl := range clusters {
			common := 0
			for id := range want {
				if cl.members[id] {
					common++
				}
			}
			if common == 0 {
				continue
			}
			j := float64(common) / float64(len(want)+len(cl.members)-common)
			if j > m.Jaccard || j == m.Jaccard && len(cl.members) < m.ClusterMembers {
				m.Cluster, m.ClusterMembers, m.Common, m.Jaccard = cl.id, len(cl.members), common, j
			}
		}
		sum += m.Jaccard
		if m.Exact = m.Jaccard == 1; m.Exact {
			res.ExactCells++
		}
		res.Cells = append(res.Cells, m)
	}
	if len(t.Cells) > 0 {
		res.MeanBestJaccard = sum / float64(len(t.Cells))
	}
}

// applicantPrefix starts the truth id of an applicant never hired
// (sim.Truth: "cand-<candidate id>").
const applicantPrefix = "cand-"

// scoreIndicators computes, for every indicator in the report, its
// precision and recall as an operative detector on its own.
func (res *Result) scoreIndicators(t *sim.Truth, people map[string]*person, ops map[string]sim.TruthOperative) {
	stats := map[string]*IndicatorStat{}
	get := func(id string) *IndicatorStat {
		s := stats[id]
		if s == nil {
			s = &IndicatorStat{ID: id}
			stats[id] = s
		}
		return s
	}
	behaviours := map[string][]string{}
	for _, l := range t.Legitimate {
		behaviours[l.ID] = l.Behaviours
	}
	for id, p := range people {
		_, isOp := ops[id]
		for in := range p.indicators {
			s := get(in)
			s.Fired++
			switch {
			case isOp:
				s.OnOperatives++
				if p.flagged {
					s.CaughtWith++
				}
				continue
			case strings.HasPrefix(id, applicantPrefix):
				s.FPApplicants++
			default:
				s.FPEmployees++
			}
			if p.flagged {
				s.FPFlagged++
			}
			for _, b := range behaviours[id] {
				if s.OnBehaviours == nil {
					s.OnBehaviours = map[string]int{}
				}
				s.OnBehaviours[b]++
			}
		}
	}
	for _, op := range t.Operatives {
		p := people[op.ID]
		for _, tell := range op.Tells {
			s := get(tell)
			s.WithTell++
			if p != nil && p.indicators[tell] {
				s.TellCaught++
			}
		}
	}
	for _, s := range stats {
		s.Precision = ratio(s.OnOperatives, s.Fired)
		s.Recall = ratio(s.OnOperatives, len(t.Operatives))
		s.TellRecall = ratio(s.TellCaught, s.WithTell)
		s.FalsePositiveRate = ratio(s.FPFlagged, res.Legitimate)
		res.Indicators = append(res.Indicators, *s)
	}
	slices.SortFunc(res.Indicators, func(a, b IndicatorStat) int { return strings.Compare(a.ID, b.ID) })
}
