package score

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/rollcall/rollcall/internal/detect"
)

// Explain writes the full derivation of a person's score, step by step,
// for an analyst (`rollcall explain`).
func Explain(w io.Writer, ps *PersonScore) error {
	if ps == nil {
		return errors.New("explain: no score for this person")
	}
	e := &explainer{w: w}
	r := ps.Rule
	flag := "not flagged"
	if ps.Flagged {
		flag = "flagged"
	}
	e.printf("%s (%s): score %d of 100, level %s, %s\n", ps.Person, ps.Kind, ps.Score, ps.Level, flag)
	e.printf("levels: low ≥ %g, medium ≥ %g, high ≥ %g, critical ≥ %g; flagged at medium or above\n\n",
		r.Levels.Low, r.Levels.Medium, r.Levels.High, r.Levels.Critical)

	e.printf("1. Findings: points = weight × confidence × %g^rank (rank within the stage, strongest first)\n", r.StageDecay)
	if len(ps.Contributions) == 0 {
		e.printf("   none\n")
	}
	var stage detect.Stage = "\x00"
	for i, c := range ps.Contributions {
		if c.Indicator.Stage != stage {
			stage = c.Indicator.Stage
			e.printf("   %s\n", stageName(stage))
		}
		e.contribution(c)
		if i == len(ps.Contributions)-1 || ps.Contributions[i+1].Indicator.Stage != stage {
			e.stagePoints(ps, stage)
		}
	}

	e.printf("\n2. Stages combined: 100 × (1 − Π(1 − stage points/100))")
	if len(ps.Stages) > 0 {
		var terms []string
		for _, st := range ps.Stages {
			terms = append(terms, fmt.Sprintf("(1 − %.4f)", st.Points/100))
		}
		e.printf(" = 100 × (1 − %s)", strings.Join(terms, " × "))
	}
	e.printf(" = %.2f\n", ps.Combined)

	e.printf("\n3. Corroboration rule (weak signals alone stay below medium): ")
	switch {
	case ps.OwnEvidence:
		e.printf("satisfied, at least one counted finding is not weak\n")
	case ps.Base < ps.Combined:
		e.printf("applied: %s\n", ps.Capped)
	case ps.Combined == 0:
		e.printf("nothing to corroborate\n")
	default:
		e.printf("no non-weak finding, but the score is already below medium\n")
	}

	e.printf("\n4. Cluster bonus: ")
	switch {
	case ps.Cluster == "":
		e.printf("not in a cluster\n")
	case ps.BonusOffered == 0 && ps.ClusterScore == 0:
		e.printf("cluster %s has no member with a non-weak finding of their own, so it gives no bonus\n", ps.Cluster)
	default:
		e.printf("cluster %s scores %d; strongest own link %s (strength %.2f)\n", ps.Cluster, ps.ClusterScore, ps.ClusterLink, ps.LinkFactor)
		if len(ps.Links) > 0 {
			e.printf("   own links: %s\n", strings.Join(ps.Links, "; "))
		}
		e.printf("   offered: %g × %d/100 × %.2f = %.2f; added %.2f", r.MaxBonus, ps.ClusterScore, ps.LinkFactor, ps.BonusOffered, ps.ClusterBonus)
		if ps.ClusterBonus < ps.BonusOffered {
			e.printf(" (%s)", capReason(ps))
		}
		e.printf("\n")
	}

	e.printf("\n5. Score: %.2f + %.2f = %.2f, rounded %d → %s\n", ps.Base, ps.ClusterBonus, ps.Total, ps.Score, ps.Level)
	return e.err
}

func (e *explainer) stagePoints(ps *PersonScore, stage detect.Stage) {
	for _, st := range ps.Stages {
		if st.Stage == stage {
			capped := ""
			if st.Sum > st.Points {
				capped = fmt.Sprintf(" (%.2f capped at 100)", st.Sum)
			}
			e.printf("     stage points: %.2f%s\n", st.Points, capped)
			return
		}
	}
	e.printf("     stage points: 0 (nothing counted)\n")
}

func capReason(ps *PersonScore) string {
	if ps.Base+ps.BonusOffered > 100 {
		return "scores stop at 100"
	}
	return "no non-weak findings of their own: a bonus alone never lifts anyone above low"
}

type explainer struct {
	w   io.Writer
	err error
}

func (e *explainer) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

func (e *explainer) contribution(c Contribution) {
	ind := c.Indicator
	strength := string(ind.Strength)
	switch {
	case !ind.Known:
		strength = "not in the indicator registry, treated as weak"
	case c.Weak:
		strength += ", weak"
	}
	e.printf("     %s %s [%s]\n", ind.ID, ind.Name, strength)
	if c.Suppressed != "" {
		e.printf("       suppressed by policy (allow.people): %s, 0 points\n", c.Suppressed)
	} else {
		e.printf("       %g (%s weight) × %.2f × %.4f = %.2f points\n", c.Weight, c.WeightFrom, c.Confidence, c.Decay, c.Points)
	}
	if c.Finding.Summary != "" {
		e.printf("       %s\n", c.Finding.Summary)
	}
	if len(c.Finding.Related) > 0 {
		e.printf("       related: %s\n", strings.Join(c.Finding.Related, ", "))
	}
	for _, ev := range c.Finding.Evidence {
		where := fmt.Sprintf("%s %s record %d", ev.Source, ev.File, ev.Record)
		if ev.Line > 0 {
			where += fmt.Sprintf(" (line %d)", ev.Line)
		}
		if ev.ID != "" {
			where += " id " + ev.ID
		}
		e.printf("       - %s: %s\n", where, ev.Summary)
	}
}

func stageName(s detect.Stage) string {
	if s == "" {
		return "(no stage)"
	}
	return string(s)
}
