package stream

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/rollcall/rollcall/internal/store"
	"github.com/rollcall/rollcall/internal/store/postgres"
	"github.com/rollcall/rollcall/internal/store/sqlite"
)

// childEnv, when set, makes the test binary run one worker (childConfig
// as JSON) instead of the tests: the kill tests start it as a process of
// its own so that they can kill -9 it.
const childEnv = "ROLLCALL_STREAM_TEST_WORKER"

type childConfig struct {
	NATS         string
	Stream       string
	Prefix       string
	Tenant       string
	SQLite       string // database file, or
	Postgres     string // DSN
	BatchSize    int
	AckWait      time.Duration
	ExitWhenIdle bool
}

func TestMain(m *testing.M) {
	if cfg := os.Getenv(childEnv); cfg != "" {
		os.Exit(childMain(cfg))
	}
	code := m.Run()
	if dir, ok := simulatedDir.Load().(string); ok {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

// childMain runs one worker until it is idle or killed.
func childMain(raw string) int {
	var cfg childConfig
	if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
		fmt.Fprintln(os.Stderr, "child config:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var st store.Store
	var err error
	if cfg.Postgres != "" {
		st, err = postgres.Open(ctx, cfg.Postgres, store.Options{Tenant: cfg.Tenant})
	} else {
		st, err = sqlite.Open(ctx, cfg.SQLite, store.Options{Tenant: cfg.Tenant})
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "store:", err)
		return 1
	}
	defer st.Close()
	nc, err := nats.Connect(cfg.NATS, nats.MaxReconnects(-1), nats.ReconnectWait(50*time.Millisecond))
	if err != nil {
		fmt.Fprintln(os.Stderr, "nats:", err)
		return 1
	}
	defer nc.Close()
	opts := quickOptions(Topology{Stream: cfg.Stream, Prefix: cfg.Prefix}, st)
	opts.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	opts.Tenant, opts.BatchSize, opts.AckWait, opts.ExitWhenIdle = cfg.Tenant, cfg.BatchSize, cfg.AckWait, cfg.ExitWhenIdle
	w, err := NewWorker(ctx, nc, opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		return 1
	}
	if err := w.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		return 1
	}
	return 0
}

// startChild starts a worker process.
func startChild(t *testing.T, cfg childConfig) *exec.Cmd {
	t.Helper()
	b, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+string(b))
	if testing.Verbose() {
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting a worker process: %v", err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	return cmd
}

// waitForEvents polls the store until it holds at least n events.
func waitForEvents(t *testing.T, st store.Store, n int, timeout time.Duration) int {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		got, err := st.EventCount(context.Background())
		if err == nil && got >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("the store holds %d events after %s, want %d (err %v)", got, timeout, n, err)
		}
		time.Sleep(10 * time.Millisecond) // a count query every 2 ms took CPU from the workers it waits for
	}
}

// killAt starts a worker, waits until the store holds n events and kills
// the worker with SIGKILL, returning how many events were stored then.
func killAt(t *testing.T, cfg childConfig, st store.Store, n int) int {
	t.Helper()
	cmd := startChild(t, cfg)
	waitForEvents(t, st, n, time.Minute)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("kill -9: %v", err)
	}
	_ = cmd.Wait()
	got, err := st.EventCount(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestKillWorkerMidStream kills the only worker with SIGKILL twice while
// it works through the stream, then lets a third finish: the store ends
// up with exactly the events and results of one clean scan.
func TestKillWorkerMidStream(t *testing.T) {
	srv := startNATS(t) // in this process: it outlives the workers
	nc := connect(t, srv.URL)
	topo := testTopology(t, nc)
	dir := simDir(t)
	ps := publishAll(t, nc, topo, "", dir)
	_, wantKeys := scanBaseline(t, dir)
	total := len(wantKeys)

	path := filepath.Join(t.TempDir(), "w.db")
	st := openSQLite(t, path, "") // creates the schema before the workers open it
	cfg := childConfig{NATS: srv.URL, Stream: topo.Stream, Prefix: topo.Prefix, SQLite: path,
		BatchSize: 25, AckWait: 2 * time.Second}
	for _, at := range []int{total / 4, total / 2} {
		got := killAt(t, cfg, st, at)
		if got >= total {
			t.Fatalf("the worker stored all %d events before it was killed; make the stream larger", total)
		}
		t.Logf("killed a worker with %d of %d events stored", got, total)
	}
	cfg.ExitWhenIdle = true
	last := startChild(t, cfg)
	done := make(chan error, 1)
	go func() { done <- last.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("last worker: %v", err)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("the last worker did not finish")
	}
	checkSameAsScan(t, st, dir)
	if ps.Sent == 0 {
		t.Fatal("nothing published")
	}
}
