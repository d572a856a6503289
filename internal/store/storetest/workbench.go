package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/store"
)

// WorkbenchOpener opens a workbench scoped to tenant, with the contract of
// Opener: every call with the same t opens the same database, empty when t
// begins, and each call opens a store of its own, as another process (a
// serve replica) would.
type WorkbenchOpener func(t *testing.T, tenant string) store.Workbench

// RunWorkbench runs the conformance suite of store.Workbench (accounts,
// sessions, tokens, sign-in failures, cases, suppressions, the audit log,
// finding marks and coverage; tenant isolation; replicas sharing one
// database) against the backend that open opens. That the audit log is
// append-only in the database itself is for each backend to test, with
// statements of its own.
func RunWorkbench(t *testing.T, open func(t *testing.T, tenant string) store.Workbench) {
	t.Helper()
	for _, tc := range []struct {
		name string
		test func(*testing.T, WorkbenchOpener)
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
		{"odd_bytes", testWorkbenchOddBytes},
		{"tenant_isolation", testWorkbenchTenants},
		{"replicas", testWorkbenchReplicas},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.test(t, open) })
	}
}

func mustUser(t *testing.T, w store.Workbench, name, role string) store.User {
	t.Helper()
	u := store.User{Name: name, Role: role, PasswordHash: "$argon2id$test", Created: t0}
	if err := w.CreateUser(t.Context(), u); err != nil {
		t.Fatalf("CreateUser(%q): %v", name, err)
	}
	return u
}

func testUsers(t *testing.T, open WorkbenchOpener) {
	ctx := t.Context()
	w := open(t, "")
	want := mustUser(t, w, "alice", store.RoleAnalyst)
	wantErr(t, "CreateUser twice", w.CreateUser(ctx, want), store.ErrExists)
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
	_, err = w.User(ctx, "nobody")
	wantErr(t, "User(nobody)", err, store.ErrNotFound)
	want.Role, want.Disabled, want.PasswordHash = store.RoleAdmin, true, "$argon2id$new"
	if err := w.UpdateUser(ctx, want); err != nil {
		t.Fatal(err)
	}
	err = w.UpdateUser(ctx, store.User{Name: "nobody", Role: store.RoleViewer, PasswordHash: "x"})
	wantErr(t, "UpdateUser(nobody)", err, store.ErrNotFound)
	login, visit := t0.Add(time.Hour), t0.Add(2*time.Hour)
	if err := w.SetUserSeen(ctx, "alice", login, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := w.SetUserSeen(ctx, "alice", time.Time{}, visit); err != nil {
		t.Fatal(err)
	}
	want.LastLogin, want.LastVisit = login, visit
	aaron := mustUser(t, w, "aaron", store.RoleViewer)
	users, err := w.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]store.User{aaron, want}, users); diff != "" {
		t.Errorf("Users (-want +got):\n%s", diff)
	}
}

