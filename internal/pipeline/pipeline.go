// Package pipeline runs rollcall's stages over a batch of inputs: read and
// normalise (internal/source), enrich, resolve identities, evaluate
// indicators, build the identity graph, score, and assemble the report.
// The streaming runner (JetStream) runs the same stages.
package pipeline

import (
	"context"
	"fmt"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/detect/list"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/graph"
	"github.com/rollcall/rollcall/internal/identity"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/profile"
	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/score"
	"github.com/rollcall/rollcall/internal/store"
)

// Options configure a scan.
type Options struct {
	Inputs []Input
	Policy *policy.Policy // nil: policy.Default()
	// Now is the evaluation time; zero means the end of the data.
	Now time.Time
	// Enricher, when set, is applied to every event (IP intelligence).
	Enricher func(*event.Event)
	// Indicators to evaluate; nil means every registered indicator.
	Indicators []detect.Indicator
	// Progress, when set, receives progress updates.
	Progress func(Progress)
	// Notes are added to the report (e.g. what is weaker without IP databases).
	Notes []string
	// Workers is how many indicators are evaluated at once; zero means
	// GOMAXPROCS. The report is the same for every value.
	Workers int
}

// Progress is one progress update.
type Progress struct {
	Stage   string // "reading", "analysing"
	File    string
	Records int // records read since the last update
	Done    bool
}

// Result is everything a scan produced.
type Result struct {
	Events   []*event.Event
	Pop      *profile.Population
	Findings []detect.Finding
	Clusters []graph.Cluster
	Scores   *score.Result
	Report   *report.Report
	Now      time.Time

	coverage []store.Coverage // Coverage's, once asked for
}

// Coverage is Coverage(r.Events), computed on the first call: serve reads
// it for the report's statistics and Persist saves it.
func (r *Result) Coverage() []store.Coverage {
	if r.coverage == nil {
		r.coverage = Coverage(r.Events)
	}
	return r.coverage
}

// Scan reads the inputs and analyses them.
func Scan(ctx context.Context, opts Options) (*Result, error) {
	if opts.Policy == nil {
		opts.Policy = policy.Default()
	}
	if opts.Indicators == nil {
		opts.Indicators = list.Indicators()
	}
	jobs, err := plan(opts.Inputs)
	if err != nil {
		return nil, err
	}
	var onRead func(string, int)
	if opts.Progress != nil {
		onRead = func(file string, n int) { opts.Progress(Progress{Stage: "reading", File: file, Records: n}) }
	}
	files, err := readAll(ctx, jobs, onRead)
	if err != nil {
		return nil, err
	}
	var ledger Ledger
	var events []*event.Event
	for i, f := range files {
		if f.err != nil {
			return nil, fmt.Errorf("%s: %w", jobs[i].path, f.err)
		}
		ledger.Add(f.FileResult)
		events = append(events, f.Events...)
	}
	if opts.Progress != nil {
		opts.Progress(Progress{Stage: "analysing"})
	}
	res, err := Analyse(ctx, events, opts)
	if err != nil {
		return nil, err
	}
	res.Report.Version = report.Version
	res.Report.Notes = append(res.Report.Notes, opts.Notes...)
	ledger.Stamp(res.Report)
	if opts.Progress != nil {
		opts.Progress(Progress{Done: true})
	}
	return res, nil
}

// Analyse runs every stage after reading over already-normalised events.
func Analyse(ctx context.Context, events []*event.Event, opts Options) (*Result, error) {
	return analyse(ctx, events, nil, opts, nil)
}

// analyse runs every stage after reading. With inc, an incremental
// analysis whose earlier state matches (same policy), fresh are the events
// the earlier analyses did not see, and only the people they touch are
// re-evaluated (incremental.go); otherwise every event is enriched and
// everyone is evaluated.
func analyse(ctx context.Context, events, fresh []*event.Event, opts Options, inc *Incremental) (*Result, error) {
	if opts.Policy == nil {
		opts.Policy = policy.Default()
	}
	if opts.Indicators == nil {
		opts.Indicators = list.Indicators()
	}
	step := inc.begin(events, fresh, opts.Policy)
	if opts.Enricher != nil {
		for _, e := range step.stamp {
			opts.Enricher(e)
		}
	}
	for _, e := range step.stamp {
		step.stamper.Stamp(e)
	}
	pop := identity.Resolve(events)
	profile.BuildIndexes(pop)
	scope := inc.scope(step, pop)
	profile.BuildFeatures(pop, opts.Policy, step.prevPop(), scope)
	now := opts.Now
	if now.IsZero() {
		now = dataEnd(pop, events)
	}
	in := &detect.Input{Pop: pop, Policy: opts.Policy, Now: now}
	lookup := func(id string) (detect.Indicator, bool) {
		for _, ind := range opts.Indicators {
			if ind.ID() == id {
				return ind, true
			}
		}
		return nil, false
	}

	var base, dependent []detect.Indicator
	for _, ind := range opts.Indicators {
		if _, ok := ind.(detect.ScoreDependent); ok {
			dependent = append(dependent, ind)
		} else {
			base = append(base, ind)
		}
	}
	inputs := inc.inputs(base, in, scope)
	out, err := run(ctx, base, func(i int) *detect.Input { return inputs[i] }, opts.Workers)
	if err != nil {
		return nil, err
	}
	findings := concat(inc.merge(base, inputs, out, pop))
	clusters := graph.Build(pop, opts.Policy, now)
	scores := score.Score(pop, findings, clusters, opts.Policy, lookup, now)
	if len(dependent) > 0 {
		in.Flagged = map[string]bool{}
		for id, ps := range scores.People {
			if ps.Flagged {
				in.Flagged[id] = true
			}
		}
		more, err := run(ctx, dependent, func(int) *detect.Input { return in }, opts.Workers)
		if err != nil {
			return nil, err
		}
		if extra := concat(more); len(extra) > 0 {
			findings = append(findings, extra...)
			scores = score.Score(pop, findings, clusters, opts.Policy, lookup, now)
		}
	}
	rep := assemble(pop, scores, clusters)
	rep.Notes = append(rep.Notes, opts.Policy.Stale(now)...)
	for _, f := range scores.Orphans {
		rep.Notes = append(rep.Notes, fmt.Sprintf("finding %s about unknown person %q was not scored (please report this)", f.Indicator, f.Person))
	}
	rep.Stats.Events = len(events)
	rep.Stats.RecordsRead = len(events)
	res := &Result{Events: events, Pop: pop, Findings: findings, Clusters: clusters, Scores: scores, Report: rep, Now: now}
	inc.end(step, res)
	return res, nil
}

// dataEnd is the latest event time: scans of old exports are evaluated as
// of the data, not the wall clock.
func dataEnd(pop *profile.Population, events []*event.Event) time.Time {
	end := pop.End
	for _, e := range events {
		if e.Time.After(end) {
			end = e.Time
		}
	}
	return end
}
