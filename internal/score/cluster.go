package score

import (
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/rollcall/rollcall/internal/graph"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/textfmt"
)

// LinkStrength says how strongly a shared identifier of each kind ties
// people together (0–1): a payout account or a device is one person's, an
// address may be a household's, an IP a café's.
var LinkStrength = map[string]float64{
	graph.KindBankAccount: 1.0,
	graph.KindDevice:      1.0,
	graph.KindMFADevice:   0.8,
	graph.KindAddress:     0.6,
	graph.KindPhone:       0.5,
	graph.KindEmail:       0.5,
	graph.KindURL:         0.4,
	graph.KindResume:      0.4,
	graph.KindIP:          0.3,
	// A referral alone links nobody (graph.KindReferral); inside a cell it
	// is the weakest tie.
	graph.KindReferral: 0.2,
}

// householdStrength is the strength of a graph.Link marked Household (a
// couple or roommates sharing their home and nothing else).
const householdStrength = 0.2

// unknownStrength is the strength of a link kind not in LinkStrength.
const unknownStrength = 0.3

// Strength is how strongly link l ties its members (0-1): its kind's
// LinkStrength, householdStrength for a household.
func Strength(l graph.Link) float64 { return linkStrength(l) }

func linkStrength(l graph.Link) float64 {
	if l.Household {
		return householdStrength
	}
	if s, ok := LinkStrength[l.Kind]; ok {
		return s
	}
	return unknownStrength
}

// ClusterScore is one cluster's score and its derivation.
//
// The cluster's score starts from its strongest member's own score (Top,
// after the corroboration rule, before any bonus) and closes part of the
// gap to 100 according to its links:
//
//	Boost = 1 − Π over link kinds (1 − strength/2)   (strongest link of each kind)
//	Score = Top + (100 − Top) · Boost · Top/100
//
// so specific links (a shared payout account or device) raise a cell more
// than an address or an IP, a cell of people without findings stays at 0,
// and the score never exceeds 100. A cluster has Evidence when some member
// has a counted, non-weak finding of their own; without it the score is 0
// and nobody gets a bonus. Each member is then offered
//
//	bonus = policy.Cluster.Bonus · Score/100 · strength of the member's strongest link
//
// (Score here is the rounded cluster score, so the report's numbers add up.)
type ClusterScore struct {
	graph.Cluster
	Score     int
	Top       float64 // the strongest member's own score
	TopMember string
	Boost     float64
	Evidence  bool
	// Note says in a sentence why the cluster scores what it does.
	Note string
}

// scoreClusters scores the clusters and offers their members a bonus.
// isHousehold reports whether cl is two people tied only by the home they
// share (a link marked Household) and perhaps a payout account of theirs
// alone: a couple or roommates with a joint account. It is no cell,
// whatever its members' own findings (PAY-01 judges a joint account).
func isHousehold(cl graph.Cluster) bool {
	if len(cl.Members) != 2 {
		return false
	}
	home := false
	for _, l := range cl.Links {
		switch {
		case l.Household:
			home = true
		case l.Kind == graph.KindBankAccount && len(l.Members) == 2:
		default:
			return false
		}
	}
	return home
}

func scoreClusters(people map[string]*PersonScore, clusters []graph.Cluster, pol *policy.Policy) []ClusterScore {
	out := make([]ClusterScore, 0, len(clusters))
	for _, cl := range clusters {
		cs := ClusterScore{Cluster: cl}
		for _, m := range cl.Members { // sorted: the first of equals wins
			ps := people[m]
			if ps == nil {
				continue
			}
			if ps.Base > cs.Top || cs.TopMember == "" {
				cs.Top, cs.TopMember = ps.Base, m
			}
			if ps.OwnEvidence {
				cs.Evidence = true
			}
		}
		household := isHousehold(cl)
		if household {
			cs.Evidence = false
		}
		strongest := map[string]float64{}
		for _, l := range cl.Links {
			strongest[l.Kind] = math.Max(strongest[l.Kind], linkStrength(l))
		}
		keep := 1.0
		for _, k := range slices.Sorted(maps.Keys(strongest)) {
			keep *= 1 - strongest[k]/2
		}
		cs.Boost = textfmt.Round2(1 - keep)
		score := 0.0
		if cs.Evidence {
			score = cs.Top + (100-cs.Top)*(1-keep)*cs.Top/100
			cs.Note = fmt.Sprintf("%s scores %.1f on their own; the cluster's links raise it to %.1f", cs.TopMember, cs.Top, score)
		} else if household {
			cs.Note = "a household: two people tied only by the home they share (and perhaps a joint account), a couple or roommates, not a cell; no bonus"
		} else {
			cs.Note = "no member has a non-weak finding of their own: shared identifiers alone (a household, roommates) are no evidence, so no bonus"
		}
		cs.Score = int(math.Round(score))
		cs.Top = textfmt.Round2(cs.Top)
		for _, m := range cl.Members {
			ps := people[m]
			if ps == nil {
				continue
			}
			ps.Cluster, ps.ClusterScore = cl.ID, cs.Score
			ps.Links = nil
			for _, l := range cl.Links {
				if !slices.Contains(l.Members, m) {
					continue
				}
				s := linkStrength(l)
				if s > ps.LinkFactor {
					ps.ClusterLink, ps.LinkFactor = linkLabel(l), s
				}
				ps.Links = append(ps.Links, fmt.Sprintf("%s %s (%.2f)", linkLabel(l), l.Value, s))
			}
			if cs.Evidence {
				ps.BonusOffered = clamp(pol.Cluster.Bonus, 0, 100) * float64(cs.Score) / 100 * ps.LinkFactor
			}
		}
		out = append(out, cs)
	}
	return out
}

func linkLabel(l graph.Link) string {
	if l.Household {
		return l.Kind + " (household)"
	}
	return l.Kind
}
