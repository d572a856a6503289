package postgres

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/rollcall/rollcall/internal/store"
	"github.com/rollcall/rollcall/internal/store/storetest"
)

// workbenchTables are the tables the workbench keeps rows in.
var workbenchTables = []string{"users", "sessions", "api_tokens", "login_failures", "cases", "case_comments", "suppressions",
	"audit_log", "finding_marks", "source_coverage"}

func TestWorkbench(t *testing.T) {
	serverDSN(t)
	t.Parallel()
	var dsns perTest[string]
	storetest.RunWorkbench(t, func(t *testing.T, tenant string) store.Workbench {
		return mustOpen(t, dsns.get(t, func() string { return newSchema(t, "") }), tenant)
	})
}

// TestWorkbenchOrdinaryRole runs the workbench suite as a role that owns
// its schema but is no superuser, so that the row-level-security policies
// apply to every statement.
func TestWorkbenchOrdinaryRole(t *testing.T) {
	serverDSN(t)
	t.Parallel()
	role := newRole(t)
	var dsns perTest[string]
	storetest.RunWorkbench(t, func(t *testing.T, tenant string) store.Workbench {
		return mustOpen(t, dsns.get(t, func() string { return newSchema(t, role) }), tenant)
	})
}

var wbTime = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)

// fillWorkbench writes a row to every workbench table.
func fillWorkbench(t *testing.T, s *Store) {
	t.Helper()
	ctx := t.Context()
	steps := []func() error{
		func() error {
			return s.CreateUser(ctx, store.User{Name: "alice", Role: store.RoleAdmin, PasswordHash: "$argon2id$x", Created: wbTime})
		},
		func() error {
			return s.CreateSession(ctx, store.Session{ID: "h-" + s.tenant, User: "alice", CSRF: "c", Created: wbTime, LastSeen: wbTime, Expires: wbTime})
		},
		func() error {
			return s.CreateToken(ctx, store.Token{ID: "t-" + s.tenant, Prefix: "rc_" + s.tenant, User: "alice", Created: wbTime})
		},
		func() error { return s.AddLoginFailure(ctx, "user:alice", wbTime) },
		func() error {
			c, err := s.CreateCase(ctx, store.Case{Subject: store.SubjectPerson, SubjectID: "E1", Status: store.CaseOpen})
			if err != nil {
				return err
			}
			_, err = s.AddComment(ctx, store.Comment{Case: c.ID, Author: "alice", Body: "note"})
			return err
		},
		func() error {
			_, err := s.AddSuppression(ctx, store.Suppression{Person: "E1", Indicator: "IAM-01", Reason: "vpn"})
			return err
		},
		func() error {
			return s.AppendAudit(ctx, store.AuditEntry{Time: wbTime, Actor: "alice", Action: "person.view"})
		},
		func() error {
			return s.MarkFindings(ctx, []store.FindingMark{{Person: "E1", Indicator: "IAM-01", Seen: wbTime}})
		},
		func() error {
			return s.SetCoverage(ctx, []store.Coverage{{Source: "okta", Events: 1, Files: 1, Daily: map[string]int{}}})
		},
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("%s: step %d: %v", s.tenant, i, err)
		}
	}
}

