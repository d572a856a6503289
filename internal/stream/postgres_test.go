package stream

import (
	"context"
	"math/rand/v2"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rollcall/rollcall/internal/store"
	"github.com/rollcall/rollcall/internal/store/postgres"
)

// testPostgres returns ROLLCALL_TEST_POSTGRES, skipping the test when it
// is not set.
func testPostgres(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("ROLLCALL_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("ROLLCALL_TEST_POSTGRES is not set: skipping the PostgreSQL worker tests " +
			"(e.g. ROLLCALL_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
	}
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		t.Skip("ROLLCALL_TEST_POSTGRES is not a postgres:// URL")
	}
	return dsn
}

// pgSchema creates a schema for the test, dropped when it ends, and
// returns a DSN that uses it with the given application name (which the
// tests use to find, and kill, the workers' connections).
func pgSchema(t *testing.T, base string) (schema string) {
	t.Helper()
	schema = "rollcall_stream_" + randomName(t)
	pgExec(t, base, "CREATE SCHEMA "+schema)
	t.Cleanup(func() { pgExec(t, base, "DROP SCHEMA "+schema+" CASCADE") })
	return schema
}

func pgDSN(t *testing.T, base, schema, app string) string {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	q.Set("application_name", app)
	u.RawQuery = q.Encode()
	return u.String()
}

func pgExec(t *testing.T, dsn, sql string, args ...any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connecting to PostgreSQL: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func openPostgres(t *testing.T, dsn, tenant string) store.Store {
	t.Helper()
	st, err := postgres.Open(context.Background(), dsn, store.Options{Tenant: tenant})
	if err != nil {
		t.Fatalf("opening PostgreSQL store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestPostgresConnectionsKilled runs two workers on PostgreSQL while their
// database connections are terminated (pg_terminate_backend) over and
// over, in the middle of transactions: the store ends up with exactly the
// events and results of one clean scan.
func TestPostgresConnectionsKilled(t *testing.T) {
	const busyKills = 12
	base := testPostgres(t)
	nc := connect(t, natsURL(t))
	topo := testTopology(t, nc)
	dir := simDir(t)
	_, wantKeys := scanBaseline(t, dir)
	publishAll(t, nc, topo, "acme", dir)

	schema := pgSchema(t, base)
	app := "rollcall_worker_" + randomName(t)
	monitor := openPostgres(t, pgDSN(t, base, schema, "rollcall_test_monitor"), "acme")

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var workers sync.WaitGroup
	for i := range 2 {
		opts := fastWorker(t, topo, openPostgres(t, pgDSN(t, base, schema, app), "acme"))
		opts.Tenant, opts.BatchSize, opts.AckWait = "acme", 50, 3*time.Second
		w, err := NewWorker(ctx, nc, opts)
		if err != nil {
			t.Fatal(err)
		}
		workers.Go(func() {
			if err := w.Run(ctx); err != nil {
				t.Errorf("worker %d: %v", i, err)
			}
		})
	}

	var killed, inTransaction atomic.Int64
	stopKilling := make(chan struct{})
	killerDone := make(chan struct{})
	go func() {
		defer close(killerDone)
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("killer: %v", err)
			return
		}
		defer conn.Close(context.Background())
		for {
			select {
			case <-stopKilling:
				return
			case <-time.After(time.Duration(50+rand.IntN(150)) * time.Millisecond):
			}
			var all, busy int64
			err := conn.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE state <> 'idle')
				FROM (SELECT state, pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1) s`,
				app).Scan(&all, &busy)
			if err != nil {
				t.Errorf("killer: %v", err)
				return
			}
			killed.Add(all)
			// Enough kills mid-transaction prove the point; killing on
			// until a deadline made the test's outcome depend on how
			// loaded the machine was.
			if inTransaction.Add(busy) >= busyKills {
				return
			}
		}
	}()
	waitForEvents(t, monitor, len(wantKeys)*2/3, 90*time.Second)
	close(stopKilling)
	<-killerDone
	workers.Wait()
	t.Logf("terminated %d worker connections, %d of them busy (in a statement or transaction)", killed.Load(), inTransaction.Load())
	if inTransaction.Load() == 0 {
		t.Error("no connection was terminated while busy: the test did not exercise a kill mid-transaction")
	}
	checkSameAsScan(t, monitor, dir)
}

// TestKillWorkerMidStreamPostgres is TestKillWorkerMidStream on
// PostgreSQL.
func TestKillWorkerMidStreamPostgres(t *testing.T) {
	base := testPostgres(t)
	srv := startNATS(t)
	nc := connect(t, srv.URL)
	topo := testTopology(t, nc)
	dir := simDir(t)
	publishAll(t, nc, topo, "", dir)
	_, wantKeys := scanBaseline(t, dir)
	total := len(wantKeys)

	schema := pgSchema(t, base)
	st := openPostgres(t, pgDSN(t, base, schema, "rollcall_test_monitor"), "")
	cfg := childConfig{NATS: srv.URL, Stream: topo.Stream, Prefix: topo.Prefix,
		Postgres: pgDSN(t, base, schema, "rollcall_test_worker"), BatchSize: 25, AckWait: 2 * time.Second}
	for _, at := range []int{total / 4, total / 2} {
		if got := killAt(t, cfg, st, at); got >= total {
			t.Fatalf("the worker stored all %d events before it was killed; make the stream larger", total)
		}
	}
	cfg.ExitWhenIdle = true
	if err := startChild(t, cfg).Wait(); err != nil {
		t.Fatalf("last worker: %v", err)
	}
	checkSameAsScan(t, st, dir)
}
