package server

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/rollcall/rollcall/internal/notify"
	"github.com/rollcall/rollcall/internal/pipeline"
	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/source"
	"github.com/rollcall/rollcall/internal/store"
)

// Analysis states.
const (
	StateIdle    = "idle"
	StateQueued  = "queued"
	StateRunning = "running"
	StateFailed  = "failed"
)

// Status is what the analysis worker is doing, for the UI's progress
// display and GET /api/v1/ingest/status.
type Status struct {
	State    string    `json:"state"`
	Stage    string    `json:"stage,omitempty"`
	Started  time.Time `json:"started,omitzero"`
	Finished time.Time `json:"finished,omitzero"`
	Runs     int       `json:"runs"`
	Error    string    `json:"error,omitempty"`
	Events   int       `json:"events"`
	People   int       `json:"people"`
	Flagged  int       `json:"flagged"`
}

// analyser reruns the analysis over every stored event whenever new
// events arrive or suppressions change. Runs are serialised; requests made
// while a run is going coalesce into one more run.
type analyser struct {
	s *Server

	mu        sync.Mutex
	cond      *sync.Cond
	status    Status
	requested int // analyses asked for
	completed int // the request count the last finished run covered
	pending   []source.Rejection
	skipped   []report.Skipped
	running   bool // the worker goroutine is started
	// progress is the running analysis's: the engine bumps its counters,
	// snapshot reads them into the status's stage.
	progress *pipeline.Progress

	kick chan struct{}
	wg   sync.WaitGroup
}

func newAnalyser(s *Server) *analyser {
	a := &analyser{s: s, kick: make(chan struct{}, 1), status: Status{State: StateIdle}}
	a.cond = sync.NewCond(&a.mu)
	return a
}

// start runs the worker until ctx ends. Starting twice does nothing.
func (a *analyser) start(ctx context.Context) {
	a.mu.Lock()
	if a.running {
		a.mu.Unlock()
		return
	}
	a.running = true
	a.mu.Unlock()
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		for {
			select {
			case <-ctx.Done():
				a.mu.Lock()
				a.running = false
				a.cond.Broadcast()
				a.mu.Unlock()
				return
			case <-a.kick:
				a.runOnce(ctx)
			}
		}
	}()
}

// wait waits for the worker to stop.
func (a *analyser) wait() { a.wg.Wait() }

// request asks for an analysis and returns the request's number.
func (a *analyser) request() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.requested++
	if a.status.State != StateRunning {
		a.status.State = StateQueued
	}
	// Kicked under the lock, so that a run that starts covers exactly the
	// requests whose kicks it takes (runOnce).
	select {
	case a.kick <- struct{}{}:
	default: // a run is already queued; it will cover this request
	}
	return a.requested
}

// waitFor waits until the analysis request n (or a later one) finished,
// the worker stopped, or ctx ended.
func (a *analyser) waitFor(ctx context.Context, n int) error {
	stop := context.AfterFunc(ctx, func() {
		a.mu.Lock()
		a.cond.Broadcast()
		a.mu.Unlock()
	})
	defer stop()
	a.mu.Lock()
	defer a.mu.Unlock()
	for a.completed < n {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !a.running {
			return errors.New("analysis worker is not running")
		}
		a.cond.Wait()
	}
	if a.status.State == StateFailed {
		return fmt.Errorf("analysis failed: %s", a.status.Error)
	}
	return nil
}

// snapshot returns the current status; while the engine runs, its stage
// says which step it is in and how far it has got.
func (a *analyser) snapshot() Status {
	a.mu.Lock()
	defer a.mu.Unlock()
	st := a.status
	if st.State == StateRunning && st.Stage == stageAnalysing && a.progress != nil {
		st.Stage = engineStage(st.Stage, a.progress.Snapshot())
	}
	return st
}

// stageAnalysing is the status's stage while the engine runs.
const stageAnalysing = "analysing"

// engineStage is stage with the engine's step and, when it has a total,
// its percentage: "analysing: profiling 40%".
func engineStage(stage string, p pipeline.ProgressSnapshot) string {
	if p.Stage == "" {
		return stage
	}
	stage += ": " + p.Stage
	if p.Total > 0 {
		stage += " " + strconv.FormatInt(min(p.Done, p.Total)*100/p.Total, 10) + "%"
	}
	return stage
}

func (a *analyser) setStage(stage string) {
	a.mu.Lock()
	a.status.Stage = stage
	a.mu.Unlock()
}

// addRejected remembers rejected records and skipped files of an ingest
// until the next analysis puts them in the report.
func (a *analyser) addRejected(rej []source.Rejection, skipped []report.Skipped) {
	a.mu.Lock()
	a.pending = append(a.pending, rej...)
	a.skipped = append(a.skipped, skipped...)
	a.mu.Unlock()
}

