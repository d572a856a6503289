// Package score turns findings and clusters into explained 0–100 risk
// scores, one per person and one per cluster.
//
// A person's score is built in five steps, each recorded so that Explain
// (and `rollcall explain`) can show the whole derivation:
//
//  1. Points. Every finding earns weight × confidence points. The weight is
//     the policy's (policy.Weights) or else the indicator's default; a
//     confidence of 0 means 1. A finding suppressed for the person by the
//     policy (allow.people, unexpired) earns 0 points and says why.
//  2. Diminishing returns within a stage. The findings of one lifecycle
//     stage are sorted by points, highest first, and the k-th (from 0) is
//     multiplied by stage_decay^k. A stage's points are capped at 100.
//  3. Combining stages. Independent stages combine like independent
//     probabilities: score = 100 · (1 − Π (1 − stage_points / 100)). The
//     result is within 0–100, grows with every finding, and each further
//     stage adds less than it would alone.
//  4. Corroboration rule. When every counted finding is weak (listed in
//     policy.Weak, fairness-sensitive, or of catalogue strength L), the
//     score is held at Levels.BelowMedium (34 by default): weak signals may
//     reach low, never medium, however many there are.
//  5. Cluster bonus. A cluster (cell) scores its strongest member's score
//     boosted by how specific its links are (see ClusterScore). Members of
//     a cluster with independent evidence — some member has non-weak
//     findings of their own — get up to policy.Cluster.Bonus points in
//     proportion to the cluster's score and to the strength of their own
//     strongest link. A cluster of people without such findings (a couple
//     sharing a home, roommates) gives no bonus, and a member without
//     non-weak findings of their own is still held below medium: the bonus
//     alone never lifts anyone above low.
//
// The level follows from the rounded score and policy.Levels; a person is
// flagged at medium or above. Scoring is pure and deterministic: the same
// inputs in any order give the same result.
package score

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/graph"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/profile"
	"github.com/rollcall/rollcall/internal/textfmt"
)

// FallbackWeight is the weight of a finding from an indicator the lookup
// does not know and the policy does not weigh. Such findings are treated
// as weak.
const FallbackWeight = 10

// Where a contribution's weight came from.
const (
	WeightFromPolicy    = "policy"
	WeightFromIndicator = "indicator"
	WeightFromFallback  = "fallback"
)

// Result is the scoring of a whole population.
type Result struct {
	// People maps a person id to their score; every person of the
	// population has one.
	People map[string]*PersonScore
	// Ranked lists the same scores, highest first (ties: by id).
	Ranked []*PersonScore
	// Clusters are scored in the order graph.Build returned them.
	Clusters []ClusterScore
	// Orphans are findings about person ids not in the population (a
	// pipeline bug to report, never silently dropped).
	Orphans []detect.Finding
}

// PersonScore is one person's score and its derivation.
type PersonScore struct {
	Person  string
	Kind    string // profile.KindEmployee or profile.KindApplicant
	Score   int    // 0–100, rounded from Total
	Level   string // policy level name
	Flagged bool   // Level is medium or above
	// Cluster is the id of the person's cluster, or "".
	Cluster      string
	ClusterScore int
	// ClusterLink is the kind of the person's strongest link in the
	// cluster, and LinkFactor its strength (LinkStrength).
	ClusterLink string
	LinkFactor  float64
	// Links are the person's own links in the cluster, typed, each with
	// its strength: "phone 3125550147 (0.50)", "referral E2 referred by
	// E1 (0.20)".
	Links []string
	// BonusOffered is what the cluster offered; ClusterBonus is what it
	// added after the caps (both rounded to 0.01).
	BonusOffered float64
	ClusterBonus float64
	// Capped is a sentence saying why the score was held down, or "".
	Capped string
	// Combined is the stages combined (step 3); Base is after the
	// corroboration rule (step 4); Total after the cluster bonus (step 5).
	Combined, Base, Total float64
	// OwnEvidence is set when the person has a counted, non-weak finding.
	OwnEvidence   bool
	Stages        []StageScore   // stages with points, in lifecycle order
	Contributions []Contribution // by stage (lifecycle order), then points
	Rule          Rule
}

// Rule is the policy values a score was computed with (for Explain).
type Rule struct {
	Levels     policy.Levels
	StageDecay float64
	MaxBonus   float64
}

// StageScore is one lifecycle stage's points.
type StageScore struct {
	Stage  detect.Stage
	Sum    float64 // the stage's decayed points
	Points float64 // Sum capped at 100
}

// Indicator is what scoring knows about the indicator behind a finding.
type Indicator struct {
	ID       string
	Name     string
	Stage    detect.Stage
	Strength detect.Strength
	Known    bool // found by the lookup
}

