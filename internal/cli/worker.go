package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/spf13/cobra"

	"github.com/rollcall/rollcall/internal/pipeline"
	"github.com/rollcall/rollcall/internal/store"
	storeopen "github.com/rollcall/rollcall/internal/store/open"
	"github.com/rollcall/rollcall/internal/stream"
)

type workerFlags struct {
	nats            natsFlags
	db              string
	partitions      string
	batch           int
	batchWait       time.Duration
	savers          int
	ackWait         time.Duration
	maxAckPending   int
	maxDeliver      int
	analyseDelay    time.Duration
	analyseInterval time.Duration
	noAnalysis      bool
	exitWhenIdle    bool
	metricsListen   string
	pprof           bool
	policy          string
	ipdb            []string
	networks        []string
	logJSON         bool
	notify          notifyFlags
}

func newWorkerCmd(e *env) *cobra.Command {
	var f workerFlags
	cmd := &cobra.Command{
		Use:   "worker --db DSN [flags]",
		Short: "Consume published records from NATS JetStream, store them and keep the analysis current",
		Long: `worker consumes what 'rollcall publish' sends: it decodes each record with
the same adapter as scan, stores the events (SQLite file or postgres:// URL),
and acknowledges the records only once they are committed. Delivery is at
least once and storing is idempotent by record identity, so a record is
stored exactly once however often a crash or restart redelivers it.

Each tenant's partition has a durable consumer; any number of workers pull
from them and share the work (--partitions pins a worker to some). After new
events are committed the worker re-runs the analysis (identity resolution,
indicators, cells, scores: the same engine as scan and serve) over every
event of the tenant, kept in memory between analyses so that only the events
saved since the last one are read from the store, and saves the results; the
analyst workbench's active suppressions (benign verdicts) apply. A lease in
NATS makes workers take turns, and an analysis with nothing new is skipped.
A restarted worker reads the history once and analyses at start, so
restarting workers with a new --policy re-scores the stored history.

Records the adapter rejects are stored as rejections and acknowledged. A
record whose processing fails --max-deliver times (an unknown format, a
content hash that does not match, a row the database refuses) is copied to
PREFIX.dead.TENANT with the reason. A database outage is waited out, the
records kept in progress. --metrics-listen serves Prometheus metrics on
/metrics: received = processed + rejected + dead_lettered + note, plus
retries in flight.

SIGINT or SIGTERM stops after the batches in progress.`,
		Example: `  rollcall worker --db 'postgres://rollcall@db/rollcall' --tenant acme --metrics-listen :9464
  rollcall worker --db rollcall.db --partitions 0-3 --policy policy.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runWorker(cmd.Context(), e, &f) },
	}
	fl := cmd.Flags()
	f.nats.register(fl)
	fl.StringVar(&f.db, "db", os.Getenv("ROLLCALL_DB"), "store: an SQLite `FILE` or a postgres:// URL; $ROLLCALL_DB sets the default")
	fl.StringVar(&f.partitions, "partitions", "", "consume only these partitions, e.g. `0-3,6` (default: all)")
	fl.IntVar(&f.batch, "batch", 1000, "records committed in one transaction at most")
	fl.DurationVar(&f.batchWait, "batch-wait", 100*time.Millisecond, "longest wait to fill a batch")
	fl.IntVar(&f.savers, "savers", 4, "batches decoded and committed concurrently (each holds a database connection)")
	fl.DurationVar(&f.ackWait, "ack-wait", 30*time.Second, "redeliver a record not acknowledged after this long")
	fl.IntVar(&f.maxAckPending, "max-ack-pending", 0, "unacknowledged records per partition at most (default 4 × --batch)")
	fl.IntVar(&f.maxDeliver, "max-deliver", 5, "dead-letter a record after this many failed deliveries")
	fl.DurationVar(&f.analyseDelay, "analyse-delay", time.Second, "wait this long after events are committed before analysing them, to take in the batches committed with them")
	fl.DurationVar(&f.analyseInterval, "analyse-interval", 2*time.Second, "least rest between the end of one analysis and the start of the next (a committed event waits at most for the running analysis, max(--analyse-delay, this), and its own analysis)")
	fl.BoolVar(&f.noAnalysis, "no-analysis", false, "only store records; leave the analysis to other workers")
	fl.BoolVar(&f.exitWhenIdle, "exit-when-idle", false, "exit once the partitions are drained and the results are up to date")
	fl.StringVar(&f.metricsListen, "metrics-listen", "", "serve Prometheus metrics on `ADDRESS`/metrics, e.g. :9464")
	fl.BoolVar(&f.pprof, "pprof", false, "also serve Go profiles on --metrics-listen under /debug/pprof/ (keep it private)")
	fl.StringVar(&f.policy, "policy", "", "scoring policy YAML `FILE` (default: built-in)")
	fl.StringArrayVar(&f.ipdb, "ipdb", nil, "MaxMind-format IP database `FILE` (repeatable)")
	fl.StringArrayVar(&f.networks, "networks", nil, "extra VPN/hosting network list CSV `FILE` (repeatable)")
	fl.BoolVar(&f.logJSON, "log-json", false, "log JSON lines instead of text")
	f.notify.registerConfig(fl)
	return cmd
}

func runWorker(ctx context.Context, e *env, f *workerFlags) error {
	if f.db == "" {
		return usageError("worker needs --db (an SQLite file or a postgres:// URL)")
	}
	if err := f.nats.validate(); err != nil {
		return err
	}
	if f.pprof && f.metricsListen == "" {
		return usageError("--pprof needs --metrics-listen")
	}
	parts, err := parsePartitions(f.partitions)
	if err != nil {
		return usageError("--partitions %q: %v", f.partitions, err)
	}
	pol, err := loadPolicy(f.policy)
	if err != nil {
		return err
	}
	enr, note, err := openEnricher(f.ipdb, f.networks)
	if err != nil {
		return err
	}
	nt, err := f.notify.open()
	if err != nil {
		return err
	}
	if nt != nil {
		defer nt.Close()
	}
	analysis := pipeline.Options{Policy: pol, Enricher: enr}
	if note != "" {
		analysis.Notes = append(analysis.Notes, note)
	}
	var logger *slog.Logger
	if f.logJSON {
		logger = slog.New(slog.NewJSONHandler(e.stderr, nil))
	} else {
		logger = slog.New(slog.NewTextHandler(e.stderr, nil))
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metrics := stream.NewMetrics(reg)
	if f.metricsListen != "" {
		srv, err := serveMetrics(f.metricsListen, reg, f.pprof, logger)
		if err != nil {
			return err
		}
		defer srv.Close()
	}

	st, err := storeopen.Store(ctx, f.db, store.Options{Tenant: f.nats.tenant})
	if err != nil {
		return fmt.Errorf("opening database: %w", err)
	}
	defer st.Close()
	nc, err := f.nats.connect("rollcall worker " + f.nats.tenant)
	if err != nil {
		return err
	}
	defer nc.Close()

	opts := stream.WorkerOptions{Topology: f.nats.topology(), Tenant: f.nats.tenant, Partitions: parts,
		Store: st, Analysis: analysis, BatchSize: f.batch, BatchWait: f.batchWait, Savers: f.savers,
		AckWait: f.ackWait, MaxAckPending: f.maxAckPending, MaxDeliver: f.maxDeliver,
		AnalyseDelay: f.analyseDelay, AnalyseInterval: f.analyseInterval, ExitWhenIdle: f.exitWhenIdle,
		Logger: logger, Metrics: metrics}
	if f.noAnalysis {
		opts.AnalyseDelay = -1
	}
	if nt != nil {
		opts.AfterAnalysis = afterAnalysis(nt, logger)
	}
	w, err := stream.NewWorker(ctx, nc, opts)
	if err != nil {
		return err
	}
	if err := w.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// serveMetrics serves reg on addr/metrics in the background, and the Go
// profiles under /debug/pprof/ when withPprof is set.
func serveMetrics(addr string, reg *prometheus.Registry, withPprof bool, logger *slog.Logger) (*http.Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, usageError("--metrics-listen: %v", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	if withPprof {
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("metrics server stopped", "err", err)
		}
	}()
	logger.Info("serving metrics", "address", ln.Addr().String()+"/metrics")
	return srv, nil
}

// parsePartitions reads a list such as "0-3,6"; empty means all (nil).
func parsePartitions(s string) ([]int, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []int
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil || a < 0 {
			return nil, fmt.Errorf("%q is not a partition number or range", part)
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil || b < a {
				return nil, fmt.Errorf("%q is not a partition range (want LOW-HIGH)", part)
			}
		}
		for p := a; p <= b; p++ {
			out = append(out, p)
		}
	}
	return out, nil
}
