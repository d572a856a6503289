package stream

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nuid"

	"github.com/rollcall/rollcall/internal/pipeline"
	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/source"
	"github.com/rollcall/rollcall/internal/source/list"
	"github.com/rollcall/rollcall/internal/store"
)

// WorkerOptions configure a Worker. Zero values take the defaults below.
type WorkerOptions struct {
	Topology Topology
	Tenant   string // empty means "default"
	// Partitions to consume; nil means every partition of the stream.
	Partitions []int
	// Store is the tenant's store (opened with the same tenant).
	Store store.Store
	// Analysis configures the analysis (policy, IP enrichment, indicators,
	// notes); its Inputs and Progress are not used. Analysis.Workers
	// defaults to GOMAXPROCS-1 (at least 1): a core stays with the savers.
	Analysis pipeline.Options

	BatchSize     int           // messages committed in one transaction (1000)
	BatchWait     time.Duration // longest wait to fill a batch (100ms)
	Savers        int           // batches decoded and committed at once (4)
	AckWait       time.Duration // redelivery after this long without an ack (30s)
	MaxAckPending int           // unacknowledged messages per partition (4 × BatchSize)
	// MaxDeliver is how many deliveries of a record may fail before it is
	// dead-lettered (5). The consumers themselves redeliver without limit,
	// so that a worker crash or a database outage never drops a record.
	MaxDeliver int
	RetryDelay time.Duration // redelivery delay after a failure, times the delivery count (1s)

	// AnalyseDelay is how long after events are committed the analysis
	// waits, to take in the batches committed with them (1s); negative
	// turns analysis off in this worker.
	AnalyseDelay time.Duration
	// AnalyseInterval is the least rest between the end of one analysis
	// and the start of the next (2s): a busy stream is analysed again and
	// again, but never back to back.
	AnalyseInterval time.Duration
	// RecheckInterval is how often the worker checks whether the stored
	// events changed since the last analysis, in case the worker that
	// stored them died before analysing (1m).
	RecheckInterval time.Duration
	// ExitWhenIdle makes Run return once the partitions are drained and
	// the analysis is up to date, instead of waiting for more records.
	ExitWhenIdle bool
	// AfterAnalysis, when set, is called with each saved analysis's report
	// and result, while the analysis lease is held (rollcall worker
	// --notify announces level changes there).
	AfterAnalysis func(ctx context.Context, rep *report.Report, res *pipeline.Result)

	Logger      *slog.Logger    // nil: slog.Default()
	Metrics     *Metrics        // nil: unregistered metrics
	LogInterval time.Duration   // progress log period (10s)
	Formats     []source.Format // adapters; nil means list.Formats()
}

func (o *WorkerOptions) defaults() {
	if o.Tenant == "" {
		o.Tenant = store.DefaultTenant
	}
	o.BatchSize = cmpOr(o.BatchSize, 1000)
	o.BatchWait = cmpOr(o.BatchWait, 100*time.Millisecond)
	o.Savers = cmpOr(o.Savers, 4)
	o.AckWait = cmpOr(o.AckWait, 30*time.Second)
	o.MaxAckPending = cmpOr(o.MaxAckPending, 4*o.BatchSize)
	o.MaxDeliver = cmpOr(o.MaxDeliver, 5)
	o.RetryDelay = cmpOr(o.RetryDelay, time.Second)
	if o.AnalyseDelay == 0 {
		o.AnalyseDelay = time.Second
	}
	o.AnalyseInterval = cmpOr(o.AnalyseInterval, 2*time.Second)
	o.RecheckInterval = cmpOr(o.RecheckInterval, time.Minute)
	o.LogInterval = cmpOr(o.LogInterval, 10*time.Second)
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Metrics == nil {
		o.Metrics = NewMetrics(nil)
	}
	if o.Formats == nil {
		o.Formats = list.Formats()
	}
	if o.Analysis.Workers == 0 {
		// Leave a core to the savers, so that an analysis does not hold
		// up acknowledgements (and cause redeliveries).
		o.Analysis.Workers = max(1, runtime.GOMAXPROCS(0)-1)
	}
}