func (a *analyser) runOnce(ctx context.Context) {
	a.mu.Lock()
	covers := a.requested
	// This run covers every request so far: a kick one of them left
	// queued would only start a second run over the same data (and show
	// "running" to a caller whose request this run answers).
	select {
	case <-a.kick:
	default:
	}
	rej, skipped := a.pending, a.skipped
	a.pending, a.skipped = nil, nil
	a.status.State, a.status.Stage, a.status.Started, a.status.Error = StateRunning, "loading events", a.s.now(), ""
	prog := new(pipeline.Progress)
	a.progress = prog
	a.mu.Unlock()

	start := time.Now()
	rep, logins, err := a.s.analyse(ctx, rej, skipped, a.setStage, prog)
	a.s.metrics.analysisTime.Observe(time.Since(start).Seconds())
	a.finish(covers, rep, rej, skipped, err)
	if err == nil {
		// After the run is marked done, so that waiters do not wait
		// for receivers; before the next run, so announcements keep
		// the order of the analyses.
		a.s.announce(ctx, rep, logins)
	}
}

// finish records the end of the run that covered request covers.
func (a *analyser) finish(covers int, rep *report.Report, rej []source.Rejection, skipped []report.Skipped, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.progress = nil
	a.status.Runs++
	a.status.Finished, a.status.Stage = a.s.now(), ""
	if err != nil {
		a.s.metrics.analyses.WithLabelValues("error").Inc()
		a.s.log.Error("analysis", "err", err)
		a.status.State, a.status.Error = StateFailed, err.Error()
		a.pending = append(rej, a.pending...) // keep them for the next run
		a.skipped = append(skipped, a.skipped...)
	} else {
		a.s.metrics.analyses.WithLabelValues("ok").Inc()
		a.status.State = StateIdle
		a.status.Events, a.status.People, a.status.Flagged = rep.Stats.Events, len(rep.People), 0
		for _, p := range rep.People {
			if p.Flagged {
				a.status.Flagged++
			}
		}
	}
	if a.requested > covers {
		a.status.State = StateQueued
	}
	a.completed = covers
	a.cond.Broadcast()
}

// analyse runs the engine over every stored event (kept between runs in
// s.state, which reads only what was saved since and analyses
// incrementally), with active
// suppressions added to the policy's allow-list, and persists the results,
// the event owners, the finding marks and the source coverage.
func (s *Server) analyse(ctx context.Context, rej []source.Rejection, skipped []report.Skipped, stage func(string), prog *pipeline.Progress) (*report.Report, map[string]string, error) {
	count, err := s.cfg.Store.EventCount(ctx)
	if err != nil {
		return nil, nil, err
	}
	if _, err := s.state.Load(ctx, count); err != nil {
		return nil, nil, err
	}
	events := s.state.Events()
	prev, err := s.savedReport(ctx)
	if errors.Is(err, store.ErrNotFound) {
		prev, err = &report.Report{}, nil
	}
	if err != nil {
		return nil, nil, err
	}
	pol, err := pipeline.WithSuppressions(ctx, s.cfg.Policy, s.cfg.Work, s.now())
	if err != nil {
		return nil, nil, err
	}
	stage(stageAnalysing)
	// The kept state enriched its events when it took them in, and
	// re-evaluates only the people its new events touch (everyone when the
	// policy or the suppressions changed), as the worker does.
	res, err := s.state.Analyse(ctx, pipeline.Options{Policy: pol, Progress: prog})
	if err != nil {
		return nil, nil, err
	}
	rep := res.Report
	rep.Version = report.Version
	rep.Notes = slices.Clone(s.cfg.Notes)
	rep.Rejected = dedupRejections(append(slices.Clone(prev.Rejected), rej...))
	rep.SkippedFiles = dedupSkipped(append(slices.Clone(prev.SkippedFiles), skipped...))
	rep.Stats.RecordsRejected = len(rep.Rejected)
	rep.Stats.RecordsRead = rep.Stats.Events + rep.Stats.RecordsRejected
	rep.Stats.BySource = map[string]int{}
	for _, c := range res.Coverage() {
		rep.Stats.BySource[c.Source] = c.Events
		rep.Stats.Files += c.Files
	}

	stage("saving results")
	if err := s.state.Persist(ctx, res, s.now()); err != nil {
		return nil, nil, err
	}
	s.metrics.events.Set(float64(len(events)))
	levels := map[string]int{"none": 0, "low": 0, "medium": 0, "high": 0, "critical": 0}
	for _, p := range rep.People {
		levels[p.Level]++
	}
	for l, n := range levels {
		s.metrics.people.WithLabelValues(l).Set(float64(n))
	}
	var logins map[string]string
	if s.cfg.Notifier != nil {
		logins = notify.Logins(res.Pop)
	}
	return rep, logins, nil
}

// announce tells the notify receivers about the level changes of an
// analysis. Their failures are logged (counts and names, never secrets);
// undelivered messages are in the notifier's dead-letter file.
func (s *Server) announce(ctx context.Context, rep *report.Report, logins map[string]string) {
	if s.cfg.Notifier == nil {
		return
	}
	sum, err := s.cfg.Notifier.Run(ctx, notify.Input{Report: rep, Logins: logins, Now: s.now()})
	notify.Log(s.log, sum, err)
}

func dedupRejections(in []source.Rejection) []source.Rejection {
	seen := map[source.Rejection]bool{}
	out := make([]source.Rejection, 0, len(in))
	for _, r := range in {
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b source.Rejection) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Record, b.Record), cmp.Compare(a.Line, b.Line))
	})
	return out
}

func dedupSkipped(in []report.Skipped) []report.Skipped {
	seen := map[report.Skipped]bool{}
	out := make([]report.Skipped, 0, len(in))
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
