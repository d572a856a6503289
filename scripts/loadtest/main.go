// Command loadtest drives rollcall's streaming path end to end on this
// machine, over loopback only: it starts a NATS server with JetStream in
// process, publishes a roster of simulated people and millions of Okta
// sign-in events through the same message format as `rollcall publish`,
// runs `rollcall worker` processes into a PostgreSQL schema of its own,
// and reports sustained throughput, end-to-end latencies, database size,
// worker memory and CPU profiles. It is bounded in events and time and
// removes what it created unless -keep is given.
//
//	go run ./scripts/loadtest -bin bin/rollcall -pg postgres://…   (see loadtest.sh)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/rollcall/rollcall/internal/source"
	"github.com/rollcall/rollcall/internal/stream"
)

type config struct {
	bin, pg, dir     string
	events, people   int
	rate             int
	workers          int
	timeout          time.Duration
	analyseInterval  time.Duration
	profileAt        float64
	keep             bool
	batch, savers    int
	days             int
	partitions       int
	maxPending       int
	finalAnalysisMax time.Duration
	drain            bool
	final            bool
}

const tenant = "loadtest"

// failed counts publishes the stream did not acknowledge.
var failed atomic.Int64

func main() {
	var c config
	flag.StringVar(&c.bin, "bin", "bin/rollcall", "rollcall binary to run the workers with")
	flag.StringVar(&c.pg, "pg", os.Getenv("ROLLCALL_TEST_POSTGRES"), "PostgreSQL URL (default $ROLLCALL_TEST_POSTGRES); a schema is created in it")
	flag.StringVar(&c.dir, "dir", "", "work directory for NATS data, logs and profiles (default: a new temporary one)")
	flag.IntVar(&c.events, "events", 5_000_000, "sign-in events to publish")
	flag.IntVar(&c.people, "people", 100_000, "people on the roster")
	flag.IntVar(&c.days, "days", 90, "days the sign-ins span")
	flag.IntVar(&c.rate, "rate", 20_000, "events per second to publish at (0: as fast as possible)")
	flag.IntVar(&c.workers, "workers", 2, "worker processes")
	flag.IntVar(&c.batch, "batch", 1000, "worker --batch")
	flag.IntVar(&c.savers, "savers", 4, "worker --savers")
	flag.IntVar(&c.partitions, "partitions", 8, "stream partitions per tenant")
	flag.IntVar(&c.maxPending, "max-pending", 8192, "publishes awaiting acknowledgement at most")
	flag.DurationVar(&c.timeout, "timeout", 45*time.Minute, "give up after this long")
	flag.DurationVar(&c.analyseInterval, "analyse-interval", 0, "analyse during the run in the first worker, resting this long after each analysis (0: only once, after the last event is stored)")
	flag.DurationVar(&c.finalAnalysisMax, "final-analysis-timeout", 20*time.Minute, "bound on the final analysis")
	flag.Float64Var(&c.profileAt, "profile-at", 0.4, "take 20s CPU profiles of the workers when this fraction is published")
	flag.BoolVar(&c.keep, "keep", false, "keep the PostgreSQL schema and the work directory")
	flag.BoolVar(&c.final, "final-analysis", false, "after the last event is stored, run one analysis over everything and measure it (needs about 3 KB of memory per event: 15 GB for 5M)")
	flag.BoolVar(&c.drain, "drain", false, "publish everything first, then start the workers: measures how fast they drain a backlog")
	reduced := flag.Bool("reduced", false, "the reduced run that fits in 10 minutes: 300k events, 10k people, 10k events/s offered, analysis 1s after the previous one ended (flags given explicitly still win)")
	flag.Parse()
	if *reduced {
		given := map[string]bool{}
		flag.Visit(func(f *flag.Flag) { given[f.Name] = true })
		for name, v := range map[string]string{"events": "300000", "people": "10000", "rate": "10000",
			"analyse-interval": "1s", "timeout": "9m", "final-analysis-timeout": "3m", "profile-at": "2"} {
			if !given[name] {
				if err := flag.Set(name, v); err != nil {
					log.Fatal(err)
				}
			}
		}
	}
	if c.pg == "" {
		log.Fatal("loadtest needs -pg or $ROLLCALL_TEST_POSTGRES (a postgres:// URL on this machine)")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	if err := run(ctx, c); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, c config) (err error) {
	if c.dir == "" {
		if c.dir, err = os.MkdirTemp("", "rollcall-loadtest-"); err != nil {
			return err
		}
	}
	if !c.keep {
		defer os.RemoveAll(c.dir)
	}
	log.Printf("work directory %s", c.dir)

	srv, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true,
		StoreDir: filepath.Join(c.dir, "nats"), NoLog: true, NoSigs: true, JetStreamMaxStore: 64 << 30})
	if err != nil {
		return fmt.Errorf("nats server: %w", err)
	}
	go srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		return errors.New("nats server did not start")
	}
	defer srv.Shutdown()

	schema := "rollcall_loadtest_" + strconv.FormatInt(time.Now().Unix(), 10)
	if err := pgExec(ctx, c.pg, "CREATE SCHEMA "+schema); err != nil {
		return err
	}
	if !c.keep {
		defer func() {
			if err := pgExec(context.Background(), c.pg, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
				log.Printf("dropping schema %s: %v", schema, err)
			}
		}()
	}
	dsn, err := withParams(c.pg, map[string]string{"search_path": schema, "application_name": "rollcall-loadtest-worker"})
	if err != nil {
		return err
	}

	nc, err := nats.Connect(srv.ClientURL(), nats.MaxReconnects(-1))
	if err != nil {
		return err
	}
	defer nc.Close()
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(c.maxPending),
		jetstream.WithPublishAsyncErrHandler(func(jetstream.JetStream, *nats.Msg, error) { failed.Add(1) }))
	if err != nil {
		return err
	}
	topo, err := stream.Ensure(ctx, js, stream.Topology{Stream: "LOADTEST", Prefix: "loadtest", Partitions: c.partitions,
		MaxAge: -1, DuplicateWindow: 30 * time.Second})
	if err != nil {
		return err
	}

	m := newMonitor(nil)
	start := func() error {
		ws, err := startWorkers(ctx, c, srv.ClientURL(), dsn, topo)
		m.ws = ws
		go m.run(ctx)
		return err
	}
	defer func() { m.ws.stop() }()
	if !c.drain {
		if err := start(); err != nil {
			return err
		}
	}
	pub, err := publish(ctx, c, js, topo, m)
	if err != nil {
		return err
	}
	if c.drain {
		if err := start(); err != nil {
			return err
		}
	}
	total := pub.events + c.people
	log.Printf("published %d events and %d roster records in %s (%.0f/s)", pub.events, c.people,
		pub.took.Round(time.Second), float64(pub.events)/pub.took.Seconds())
	if err := m.waitInserted(ctx, total); err != nil {
		return err
	}
	log.Printf("all %d records stored", total)
	var ana *finalResult
	if c.final || c.analyseInterval > 0 {
		if ana, err = finalAnalysis(ctx, c, srv.ClientURL(), dsn, topo, m, total); err != nil {
			log.Printf("final analysis: %v", err)
		}
	}
	size, err := pgSize(ctx, c.pg, schema)
	if err != nil {
		log.Printf("database size: %v", err)
	}
	printReport(c, pub, m, ana, size)
	printAnalyses(c)
	printProfiles(c)
	return nil
}

