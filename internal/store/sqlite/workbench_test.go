package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/store"
)

// The workbench tests are written against store.Workbench only, so that
// they can move into storetest once the PostgreSQL backend implements it.

type workbenchOpener func(t *testing.T, tenant string) store.Workbench

func TestWorkbench(t *testing.T) {
	var paths perTest[string]
	open := func(t *testing.T, tenant string) store.Workbench {
		dsn := paths.get(t, func() string { return filepath.Join(t.TempDir(), "rollcall.db") })
		return mustOpen(t, dsn, tenant)
	}
	for _, tc := range []struct {
		name string
		test func(*testing.T, workbenchOpener)
	}{
		{"users", testUsers},
		{"sessions", testSessions},
		{"tokens", testTokens},
		{"login_failures", testLoginFailures},
		{"cases", testCases},
		{"suppressions", testSuppressions},
		{"audit", testAudit},
		{"finding_marks", testFindingMarks},
		{"coverage", testCoverage},
		{"tenant_isolation", testWorkbenchTenants},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.test(t, open) })
	}
}

var t0 = time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)

func mustUser(t *testing.T, w store.Workbench, name, role string) store.User {
	t.Helper()
	u := store.User{Name: name, Role: role, PasswordHash: "$argon2id$test", Created: t0}
	if err := w.CreateUser(context.Background(), u); err != nil {
		t.Fatalf("CreateUser(%q): %v", name, err)
	}
	return u
}