// WorkerStats counts what a worker did since it started.
type WorkerStats struct {
	Received, Processed, Rejected, DeadLettered, Notes, Retried int64
	Inserted, AlreadyStored                                     int64
	Analyses                                                    int64
}

// Worker consumes a tenant's partitions: it decodes records with the
// adapters, stores their events, acknowledges them once committed, and
// keeps the tenant's analysis results up to date.
type Worker struct {
	opts  WorkerOptions
	topo  Topology
	js    jetstream.JetStream
	notes jetstream.KeyValue
	locks jetstream.KeyValue
	dec   *decoder
	log   *slog.Logger
	m     *Metrics
	owner string
	// leaseTTL is the locks bucket's TTL, which the lease is renewed
	// within.
	leaseTTL time.Duration
	cons     []jetstream.Consumer
	in       chan jetstream.Msg
	busy     atomic.Int32
	held     heldMsgs
	dirty    chan struct{}
	// committed are the events this worker stored since its analyser
	// last took them (nil when it does not analyse).
	committed *committedEvents
	counts    struct {
		received, processed, rejected, dead, notes, retried, inserted, stored, analyses atomic.Int64
	}
}

// NewWorker connects the worker's consumers, creating the stream, the
// buckets and the durable consumers when they do not exist.
func NewWorker(ctx context.Context, nc *nats.Conn, opts WorkerOptions) (*Worker, error) {
	opts.defaults()
	if opts.Store == nil {
		return nil, errors.New("worker: no store")
	}
	if err := ValidTenant(opts.Tenant); err != nil {
		return nil, err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, fmt.Errorf("jetstream: %w", err)
	}
	topo, err := Ensure(ctx, js, opts.Topology)
	if err != nil {
		return nil, err
	}
	w := &Worker{opts: opts, topo: topo, js: js, dec: newDecoder(opts.Formats), m: opts.Metrics,
		owner: nuid.Next(), in: make(chan jetstream.Msg, opts.BatchSize), dirty: make(chan struct{}, 1)}
	if opts.AnalyseDelay >= 0 {
		w.committed = new(committedEvents)
	}
	w.log = opts.Logger.With("tenant", opts.Tenant, "stream", topo.Stream)
	if w.notes, err = js.KeyValue(ctx, topo.NotesBucket()); err != nil {
		return nil, fmt.Errorf("bucket %q: %w", topo.NotesBucket(), err)
	}
	if w.locks, err = js.KeyValue(ctx, topo.LocksBucket()); err != nil {
		return nil, fmt.Errorf("bucket %q: %w", topo.LocksBucket(), err)
	}
	status, err := w.locks.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("bucket %q: %w", topo.LocksBucket(), err)
	}
	if w.leaseTTL = status.TTL(); w.leaseTTL <= 0 {
		return nil, fmt.Errorf("bucket %q has no TTL, so a lease of a dead worker would never expire; delete it to have it made again", topo.LocksBucket())
	}
	parts := opts.Partitions
	if parts == nil {
		for p := range topo.Partitions {
			parts = append(parts, p)
		}
	}
	for _, p := range slices.Compact(slices.Sorted(slices.Values(parts))) {
		if p < 0 || p >= topo.Partitions {
			return nil, fmt.Errorf("partition %d: stream %q has partitions 0 to %d", p, topo.Stream, topo.Partitions-1)
		}
		c, err := w.consumer(ctx, p)
		if err != nil {
			return nil, err
		}
		w.cons = append(w.cons, c)
	}
	return w, nil
}

