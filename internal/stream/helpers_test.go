package stream

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/rollcall/rollcall/internal/pipeline"
	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/sim"
	"github.com/rollcall/rollcall/internal/store"
	"github.com/rollcall/rollcall/internal/store/sqlite"
)

// natsServer is an in-process NATS server with JetStream that a test can
// stop and start again on the same port and store directory.
type natsServer struct {
	t    testing.TB
	opts *server.Options
	srv  *server.Server
	URL  string
}

func startNATS(t testing.TB) *natsServer {
	t.Helper()
	s := &natsServer{t: t, opts: &server.Options{Host: "127.0.0.1", Port: -1, JetStream: true,
		StoreDir: t.TempDir(), NoLog: true, NoSigs: true}}
	s.start()
	s.opts.Port = s.srv.Addr().(*net.TCPAddr).Port
	s.URL = s.srv.ClientURL()
	t.Cleanup(s.stop)
	return s
}

func (s *natsServer) start() {
	s.t.Helper()
	srv, err := server.NewServer(s.opts)
	if err != nil {
		s.t.Fatalf("nats server: %v", err)
	}
	go srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		s.t.Fatal("nats server did not start")
	}
	s.srv = srv
}

func (s *natsServer) stop() {
	if s.srv != nil {
		s.srv.Shutdown()
		s.srv.WaitForShutdown()
		s.srv = nil
	}
}

// restart stops the server, waits, and starts it again on the same port
// and store directory.
func (s *natsServer) restart(down time.Duration) {
	s.stop()
	time.Sleep(down)
	s.start()
}

// natsURL is ROLLCALL_TEST_NATS when set, else an in-process server's.
func natsURL(t testing.TB) string {
	if u := os.Getenv("ROLLCALL_TEST_NATS"); u != "" {
		return u
	}
	return startNATS(t).URL
}

func connect(t testing.TB, url string) *nats.Conn {
	t.Helper()
	nc, err := nats.Connect(url, nats.MaxReconnects(-1), nats.ReconnectWait(50*time.Millisecond),
		nats.Name("rollcall-test"))
	if err != nil {
		t.Fatalf("connecting to %s: %v", url, err)
	}
	t.Cleanup(nc.Close)
	return nc
}

func randomName(t testing.TB) string {
	b := make([]byte, 5)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// testTopology names a stream, subjects and buckets no other test uses,
// deleted when the test ends (they may be on a shared server).
func testTopology(t testing.TB, nc *nats.Conn) Topology {
	id := randomName(t)
	topo := Topology{Stream: "T" + id, Prefix: "rt" + id, Partitions: 4, LeaseTTL: 2 * time.Second}
	t.Cleanup(func() {
		js, err := jetstream.New(nc)
		if err != nil || nc.IsClosed() {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = js.DeleteStream(ctx, topo.Stream)
		_ = js.DeleteStream(ctx, topo.DeadStream())
		_ = js.DeleteKeyValue(ctx, topo.NotesBucket())
		_ = js.DeleteKeyValue(ctx, topo.LocksBucket())
	})
	return topo
}

// simulated writes a small simulated organisation (every format the
// simulator writes, truth.json to be skipped) once per test binary.
var simulated = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "rollcall-stream-test-")
	if err != nil {
		return "", err
	}
	simulatedDir.Store(dir)
	org, err := sim.Generate(sim.Config{Seed: 7, People: 40, Days: 21})
	if err != nil {
		return "", err
	}
	return dir, org.WriteDir(filepath.Join(dir, "org"))
})

// simulatedDir is the directory simulated made, for TestMain to remove.
var simulatedDir atomic.Value

func simDir(t testing.TB) string {
	t.Helper()
	dir, err := simulated()
	if err != nil {
		t.Fatalf("simulating: %v", err)
	}
	return filepath.Join(dir, "org")
}

func testLogger(t testing.TB) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

func inputs(paths ...string) []pipeline.Input {
	var in []pipeline.Input
	for _, p := range paths {
		in = append(in, pipeline.Input{Path: p})
	}
	return in
}

