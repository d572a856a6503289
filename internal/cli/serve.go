package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/rollcall/rollcall/internal/server"
	"github.com/rollcall/rollcall/internal/store"
	storeopen "github.com/rollcall/rollcall/internal/store/open"
)

type serveFlags struct {
	db            string
	listen        string
	tlsCert       string
	tlsKey        string
	watch         string
	watchInterval time.Duration
	demo          bool
	drillEvery    time.Duration
	policy        string
	ipdb          []string
	networks      []string
	maxUpload     int64
	limits        inputLimitFlags
	riskMetrics   bool
	notify        notifyFlags
}

func newServeCmd(e *env) *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the analyst workbench: web UI and HTTP API on the store",
		Long: `serve runs the analyst workbench on the store: a web UI (overview, people,
person pages with their evidence, cell graphs, cases and verdicts, the audit
log) and the JSON API under /api/v1/ (documented at /api/v1/openapi.yaml).

Data arrives by upload (the Data page or POST /api/v1/ingest), from a watched
directory (--watch), or from earlier 'rollcall scan --db' runs; the analysis
reruns over everything stored whenever new records arrive or a verdict
suppresses an indicator.

Everyone signs in: create accounts with 'rollcall user add'. --demo loads a
simulated organisation into an empty store and, when there are no accounts,
creates an admin account whose password it prints.

Listens on 127.0.0.1:8080 by default; give --tls-cert and --tls-key to serve
HTTPS (cookies are then Secure). /healthz and /metrics (Prometheus) need no
sign-in. SIGINT or SIGTERM shuts down gracefully.`,
		Example: `  rollcall serve --demo --db demo.db
  rollcall user add alice --role analyst --db rollcall.db
  rollcall serve --db rollcall.db --listen 0.0.0.0:8443 --tls-cert cert.pem --tls-key key.pem
  rollcall serve --db rollcall.db --watch /srv/exports`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runServe(cmd.Context(), e, &f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.db, "db", "", "SQLite database `FILE` or postgres:// URL (default: rollcall.db under the user's data directory)")
	fl.StringVar(&f.listen, "listen", "127.0.0.1:8080", "listen on this `ADDRESS`")
	fl.StringVar(&f.tlsCert, "tls-cert", "", "serve HTTPS with this certificate `FILE` (PEM)")
	fl.StringVar(&f.tlsKey, "tls-key", "", "… and this private key `FILE` (PEM)")
	fl.StringVar(&f.watch, "watch", "", "ingest files that appear or change in `DIR`")
	fl.DurationVar(&f.watchInterval, "watch-interval", server.DefaultWatchInterval, "how often to check --watch")
	fl.BoolVar(&f.demo, "demo", false, "load a simulated organisation into an empty store (and create an admin account when there is none)")
	fl.StringVar(&f.policy, "policy", "", "scoring policy YAML `FILE` (default: built-in)")
	fl.StringArrayVar(&f.ipdb, "ipdb", nil, "MaxMind-format IP database `FILE` (repeatable)")
	fl.StringArrayVar(&f.networks, "networks", nil, "extra VPN/hosting network list CSV `FILE` (repeatable)")
	fl.Int64Var(&f.maxUpload, "max-upload", server.DefaultMaxUpload, "largest upload in `BYTES`")
	f.limits.register(fl, server.DefaultMaxInputBytes, server.DefaultMaxInputRecords, "one upload request (all its files)")
	fl.BoolVar(&f.riskMetrics, "metrics-risk-levels", false, "export people per risk level on the unauthenticated /metrics")
	f.notify.registerConfig(fl)
	fl.DurationVar(&f.drillEvery, "drill-every", 0, "run a drill over the stored events every `DURATION` (e.g. 24h; shown on the Drills page; 0: only when an admin runs one)")
	return cmd
}

