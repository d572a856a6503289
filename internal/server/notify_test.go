package server

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/rollcall/rollcall/internal/notify"
	"github.com/rollcall/rollcall/internal/notify/notifytest"
	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/store"
	"github.com/rollcall/rollcall/internal/store/sqlite"
)

// TestAnalysisAnnouncesLevelChanges runs the workbench with a notifier
// whose webhook receiver is on loopback: the analysis after loading the
// organisation announces everyone at high or above, verified with the
// HMAC secret; a later analysis of the same data announces nothing.
func TestAnalysisAnnouncesLevelChanges(t *testing.T) {
	dir := t.TempDir()
	cfgPath, hook := notifytest.WebhookConfig(t, dir, "")
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
	rep, err := report.LoadStored(ctx, st)
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
	first := map[string]string{}
	for _, m := range hook.Messages() {
		first[m.Person] = m.Current
	}
	if len(first) != len(want) {
		t.Errorf("announced %v, want %v", first, want)
	}
	for id, level := range want {
		if first[id] != level {
			t.Errorf("%s announced at %q, want %q", id, first[id], level)
		}
	}
	n := len(hook.Messages())
	analyse()
	analyse()
	if more := len(hook.Messages()) - n; more != 0 {
		t.Errorf("analyses of the same data announced %d more changes", more)
	}
}