// publishAll publishes the inputs and checks that every record landed.
func publishAll(t testing.TB, nc *nats.Conn, topo Topology, tenant string, inputs ...string) PublishStats {
	t.Helper()
	opts := PublishOptions{Topology: topo, Tenant: tenant}
	for _, in := range inputs {
		opts.Inputs = append(opts.Inputs, pipeline.Input{Path: in})
	}
	stats, err := Publish(context.Background(), nc, opts)
	if err != nil {
		t.Fatalf("Publish: %v (%+v)", err, stats)
	}
	return stats
}

// scanBaseline scans the inputs as `rollcall scan --db` does and returns
// the stored report and event keys, to compare with what workers stored.
func scanBaseline(t testing.TB, inputs ...string) (*report.Report, []string) {
	t.Helper()
	ctx := context.Background()
	var opts pipeline.Options
	for _, in := range inputs {
		opts.Inputs = append(opts.Inputs, pipeline.Input{Path: in})
	}
	res, err := pipeline.Scan(ctx, opts)
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	st := openSQLite(t, filepath.Join(t.TempDir(), "baseline.db"), "")
	if _, err := st.SaveEvents(ctx, res.Events); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveResults(ctx, report.ToStore(res.Report)); err != nil {
		t.Fatal(err)
	}
	return stored(t, st)
}

func openSQLite(t testing.TB, path, tenant string) store.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), path, store.Options{Tenant: tenant})
	if err != nil {
		t.Fatalf("opening %s: %v", path, err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// stored returns a store's report and sorted event keys.
func stored(t testing.TB, st store.Store) (*report.Report, []string) {
	t.Helper()
	ctx := context.Background()
	rep, err := report.LoadStored(ctx, st)
	if err != nil {
		t.Fatalf("Report: %v", err)
	}
	events, err := st.Events(ctx, store.EventQuery{})
	if err != nil {
		t.Fatalf("Events: %v", err)
	}
	keys := make([]string, len(events))
	for i, e := range events {
		keys[i] = e.Prov.Key()
	}
	slices.Sort(keys)
	return rep, keys
}

// checkSameAsScan compares what st holds with a clean scan of the inputs:
// the same events (none lost, none twice) and the same report.
func checkSameAsScan(t testing.TB, st store.Store, inputs ...string) {
	t.Helper()
	wantRep, wantKeys := scanBaseline(t, inputs...)
	gotRep, gotKeys := stored(t, st)
	if len(gotKeys) != len(wantKeys) {
		t.Errorf("stored %d events, a scan reads %d", len(gotKeys), len(wantKeys))
	}
	if diff := cmp.Diff(wantKeys, gotKeys); diff != "" {
		t.Errorf("stored events differ from a scan's (-scan +stored):\n%s", clip(diff))
	}
	if diff := cmp.Diff(wantRep, gotRep); diff != "" {
		t.Errorf("stored report differs from a scan's (-scan +stored):\n%s", clip(diff))
	}
}

func clip(s string) string {
	if len(s) > 4000 {
		return s[:4000] + fmt.Sprintf("\n… (%d more bytes)", len(s)-4000)
	}
	return s
}

// fastWorker returns worker options for tests: short waits, quick
// analysis, exit once drained.
func fastWorker(t testing.TB, topo Topology, st store.Store) WorkerOptions {
	opts := quickOptions(topo, st)
	opts.Logger = testLogger(t)
	return opts
}

func quickOptions(topo Topology, st store.Store) WorkerOptions {
	return WorkerOptions{Topology: topo, Store: st, BatchSize: 200, BatchWait: 20 * time.Millisecond,
		AckWait: 5 * time.Second, RetryDelay: 50 * time.Millisecond, AnalyseDelay: 100 * time.Millisecond,
		AnalyseInterval: time.Second, ExitWhenIdle: true}
}

// runWorker runs a worker until it is idle (bounded by timeout).
func runWorker(t testing.TB, nc *nats.Conn, opts WorkerOptions, timeout time.Duration) *Worker {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	w, err := NewWorker(ctx, nc, opts)
	if err != nil {
		t.Fatalf("NewWorker: %v", err)
	}
	if err := w.Run(ctx); err != nil {
		t.Fatalf("worker: %v (stats %+v)", err, w.Stats())
	}
	return w
}
