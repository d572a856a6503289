package stream_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/rollcall/rollcall/internal/cli"
	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/store"
	"github.com/rollcall/rollcall/internal/store/sqlite"
	"github.com/rollcall/rollcall/internal/stream"
)

// cliNATS is ROLLCALL_TEST_NATS, or an in-process server's URL.
func cliNATS(t *testing.T) string {
	if u := os.Getenv("ROLLCALL_TEST_NATS"); u != "" {
		return u
	}
	srv, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true,
		StoreDir: t.TempDir(), NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	go srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats server did not start")
	}
	t.Cleanup(srv.Shutdown)
	return srv.ClientURL()
}

// deleteStreams removes what the commands created on a shared server.
func deleteStreams(url, name string) {
	nc, err := nats.Connect(url)
	if err != nil {
		return
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	topo := stream.Topology{Stream: name}
	_ = js.DeleteStream(ctx, name)
	_ = js.DeleteStream(ctx, topo.DeadStream())
	_ = js.DeleteKeyValue(ctx, topo.NotesBucket())
	_ = js.DeleteKeyValue(ctx, topo.LocksBucket())
}

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errw bytes.Buffer
	code = cli.Main(args, strings.NewReader(""), &out, &errw)
	return code, out.String(), errw.String()
}

// TestCLIPublishWorker runs `rollcall publish` and `rollcall worker` and
// compares the stored report with `rollcall scan --json`.
func TestCLIPublishWorker(t *testing.T) {
	url := cliNATS(t)
	dir := t.TempDir()
	if code, _, stderr := run(t, "simulate", "--out", filepath.Join(dir, "org"), "--people", "20", "--days", "7"); code != 0 {
		t.Fatalf("simulate: %d %s", code, stderr)
	}
	id := strings.ReplaceAll(t.Name(), "/", "_") + time.Now().Format("150405.000000")
	id = strings.ReplaceAll(id, ".", "")
	streamName := "CLI" + id[len(id)-12:]
	common := []string{"--nats", url, "--tenant", "acme", "--stream", streamName, "--subject-prefix", "cli" + id[len(id)-12:]}
	t.Cleanup(func() { deleteStreams(url, streamName) })

	code, stdout, stderr := run(t, append(append([]string{"publish"}, common...), "--json", filepath.Join(dir, "org"))...)
	if code != 0 {
		t.Fatalf("publish: exit %d: %s", code, stderr)
	}
	var ps struct{ Sent, Published, Errors int }
	if err := json.Unmarshal([]byte(stdout), &ps); err != nil || ps.Sent == 0 || ps.Published != ps.Sent || ps.Errors != 0 {
		t.Fatalf("publish printed %s (%v)", stdout, err)
	}

	db := filepath.Join(dir, "w.db")
	code, _, stderr = run(t, append(append([]string{"worker"}, common...), "--db", db, "--exit-when-idle",
		"--analyse-delay", "100ms", "--batch", "300")...)
	if code != 0 {
		t.Fatalf("worker: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "analysis saved") {
		t.Errorf("worker log lacks the analysis:\n%s", stderr)
	}

	code, stdout, stderr = run(t, "scan", "--json", filepath.Join(dir, "org"))
	if code != 0 {
		t.Fatalf("scan: exit %d: %s", code, stderr)
	}
	var want report.Report
	if err := json.Unmarshal([]byte(stdout), &want); err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(context.Background(), db, store.Options{Tenant: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, err := report.LoadStored(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	// Through JSON, as scan printed it.
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	var gotJSON report.Report
	if err := json.Unmarshal(b, &gotJSON); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want.People, gotJSON.People); diff != "" {
		t.Errorf("worker's people differ from scan's (-scan +worker):\n%.3000s", diff)
	}
	if diff := cmp.Diff(want.Clusters, gotJSON.Clusters); diff != "" {
		t.Errorf("worker's clusters differ from scan's (-scan +worker):\n%.3000s", diff)
	}
	if diff := cmp.Diff(want.Stats, gotJSON.Stats); diff != "" {
		t.Errorf("worker's stats differ from scan's (-scan +worker):\n%s", diff)
	}
}

func TestCLIUsageErrors(t *testing.T) {
	for name, args := range map[string][]string{
		"publish_no_paths":     {"publish"},
		"publish_missing_path": {"publish", "--nats", "nats://127.0.0.1:1", "/does/not/exist"},
		"publish_bad_tenant":   {"publish", "--tenant", "a.b", "x"},
		"worker_no_db":         {"worker"},
		"worker_bad_range":     {"worker", "--db", "x.db", "--partitions", "3-1"},
		"worker_bad_list":      {"worker", "--db", "x.db", "--partitions", "a"},
		"worker_bad_stream":    {"worker", "--db", "x.db", "--stream", "a.b"},
	} {
		t.Run(name, func(t *testing.T) {
			if code, _, stderr := run(t, args...); code != cli.ExitUsage || stderr == "" {
				t.Errorf("exit %d, stderr %q; want %d with a message", code, stderr, cli.ExitUsage)
			}
		})
	}
}
