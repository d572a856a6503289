package score

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/graph"
	"github.com/rollcall/rollcall/internal/policy"
)

func TestScore_points(t *testing.T) {
	tests := []struct {
		name     string
		findings []detect.Finding
		pol      func(*policy.Policy)
		points   []float64 // per contribution, in reported order
		combined float64
		score    int
		level    string
	}{
		{name: "no_findings", score: 0, level: "none"},
		{name: "one_strong_finding_is_medium", findings: []detect.Finding{find("A", "ONB-02")},
			points: []float64{40}, combined: 40, score: 40, level: "medium"},
		{name: "confidence_scales_weight", findings: []detect.Finding{withConfidence(find("A", "ONB-02"), 0.5)},
			points: []float64{20}, combined: 20, score: 20, level: "low"},
		{name: "zero_confidence_means_one", findings: []detect.Finding{withConfidence(find("A", "ONB-02"), 0)},
			points: []float64{40}, combined: 40, score: 40, level: "medium"},
		{name: "same_stage_decays", findings: []detect.Finding{find("A", "ONB-01"), find("A", "ONB-02")},
			points: []float64{40, 15}, combined: 55, score: 55, level: "medium"},
		{name: "third_in_stage_quartered", findings: []detect.Finding{find("A", "ONB-03"), find("A", "ONB-01"), find("A", "ONB-02")},
			points: []float64{40, 15, 5}, combined: 60, score: 60, level: "high"},
		{name: "stages_combine", findings: []detect.Finding{find("A", "ONB-02"), find("A", "IAM-01")},
			points: []float64{40, 30}, combined: 58, score: 58, level: "medium"},
		{name: "three_stages", findings: []detect.Finding{find("A", "ONB-02"), find("A", "IAM-01"), find("A", "PAY-01")},
			points: []float64{40, 30, 45}, combined: 100 * (1 - 0.6*0.7*0.55), score: 77, level: "high"},
		{name: "policy_weight_overrides", findings: []detect.Finding{find("A", "IAM-01")},
			pol:    func(p *policy.Policy) { p.Weights["IAM-01"] = 50 },
			points: []float64{50}, combined: 50, score: 50, level: "medium"},
		{name: "policy_decay", findings: []detect.Finding{find("A", "ONB-02"), find("A", "ONB-02")},
			pol:    func(p *policy.Policy) { p.StageDecay = 1 },
			points: []float64{40, 40}, combined: 80, score: 80, level: "critical"},
		{name: "stage_capped_at_100", findings: []detect.Finding{find("A", "PAY-01"), find("A", "PAY-01"), find("A", "PAY-01")},
			pol:    func(p *policy.Policy) { p.Weights["PAY-01"] = 100 },
			points: []float64{100, 50, 25}, combined: 100, score: 100, level: "critical"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pol := policy.Default()
			if tt.pol != nil {
				tt.pol(pol)
			}
			ps := Score(population("A"), tt.findings, nil, pol, lookup, now).People["A"]
			var points []float64
			for _, c := range ps.Contributions {
				points = append(points, c.Points)
			}
			if diff := cmp.Diff(tt.points, points); diff != "" {
				t.Errorf("points (-want +got):\n%s", diff)
			}
			if math.Abs(ps.Combined-tt.combined) > 1e-9 || ps.Score != tt.score || ps.Level != tt.level {
				t.Errorf("combined %g, score %d, level %s; want %g, %d, %s", ps.Combined, ps.Score, ps.Level, tt.combined, tt.score, tt.level)
			}
			if want := tt.score >= 35; ps.Flagged != want {
				t.Errorf("flagged = %v, want %v", ps.Flagged, want)
			}
		})
	}
}

// TestScore_diminishing_returns: adding a finding never lowers a score,
// each further finding of one kind adds less than the one before, and the
// score never leaves 0–100.
func TestScore_diminishing_returns(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	ids := []string{"ONB-02", "ONB-01", "ONB-03", "IAM-01", "IAM-04", "PAY-01", "PAY-02", "END-05"}
	for trial := range 300 {
		var fs []detect.Finding
		prev, prevGain := 0.0, math.Inf(1)
		same := ids[rng.IntN(len(ids))]
		for n := range 30 {
			id := same
			if trial%2 == 1 { // odd trials: a mix of indicators
				id = ids[rng.IntN(len(ids))]
			}
			fs = append(fs, withConfidence(find("A", id), 0.1+0.9*rng.Float64()))
			if trial%2 == 0 {
				fs[len(fs)-1].Confidence = 1
			}
			ps := Score(population("A"), fs, nil, policy.Default(), lookup, now).People["A"]
			if ps.Total < prev-1e-9 || ps.Total > 100 || ps.Score < 0 || ps.Score > 100 {
				t.Fatalf("trial %d, %d findings: total %g after %g (must not fall, must stay within 0–100)", trial, n+1, ps.Total, prev)
			}
			if gain := ps.Total - prev; trial%2 == 0 && gain > prevGain+1e-9 {
				t.Fatalf("trial %d: finding %d of %s added %g, more than the previous %g", trial, n+1, same, gain, prevGain)
			} else {
				prevGain = gain
			}
			prev = ps.Total
		}
	}
}