// consumer creates (or updates to these settings) one partition's durable
// pull consumer.
func (w *Worker) consumer(ctx context.Context, p int) (jetstream.Consumer, error) {
	name := w.topo.Consumer(w.opts.Tenant, p)
	c, err := w.js.CreateOrUpdateConsumer(ctx, w.topo.Stream, jetstream.ConsumerConfig{
		Durable:       name,
		Description:   "rollcall worker, tenant " + w.opts.Tenant,
		FilterSubject: w.topo.IngestSubject(w.opts.Tenant, p),
		DeliverPolicy: jetstream.DeliverAllPolicy,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       w.opts.AckWait,
		MaxDeliver:    -1,
		MaxAckPending: w.opts.MaxAckPending,
	})
	if err != nil {
		return nil, fmt.Errorf("consumer %q: %w", name, err)
	}
	return c, nil
}

// Stats returns what the worker did so far.
func (w *Worker) Stats() WorkerStats {
	c := &w.counts
	return WorkerStats{Received: c.received.Load(), Processed: c.processed.Load(), Rejected: c.rejected.Load(),
		DeadLettered: c.dead.Load(), Notes: c.notes.Load(), Retried: c.retried.Load(),
		Inserted: c.inserted.Load(), AlreadyStored: c.stored.Load(), Analyses: c.analyses.Load()}
}

// Topology is the topology the worker runs on, with the stream's
// partition count.
func (w *Worker) Topology() Topology { return w.topo }

// Run consumes until ctx ends (or, with ExitWhenIdle, until the partitions
// are drained and the results are up to date). Batches in progress are
// finished first; records not yet committed are redelivered later. Run is
// called once per Worker.
func (w *Worker) Run(ctx context.Context) error {
	fetchCtx, stopFetch := context.WithCancel(ctx)
	defer stopFetch()
	var fetchers, savers, helpers sync.WaitGroup
	for i, c := range w.cons {
		fetchers.Go(func() { w.fetch(fetchCtx, i, c) })
	}
	for range w.opts.Savers {
		savers.Go(func() { w.save(ctx) })
	}
	idle := make(chan struct{})
	if w.opts.ExitWhenIdle {
		helpers.Go(func() {
			if w.waitIdle(fetchCtx) {
				close(idle)
				stopFetch()
			}
		})
	}
	anCtx, stopAnalysis := context.WithCancel(ctx)
	defer stopAnalysis()
	an := &analyser{w: w, state: pipeline.State{Store: w.opts.Store, Enricher: w.opts.Analysis.Enricher}}
	if w.opts.AnalyseDelay >= 0 {
		helpers.Go(func() { an.loop(anCtx) })
	}
	helpers.Go(func() { w.logProgress(fetchCtx) })
	keepCtx, stopKeeping := context.WithCancel(context.WithoutCancel(ctx))
	defer stopKeeping()
	go w.held.keepAlive(keepCtx, w.opts.AckWait/3)
	w.log.Info("worker started", "partitions", len(w.cons), "batch", w.opts.BatchSize, "savers", w.opts.Savers)

	<-fetchCtx.Done()
	fetchers.Wait()
	close(w.in)
	savers.Wait()
	stopAnalysis()
	helpers.Wait()
	var err error
	select {
	case <-idle:
		if w.opts.AnalyseDelay >= 0 {
			err = an.final(ctx)
		}
	default:
	}
	s := w.Stats()
	w.log.Info("worker stopped", "received", s.Received, "processed", s.Processed, "rejected", s.Rejected,
		"dead_lettered", s.DeadLettered, "notes", s.Notes, "retried", s.Retried, "inserted", s.Inserted,
		"already_stored", s.AlreadyStored, "analyses", s.Analyses)
	if err != nil {
		return err
	}
	if ctx.Err() != nil && w.opts.ExitWhenIdle {
		return ctx.Err()
	}
	return nil
}

