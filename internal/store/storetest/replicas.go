package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/store"
)

// testWorkbenchReplicas opens two stores of one tenant over one database,
// as two serve replicas behind a load balancer would, and checks that each
// sees at once what the other wrote: a session started on one is valid on
// the other, a failed sign-in counts on both, a verdict recorded on one
// shows on the other, and the audit log holds both replicas' entries, also
// when they append at the same time.
func testWorkbenchReplicas(t *testing.T, open WorkbenchOpener) {
	ctx := t.Context()
	a, b := open(t, "acme"), open(t, "acme")

	alice := mustUser(t, a, "alice", store.RoleAnalyst)
	wantErr(t, "creating on b a user a created", b.CreateUser(ctx, alice), store.ErrExists)
	if got, err := b.User(ctx, "alice"); err != nil || got.Role != store.RoleAnalyst {
		t.Errorf("b.User(alice) = %+v, %v; want a's analyst", got, err)
	}

	t.Run("sessions", func(t *testing.T) {
		se := store.Session{ID: "h1", User: "alice", CSRF: "c1", Created: t0, LastSeen: t0, Expires: t0.Add(12 * time.Hour), Addr: "192.0.2.1"}
		if err := a.CreateSession(ctx, se); err != nil {
			t.Fatal(err)
		}
		got, err := b.Session(ctx, "h1")
		if err != nil {
			t.Fatalf("a session started on a, read on b: %v", err)
		}
		if diff := cmp.Diff(se, got); diff != "" {
			t.Errorf("b.Session (-want +got):\n%s", diff)
		}
		if err := b.TouchSession(ctx, "h1", t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if got, err := a.Session(ctx, "h1"); err != nil || !got.LastSeen.Equal(t0.Add(time.Minute)) {
			t.Errorf("a.Session after b touched it = %+v, %v; want LastSeen %v", got, err, t0.Add(time.Minute))
		}
		if err := b.DeleteSession(ctx, "h1"); err != nil { // signing out on b
			t.Fatal(err)
		}
		_, err = a.Session(ctx, "h1")
		wantErr(t, "a.Session after signing out on b", err, store.ErrNotFound)
	})

	t.Run("tokens", func(t *testing.T) {
		tok := store.Token{ID: "ht", Prefix: "rc_tttt", Name: "ci", User: "alice", Created: t0}
		if err := b.CreateToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
		if got, err := a.Token(ctx, "ht"); err != nil || got.Prefix != tok.Prefix {
			t.Errorf("a.Token of a token made on b = %+v, %v", got, err)
		}
		if err := a.DeleteToken(ctx, "alice", tok.Prefix); err != nil {
			t.Fatal(err)
		}
		_, err := b.Token(ctx, "ht")
		wantErr(t, "b.Token after revoking on a", err, store.ErrNotFound)
	})

	t.Run("login_failures", func(t *testing.T) {
		for i, w := range []store.Workbench{a, b, a} {
			if err := w.AddLoginFailure(ctx, "user:alice", t0.Add(time.Duration(i)*time.Second)); err != nil {
				t.Fatal(err)
			}
		}
		for name, w := range map[string]store.Workbench{"a": a, "b": b} {
			if n, err := w.LoginFailures(ctx, "user:alice", t0); err != nil || n != 3 {
				t.Errorf("%s.LoginFailures = %d, %v; want 3 (every replica's)", name, n, err)
			}
		}
	})

	t.Run("cases", func(t *testing.T) {
		c, err := a.CreateCase(ctx, store.Case{Title: "E1", Subject: store.SubjectPerson, SubjectID: "E1", Status: store.CaseOpen,
			CreatedBy: "alice", Created: t0, Updated: t0})
		if err != nil {
			t.Fatal(err)
		}
		c.Verdict, c.Reason, c.Status, c.Updated = store.VerdictBenign, "approved travel", store.CaseClosed, t0.Add(time.Hour)
		if err := b.UpdateCase(ctx, c); err != nil {
			t.Fatalf("b.UpdateCase of a case opened on a: %v", err)
		}
		cm, err := b.AddComment(ctx, store.Comment{Case: c.ID, Author: "alice", Body: "called HR", Created: t0})
		if err != nil {
			t.Fatal(err)
		}
		sp, err := b.AddSuppression(ctx, store.Suppression{Person: "E1", Indicator: "IAM-01", Reason: c.Reason, Case: c.ID,
			CreatedBy: "alice", Created: t0.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		got, err := a.Case(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(c, got); diff != "" {
			t.Errorf("a.Case after b's verdict (-want +got):\n%s", diff)
		}
		comments, err := a.Comments(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]store.Comment{cm}, comments); diff != "" {
			t.Errorf("a.Comments of b's comment (-want +got):\n%s", diff)
		}
		if err := a.RevokeSuppression(ctx, sp.ID, "alice", t0.Add(2*time.Hour)); err != nil {
			t.Fatalf("a revokes b's suppression: %v", err)
		}
		wantErr(t, "b revokes it again", b.RevokeSuppression(ctx, sp.ID, "alice", t0.Add(2*time.Hour)), store.ErrNotFound)
	})

	t.Run("audit", func(t *testing.T) {
		const each = 20
		var wg sync.WaitGroup
		for name, w := range map[string]store.Workbench{"a": a, "b": b} {
			wg.Go(func() {
				for i := range each {
					e := store.AuditEntry{Time: t0, Actor: "alice", Action: "person.view", Target: fmt.Sprintf("person:E%d", i), Detail: name}
					if err := w.AppendAudit(ctx, e); err != nil {
						t.Errorf("%s.AppendAudit: %v", name, err)
						return
					}
				}
			})
		}
		wg.Wait()
		logs := make(map[string][]store.AuditEntry)
		for name, w := range map[string]store.Workbench{"a": a, "b": b} {
			log, err := w.AuditLog(ctx, store.AuditQuery{Limit: 3 * each})
			if err != nil {
				t.Fatal(err)
			}
			logs[name] = log
		}
		if diff := cmp.Diff(logs["a"], logs["b"]); diff != "" {
			t.Errorf("the replicas read different audit logs (-a +b):\n%s", diff)
		}
		by := map[string]int{}
		for i, e := range logs["a"] {
			by[e.Detail]++
			if i > 0 && e.Seq >= logs["a"][i-1].Seq {
				t.Errorf("entry %d: seq %d after %d, want decreasing", i, e.Seq, logs["a"][i-1].Seq)
			}
		}
		if by["a"] != each || by["b"] != each {
			t.Errorf("audit entries by replica = %v, want %d of each", by, each)
		}
	})

	t.Run("analyses", func(t *testing.T) {
		if err := a.MarkFindings(ctx, []store.FindingMark{{Person: "E1", Indicator: "IAM-01", Seen: t0}}); err != nil {
			t.Fatal(err)
		}
		if err := b.MarkFindings(ctx, []store.FindingMark{{Person: "E1", Indicator: "IAM-01", Seen: t0.Add(time.Hour)}}); err != nil {
			t.Fatal(err)
		}
		if marks, err := b.FindingMarks(ctx); err != nil || len(marks) != 1 || !marks[0].Seen.Equal(t0) {
			t.Errorf("b.FindingMarks = %+v, %v; want a's first sighting", marks, err)
		}
		cov := []store.Coverage{{Source: "okta", Events: 2, Files: 1, First: t0, Last: t0, Daily: map[string]int{"2025-03-03": 2}}}
		if err := b.SetCoverage(ctx, cov); err != nil {
			t.Fatal(err)
		}
		got, err := a.Coverage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(cov, got); diff != "" {
			t.Errorf("a.Coverage after b set it (-want +got):\n%s", diff)
		}
	})
}