// TestScore_weak_only_never_exceeds_low is the fairness property: any
// number of weak findings, at any weight and in any stage, even in a cell
// with a critical member, never lifts a person above low.
func TestScore_weak_only_never_exceeds_low(t *testing.T) {
	weak := []string{"APP-02", "APP-07", "IAM-06", "END-07", "COL-02", "END-10", "XYZ-99" /* unknown */}
	rng := rand.New(rand.NewPCG(3, 5))
	for trial := range 500 {
		pol := policy.Default()
		pol.Weak = append(pol.Weak, "END-10")
		pol.StageDecay = 0.05 + 0.95*rng.Float64()
		pol.Cluster.Bonus = float64(rng.IntN(101))
		for _, id := range weak {
			if rng.IntN(2) == 0 {
				pol.Weights[id] = float64(rng.IntN(101))
			}
		}
		var fs []detect.Finding
		for range 1 + rng.IntN(40) {
			fs = append(fs, withConfidence(find("W", weak[rng.IntN(len(weak))]), rng.Float64()))
		}
		// S is critical on their own and shares a payout account with W.
		fs = append(fs, find("S", "PAY-01"), find("S", "ONB-02"), find("S", "IAM-01"))
		clusters := []graph.Cluster{{ID: "C1", Members: []string{"S", "W"},
			Links: []graph.Link{{Kind: graph.KindBankAccount, Value: "payout account x", Members: []string{"S", "W"}}}}}
		res := Score(population("S", "W"), fs, clusters, pol, lookup, now)
		ps := res.People["W"]
		if ps.Score > 34 || ps.Flagged || (ps.Level != "low" && ps.Level != "none") {
			t.Fatalf("trial %d: weak-only person scored %d (%s, flagged %v) from %d findings; capped %q",
				trial, ps.Score, ps.Level, ps.Flagged, len(fs)-3, ps.Capped)
		}
	}
}

func TestScore_corroboration(t *testing.T) {
	weak := []detect.Finding{find("A", "APP-02"), find("A", "IAM-06"), find("A", "END-07"), find("A", "COL-02"), find("A", "APP-07")}
	pol := policy.Default()
	for _, id := range []string{"APP-02", "IAM-06", "END-07", "COL-02", "APP-07"} {
		pol.Weights[id] = 30
	}
	ps := Score(population("A"), weak, nil, pol, lookup, now).People["A"]
	if ps.Score != 34 || ps.Level != "low" || ps.Flagged {
		t.Errorf("weak-only: score %d level %s flagged %v, want 34 low unflagged", ps.Score, ps.Level, ps.Flagged)
	}
	if !strings.Contains(ps.Capped, "every finding is weak (APP-02, APP-07, COL-02, END-07, IAM-06)") {
		t.Errorf("Capped = %q", ps.Capped)
	}
	if ps.Combined <= 34 {
		t.Errorf("combined %g: the test needs weak findings that add up past medium", ps.Combined)
	}

	// One medium-strength finding corroborates them.
	ps = Score(population("A"), append(weak, find("A", "IAM-04")), nil, pol, lookup, now).People["A"]
	if ps.Capped != "" || ps.Score <= 34 || !ps.Flagged {
		t.Errorf("corroborated: score %d capped %q flagged %v; want above 34, not capped, flagged", ps.Score, ps.Capped, ps.Flagged)
	}

	// A suppressed strong finding corroborates nothing.
	pol.Allow.People = []policy.PersonEntry{{Person: "A", Indicator: "IAM-04", Entry: policy.Entry{Reason: "reviewed"}}}
	ps = Score(population("A"), append(weak, find("A", "IAM-04")), nil, pol, lookup, now).People["A"]
	if ps.Score != 34 {
		t.Errorf("with the strong finding suppressed: score %d, want 34", ps.Score)
	}

	// Weak findings below the cap are left alone.
	ps = Score(population("A"), []detect.Finding{find("A", "IAM-06")}, nil, policy.Default(), lookup, now).People["A"]
	if ps.Score != 10 || ps.Capped != "" || ps.Level != "low" {
		t.Errorf("one weak finding: score %d capped %q level %s, want 10, not capped, low", ps.Score, ps.Capped, ps.Level)
	}
}