// TestWorkbenchRowLevelSecurity checks the workbench tables' policies
// directly, with statements that do not filter by tenant, as an ordinary
// role that owns the tables.
func TestWorkbenchRowLevelSecurity(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dsn := newSchema(t, newRole(t))
	for _, tenant := range []string{"acme", "globex"} {
		fillWorkbench(t, mustOpen(t, dsn, tenant))
	}
	connect := func(t *testing.T, params map[string]string) *pgx.Conn {
		t.Helper()
		conn, err := pgx.Connect(ctx, withParams(t, dsn, params))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close(context.Background()) })
		return conn
	}
	tenants := func(t *testing.T, conn *pgx.Conn, table string) []string {
		t.Helper()
		rows, err := conn.Query(ctx, "SELECT DISTINCT tenant FROM "+table+" ORDER BY tenant")
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		got, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		return got
	}

	t.Run("tenant_sees_its_rows_only", func(t *testing.T) {
		conn := connect(t, map[string]string{TenantSetting: "globex"})
		for _, table := range workbenchTables {
			if diff := cmp.Diff([]string{"globex"}, tenants(t, conn, table)); diff != "" {
				t.Errorf("tenants in %s (-want +got):\n%s", table, diff)
			}
		}
	})
	t.Run("no_tenant_sees_nothing", func(t *testing.T) {
		conn := connect(t, nil)
		for _, table := range workbenchTables {
			if got := tenants(t, conn, table); len(got) != 0 {
				t.Errorf("without %s, %s shows tenants %v", TenantSetting, table, got)
			}
		}
	})
	t.Run("tenant_cannot_write_another", func(t *testing.T) {
		conn := connect(t, map[string]string{TenantSetting: "globex"})
		for _, stmt := range []string{
			`INSERT INTO audit_log (tenant, time, actor, action, target, detail, addr) VALUES ('acme', now(), 'mallory', 'x', '', '', '')`,
			`INSERT INTO sessions (tenant, id, username, csrf, created, last_seen, expires) VALUES ('acme', 'forged', 'alice', 'c', now(), now(), now() + interval '1 day')`,
		} {
			_, err := conn.Exec(ctx, stmt)
			var pgErr *pgconn.PgError
			if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
				t.Errorf("%s as globex: %v; want a row-level-security violation (42501)", stmt, err)
			}
		}
		tag, err := conn.Exec(ctx, `DELETE FROM users`)
		if err != nil {
			t.Fatal(err)
		}
		if tag.RowsAffected() != 1 {
			t.Errorf("DELETE FROM users as globex deleted %d rows, want globex's 1", tag.RowsAffected())
		}
	})
}

// TestAuditAppendOnly checks that the database refuses to change or remove
// logged entries, to the superuser and to the tables' owner alike, even by
// statements that would touch no row, and whatever tenant asks.
func TestAuditAppendOnly(t *testing.T) {
	serverDSN(t)
	t.Parallel()
	for _, tc := range []struct {
		name  string
		owner func(t *testing.T) string // the role the store connects as; empty: the DSN's
	}{
		{"superuser", func(*testing.T) string { return "" }},
		{"owner", func(t *testing.T) string { return newRole(t) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			s := mustOpen(t, newSchema(t, tc.owner(t)), "acme")
			for _, action := range []string{"login.success", "person.view"} {
				if err := s.AppendAudit(ctx, store.AuditEntry{Time: wbTime, Actor: "alice", Action: action}); err != nil {
					t.Fatal(err)
				}
			}
			before, err := s.AuditLog(ctx, store.AuditQuery{})
			if err != nil {
				t.Fatal(err)
			}
			for _, stmt := range []string{
				`UPDATE audit_log SET actor = 'mallory'`,
				`UPDATE audit_log SET actor = 'mallory' WHERE false`,
				`DELETE FROM audit_log`,
				`DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)`,
				`TRUNCATE audit_log`,
			} {
				_, err := s.pool.Exec(ctx, stmt)
				var pgErr *pgconn.PgError
				if !errors.As(err, &pgErr) || !strings.Contains(pgErr.Message, "append-only") {
					t.Errorf("%s: %v; want the append-only refusal", stmt, err)
				}
			}
			after, err := s.AuditLog(ctx, store.AuditQuery{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(before, after); diff != "" {
				t.Errorf("audit log changed (-before +after):\n%s", diff)
			}
			if err := s.AppendAudit(ctx, store.AuditEntry{Time: wbTime, Actor: "alice", Action: "logout"}); err != nil {
				t.Errorf("AppendAudit after the refusals: %v", err)
			}
		})
	}
}
