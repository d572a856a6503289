package stream

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/pipeline"
	"github.com/rollcall/rollcall/internal/report"
)

// stateKind is the notes-bucket kind of bookkeeping keys, which are not
// notes: <tenant>.state.analysed holds what the last analysis saw.
const stateKind = "state"

// analyser keeps the tenant's results up to date: after new events are
// committed, and every RecheckInterval in case the worker that committed
// them died before analysing, it runs the engine over the tenant's events
// and persists the results. A lease in the locks bucket makes the analyses
// of all workers of a tenant take turns; an analysis that finds the
// events, notes and active suppressions unchanged since the last saved one
// skips the work.
//
// Scheduling: an analysis is due once events are committed (by any of the
// worker's savers). It starts AnalyseDelay after it became due, to take in
// the batches committed with the first one, but never sooner than
// AnalyseInterval after the previous analysis ended: a committed batch is
// analysed as soon as the previous analysis allows, and a busy stream
// makes the worker analyse at most D/(D+AnalyseInterval) of the time (D
// the analysis's duration), never back to back. An event thus waits at
// most for the end of the analysis running when it was committed, plus
// max(AnalyseDelay, AnalyseInterval), plus its own analysis.
//
// The analysed state is kept between analyses (pipeline.State): the
// events this worker committed are handed to it directly, an analysis
// reads only the events other workers saved since the last one,
// re-evaluates only the people they touch (pipeline.Incremental), and
// saves only the event owners that changed.
type analyser struct {
	w     *Worker
	ran   bool      // this process has saved results once (its first analysis never skips)
	ended time.Time // when the last analysis ended
	state pipeline.State
}

func (w *Worker) markDirty() {
	select {
	case w.dirty <- struct{}{}:
	default:
	}
}

func (a *analyser) loop(ctx context.Context) {
	w := a.w
	w.markDirty() // analyse once at start: a new policy re-scores the stored events
	recheck := time.NewTicker(w.opts.RecheckInterval)
	defer recheck.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-w.dirty:
		case <-recheck.C:
		}
		if !sleep(ctx, a.wait()) {
			return
		}
		select { // the run below covers what was committed meanwhile
		case <-w.dirty:
		default:
		}
		err := a.once(ctx)
		a.ended = time.Now()
		if err != nil && ctx.Err() == nil {
			w.log.Warn("analysis failed; it will be retried", "err", err)
			w.markDirty()
		} else if !a.state.Current() {
			w.markDirty() // the state lagged the store: catch up soon
		}
	}
}

// wait is how long a due analysis waits before it starts: AnalyseDelay,
// and at least until AnalyseInterval after the previous one ended.
func (a *analyser) wait() time.Duration {
	return max(a.w.opts.AnalyseDelay, time.Until(a.ended.Add(a.w.opts.AnalyseInterval)))
}

// final brings the results up to date before the worker exits.
func (a *analyser) final(ctx context.Context) error {
	// Nothing is being stored any more: a state that still lags the
	// store (a late commit the incremental load missed) reads everything
	// again on the second run.
	for range 2 {
		if err := a.once(ctx); err != nil {
			return fmt.Errorf("final analysis: %w", err)
		}
		if a.state.Current() {
			break
		}
	}
	return nil
}

// once runs one analysis under the tenant's lease.
func (a *analyser) once(ctx context.Context) error {
	w := a.w
	tenant := w.opts.Tenant
	st := w.opts.Store
	l, err := acquireLease(ctx, w.locks, tenant, w.owner, w.leaseTTL)
	if err != nil {
		return err
	}
	defer l.release()
	ctx = l.ctx
	start := time.Now()
	cpu := processCPU()
	// The events this worker committed are taken before the store is
	// counted, so that the state never holds more than the count.
	handed := a.state.Add(w.committed.take())
	count, err := st.EventCount(ctx)
	if err != nil {
		return fmt.Errorf("counting events: %w", err)
	}
	notes, err := w.loadNotes(ctx)
	if err != nil {
		return err
	}
	pol, err := pipeline.WithSuppressions(ctx, w.opts.Analysis.Policy, st, time.Now())
	if err != nil {
		return err
	}
	marker := strconv.Itoa(count) + "/" + strconv.Itoa(len(notes)) + "/" + strconv.Itoa(len(pol.Allow.People))
	stateKey := tenant + "." + stateKind + ".analysed"
	if a.ran {
		if e, err := w.notes.Get(ctx, stateKey); err == nil && string(e.Value()) == marker {
			w.m.Analyses.WithLabelValues(tenant, "skipped").Inc()
			return nil
		}
	}
	loaded, err := a.state.Load(ctx, count)
	if err != nil {
		return err
	}
	loadTook := time.Since(start)
	opts := w.opts.Analysis
	opts.Policy, opts.Enricher = pol, nil // events were enriched when taken in
	res, err := a.state.Analyse(ctx, opts)
	if err != nil {
		w.m.Analyses.WithLabelValues(tenant, "failed").Inc()
		return fmt.Errorf("analysing: %w", err)
	}
	rep := assembleReport(res, notes, w.opts.Analysis.Notes)
	analyseTook := time.Since(start) - loadTook
	evaluated := len(res.Pop.People)
	if scope, ok := a.state.Evaluated(); ok {
		evaluated = len(scope)
	}
	if err := a.state.Persist(ctx, res, time.Now()); err != nil {
		return err
	}
	saved := a.state.Saved()
	// An analysis of a state behind the store is not recorded as done, so
	// that the next check analyses again.
	if a.state.Current() {
		if _, err := w.notes.Put(ctx, stateKey, []byte(marker)); err != nil {
			return fmt.Errorf("recording the analysis: %w", err)
		}
	}
	a.ran = true
	took := time.Since(start)
	w.counts.analyses.Add(1)
	w.m.Analyses.WithLabelValues(tenant, "saved").Inc()
	w.m.AnalysisSecs.WithLabelValues(tenant).Observe(took.Seconds())
	w.m.AnalysedEvents.WithLabelValues(tenant).Set(float64(len(res.Events)))
	w.m.AnalysedPeople.WithLabelValues(tenant).Set(float64(len(rep.People)))
	w.m.LastAnalysis.WithLabelValues(tenant).SetToCurrentTime()
	w.log.Info("analysis saved", "events", len(res.Events), "handed", handed, "loaded", loaded, "rejected", len(rep.Rejected),
		"people", len(rep.People), "evaluated", evaluated, "clusters", len(rep.Clusters), "load_took", loadTook.Round(time.Millisecond).String(),
		"analyse_took", analyseTook.Round(time.Millisecond).String(),
		"people_saved", saved.People, "clusters_saved", saved.Clusters, "owners_saved", saved.Owners, "whole", saved.Whole,
		"took", took.Round(time.Millisecond).String(), "process_cpu", (processCPU() - cpu).Round(time.Millisecond).String())
	if w.opts.AfterAnalysis != nil {
		w.opts.AfterAnalysis(ctx, rep, res)
	}
	return nil
}