func testUsers(t *testing.T, open workbenchOpener) {
	ctx := context.Background()
	w := open(t, "")
	want := mustUser(t, w, "alice", store.RoleAnalyst)
	if err := w.CreateUser(ctx, want); !errors.Is(err, store.ErrExists) {
		t.Errorf("CreateUser twice: %v, want ErrExists", err)
	}
	for _, bad := range []store.User{
		{Name: "", Role: store.RoleAdmin, PasswordHash: "x"},
		{Name: "<b>", Role: store.RoleAdmin, PasswordHash: "x"},
		{Name: "bob", Role: "root", PasswordHash: "x"},
		{Name: "bob", Role: store.RoleAdmin},
	} {
		if err := w.CreateUser(ctx, bad); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("CreateUser(%+v): %v, want ErrInvalid", bad, err)
		}
	}
	got, err := w.User(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("User (-want +got):\n%s", diff)
	}
	if _, err := w.User(ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("User(nobody): %v, want ErrNotFound", err)
	}
	want.Role, want.Disabled, want.PasswordHash = store.RoleAdmin, true, "$argon2id$new"
	if err := w.UpdateUser(ctx, want); err != nil {
		t.Fatal(err)
	}
	if err := w.UpdateUser(ctx, store.User{Name: "nobody", Role: store.RoleViewer, PasswordHash: "x"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UpdateUser(nobody): %v, want ErrNotFound", err)
	}
	login, visit := t0.Add(time.Hour), t0.Add(2*time.Hour)
	if err := w.SetUserSeen(ctx, "alice", login, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := w.SetUserSeen(ctx, "alice", time.Time{}, visit); err != nil {
		t.Fatal(err)
	}
	want.LastLogin, want.LastVisit = login, visit
	mustUser(t, w, "aaron", store.RoleViewer)
	users, err := w.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 2 || users[0].Name != "aaron" {
		t.Errorf("Users = %+v, want aaron then alice", users)
	}
	if diff := cmp.Diff(want, users[1]); diff != "" {
		t.Errorf("Users[1] (-want +got):\n%s", diff)
	}
}

func testSessions(t *testing.T, open workbenchOpener) {
	ctx := context.Background()
	w := open(t, "")
	mustUser(t, w, "alice", store.RoleAnalyst)
	want := store.Session{ID: "h1", User: "alice", CSRF: "c1", Created: t0, LastSeen: t0, Expires: t0.Add(12 * time.Hour), Addr: "192.0.2.1"}
	if err := w.CreateSession(ctx, want); err != nil {
		t.Fatal(err)
	}
	if err := w.CreateSession(ctx, store.Session{ID: "h2", User: "alice", CSRF: "c2", Created: t0, LastSeen: t0, Expires: t0.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if err := w.TouchSession(ctx, "h1", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	want.LastSeen = t0.Add(time.Hour)
	got, err := w.Session(ctx, "h1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Session (-want +got):\n%s", diff)
	}
	n, err := w.DeleteSessionsBefore(ctx, t0.Add(30*time.Minute), t0.Add(-time.Hour))
	if err != nil || n != 1 {
		t.Errorf("DeleteSessionsBefore = %d, %v; want 1 (the expired one)", n, err)
	}
	if err := w.DeleteSession(ctx, "h1"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Session(ctx, "h1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Session after delete: %v, want ErrNotFound", err)
	}
	if err := w.DeleteSession(ctx, "h1"); err != nil {
		t.Errorf("DeleteSession of a missing session: %v", err)
	}
	if err := w.CreateSession(ctx, store.Session{ID: "h3", User: "alice", CSRF: "c3", Created: t0, LastSeen: t0, Expires: t0}); err != nil {
		t.Fatal(err)
	}
	if err := w.DeleteUserSessions(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Session(ctx, "h3"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Session after DeleteUserSessions: %v, want ErrNotFound", err)
	}
}

func testTokens(t *testing.T, open workbenchOpener) {
	ctx := context.Background()
	w := open(t, "")
	mustUser(t, w, "alice", store.RoleAnalyst)
	mustUser(t, w, "bob", store.RoleAdmin)
	a := store.Token{ID: "ha", Prefix: "rc_aaaa", Name: "ci", User: "alice", Created: t0}
	b := store.Token{ID: "hb", Prefix: "rc_bbbb", Name: "siem", User: "bob", Created: t0.Add(time.Minute), Expires: t0.Add(24 * time.Hour)}
	for _, tok := range []store.Token{a, b} {
		if err := w.CreateToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.CreateToken(ctx, a); !errors.Is(err, store.ErrExists) {
		t.Errorf("CreateToken twice: %v, want ErrExists", err)
	}
	if err := w.TouchToken(ctx, "ha", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	a.LastUsed = t0.Add(time.Hour)
	got, err := w.Token(ctx, "ha")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, got); diff != "" {
		t.Errorf("Token (-want +got):\n%s", diff)
	}
	all, err := w.Tokens(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]store.Token{b, a}, all); diff != "" {
		t.Errorf("Tokens(all) (-want +got):\n%s", diff)
	}
	if err := w.DeleteToken(ctx, "alice", "rc_bbbb"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("DeleteToken of another user's token: %v, want ErrNotFound", err)
	}
	if err := w.DeleteToken(ctx, "alice", "rc_aaaa"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Token(ctx, "ha"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Token after delete: %v, want ErrNotFound", err)
	}
}

func testLoginFailures(t *testing.T, open workbenchOpener) {
	ctx := context.Background()
	w := open(t, "")
	for i := range 3 {
		if err := w.AddLoginFailure(ctx, "user:alice", t0.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.AddLoginFailure(ctx, "addr:192.0.2.1", t0); err != nil {
		t.Fatal(err)
	}
	if n, err := w.LoginFailures(ctx, "user:alice", t0.Add(time.Minute)); err != nil || n != 2 {
		t.Errorf("LoginFailures since the 2nd = %d, %v; want 2", n, err)
	}
	if err := w.ClearLoginFailures(ctx, "user:alice", t0.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n, _ := w.LoginFailures(ctx, "user:alice", time.Time{}); n != 0 {
		t.Errorf("LoginFailures after clear = %d, want 0", n)
	}
	if n, _ := w.LoginFailures(ctx, "addr:192.0.2.1", time.Time{}); n != 1 {
		t.Errorf("another key's failures = %d, want 1 (untouched)", n)
	}
}

func testCases(t *testing.T, open workbenchOpener) {
	ctx := context.Background()
	w := open(t, "")
	c1, err := w.CreateCase(ctx, store.Case{Title: "E1", Subject: store.SubjectPerson, SubjectID: "E1", Status: store.CaseOpen,
		CreatedBy: "alice", Created: t0, Updated: t0})
	if err != nil {
		t.Fatal(err)
	}
	c2, err := w.CreateCase(ctx, store.Case{Title: "C1", Subject: store.SubjectCell, SubjectID: "C1", Status: store.CaseOpen,
		CreatedBy: "alice", Created: t0, Updated: t0.Add(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	if c1.ID == 0 || c1.ID == c2.ID {
		t.Fatalf("case ids %d, %d: want distinct, non-zero", c1.ID, c2.ID)
	}
	if _, err := w.CreateCase(ctx, store.Case{Subject: "team", SubjectID: "x", Status: store.CaseOpen}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("CreateCase(bad subject): %v, want ErrInvalid", err)
	}
	c1.Verdict, c1.Reason, c1.Assignee, c1.Status, c1.Updated = store.VerdictBenign, "approved travel", "bob", store.CaseClosed, t0.Add(time.Hour)
	if err := w.UpdateCase(ctx, c1); err != nil {
		t.Fatal(err)
	}
	got, err := w.Case(ctx, c1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(c1, got); diff != "" {
		t.Errorf("Case (-want +got):\n%s", diff)
	}
	list, err := w.ListCases(ctx, store.CaseQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]store.Case{c1, c2}, list); diff != "" {
		t.Errorf("ListCases (-want +got):\n%s", diff)
	}
	open1, _ := w.ListCases(ctx, store.CaseQuery{Status: store.CaseOpen, Subject: store.SubjectCell, SubjectID: "C1"})
	if len(open1) != 1 || open1[0].ID != c2.ID {
		t.Errorf("ListCases(open cell C1) = %+v, want case %d", open1, c2.ID)
	}
	if _, err := w.Case(ctx, 999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Case(999): %v, want ErrNotFound", err)
	}
	cm, err := w.AddComment(ctx, store.Comment{Case: c1.ID, Author: "alice", Body: "called HR", Created: t0})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.AddComment(ctx, store.Comment{Case: 999, Author: "alice", Body: "x", Created: t0}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("AddComment(no case): %v, want ErrNotFound", err)
	}
	comments, err := w.Comments(ctx, c1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]store.Comment{cm}, comments); diff != "" {
		t.Errorf("Comments (-want +got):\n%s", diff)
	}
}

func testSuppressions(t *testing.T, open workbenchOpener) {
	ctx := context.Background()
	w := open(t, "")
	sp, err := w.AddSuppression(ctx, store.Suppression{Person: "E1", Indicator: "IAM-01", Reason: "corporate VPN", Case: 3,
		CreatedBy: "alice", Created: t0})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.AddSuppression(ctx, store.Suppression{Person: "E1", Indicator: "IAM-01"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("AddSuppression without reason: %v, want ErrInvalid", err)
	}
	if !sp.Active(t0) {
		t.Error("new suppression not active")
	}
	if err := w.RevokeSuppression(ctx, sp.ID, "bob", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := w.RevokeSuppression(ctx, sp.ID, "bob", t0.Add(time.Hour)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RevokeSuppression twice: %v, want ErrNotFound", err)
	}
	sp.RevokedBy, sp.Revoked = "bob", t0.Add(time.Hour)
	got, err := w.Suppressions(ctx, "E1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]store.Suppression{sp}, got); diff != "" {
		t.Errorf("Suppressions (-want +got):\n%s", diff)
	}
	if got[0].Active(t0.Add(2 * time.Hour)) {
		t.Error("revoked suppression still active")
	}
	if other, _ := w.Suppressions(ctx, "E2"); len(other) != 0 {
		t.Errorf("Suppressions(E2) = %+v, want none", other)
	}
}

func testAudit(t *testing.T, open workbenchOpener) {
	ctx := context.Background()
	w := open(t, "")
	entries := []store.AuditEntry{
		{Time: t0, Actor: "alice", Action: "login.success", Addr: "192.0.2.1"},
		{Time: t0.Add(time.Minute), Actor: "alice", Action: "person.view", Target: "person:E1"},
		{Time: t0.Add(2 * time.Minute), Actor: "bob", Action: "person.evidence", Target: "person:E1"},
		{Time: t0.Add(3 * time.Minute), Actor: "alice", Action: "case.verdict", Target: "case:1", Detail: "benign"},
	}
	for _, e := range entries {
		if err := w.AppendAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.AppendAudit(ctx, store.AuditEntry{Actor: "x"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("AppendAudit without action: %v, want ErrInvalid", err)
	}
	all, err := w.AuditLog(ctx, store.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 4 || all[0].Action != "case.verdict" || all[0].Seq <= all[1].Seq {
		t.Fatalf("AuditLog = %+v, want 4 entries newest first", all)
	}
	for _, tc := range []struct {
		name string
		q    store.AuditQuery
		want []string // actions
	}{
		{"actor", store.AuditQuery{Actor: "bob"}, []string{"person.evidence"}},
		{"action_prefix", store.AuditQuery{Action: "person."}, []string{"person.evidence", "person.view"}},
		{"action_exact", store.AuditQuery{Action: "person.view"}, []string{"person.view"}},
		{"target", store.AuditQuery{Target: "person:E1"}, []string{"person.evidence", "person.view"}},
		{"page", store.AuditQuery{Before: all[1].Seq, Limit: 1}, []string{"person.view"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := w.AuditLog(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, e := range got {
				actions = append(actions, e.Action)
			}
			if diff := cmp.Diff(tc.want, actions); diff != "" {
				t.Errorf("actions (-want +got):\n%s", diff)
			}
		})
	}
	// The log is append-only, even to someone with a handle on the database.
	s := w.(*Store)
	if _, err := s.db.ExecContext(ctx, `UPDATE audit_log SET actor = 'mallory'`); err == nil {
		t.Error("UPDATE of the audit log succeeded")
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM audit_log`); err == nil {
		t.Error("DELETE from the audit log succeeded")
	}
	if again, _ := w.AuditLog(ctx, store.AuditQuery{}); len(again) != 4 || again[0].Actor != "alice" {
		t.Errorf("audit log changed: %+v", again)
	}
}

func testFindingMarks(t *testing.T, open workbenchOpener) {
	ctx := context.Background()
	w := open(t, "")
	first := []store.FindingMark{
		{Person: "E1", Indicator: "IAM-01", Seen: t0, Observed: t0.Add(-48 * time.Hour)},
		{Person: "E2", Indicator: "PAY-01", Seen: t0},
	}
	if err := w.MarkFindings(ctx, first); err != nil {
		t.Fatal(err)
	}
	later := []store.FindingMark{
		{Person: "E1", Indicator: "IAM-01", Seen: t0.Add(time.Hour)}, // already marked: unchanged
		{Person: "E1", Indicator: "ONB-01", Seen: t0.Add(time.Hour)},
	}
	if err := w.MarkFindings(ctx, later); err != nil {
		t.Fatal(err)
	}
	got, err := w.FindingMarks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []store.FindingMark{first[0], first[1], later[1]}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FindingMarks (-want +got):\n%s", diff)
	}
}

func testCoverage(t *testing.T, open workbenchOpener) {
	ctx := context.Background()
	w := open(t, "")
	old := []store.Coverage{{Source: "scim", Events: 1, Files: 1, Daily: map[string]int{}}}
	if err := w.SetCoverage(ctx, old); err != nil {
		t.Fatal(err)
	}
	want := []store.Coverage{
		{Source: "okta", Events: 5, Files: 2, First: t0, Last: t0.Add(48 * time.Hour), Daily: map[string]int{"2026-11-02": 2, "2026-11-04": 3}},
		{Source: "payroll", Events: 1, Files: 1, Daily: map[string]int{}},
	}
	if err := w.SetCoverage(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, err := w.Coverage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Coverage (-want +got):\n%s", diff)
	}
}

func testWorkbenchTenants(t *testing.T, open workbenchOpener) {
	ctx := context.Background()
	a, b := open(t, "a"), open(t, "b")
	mustUser(t, a, "alice", store.RoleAdmin)
	if _, err := b.User(ctx, "alice"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("tenant b sees tenant a's user: %v", err)
	}
	mustUser(t, b, "alice", store.RoleViewer) // same name, other tenant
	if _, err := a.CreateCase(ctx, store.Case{Subject: store.SubjectPerson, SubjectID: "E1", Status: store.CaseOpen}); err != nil {
		t.Fatal(err)
	}
	if err := a.AppendAudit(ctx, store.AuditEntry{Action: "x"}); err != nil {
		t.Fatal(err)
	}
	if cs, _ := b.ListCases(ctx, store.CaseQuery{}); len(cs) != 0 {
		t.Errorf("tenant b sees %d cases of tenant a", len(cs))
	}
	if log, _ := b.AuditLog(ctx, store.AuditQuery{}); len(log) != 0 {
		t.Errorf("tenant b sees %d audit entries of tenant a", len(log))
	}
}