// fetch pulls one partition's messages into w.in until ctx ends, through
// a pull iterator that keeps its share of a batch requested ahead: what is
// fetched waits for a saver, and all of it counts toward latency.
func (w *Worker) fetch(ctx context.Context, i int, c jetstream.Consumer) {
	size := max(1, w.opts.BatchSize/len(w.cons))
	fails := 0
	for ctx.Err() == nil {
		it, err := c.Messages(jetstream.PullMaxMessages(size))
		if err == nil {
			err = w.pull(ctx, it)
			it.Stop()
		}
		if ctx.Err() != nil {
			return
		}
		fails++
		if fails == 1 || fails%30 == 0 {
			w.log.Warn("pulling messages failed; retrying", "consumer", c.CachedInfo().Name, "err", err, "attempts", fails)
		}
		if errors.Is(err, jetstream.ErrConsumerNotFound) || errors.Is(err, jetstream.ErrConsumerDeleted) {
			if nc, cerr := w.consumer(ctx, w.partition(c)); cerr == nil {
				c = nc
				w.cons[i] = nc
			}
		}
		sleep(ctx, backoff(fails))
	}
}

// pull hands the iterator's messages on until ctx ends or the iterator
// fails for good (its error is returned). Missing heartbeats (a server
// restart) are waited out: the iterator asks again once reconnected.
func (w *Worker) pull(ctx context.Context, it jetstream.MessagesContext) error {
	for {
		m, err := it.Next(jetstream.NextContext(ctx))
		switch {
		case err == nil:
			w.held.add(m)
			w.hand(ctx, m)
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, jetstream.ErrNoHeartbeat):
			w.log.Debug("missed heartbeats; waiting for the server", "err", err)
		default:
			return err
		}
	}
}

func (w *Worker) partition(c jetstream.Consumer) int {
	for p := range w.topo.Partitions {
		if w.topo.Consumer(w.opts.Tenant, p) == c.CachedInfo().Name {
			return p
		}
	}
	return 0
}

// hand passes m to the savers; when ctx ends first, m is handed back
// for redelivery.
func (w *Worker) hand(ctx context.Context, m jetstream.Msg) {
	select {
	case w.in <- m:
	case <-ctx.Done():
		w.held.remove(m)
		_ = m.Nak()
	}
}

// save collects batches from w.in and processes them until w.in closes.
func (w *Worker) save(ctx context.Context) {
	timer := time.NewTimer(0)
	<-timer.C
	for {
		first, ok := <-w.in
		if !ok {
			return
		}
		w.busy.Add(1)
		batch := []jetstream.Msg{first}
		timer.Reset(w.opts.BatchWait)
	collect:
		for len(batch) < w.opts.BatchSize {
			select {
			case m, ok := <-w.in:
				if !ok {
					break collect
				}
				batch = append(batch, m)
			case <-timer.C:
				break collect
			}
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		w.process(ctx, batch)
		w.busy.Add(-1)
	}
}

// waitIdle reports true once every partition is drained and no batch is
// in progress (twice in a row, a quarter second apart), false when ctx
// ends first.
func (w *Worker) waitIdle(ctx context.Context) bool {
	quiet := 0
	for sleep(ctx, 250*time.Millisecond) {
		if len(w.in) == 0 && w.busy.Load() == 0 && w.drained(ctx) {
			quiet++
		} else {
			quiet = 0
		}
		if quiet >= 2 {
			return true
		}
	}
	return false
}

func (w *Worker) drained(ctx context.Context) bool {
	for _, c := range w.cons {
		info, err := c.Info(ctx)
		if err != nil || info.NumPending > 0 || info.NumAckPending > 0 || info.NumRedelivered > 0 {
			return false
		}
	}
	return true
}

func (w *Worker) logProgress(ctx context.Context) {
	last, lastAt := w.Stats(), time.Now()
	t := time.NewTicker(w.opts.LogInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			s := w.Stats()
			if s.Received == last.Received && s.Analyses == last.Analyses {
				continue
			}
			q := w.m.latency.quantiles(0.5, 0.99)
			rate := float64(s.Received-last.Received) / now.Sub(lastAt).Seconds()
			w.log.Info("progress", "received", s.Received, "processed", s.Processed, "rejected", s.Rejected,
				"dead_lettered", s.DeadLettered, "inserted", s.Inserted, "per_second", int(rate),
				"latency_p50", q[0].Round(time.Millisecond).String(), "latency_p99", q[1].Round(time.Millisecond).String(),
				"analyses", s.Analyses)
			last, lastAt = s, now
		}
	}
}