// loadNotes reads every note of the tenant.
func (w *Worker) loadNotes(ctx context.Context) ([]note, error) {
	kw, err := w.notes.Watch(ctx, w.opts.Tenant+".>", jetstream.IgnoreDeletes())
	if err != nil {
		return nil, fmt.Errorf("reading notes: %w", err)
	}
	defer kw.Stop()
	var notes []note
	for {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case e := <-kw.Updates():
			if e == nil { // the initial values are all in
				return notes, nil
			}
			var n note
			if err := json.Unmarshal(e.Value(), &n); err != nil || n.Kind == stateKind {
				continue // bookkeeping, or not a note
			}
			notes = append(notes, n)
		}
	}
}

// assembleReport completes the analysis of stored events into the report
// a scan of the same inputs makes: rejected records, skipped files and
// read statistics come from the notes, in the order they were published
// (the order a scan reads the same inputs in).
func assembleReport(res *pipeline.Result, notes []note, extra []string) *report.Report {
	rep := res.Report
	rep.Version = report.Version
	rep.Notes = append(rep.Notes, extra...)
	slices.SortStableFunc(notes, func(a, b note) int {
		return cmp.Or(cmp.Compare(a.Seq, b.Seq), cmp.Compare(a.File, b.File), cmp.Compare(noteOrder(a), noteOrder(b)))
	})
	rep.Rejected, rep.SkippedFiles = nil, nil
	files := 0
	for _, n := range notes {
		switch {
		case n.Kind == KindRejection && n.Rejection != nil:
			rep.Rejected = append(rep.Rejected, *n.Rejection)
		case n.Kind == KindSkipped && n.Skipped != nil:
			rep.SkippedFiles = append(rep.SkippedFiles, *n.Skipped)
		case n.Kind == KindFile:
			files++
		}
	}
	rep.Stats.Files = files
	rep.Stats.RecordsRejected = len(rep.Rejected)
	rep.Stats.RecordsRead = len(res.Events) + len(rep.Rejected)
	rep.Stats.BySource = bySource(res.Events)
	return rep
}

// noteOrder orders a file's notes as a scan reports them: its records in
// order, then a failure of the file as a whole (record 0).
func noteOrder(n note) int {
	if n.Rejection == nil {
		return 0
	}
	if n.Rejection.Record == 0 {
		return math.MaxInt
	}
	return n.Rejection.Record
}

func bySource(events []*event.Event) map[string]int {
	m := map[string]int{}
	for _, e := range events {
		m[e.Prov.Source()]++
	}
	return m
}

// lease is a tenant's analysis lease: a key in the locks bucket that only
// one worker can create, renewed while held, and expiring with the
// bucket's TTL when its holder dies.
type lease struct {
	kv     jetstream.KeyValue
	key    string
	ctx    context.Context // ends when the lease is lost or released
	cancel context.CancelFunc
	done   chan struct{}
	rev    uint64
}

// acquireLease waits until it holds the tenant's lease, or ctx ends.
func acquireLease(ctx context.Context, kv jetstream.KeyValue, tenant, owner string, ttl time.Duration) (*lease, error) {
	key := tenant + ".analysis"
	for attempt := 0; ; attempt++ {
		rev, err := kv.Create(ctx, key, []byte(owner))
		if err == nil {
			l := &lease{kv: kv, key: key, rev: rev, done: make(chan struct{})}
			l.ctx, l.cancel = context.WithCancel(ctx)
			go l.renew(owner, ttl/3)
			return l, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		wait := 200*time.Millisecond + rand.N(300*time.Millisecond)
		if !errors.Is(err, jetstream.ErrKeyExists) {
			wait = backoff(attempt)
		}
		if !sleep(ctx, wait) {
			return nil, ctx.Err()
		}
	}
}

func (l *lease) renew(owner string, every time.Duration) {
	defer close(l.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-l.ctx.Done():
			return
		case <-t.C:
			rev, err := l.kv.Update(l.ctx, l.key, []byte(owner), l.rev)
			if err != nil {
				l.cancel() // lost (or unreachable): stop the work it guards
				return
			}
			l.rev = rev
		}
	}
}

// release gives the lease up.
func (l *lease) release() {
	l.cancel()
	<-l.done
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = l.kv.Delete(ctx, l.key, jetstream.LastRevision(l.rev))
}