// published is what the publisher did.
type published struct {
	events int
	took   time.Duration
	// at[i] is when event i*checkpoint was published.
	at []time.Time
}

const checkpoint = 10_000

// publish sends the roster, then the sign-ins at the configured rate.
func publish(ctx context.Context, c config, js jetstream.JetStream, topo stream.Topology, m *monitor) (*published, error) {
	people := newPeople(c.people, 1)
	start := time.Now()
	p := &published{}
	send := func(r *stream.Record, key string) error {
		msg, err := r.Msg(topo.IngestSubject(tenant, stream.Partition(key, topo.Partitions)))
		if err != nil {
			return err
		}
		for attempt := 0; ; attempt++ {
			_, err := js.PublishMsgAsync(msg, jetstream.WithStallWait(time.Minute))
			if err == nil {
				return nil
			}
			if attempt > 5 || ctx.Err() != nil {
				return err
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	for i := range people {
		raw := scimUser(&people[i])
		r := &stream.Record{Tenant: tenant, Kind: stream.KindRaw, Format: "scim", File: "loadtest/roster.scim.json",
			Record: i + 1, Hash: source.RecordHash(raw), Body: raw, Published: time.Now()}
		if err := send(r, people[i].login); err != nil {
			return nil, err
		}
	}
	rnd := rand.New(rand.NewPCG(2, 2))
	from := time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)
	step := time.Duration(c.days) * 24 * time.Hour / time.Duration(max(c.events, 1))
	begin := time.Now()
	profiled := false
	for i := 0; i < c.events; i++ {
		if i%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if c.rate > 0 {
				due := begin.Add(time.Duration(float64(i) / float64(c.rate) * float64(time.Second)))
				time.Sleep(time.Until(due))
			}
			if i%checkpoint == 0 {
				p.at = append(p.at, time.Now())
			}
			if !profiled && float64(i) >= c.profileAt*float64(c.events) {
				profiled = true
				go m.profile(c.dir, 20*time.Second)
			}
		}
		pp := &people[rnd.IntN(len(people))]
		raw := signIn(make([]byte, 0, 1200), rnd, pp, i, from.Add(time.Duration(i)*step))
		r := &stream.Record{Tenant: tenant, Kind: stream.KindRaw, Format: "okta", File: "loadtest/okta.ndjson",
			Record: i + 1, Line: i + 1, Hash: source.RecordHash(raw), Body: raw, Published: time.Now()}
		if err := send(r, pp.login); err != nil {
			return nil, err
		}
	}
	select {
	case <-js.PublishAsyncComplete():
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	p.events, p.took = c.events, time.Since(start)
	if n := failed.Load(); n > 0 {
		log.Printf("%d publishes were not acknowledged", n)
	}
	return p, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// worker is one worker process with its metrics address.
type worker struct {
	cmd     *exec.Cmd
	metrics string
}

type workers []*worker

func startWorkers(ctx context.Context, c config, natsURL, dsn string, topo stream.Topology) (workers, error) {
	var ws workers
	for i := range c.workers {
		port, err := freePort()
		if err != nil {
			return ws, err
		}
		args := []string{"--batch", strconv.Itoa(c.batch), "--savers", strconv.Itoa(c.savers),
			"--metrics-listen", "127.0.0.1:" + strconv.Itoa(port), "--pprof"}
		if i == 0 && c.analyseInterval > 0 {
			args = append(args, "--analyse-interval", c.analyseInterval.String(), "--analyse-delay", "500ms")
		} else {
			args = append(args, "--no-analysis")
		}
		cmd := execWorker(ctx, c, natsURL, dsn, topo, fmt.Sprintf("worker-%d.log", i), args...)
		cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
		cmd.WaitDelay = 30 * time.Second
		if err := cmd.Start(); err != nil {
			return ws, fmt.Errorf("starting %s: %w", c.bin, err)
		}
		ws = append(ws, &worker{cmd: cmd, metrics: "http://127.0.0.1:" + strconv.Itoa(port)})
	}
	return ws, nil
}

func (ws workers) stop() {
	for _, w := range ws {
		_ = w.cmd.Process.Signal(syscall.SIGTERM)
	}
	for _, w := range ws {
		_ = w.cmd.Wait()
	}
}

func pgExec(ctx context.Context, dsn, sql string) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return fmt.Errorf("connecting to PostgreSQL: %w", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("%s: %w", sql, err)
	}
	return nil
}
