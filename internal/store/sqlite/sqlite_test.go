package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/store"
	"github.com/rollcall/rollcall/internal/store/storetest"
)

// perTest remembers one value per test, so that every store a test opens
// shares that test's database.
type perTest[T any] struct {
	mu sync.Mutex
	m  map[*testing.T]T
}

func (p *perTest[T]) get(t *testing.T, newValue func() T) T {
	p.mu.Lock()
	defer p.mu.Unlock()
	if v, ok := p.m[t]; ok {
		return v
	}
	if p.m == nil {
		p.m = make(map[*testing.T]T)
	}
	v := newValue()
	p.m[t] = v
	return v
}

func mustOpen(t testing.TB, dsn string, tenant string) *Store {
	t.Helper()
	s, err := Open(context.Background(), dsn, store.Options{Tenant: tenant})
	if err != nil {
		t.Fatalf("Open(%q): %v", dsn, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestConformanceFile(t *testing.T) {
	var paths perTest[string]
	storetest.Run(t, func(t *testing.T, tenant string) store.Store {
		path := paths.get(t, func() string { return filepath.Join(t.TempDir(), "db", "rollcall.db") })
		return mustOpen(t, path, tenant)
	})
}

func TestConformanceMemory(t *testing.T) {
	var dbs perTest[*Store]
	storetest.Run(t, func(t *testing.T, tenant string) store.Store {
		first := dbs.get(t, func() *Store { return mustOpen(t, Memory, tenant) })
		return first.WithTenant(tenant)
	})
}

func TestOpenCreatesDirectoryAndKeepsData(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "a", "b", "rollcall.db")
	s, err := Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	ev := &event.Event{Kind: event.KindAudit, Prov: event.Provenance{Origin: &event.Origin{Source: "github", File: "x"}, Record: 1, Hash: "ab"}, Audit: &event.Audit{Action: "git.clone"}}
	if _, err := s.SaveEvents(ctx, []*event.Event{ev}); err != nil {
		t.Fatalf("SaveEvents: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	// Reopening finds the schema current and the data there.
	s = mustOpen(t, path, "")
	if n, err := s.EventCount(ctx); err != nil || n != 1 {
		t.Errorf("EventCount after reopening = %d, %v; want 1", n, err)
	}
	var mode string
	if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	var fk int
	if err := s.db.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys = %d, %v; want 1", fk, err)
	}
}

func TestOpenRefuses(t *testing.T) {
	dir := t.TempDir()
	notDir := filepath.Join(dir, "file")
	if err := os.WriteFile(notDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, dsn string
		invalid   bool
	}{
		{"empty", "", true},
		{"query", filepath.Join(dir, "x.db?mode=ro"), true},
		{"uri", "file:" + filepath.Join(dir, "x.db"), true},
		{"parent_is_a_file", filepath.Join(notDir, "x.db"), false},
		{"not_a_database", notDir + "-garbage", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "not_a_database" {
				if err := os.WriteFile(tc.dsn, []byte(strings.Repeat("not sqlite ", 100)), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			s, err := Open(t.Context(), tc.dsn, store.Options{})
			if err == nil {
				s.Close()
				t.Fatalf("Open(%q) succeeded", tc.dsn)
			}
			if got := errors.Is(err, store.ErrInvalid); got != tc.invalid {
				t.Errorf("Open(%q) = %v; wraps ErrInvalid = %v, want %v", tc.dsn, err, got, tc.invalid)
			}
		})
	}
}

// dump returns every row of every table, for comparing database states.
func dump(t *testing.T, db *sql.DB) map[string][]string {
	t.Helper()
	ctx := t.Context()
	tables := []string{"events", "person_accounts", "results", "clusters", "cluster_links", "people", "findings",
		"rejections", "skipped_files", "unresolved"}
	out := make(map[string][]string)
	for _, table := range tables {
		rows, err := db.QueryContext(ctx, "SELECT * FROM "+table+" ORDER BY rowid")
		if strings.Contains(fmt.Sprint(err), "no such column: rowid") {
			rows, err = db.QueryContext(ctx, "SELECT * FROM "+table+" ORDER BY 1, 2, 3")
		}
		if err != nil {
			t.Fatalf("dump %s: %v", table, err)
		}
		cols, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out[table] = append(out[table], fmt.Sprintf("%v", vals))
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func TestResaveLeavesIdenticalRows(t *testing.T) {
	ctx := t.Context()
	s := mustOpen(t, filepath.Join(t.TempDir(), "rollcall.db"), "")
	events := []*event.Event{
		{Kind: event.KindAudit, Prov: event.Provenance{Origin: &event.Origin{Source: "github", File: "x"}, Record: 1, Hash: "ab"}, Account: &event.Actor{Login: "dev1"}, Audit: &event.Audit{}},
		{Kind: event.KindAudit, Prov: event.Provenance{Origin: &event.Origin{Source: "github", File: "x"}, Record: 2, Hash: "cd"}, Account: &event.Actor{Login: "dev2"}, Audit: &event.Audit{}},
	}
	r := &store.Results{
		Version: report.Version,
		People: []store.Person{
			{ID: "E1", Name: "One", Score: 50, Level: "medium", Cluster: "C1", Indicators: []store.Finding{{ID: "A-1"}, {ID: "B-2"}}},
			{ID: "E2", Name: "Two", Score: 10, Level: "low", Cluster: "C1", Indicators: []store.Finding{{ID: "A-1"}}},
		},
		Clusters: []store.Cluster{{ID: "C1", Members: []string{"E1", "E2"}, Links: []store.Link{{Kind: "ip", Value: "192.0.2.1"}}}},
		Rejected: []store.Rejection{{File: "f", Line: 3, Reason: "bad"}},
	}
	save := func() {
		t.Helper()
		if _, err := s.SaveEvents(ctx, events); err != nil {
			t.Fatal(err)
		}
		if err := s.SetEventPeople(ctx, map[string]string{events[0].Prov.Key(): "E1", events[1].Prov.Key(): "E2"}); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveResults(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	save()
	first := dump(t, s.db)
	save()
	if diff := cmp.Diff(first, dump(t, s.db)); diff != "" {
		t.Errorf("rows after saving again (-first +second):\n%s", diff)
	}
	if got := len(first["findings"]); got != 3 {
		t.Errorf("%d findings rows, want 3", got)
	}
}

func TestWithTenantCloseKeepsDatabase(t *testing.T) {
	s := mustOpen(t, Memory, "acme")
	view := s.WithTenant("")
	if got := view.Tenant(); got != store.DefaultTenant {
		t.Errorf("view tenant = %q, want %q", got, store.DefaultTenant)
	}
	if err := view.Close(); err != nil {
		t.Fatalf("view Close: %v", err)
	}
	if _, err := s.EventCount(t.Context()); err != nil {
		t.Errorf("EventCount after closing a view: %v", err)
	}
}
