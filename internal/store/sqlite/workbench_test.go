package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/rollcall/rollcall/internal/store"
	"github.com/rollcall/rollcall/internal/store/storetest"
)

func TestWorkbench(t *testing.T) {
	var paths perTest[string]
	storetest.RunWorkbench(t, func(t *testing.T, tenant string) store.Workbench {
		path := paths.get(t, func() string { return filepath.Join(t.TempDir(), "rollcall.db") })
		return mustOpen(t, path, tenant)
	})
}

// TestAuditAppendOnly checks that the database itself refuses to change or
// remove a logged entry, whoever asks.
func TestAuditAppendOnly(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t, filepath.Join(t.TempDir(), "rollcall.db"), "")
	at := time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
	for _, action := range []string{"login.success", "person.view"} {
		if err := s.AppendAudit(ctx, store.AuditEntry{Time: at, Actor: "alice", Action: action}); err != nil {
			t.Fatal(err)
		}
	}
	for _, stmt := range []string{`UPDATE audit_log SET actor = 'mallory'`, `DELETE FROM audit_log`} {
		if _, err := s.db.ExecContext(ctx, stmt); err == nil {
			t.Errorf("%s succeeded", stmt)
		}
	}
	if log, err := s.AuditLog(ctx, store.AuditQuery{}); err != nil || len(log) != 2 || log[0].Actor != "alice" {
		t.Errorf("audit log after the attempts = %+v, %v; want both entries unchanged", log, err)
	}
}
