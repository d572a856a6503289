package server

import (
	"math"
	"strconv"

	"github.com/rollcall/rollcall/internal/report"
)

// The score waterfall of a person page: how the score was built, step by
// step, as internal/score builds it. Each indicator adds its points
// (weight × confidence × diminishing returns); stages are then combined
// so that overlapping evidence does not add twice (each stage capped at
// 100, combined as 100·(1−∏(1−stage/100))); the corroboration rule may hold
// the score down; membership of a cell may add a bonus. It is drawn as SVG
// on the server: bars are attributes, never inline styles (the CSP).

// Waterfall geometry, in SVG user units.
const (
	wfLabelW = 360.0 // the label column
	wfBarW   = 640.0 // the bar area
	wfValueW = 70.0  // the value column
	wfRowH   = 22.0
	wfBarH   = 14.0
	wfMaxRow = 24 // indicators shown; the rest are summed in one row
)

type waterfall struct {
	Width, Height float64
	Rows          []wfRow
	Ticks         []wfTick
	AxisY         float64
}

type wfRow struct {
	Label, Title, Value string
	Class               string // "add stage-<stage>", "drop", "bonus", "total"
	X, W, Y, TextY      string
	ValueX              string
}

type wfTick struct {
	X, Label string
	Class    string // "first" and "last" are anchored so that they are not cut
}

// scoreWaterfall lays out p's score. It returns nil for a person without
// points (nothing to explain).
func scoreWaterfall(p *report.Person) *waterfall {
	type step struct {
		label, title, class string
		from, to            float64
		value               string
	}
	var steps []step
	run := 0.0
	stages := map[string]float64{}
	var order []string
	shown := 0
	rest, restN := 0.0, 0
	for _, ind := range p.Indicators {
		if ind.Points <= 0 || ind.Suppressed != "" {
			continue
		}
		if _, ok := stages[ind.Stage]; !ok {
			order = append(order, ind.Stage)
		}
		stages[ind.Stage] += ind.Points
		if shown == wfMaxRow {
			rest += ind.Points
			restN++
			continue
		}
		shown++
		name := ind.ID
		if ind.Name != "" {
			name += " " + ind.Name
		}
		steps = append(steps, step{label: cut(name, 46), title: plain(name) + " (" + plain(ind.Stage) + ")",
			class: "add stage-" + stageClass(ind.Stage), from: run, to: run + ind.Points, value: "+" + f1(ind.Points)})
		run += ind.Points
	}
	if restN > 0 {
		steps = append(steps, step{label: strconv.Itoa(restN) + " more indicators", title: "the smaller contributions, summed",
			class: "add", from: run, to: run + rest, value: "+" + f1(rest)})
		run += rest
	}
	if len(steps) == 0 && p.ClusterBonus == 0 {
		return nil
	}
	keep := 1.0
	for _, st := range order {
		keep *= 1 - math.Min(stages[st], 100)/100
	}
	combined := 100 * (1 - keep)
	if run-combined >= 0.05 {
		steps = append(steps, step{label: "stages combined, not added", title: "each stage counts at most 100, and stages combine as 100·(1−∏(1−stage/100)), so that overlapping evidence does not add twice",
			class: "drop", from: combined, to: run, value: "−" + f1(run-combined)})
	}
	base := combined
	if p.Capped != "" {
		if held := float64(p.Score) - p.ClusterBonus; held < combined-0.05 {
			steps = append(steps, step{label: "held by the corroboration rule", title: plain(p.Capped),
				class: "drop", from: held, to: combined, value: "−" + f1(combined-held)})
			base = held
		}
	}
	if p.ClusterBonus > 0 {
		steps = append(steps, step{label: "cell " + cut(p.Cluster, 20) + " bonus", title: "membership of a cell with evidence against its members",
			class: "bonus", from: base, to: base + p.ClusterBonus, value: "+" + f1(p.ClusterBonus)})
	}
	steps = append(steps, step{label: "score", title: "the score, rounded; its level is " + plain(p.Level), class: "total", from: 0, to: float64(p.Score),
		value: strconv.Itoa(p.Score)})

	top := 100.0
	for _, s := range steps {
		top = math.Max(top, s.to)
	}
	scale := wfBarW / top
	w := &waterfall{Width: wfLabelW + wfBarW + wfValueW, Height: float64(len(steps))*wfRowH + 20}
	for i, s := range steps {
		y := float64(i) * wfRowH
		w.Rows = append(w.Rows, wfRow{Label: s.label, Title: s.title, Value: s.value, Class: s.class,
			X: coord(wfLabelW + s.from*scale), W: coord(math.Max(0.5, (s.to-s.from)*scale)), Y: coord(y + (wfRowH-wfBarH)/2),
			TextY: coord(y + wfRowH/2 + 4), ValueX: coord(wfLabelW + wfBarW + 6)})
	}
	w.AxisY = float64(len(steps)) * wfRowH
	for v := 0.0; v <= top+0.01; v += tickStep(top) {
		w.Ticks = append(w.Ticks, wfTick{X: coord(wfLabelW + v*scale), Label: strconv.Itoa(int(v))})
	}
	anchorEnds(w.Ticks)
	return w
}

func tickStep(top float64) float64 {
	if top <= 100 {
		return 25
	}
	return 50
}

func f1(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// stageClass is a lifecycle stage as a CSS class suffix.
func stageClass(stage string) string {
	switch stage {
	case "hiring", "onboarding", "identity", "endpoint", "network", "code", "payroll", "offboarding":
		return stage
	}
	return "other"
}

// anchorEnds marks the first and last ticks of an axis, whose labels are
// anchored inwards so that the edge of the picture does not cut them.
func anchorEnds(ticks []wfTick) {
	if len(ticks) > 1 {
		ticks[0].Class, ticks[len(ticks)-1].Class = "first", "last"
	}
}