// Contribution is one finding's part in a score.
type Contribution struct {
	Finding    detect.Finding
	Indicator  Indicator
	Weight     float64 // 0–100
	WeightFrom string  // WeightFromPolicy, WeightFromIndicator or WeightFromFallback
	Confidence float64 // as applied: a finding's 0 is 1
	Weak       bool
	// Rank is the finding's place within its stage (0 = strongest), and
	// Decay = stage_decay^Rank; -1 and 0 for a suppressed finding.
	Rank  int
	Decay float64
	// Points = Weight × Confidence × Decay, rounded to 0.01; 0 when
	// suppressed.
	Points     float64
	Suppressed string // the allow-list reason, when suppressed
}

// stageOrder is the lifecycle order of stages.
var stageOrder = []detect.Stage{
	detect.StageHiring, detect.StageOnboarding, detect.StageIdentity, detect.StageEndpoint,
	detect.StageNetwork, detect.StageCode, detect.StagePayroll, detect.StageOffboarding,
}

func compareStages(a, b detect.Stage) int {
	ia, ib := slices.Index(stageOrder, a), slices.Index(stageOrder, b)
	if ia < 0 {
		ia = len(stageOrder)
	}
	if ib < 0 {
		ib = len(stageOrder)
	}
	if n := cmp.Compare(ia, ib); n != 0 {
		return n
	}
	return cmp.Compare(a, b)
}

// Score scores every person of the population. lookup resolves an
// indicator id (normally the registry); now decides which suppressions are
// in force. A nil policy means policy.Default().
func Score(pop *profile.Population, findings []detect.Finding, clusters []graph.Cluster, pol *policy.Policy,
	lookup func(id string) (detect.Indicator, bool), now time.Time) *Result {
	if pol == nil {
		pol = policy.Default()
	}
	if lookup == nil {
		lookup = func(string) (detect.Indicator, bool) { return nil, false }
	}
	res := &Result{People: map[string]*PersonScore{}}
	rule := Rule{Levels: pol.Levels, StageDecay: pol.StageDecay, MaxBonus: pol.Cluster.Bonus}
	byPerson := map[string][]detect.Finding{}
	if pop != nil {
		for _, p := range pop.People {
			res.People[p.ID] = &PersonScore{Person: p.ID, Kind: p.Kind, Rule: rule}
			byPerson[p.ID] = nil
		}
	}
	for _, f := range findings {
		if _, ok := byPerson[f.Person]; !ok {
			res.Orphans = append(res.Orphans, f)
			continue
		}
		byPerson[f.Person] = append(byPerson[f.Person], f)
	}
	slices.SortStableFunc(res.Orphans, compareFindings)
	for id, fs := range byPerson {
		personScore(res.People[id], fs, pol, lookup, now)
	}
	res.Clusters = scoreClusters(res.People, clusters, pol)
	for _, ps := range res.People {
		finish(ps, pol)
		res.Ranked = append(res.Ranked, ps)
	}
	slices.SortFunc(res.Ranked, func(a, b *PersonScore) int {
		if n := cmp.Compare(b.Score, a.Score); n != 0 {
			return n
		}
		if n := cmp.Compare(b.Total, a.Total); n != 0 {
			return n
		}
		return cmp.Compare(a.Person, b.Person)
	})
	return res
}

// personScore runs steps 1–4 for one person.
func personScore(ps *PersonScore, fs []detect.Finding, pol *policy.Policy, lookup func(string) (detect.Indicator, bool), now time.Time) {
	slices.SortStableFunc(fs, compareFindings)
	cs := make([]Contribution, 0, len(fs))
	for _, f := range fs {
		cs = append(cs, contribution(f, pol, lookup, now))
	}
	// Step 2: rank within each stage, strongest first.
	slices.SortStableFunc(cs, func(a, b Contribution) int {
		if n := compareStages(a.Indicator.Stage, b.Indicator.Stage); n != 0 {
			return n
		}
		if sa, sb := a.Suppressed != "", b.Suppressed != ""; sa != sb {
			if sa {
				return 1
			}
			return -1
		}
		return cmp.Compare(b.Weight*b.Confidence, a.Weight*a.Confidence)
	})
	stages := map[detect.Stage]*StageScore{}
	rank := map[detect.Stage]int{}
	var kept []string
	for i := range cs {
		c := &cs[i]
		st := stages[c.Indicator.Stage]
		if st == nil {
			st = &StageScore{Stage: c.Indicator.Stage}
			stages[c.Indicator.Stage] = st
		}
		if c.Suppressed != "" {
			c.Rank, c.Decay = -1, 0
			continue
		}
		c.Rank = rank[c.Indicator.Stage]
		rank[c.Indicator.Stage]++
		c.Decay = math.Pow(pol.StageDecay, float64(c.Rank))
		raw := c.Weight * c.Confidence * c.Decay
		c.Points = textfmt.Round2(raw)
		st.Sum += raw
		if raw > 0 {
			kept = append(kept, c.Indicator.ID)
			if !c.Weak {
				ps.OwnEvidence = true
			}
		}
	}
	ps.Contributions = cs
	// Step 3: combine stages, in lifecycle order (so that the float
	// arithmetic, too, is the same on every run).
	for _, st := range stages {
		if st.Sum > 0 { // a stage whose findings are all suppressed or weightless adds nothing
			ps.Stages = append(ps.Stages, *st)
		}
	}
	slices.SortFunc(ps.Stages, func(a, b StageScore) int { return compareStages(a.Stage, b.Stage) })
	keep := 1.0
	for i := range ps.Stages {
		st := &ps.Stages[i]
		st.Points = math.Min(st.Sum, 100)
		keep *= 1 - st.Points/100
		st.Sum, st.Points = textfmt.Round2(st.Sum), textfmt.Round2(st.Points)
	}
	ps.Combined = 100 * (1 - keep)
	ps.Base = ps.Combined
	// Step 4: corroboration rule.
	if hold := pol.Levels.BelowMedium(); !ps.OwnEvidence && ps.Combined > hold {
		ps.Base = hold
		ps.Capped = fmt.Sprintf("every finding is weak (%s): weak signals alone never raise a score above low, "+
			"so it is held at %g instead of %.1f until a stronger finding corroborates them", strings.Join(dedup(kept), ", "), hold, ps.Combined)
	}
	ps.Total = ps.Base
}

