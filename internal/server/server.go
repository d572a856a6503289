// Package server is rollcall's analyst workbench: the HTTP API under
// /api/v1/ and the server-rendered web UI (html/template, htmx, uPlot and
// cytoscape.js, all embedded) over a store.Store and a store.Workbench.
//
// Everyone signs in: local accounts with argon2id password hashes, session
// cookies (HttpOnly, SameSite=Strict, Secure under TLS) with a fresh id on
// every sign-in, a CSRF token on every state-changing request from the UI,
// rate-limited sign-in, and API tokens (Authorization: Bearer) for
// automation. Roles: viewer (aggregates only, no personal data), analyst
// (people, evidence, cells, cases, ingest), admin (users, policy, audit
// log). Every read of a person's data and every verdict is written to the
// append-only audit log.
//
// Everything shown comes from the adversary (names, user agents,
// addresses): it is cleaned of control and format characters, escaped by
// html/template, never placed in a script or a URL scheme, and pages are
// served under a Content-Security-Policy that allows scripts from the
// server itself only.
package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/notify"
	"github.com/rollcall/rollcall/internal/pipeline"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/source"
	"github.com/rollcall/rollcall/internal/store"
)

// Defaults of Config.
const (
	DefaultSessionTTL  = 12 * time.Hour
	DefaultIdleTimeout = 30 * time.Minute
	DefaultLoginLimit  = 5  // failed sign-ins per user name per window
	DefaultAddrLimit   = 20 // failed sign-ins per client address per window
	DefaultLoginWindow = 15 * time.Minute
	DefaultMaxUpload   = 512 << 20
	// DefaultMaxInputBytes and DefaultMaxInputRecords bound what the files
	// of one upload request may expand to once decompressed, together.
	DefaultMaxInputBytes   = 1 << 30
	DefaultMaxInputRecords = 1_000_000
	DefaultBodyTimeout     = 30 * time.Second
	// BodyMinRate is the slowest upload, in bytes per second, that
	// BodyTimeout extends for.
	BodyMinRate         = 64 << 10
	DefaultPageSize     = 50
	shutdownGracePeriod = 15 * time.Second
)

// Config configures a Server. Store and Work are required; the rest has
// defaults.
type Config struct {
	Store store.Store
	Work  store.Workbench
	// Policy is the base scoring policy; active suppressions are added to
	// its allow-list on every analysis. Nil means policy.Default().
	Policy *policy.Policy
	// Enricher, when set, is applied to every event before analysis.
	Enricher func(*event.Event)
	// Notes are added to every analysis's report.
	Notes []string
	// Notifier, when set, announces the level changes of every analysis
	// (Shared Signals, webhooks, syslog).
	Notifier *notify.Notifier
	// TLS marks cookies Secure and sends Strict-Transport-Security.
	TLS bool
	// Logger receives request and analysis logs; nil discards them.
	Logger *slog.Logger
	// Now is the wall clock; nil means time.Now.
	Now func() time.Time
	// Registry receives the server's metrics; nil means a new registry.
	Registry *prometheus.Registry

	SessionTTL  time.Duration // absolute session lifetime
	IdleTimeout time.Duration // a session unused this long ends
	LoginLimit  int           // failed sign-ins per user name per LoginWindow before refusing
	AddrLimit   int           // failed sign-ins per client address per LoginWindow
	LoginWindow time.Duration
	MaxUpload   int64 // bytes per ingest request
	// InputLimits bound the decompressed bytes and the records of one
	// ingest request, all its files together; zero fields take the
	// defaults, negative ones mean no limit.
	InputLimits source.Limits
	// MetricsRiskLevels exports the count of people per risk level on the
	// unauthenticated /metrics (off by default).
	MetricsRiskLevels bool
	// BodyTimeout bounds reading a request body: a body must arrive within
	// it plus one second per BodyMinRate bytes (a client that sends a byte
	// every few seconds is cut off). Zero means DefaultBodyTimeout.
	BodyTimeout time.Duration
	// DrillEvery, when positive, runs a drill (every scenario, default
	// size) over the stored events at this interval, as if an admin had
	// pressed "Run a drill" (drills.go).
	DrillEvery time.Duration
	// DrillCount is how many scenario instances a scheduled drill
	// injects; zero means drill's default (each scenario, standard and
	// evasive).
	DrillCount int
}

