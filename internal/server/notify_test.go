package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rollcall/rollcall/internal/notify"
	"github.com/rollcall/rollcall/internal/store"
	"github.com/rollcall/rollcall/internal/store/sqlite"
)

// TestAnalysisAnnouncesLevelChanges runs the workbench with a notifier
// whose webhook receiver is on loopback: the analysis after loading the
// organisation announces everyone at high or above, verified with the
// HMAC secret; a later analysis of the same data announces nothing.
func TestAnalysisAnnouncesLevelChanges(t *testing.T) {
	const secret = "server test webhook secret"
	t.Setenv("ROLLCALL_TEST_SERVER_HOOK", secret)
	var mu sync.Mutex
	var got []notify.Message
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Error(err)
		}
		if err := notify.Verify([]byte(secret), r.Header.Get(notify.HeaderTimestamp), r.Header.Get(notify.HeaderSignature), body, time.Now(), time.Minute); err != nil {
			t.Errorf("receiver: %v", err)
		}
		var m notify.Message
		if err := json.Unmarshal(body, &m); err != nil {
			t.Error(err)
		}
		mu.Lock()
		got = append(got, m)
		mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	defer hook.Close()
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "notify.yaml")
	if err := os.WriteFile(cfgPath, []byte("sent_log: sent.ndjson\ndead_letter: dead.ndjson\nwebhooks:\n  - {name: soc, url: \""+hook.URL+"\", secret_env: ROLLCALL_TEST_SERVER_HOOK}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := notify.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	nt, err := notify.New(cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "rollcall.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv, err := New(Config{Store: st, Work: st, Notifier: nt})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer func() { cancel(); srv.analysis.wait() }()
	srv.Start(runCtx)
	if _, err := srv.LoadDemo(ctx, testSim); err != nil {
		t.Fatal(err)
	}
	// Runs are serialised and each announces before the next starts: once
	// a further run is done, the earlier announcements are complete.
	analyse := func() {
		t.Helper()
		if err := srv.analysis.waitFor(ctx, srv.analysis.request()); err != nil {
			t.Fatal(err)
		}
	}
	analyse()
	rep, err := st.Report(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, p := range rep.People {
		if p.Level == "high" || p.Level == "critical" {
			want[p.ID] = p.Level
		}
	}
	if len(want) == 0 {
		t.Fatal("the test organisation has nobody at high or above")
	}
	mu.Lock()
	first := map[string]string{}
	for _, m := range got {
		first[m.Person] = m.Current
	}
	mu.Unlock()
	if len(first) != len(want) {
		t.Errorf("announced %v, want %v", first, want)
	}
	for id, level := range want {
		if first[id] != level {
			t.Errorf("%s announced at %q, want %q", id, first[id], level)
		}
	}
	n := len(got)
	analyse()
	analyse()
	mu.Lock()
	defer mu.Unlock()
	if len(got) != n {
		t.Errorf("analyses of the same data announced %d more changes", len(got)-n)
	}
}