func testSessions(t *testing.T, open WorkbenchOpener) {
	ctx := t.Context()
	w := open(t, "")
	mustUser(t, w, "alice", store.RoleAnalyst)
	want := store.Session{ID: "h1", User: "alice", CSRF: "c1", Created: t0, LastSeen: t0, Expires: t0.Add(12 * time.Hour), Addr: "192.0.2.1"}
	if err := w.CreateSession(ctx, want); err != nil {
		t.Fatal(err)
	}
	if err := w.CreateSession(ctx, store.Session{ID: "h2", User: "alice", CSRF: "c2", Created: t0, LastSeen: t0, Expires: t0.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "CreateSession without a user", w.CreateSession(ctx, store.Session{ID: "h9"}), store.ErrInvalid)
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
	_, err = w.Session(ctx, "h1")
	wantErr(t, "Session after delete", err, store.ErrNotFound)
	if err := w.DeleteSession(ctx, "h1"); err != nil {
		t.Errorf("DeleteSession of a missing session: %v", err)
	}
	if err := w.CreateSession(ctx, store.Session{ID: "h3", User: "alice", CSRF: "c3", Created: t0, LastSeen: t0, Expires: t0}); err != nil {
		t.Fatal(err)
	}
	if err := w.DeleteUserSessions(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	_, err = w.Session(ctx, "h3")
	wantErr(t, "Session after DeleteUserSessions", err, store.ErrNotFound)
}

func testTokens(t *testing.T, open WorkbenchOpener) {
	ctx := t.Context()
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
	wantErr(t, "CreateToken twice", w.CreateToken(ctx, a), store.ErrExists)
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
	mine, err := w.Tokens(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]store.Token{a}, mine); diff != "" {
		t.Errorf("Tokens(alice) (-want +got):\n%s", diff)
	}
	wantErr(t, "DeleteToken of another user's token", w.DeleteToken(ctx, "alice", "rc_bbbb"), store.ErrNotFound)
	if err := w.DeleteToken(ctx, "alice", "rc_aaaa"); err != nil {
		t.Fatal(err)
	}
	_, err = w.Token(ctx, "ha")
	wantErr(t, "Token after delete", err, store.ErrNotFound)
}

func testLoginFailures(t *testing.T, open WorkbenchOpener) {
	ctx := t.Context()
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
	// Forgetting one attempt removes exactly that one.
	if err := w.AddLoginFailure(ctx, "user:alice", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := w.ForgetLoginFailure(ctx, "user:alice", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if n, err := w.LoginFailures(ctx, "user:alice", t0); err != nil || n != 3 {
		t.Errorf("LoginFailures after forgetting one of two at the same time = %d, %v; want 3", n, err)
	}
	if err := w.ClearLoginFailures(ctx, "user:alice", t0.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n, err := w.LoginFailures(ctx, "user:alice", time.Time{}); err != nil || n != 0 {
		t.Errorf("LoginFailures after clear = %d, %v; want 0", n, err)
	}
	if n, err := w.LoginFailures(ctx, "addr:192.0.2.1", time.Time{}); err != nil || n != 1 {
		t.Errorf("another key's failures = %d, %v; want 1 (untouched)", n, err)
	}
	// Clearing also forgets every key's failures older than before.
	if err := w.ClearLoginFailures(ctx, "user:bob", t0.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if n, err := w.LoginFailures(ctx, "addr:192.0.2.1", time.Time{}); err != nil || n != 0 {
		t.Errorf("an old failure of another key = %d, %v; want 0 (forgotten)", n, err)
	}
}

// testWorkbenchOddBytes stores text with bytes an adversary may type into a
// sign-in form (NUL, invalid UTF-8): the audit entry and the counted
// failure are kept, never refused, and found again by the same text; a
// user name with such bytes is simply not found.
func testWorkbenchOddBytes(t *testing.T, open WorkbenchOpener) {
	ctx := t.Context()
	w := open(t, "")
	odd := "mallory\x00\xff\xfe"
	e := store.AuditEntry{Time: t0, Actor: "-", Action: "login.failure", Target: "user:" + odd, Detail: odd, Addr: "192.0.2.9"}
	if err := w.AppendAudit(ctx, e); err != nil {
		t.Fatalf("AppendAudit with odd bytes: %v", err)
	}
	got, err := w.AuditLog(ctx, store.AuditQuery{Target: e.Target})
	if err != nil || len(got) != 1 || got[0].Action != e.Action {
		t.Errorf("AuditLog(target with odd bytes) = %+v, %v; want the entry", got, err)
	}
	if err := w.AddLoginFailure(ctx, "user:"+odd, t0); err != nil {
		t.Fatalf("AddLoginFailure with odd bytes: %v", err)
	}
	if n, err := w.LoginFailures(ctx, "user:"+odd, time.Time{}); err != nil || n != 1 {
		t.Errorf("LoginFailures(odd bytes) = %d, %v; want 1", n, err)
	}
	_, err = w.User(ctx, odd)
	wantErr(t, "User(odd bytes)", err, store.ErrNotFound)
	c, err := w.CreateCase(ctx, store.Case{Title: odd, Subject: store.SubjectPerson, SubjectID: "E1", Status: store.CaseOpen})
	if err != nil {
		t.Fatalf("CreateCase with an odd title: %v", err)
	}
	if _, err := w.AddComment(ctx, store.Comment{Case: c.ID, Author: "alice", Body: odd, Created: t0}); err != nil {
		t.Errorf("AddComment with an odd body: %v", err)
	}
}