// withDefaults fills zero fields.
func (c Config) withDefaults() Config {
	if c.Policy == nil {
		c.Policy = policy.Default()
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Registry == nil {
		c.Registry = prometheus.NewRegistry()
	}
	if c.SessionTTL == 0 {
		c.SessionTTL = DefaultSessionTTL
	}
	if c.IdleTimeout == 0 {
		c.IdleTimeout = DefaultIdleTimeout
	}
	if c.LoginLimit == 0 {
		c.LoginLimit = DefaultLoginLimit
	}
	if c.AddrLimit == 0 {
		c.AddrLimit = DefaultAddrLimit
	}
	if c.LoginWindow == 0 {
		c.LoginWindow = DefaultLoginWindow
	}
	if c.MaxUpload == 0 {
		c.MaxUpload = DefaultMaxUpload
	}
	if c.BodyTimeout == 0 {
		c.BodyTimeout = DefaultBodyTimeout
	}
	if c.InputLimits.Bytes == 0 {
		c.InputLimits.Bytes = DefaultMaxInputBytes
	}
	if c.InputLimits.Records == 0 {
		c.InputLimits.Records = DefaultMaxInputRecords
	}
	return c
}

// Validate reports what is wrong with c.
func (c Config) Validate() error {
	var errs []error
	if c.Store == nil {
		errs = append(errs, errors.New("server config: Store is required"))
	}
	if c.Work == nil {
		errs = append(errs, errors.New("server config: Work (the workbench store) is required"))
	}
	if c.LoginLimit < 0 || c.AddrLimit < 0 {
		errs = append(errs, errors.New("server config: login limits must not be negative"))
	}
	if c.Policy != nil {
		if err := c.Policy.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("server config: policy: %w", err))
		}
	}
	return errors.Join(errs...)
}

// Server is the workbench. It is an http.Handler.
type Server struct {
	cfg      Config
	log      *slog.Logger
	mux      *http.ServeMux
	handler  http.Handler
	pages    map[string]*template.Template
	metrics  *metrics
	analysis *analyser
	drills   drills // drill runs (drills.go), in memory only
	// state is the analysis's kept view of the stored events; only the
	// analysis goroutine uses it.
	state     pipeline.State
	limiter   *loginLimiter
	startOnce sync.Once
}

// New builds a server from cfg. Start the analysis worker with Run (or
// call Close when serving through Handler only).
func New(cfg Config) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: cfg.Logger, mux: http.NewServeMux(), pages: pages}
	s.metrics = newMetrics(cfg.Registry, cfg.MetricsRiskLevels)
	s.limiter = newLoginLimiter(cfg.Work, cfg.Now, cfg.LoginLimit, cfg.AddrLimit, cfg.LoginWindow)
	s.analysis = newAnalyser(s)
	s.state = pipeline.State{Store: cfg.Store, Work: cfg.Work, Enricher: cfg.Enricher}
	for _, rt := range s.routes() {
		s.mux.Handle(rt.Method+" "+rt.Pattern, s.wrap(rt))
	}
	s.mux.Handle("/", s.wrap(route{Pattern: "/", Access: accessPublic, handle: s.notFound}))
	s.handler = s.secure(s.mux)
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Start starts the analysis worker and the removal of expired sessions;
// both stop when ctx ends. Starting twice does nothing more.
func (s *Server) Start(ctx context.Context) {
	s.startOnce.Do(func() {
		go s.janitor(ctx)
		if s.cfg.DrillEvery > 0 {
			s.drills.wg.Add(1)
			go s.drillScheduler(ctx, s.cfg.DrillEvery)
		}
	})
	s.analysis.start(ctx)
}

// janitorInterval is how often expired sessions are removed.
const janitorInterval = 10 * time.Minute

// janitor removes expired and idle sessions from the database.
func (s *Server) janitor(ctx context.Context) {
	t := time.NewTicker(janitorInterval)
	defer t.Stop()
	for {
		now := s.now()
		if n, err := s.cfg.Work.DeleteSessionsBefore(ctx, now, now.Add(-s.cfg.IdleTimeout)); err != nil && ctx.Err() == nil {
			s.log.Warn("remove expired sessions", "err", err)
		} else if n > 0 {
			s.log.Info("removed expired sessions", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Run serves on ln until ctx ends, then shuts down gracefully: it stops
// accepting, lets requests in flight finish (up to a grace period) and
// waits for a running analysis to save. tlsCert and tlsKey, when set,
// serve HTTPS.
func (s *Server) Run(ctx context.Context, ln net.Listener, tlsCert, tlsKey string) error {
	s.Start(ctx)
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	if tlsCert != "" {
		srv.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	errc := make(chan error, 1)
	go func() {
		if tlsCert != "" {
			errc <- srv.ServeTLS(ln, tlsCert, tlsKey)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		s.analysis.wait()
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGracePeriod)
	defer cancel()
	err := srv.Shutdown(sctx)
	s.analysis.wait()
	s.drills.wg.Wait() // a scheduled drill stops with ctx
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// now is the wall clock in UTC.
func (s *Server) now() time.Time { return s.cfg.Now().UTC() }