func runServe(ctx context.Context, e *env, f *serveFlags) error {
	if (f.tlsCert == "") != (f.tlsKey == "") {
		return usageError("--tls-cert and --tls-key go together")
	}
	dsn, err := dbPath(f.db)
	if err != nil {
		return err
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
	st, work, err := openWorkbench(ctx, dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	var notes []string
	if note != "" {
		notes = append(notes, note)
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	srv, err := server.New(server.Config{Store: st, Work: work, Policy: pol, Enricher: enr, Notes: notes, TLS: f.tlsCert != "",
		Logger: log, MaxUpload: f.maxUpload, InputLimits: f.limits.limits(),
		MetricsRiskLevels: f.riskMetrics, Notifier: nt, DrillEvery: f.drillEvery})
	if err != nil {
		return usageError("%v", err)
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	ln, err := net.Listen("tcp", f.listen)
	if err != nil {
		return usageError("--listen %s: %v", f.listen, err)
	}
	srv.Start(ctx)
	if f.demo {
		if err := seedDemo(ctx, e, srv, st, work); err != nil {
			ln.Close()
			return err
		}
	} else if n, err := st.EventCount(ctx); err == nil && n > 0 {
		srv.RequestAnalysis() // coverage, finding history and suppressions for stored events
	}
	if users, err := work.Users(ctx); err == nil && len(users) == 0 {
		fmt.Fprintf(e.stderr, "No accounts yet: create one with 'rollcall user add NAME --role admin --db %s'.\n", dsn)
	}
	if f.watch != "" {
		go srv.Watch(ctx, f.watch, f.watchInterval)
	}
	scheme := "http"
	if f.tlsCert != "" {
		scheme = "https"
	}
	fmt.Fprintf(e.stdout, "rollcall workbench on %s://%s (database %s)\n", scheme, ln.Addr(), dsn)
	if err := srv.Run(ctx, ln, f.tlsCert, f.tlsKey); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// openWorkbench opens the store --db names (an SQLite file or a
// postgres:// URL) and its workbench tables (accounts, cases, audit log).
func openWorkbench(ctx context.Context, dsn string) (store.Store, store.Workbench, error) {
	st, err := storeopen.Store(ctx, dsn, store.Options{})
	if err != nil {
		return nil, nil, fmt.Errorf("opening database %q: %w", dsn, err)
	}
	work, ok := st.(store.Workbench)
	if !ok {
		st.Close()
		return nil, nil, usageError("the %T backend does not keep accounts, cases and the audit log yet: use an SQLite --db FILE", st)
	}
	return st, work, nil
}

// dbPath is --db, or the default database path.
func dbPath(flag string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	p, err := store.DefaultPath()
	if err != nil {
		return "", usageError("%v; give --db FILE", err)
	}
	return p, nil
}

// seedDemo loads the simulated organisation into an empty store and
// creates an admin account with a random password when there is none.
func seedDemo(ctx context.Context, e *env, srv *server.Server, st store.Store, work store.Workbench) error {
	n, err := st.EventCount(ctx)
	if err != nil {
		return err
	}
	if n == 0 {
		fmt.Fprintln(e.stdout, "Loading the demo organisation (simulated, with hidden operatives)…")
		res, err := srv.LoadDemo(ctx, server.DemoConfig)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Demo data: %d records from %d files, %d people analysed (%d flagged).\n",
			res.Accepted, len(res.Files), res.Analysis.People, res.Analysis.Flagged)
	}
	users, err := work.Users(ctx)
	if err != nil || len(users) > 0 {
		return err
	}
	pw, err := server.RandomPassword()
	if err != nil {
		return err
	}
	hash, err := server.HashPassword(pw)
	if err != nil {
		return err
	}
	if err := work.CreateUser(ctx, store.User{Name: "admin", Role: store.RoleAdmin, PasswordHash: hash, Created: time.Now().UTC()}); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Demo account: user admin, password %s (change it on the Account page)\n", pw)
	return nil
}