func TestScore_suppression(t *testing.T) {
	pol := policy.Default()
	pol.Allow.People = []policy.PersonEntry{
		{Person: "A", Indicator: "IAM-01", Entry: policy.Entry{Reason: "approved secondment (HR-998)"}},
		{Person: "B", Indicator: "IAM-01", Entry: policy.Entry{Reason: "expired", Expires: now.AddDate(0, 0, -1)}},
	}
	fs := []detect.Finding{find("A", "IAM-01"), find("A", "IAM-04"), find("B", "IAM-01"), find("C", "IAM-01")}
	res := Score(population("A", "B", "C"), fs, nil, pol, lookup, now)

	a := res.People["A"]
	type row struct {
		ID         string
		Points     float64
		Rank       int
		Suppressed string
	}
	var got []row
	for _, c := range a.Contributions {
		got = append(got, row{c.Indicator.ID, c.Points, c.Rank, c.Suppressed})
	}
	want := []row{{"IAM-04", 20, 0, ""}, {"IAM-01", 0, -1, "approved secondment (HR-998)"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("A contributions (-want +got):\n%s", diff)
	}
	if a.Score != 20 {
		t.Errorf("A score %d, want 20 (the suppressed finding neither counts nor takes the first rank)", a.Score)
	}
	for _, id := range []string{"B", "C"} {
		if ps := res.People[id]; ps.Score != 30 || ps.Contributions[0].Suppressed != "" {
			t.Errorf("%s: score %d suppressed %q; want 30 and no suppression", id, ps.Score, ps.Contributions[0].Suppressed)
		}
	}
}

func TestScore_cluster_bonus(t *testing.T) {
	bank := func(members ...string) graph.Link {
		return graph.Link{Kind: graph.KindBankAccount, Value: "payout account 1", Members: members}
	}
	ip := func(members ...string) graph.Link {
		return graph.Link{Kind: graph.KindIP, Value: "73.1.2.3", Members: members}
	}
	household := graph.Link{Kind: graph.KindAddress, Value: "12 elm st", Members: []string{"A", "B"}, Household: true}
	type want struct {
		score int
		bonus float64
		level string
	}
	tests := []struct {
		name     string
		findings []detect.Finding
		links    []graph.Link
		bonus    float64
		cluster  int
		want     map[string]want
	}{
		{
			name:    "couple_without_findings_gets_nothing",
			links:   []graph.Link{household},
			cluster: 0,
			want:    map[string]want{"A": {0, 0, "none"}, "B": {0, 0, "none"}},
		},
		{
			name:     "weak_findings_are_not_independent_evidence",
			findings: []detect.Finding{find("A", "IAM-06"), find("B", "END-07")},
			links:    []graph.Link{household},
			cluster:  0,
			want:     map[string]want{"A": {10, 0, "low"}, "B": {10, 0, "low"}},
		},
		{
			// A couple with a joint account is no cell even when one of
			// them has findings of their own: no cluster score, no bonus.
			name:     "household_with_joint_account_is_no_cell",
			findings: []detect.Finding{find("A", "ONB-02"), find("B", "PAY-02")},
			links:    []graph.Link{household, bank("A", "B")},
			cluster:  0,
			want:     map[string]want{"A": {40, 0, "medium"}, "B": {25, 0, "low"}},
		},
		{
			// Cluster: top 40, boost 0.5 → 40 + 60·0.5·0.4 = 52.
			name:     "strong_member_lifts_cell",
			findings: []detect.Finding{find("A", "ONB-02"), find("B", "PAY-02")},
			links:    []graph.Link{bank("A", "B")},
			cluster:  52,
			want:     map[string]want{"A": {50, 10.4, "medium"}, "B": {35, 10.4, "medium"}},
		},
		{
			// Same cell, but B is tied by an IP only: 20·0.52·0.3.
			name:     "bonus_follows_own_link_strength",
			findings: []detect.Finding{find("A", "ONB-02"), find("B", "PAY-02"), find("C", "PAY-02")},
			links:    []graph.Link{bank("A", "C"), ip("A", "B")},
			cluster:  54,
			want:     map[string]want{"A": {51, 10.8, "medium"}, "B": {28, 3.24, "low"}, "C": {36, 10.8, "medium"}},
		},
		{
			name:     "bonus_alone_never_above_low",
			findings: []detect.Finding{find("A", "ONB-02"), find("A", "PAY-01"), find("A", "IAM-01")},
			links:    []graph.Link{bank("A", "B")},
			bonus:    100,
			cluster:  86, // top 76.9, boost 0.5: 76.9 + 23.1·0.5·0.769
			want:     map[string]want{"A": {100, 23.1, "critical"}, "B": {34, 34, "low"}},
		},
		{
			name:     "weak_member_stays_low_in_strong_cell",
			findings: []detect.Finding{find("A", "ONB-02"), find("A", "PAY-01"), find("B", "IAM-06")},
			links:    []graph.Link{bank("A", "B")},
			bonus:    100,
			cluster:  78, // top 67: 67 + 33·0.5·0.67
			want:     map[string]want{"A": {100, 33, "critical"}, "B": {34, 24, "low"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pol := policy.Default()
			if tt.bonus > 0 {
				pol.Cluster.Bonus = tt.bonus
			}
			members := map[string]bool{}
			for _, l := range tt.links {
				for _, m := range l.Members {
					members[m] = true
				}
			}
			var ids []string
			for m := range members {
				ids = append(ids, m)
			}
			cl := graph.Cluster{ID: "C1", Members: slices.Sorted(slices.Values(ids)), Links: tt.links}
			res := Score(population(ids...), tt.findings, []graph.Cluster{cl}, pol, lookup, now)
			if got := res.Clusters[0].Score; got != tt.cluster {
				t.Errorf("cluster score %d, want %d (%s)", got, tt.cluster, res.Clusters[0].Note)
			}
			got := map[string]want{}
			for id := range tt.want {
				ps := res.People[id]
				got[id] = want{ps.Score, ps.ClusterBonus, ps.Level}
				if ps.Cluster != "C1" {
					t.Errorf("%s: cluster %q, want C1", id, ps.Cluster)
				}
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestScore_deterministic(t *testing.T) {
	ids := []string{"ONB-02", "ONB-01", "IAM-01", "IAM-06", "PAY-01", "END-05", "XYZ-01"}
	people := []string{"A", "B", "C", "D", "E"}
	rng := rand.New(rand.NewPCG(1, 1))
	var fs []detect.Finding
	for range 60 {
		f := withConfidence(find(people[rng.IntN(len(people))], ids[rng.IntN(len(ids))]), float64(rng.IntN(10))/10)
		f.Summary = fmt.Sprintf("case %d", rng.IntN(5))
		fs = append(fs, f)
	}
	fs = append(fs, find("ghost", "IAM-01"))
	clusters := []graph.Cluster{{ID: "C1", Members: []string{"A", "B", "C"}, Links: []graph.Link{
		{Kind: graph.KindAddress, Value: "x", Members: []string{"A", "B"}},
		{Kind: graph.KindIP, Value: "y", Members: []string{"B", "C"}},
	}}}
	want := Score(population(people...), fs, clusters, policy.Default(), lookup, now)
	for range 20 {
		shuffled := append([]detect.Finding(nil), fs...)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		got := Score(population(people...), shuffled, clusters, policy.Default(), lookup, now)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("Score depends on finding order (-first +now):\n%s", diff)
		}
	}
	if len(want.Orphans) != 1 || want.Orphans[0].Person != "ghost" {
		t.Errorf("orphans = %v, want the finding about ghost", want.Orphans)
	}
	for i := 1; i < len(want.Ranked); i++ {
		a, b := want.Ranked[i-1], want.Ranked[i]
		if a.Score < b.Score || (a.Score == b.Score && a.Total == b.Total && a.Person > b.Person) {
			t.Errorf("Ranked out of order at %d: %s %d, %s %d", i, a.Person, a.Score, b.Person, b.Score)
		}
	}
}

func TestScore_unknown_indicator(t *testing.T) {
	ps := Score(population("A"), []detect.Finding{find("A", "NEW-01")}, nil, policy.Default(), lookup, now).People["A"]
	c := ps.Contributions[0]
	if c.Indicator.Known || !c.Weak || c.Weight != FallbackWeight || c.WeightFrom != WeightFromFallback || ps.Score != 10 {
		t.Errorf("unknown indicator: %+v, score %d", c, ps.Score)
	}
	pol := policy.Default()
	pol.Weights["NEW-01"] = 80
	ps = Score(population("A"), []detect.Finding{find("A", "NEW-01")}, nil, pol, nil, now).People["A"]
	if ps.Score != 34 || ps.Contributions[0].WeightFrom != WeightFromPolicy {
		t.Errorf("unknown indicator with a policy weight: score %d (%s), want 34: unknown indicators are weak",
			ps.Score, ps.Contributions[0].WeightFrom)
	}
}
