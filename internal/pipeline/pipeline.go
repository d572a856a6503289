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
	// Progress, when set, is kept up to date as the scan goes (stage,
	// bytes read of the total, people profiled, indicators evaluated), for
	// a display to sample.
	Progress *Progress
	// Notes are added to the report (e.g. what is weaker without IP databases).
	Notes []string
	// Workers is how many indicators are evaluated at once; zero means
	// GOMAXPROCS. The report is the same for every value.
	Workers int
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
	files, err := readAll(ctx, jobs, opts.Progress)
	if err != nil {
		return nil, err
	}
	var ledger Ledger
	n := 0
	for _, f := range files {
		n += len(f.Events)
	}
	events := make([]*event.Event, 0, n)
	for i := range files {
		f := &files[i]
		if f.err != nil {
			return nil, fmt.Errorf("%s: %w", jobs[i].path, f.err)
		}
		ledger.Add(f.FileResult)
		events = append(events, f.Events...)
		f.Events = nil // one list of the events during the analysis, not two
	}
	res, err := Analyse(ctx, events, opts)
	if err != nil {
		return nil, err
	}
	res.Report.Version = report.Version
	res.Report.Notes = append(res.Report.Notes, opts.Notes...)
	ledger.Stamp(res.Report)
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
	prog := opts.Progress
	if opts.Enricher != nil {
		prog.Begin("looking up IP addresses", UnitEvents, int64(len(step.stamp)))
		eachCounted(step.stamp, prog, opts.Enricher)
	}
	prog.Begin("enriching", UnitEvents, int64(len(step.stamp)))
	eachCounted(step.stamp, prog, step.stamper.Stamp)
	prog.Begin("resolving identities", UnitItems, 0)
	pop := inc.resolve(step, events) // and the population indexes
	scope := inc.scope(step, pop)
	var onPerson func()
	if prog != nil {
		onPerson = func() { prog.Add(1) }
		prog.Begin("profiling", UnitPeople, int64(toProfile(pop, step.prevPop(), scope)))
	}
	profile.BuildFeatures(pop, opts.Policy, step.prevPop(), scope, onPerson)
	// Entity resolution over the people, once: the graph and the
	// applicant indicators read it from the population.
	prog.Begin("linking", UnitItems, 0)
	linked, err := inc.link(ctx, step, pop, opts.Policy)
	if err != nil {
		return nil, err
	}
	pop.Linked = linked
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
	prog.Begin("indicators", UnitItems, int64(len(base)))
	out, err := run(ctx, base, func(i int) *detect.Input { return inputs[i] }, opts.Workers, prog)
	if err != nil {
		return nil, err
	}
	findings := concat(inc.merge(base, inputs, out, pop))
	prog.Begin("graph", UnitItems, 0)
	clusters := graph.Build(pop, opts.Policy, now, graphLinks(findings)...)
	prog.Begin("scoring", UnitItems, 0)
	scores := score.Score(pop, findings, clusters, opts.Policy, lookup, now)
	if len(dependent) > 0 {
		in.Flagged = map[string]bool{}
		for id, ps := range scores.People {
			if ps.Flagged {
				in.Flagged[id] = true
			}
		}
		prog.Begin("indicators that read the scores", UnitItems, int64(len(dependent)))
		more, err := run(ctx, dependent, func(int) *detect.Input { return in }, opts.Workers, prog)
		if err != nil {
			return nil, err
		}
		if extra := concat(more); len(extra) > 0 {
			findings = append(findings, extra...)
			scores = score.Score(pop, findings, clusters, opts.Policy, lookup, now)
		}
	}
	prog.Begin("report", UnitItems, 0)
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

// eachCounted applies f to every event, counting them on prog in batches
// (one atomic add per 4,096 events).
func eachCounted(events []*event.Event, prog *Progress, f func(*event.Event)) {
	const batch = 4096
	for i, e := range events {
		f(e)
		if (i+1)%batch == 0 {
			prog.Add(batch)
		}
	}
	prog.Add(int64(len(events) % batch))
}

// toProfile is how many people BuildFeatures will profile: those in
// scope and those prev does not know (everyone when either is nil).
func toProfile(pop, prev *profile.Population, scope map[string]bool) int {
	if scope == nil || prev == nil {
		return len(pop.People)
	}
	n := 0
	for _, p := range pop.People {
		if scope[p.ID] || prev.Person(p.ID) == nil {
			n++
		}
	}
	return n
}