// contribution is step 1 for one finding.
func contribution(f detect.Finding, pol *policy.Policy, lookup func(string) (detect.Indicator, bool), now time.Time) Contribution {
	c := Contribution{Finding: f, Indicator: Indicator{ID: f.Indicator, Name: f.Indicator, Strength: detect.Weak}}
	if ind, ok := lookup(f.Indicator); ok && ind != nil {
		c.Indicator = Indicator{ID: ind.ID(), Name: ind.Name(), Stage: ind.Stage(), Strength: ind.Strength(), Known: true}
		c.Weight, c.WeightFrom = ind.Weight(), WeightFromIndicator
	} else {
		c.Weight, c.WeightFrom = FallbackWeight, WeightFromFallback
	}
	if w, ok := pol.Weight(f.Indicator); ok {
		c.Weight, c.WeightFrom = w, WeightFromPolicy
	}
	c.Weight = clamp(c.Weight, 0, 100)
	c.Confidence = f.Confidence
	if !(c.Confidence > 0 && c.Confidence <= 1) { // 0 (unset), out of range or NaN
		c.Confidence = 1
	}
	c.Weak = !c.Indicator.Known || c.Indicator.Strength == detect.Weak || pol.IsWeak(f.Indicator)
	if reason, ok := pol.Allow.Suppressed(f.Person, f.Indicator, now); ok {
		c.Suppressed = reason
	}
	return c
}

// finish applies the bonus caps and sets the score and level.
func finish(ps *PersonScore, pol *policy.Policy) {
	total := math.Min(100, ps.Base+ps.BonusOffered)
	if hold := pol.Levels.BelowMedium(); !ps.OwnEvidence && total > hold && total > ps.Base {
		total = math.Max(hold, ps.Base)
		if ps.Capped == "" {
			ps.Capped = fmt.Sprintf("no non-weak findings of their own: membership of cluster %s alone never raises a score above low, "+
				"so it is held at %g", ps.Cluster, total)
		}
	}
	ps.ClusterBonus = textfmt.Round2(total - ps.Base)
	ps.BonusOffered = textfmt.Round2(ps.BonusOffered)
	ps.Total = total
	ps.Score = int(math.Round(total))
	ps.Level = pol.Levels.Of(float64(ps.Score))
	ps.Flagged = float64(ps.Score) >= pol.Levels.Medium
}

func compareFindings(a, b detect.Finding) int {
	if n := cmp.Compare(a.Person, b.Person); n != 0 {
		return n
	}
	if n := cmp.Compare(a.Indicator, b.Indicator); n != 0 {
		return n
	}
	if n := cmp.Compare(a.Summary, b.Summary); n != 0 {
		return n
	}
	if n := cmp.Compare(a.Confidence, b.Confidence); n != 0 {
		return n
	}
	if n := slices.Compare(a.Related, b.Related); n != 0 {
		return n
	}
	return slices.CompareFunc(a.Evidence, b.Evidence, func(x, y detect.Evidence) int {
		return cmp.Or(cmp.Compare(x.Source, y.Source), cmp.Compare(x.File, y.File), cmp.Compare(x.Record, y.Record),
			cmp.Compare(x.ID, y.ID), cmp.Compare(x.Summary, y.Summary))
	})
}

func clamp(x, lo, hi float64) float64 {
	if math.IsNaN(x) {
		return lo
	}
	return math.Max(lo, math.Min(hi, x))
}

func dedup(ss []string) []string {
	out := slices.Clone(ss)
	slices.Sort(out)
	return slices.Compact(out)
}
