package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/store"
)

func testCases(t *testing.T, open WorkbenchOpener) {
	ctx := t.Context()
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
	_, err = w.CreateCase(ctx, store.Case{Subject: "team", SubjectID: "x", Status: store.CaseOpen})
	wantErr(t, "CreateCase(bad subject)", err, store.ErrInvalid)
	c1.Verdict, c1.Reason, c1.Assignee, c1.Status, c1.Updated = store.VerdictBenign, "approved travel", "bob", store.CaseClosed, t0.Add(time.Hour)
	if err := w.UpdateCase(ctx, c1); err != nil {
		t.Fatal(err)
	}
	missing := c1
	missing.ID = c2.ID + 1000
	wantErr(t, "UpdateCase(missing)", w.UpdateCase(ctx, missing), store.ErrNotFound)
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
	open1, err := w.ListCases(ctx, store.CaseQuery{Status: store.CaseOpen, Subject: store.SubjectCell, SubjectID: "C1"})
	if err != nil || len(open1) != 1 || open1[0].ID != c2.ID {
		t.Errorf("ListCases(open cell C1) = %+v, %v; want case %d", open1, err, c2.ID)
	}
	bobs, err := w.ListCases(ctx, store.CaseQuery{Assignee: "bob"})
	if err != nil || len(bobs) != 1 || bobs[0].ID != c1.ID {
		t.Errorf("ListCases(assignee bob) = %+v, %v; want case %d", bobs, err, c1.ID)
	}
	_, err = w.Case(ctx, 999999)
	wantErr(t, "Case(999999)", err, store.ErrNotFound)
	cm, err := w.AddComment(ctx, store.Comment{Case: c1.ID, Author: "alice", Body: "called HR", Created: t0})
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.AddComment(ctx, store.Comment{Case: 999999, Author: "alice", Body: "x", Created: t0})
	wantErr(t, "AddComment(no case)", err, store.ErrNotFound)
	_, err = w.AddComment(ctx, store.Comment{Case: c1.ID, Author: "alice", Body: "  ", Created: t0})
	wantErr(t, "AddComment(blank)", err, store.ErrInvalid)
	comments, err := w.Comments(ctx, c1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]store.Comment{cm}, comments); diff != "" {
		t.Errorf("Comments (-want +got):\n%s", diff)
	}
}

func testSuppressions(t *testing.T, open WorkbenchOpener) {
	ctx := t.Context()
	w := open(t, "")
	sp, err := w.AddSuppression(ctx, store.Suppression{Person: "E1", Indicator: "IAM-01", Reason: "corporate VPN", Case: 3,
		CreatedBy: "alice", Created: t0})
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.AddSuppression(ctx, store.Suppression{Person: "E1", Indicator: "IAM-01"})
	wantErr(t, "AddSuppression without reason", err, store.ErrInvalid)
	if !sp.Active(t0) {
		t.Error("new suppression not active")
	}
	if err := w.RevokeSuppression(ctx, sp.ID, "bob", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "RevokeSuppression twice", w.RevokeSuppression(ctx, sp.ID, "bob", t0.Add(time.Hour)), store.ErrNotFound)
	sp.RevokedBy, sp.Revoked = "bob", t0.Add(time.Hour)
	temp, err := w.AddSuppression(ctx, store.Suppression{Person: "E2", Indicator: "PAY-01", Reason: "one-off", CreatedBy: "alice",
		Created: t0.Add(time.Minute), Expires: t0.Add(24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	got, err := w.Suppressions(ctx, "E1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]store.Suppression{sp}, got); diff != "" {
		t.Errorf("Suppressions(E1) (-want +got):\n%s", diff)
	}
	if got[0].Active(t0.Add(2 * time.Hour)) {
		t.Error("revoked suppression still active")
	}
	all, err := w.Suppressions(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]store.Suppression{temp, sp}, all); diff != "" {
		t.Errorf("Suppressions(everyone) (-want +got):\n%s", diff)
	}
	if other, err := w.Suppressions(ctx, "E3"); err != nil || len(other) != 0 {
		t.Errorf("Suppressions(E3) = %+v, %v; want none", other, err)
	}
}

func testAudit(t *testing.T, open WorkbenchOpener) {
	ctx := t.Context()
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
	wantErr(t, "AppendAudit without action", w.AppendAudit(ctx, store.AuditEntry{Actor: "x"}), store.ErrInvalid)
	all, err := w.AuditLog(ctx, store.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 4 {
		t.Fatalf("AuditLog = %+v, want 4 entries", all)
	}
	for i := range all {
		want := entries[len(entries)-1-i] // newest first
		want.Seq = all[i].Seq
		if diff := cmp.Diff(want, all[i]); diff != "" {
			t.Errorf("AuditLog[%d] (-want +got):\n%s", i, diff)
		}
		if i > 0 && all[i].Seq >= all[i-1].Seq {
			t.Errorf("AuditLog[%d].Seq = %d after %d: want decreasing", i, all[i].Seq, all[i-1].Seq)
		}
	}
	for _, tc := range []struct {
		name string
		q    store.AuditQuery
		want []string // actions
	}{
		{"actor", store.AuditQuery{Actor: "bob"}, []string{"person.evidence"}},
		{"action_prefix", store.AuditQuery{Action: "person."}, []string{"person.evidence", "person.view"}},
		{"action_exact", store.AuditQuery{Action: "person.view"}, []string{"person.view"}},
		{"action_no_partial_word", store.AuditQuery{Action: "person"}, nil},
		{"target", store.AuditQuery{Target: "person:E1"}, []string{"person.evidence", "person.view"}},
		{"page", store.AuditQuery{Before: all[1].Seq, Limit: 1}, []string{"person.view"}},
		{"limit", store.AuditQuery{Limit: 2}, []string{"case.verdict", "person.evidence"}},
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
	_, err = w.AuditLog(ctx, store.AuditQuery{Limit: -1})
	wantErr(t, "AuditLog(negative limit)", err, store.ErrInvalid)
}

func testFindingMarks(t *testing.T, open WorkbenchOpener) {
	ctx := t.Context()
	w := open(t, "")
	if err := w.MarkFindings(ctx, nil); err != nil {
		t.Fatalf("MarkFindings(nil): %v", err)
	}
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
		{Person: "E1", Indicator: "ONB-01", Seen: t0.Add(2 * time.Hour)}, // twice in one call: the first counts
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

func testCoverage(t *testing.T, open WorkbenchOpener) {
	ctx := t.Context()
	w := open(t, "")
	old := []store.Coverage{{Source: "scim", Events: 1, Files: 1, Daily: map[string]int{}}}
	if err := w.SetCoverage(ctx, old); err != nil {
		t.Fatal(err)
	}
	want := []store.Coverage{
		{Source: "okta", Events: 5, Files: 2, First: t0, Last: t0.Add(48 * time.Hour), Daily: map[string]int{"2025-03-03": 2, "2025-03-05": 3}},
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
	if err := w.SetCoverage(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := w.Coverage(ctx); err != nil || len(got) != 0 {
		t.Errorf("Coverage after setting none = %+v, %v; want none", got, err)
	}
}

// testWorkbenchTenants checks that no tenant reads or changes another's
// workbench rows, even under the same user names.
func testWorkbenchTenants(t *testing.T, open WorkbenchOpener) {
	ctx := t.Context()
	a, b := open(t, "a"), open(t, "b")
	mustUser(t, a, "alice", store.RoleAdmin)
	_, err := b.User(ctx, "alice")
	wantErr(t, "tenant b reads tenant a's user", err, store.ErrNotFound)
	mustUser(t, b, "alice", store.RoleViewer) // same name, other tenant
	if u, err := a.User(ctx, "alice"); err != nil || u.Role != store.RoleAdmin {
		t.Errorf("tenant a's alice = %+v, %v; want the admin", u, err)
	}
	se := store.Session{ID: "h1", User: "alice", CSRF: "c", Created: t0, LastSeen: t0, Expires: t0.Add(time.Hour)}
	if err := a.CreateSession(ctx, se); err != nil {
		t.Fatal(err)
	}
	_, err = b.Session(ctx, "h1")
	wantErr(t, "tenant b reads tenant a's session", err, store.ErrNotFound)
	if err := b.DeleteUserSessions(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Session(ctx, "h1"); err != nil {
		t.Errorf("tenant a's session after tenant b ended its alice's sessions: %v", err)
	}
	c, err := a.CreateCase(ctx, store.Case{Subject: store.SubjectPerson, SubjectID: "E1", Status: store.CaseOpen})
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.Case(ctx, c.ID)
	wantErr(t, "tenant b reads tenant a's case", err, store.ErrNotFound)
	wantErr(t, "tenant b updates tenant a's case", b.UpdateCase(ctx, c), store.ErrNotFound)
	_, err = b.AddComment(ctx, store.Comment{Case: c.ID, Author: "alice", Body: "x"})
	wantErr(t, "tenant b comments on tenant a's case", err, store.ErrNotFound)
	if err := a.AppendAudit(ctx, store.AuditEntry{Action: "x"}); err != nil {
		t.Fatal(err)
	}
	if err := a.MarkFindings(ctx, []store.FindingMark{{Person: "E1", Indicator: "IAM-01", Seen: t0}}); err != nil {
		t.Fatal(err)
	}
	if err := a.SetCoverage(ctx, []store.Coverage{{Source: "okta", Events: 1, Files: 1, Daily: map[string]int{}}}); err != nil {
		t.Fatal(err)
	}
	if err := b.SetCoverage(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if cs, _ := b.ListCases(ctx, store.CaseQuery{}); len(cs) != 0 {
		t.Errorf("tenant b sees %d cases of tenant a", len(cs))
	}
	if log, _ := b.AuditLog(ctx, store.AuditQuery{}); len(log) != 0 {
		t.Errorf("tenant b sees %d audit entries of tenant a", len(log))
	}
	if marks, _ := b.FindingMarks(ctx); len(marks) != 0 {
		t.Errorf("tenant b sees %d finding marks of tenant a", len(marks))
	}
	if cov, err := a.Coverage(ctx); err != nil || len(cov) != 1 {
		t.Errorf("tenant a's coverage after tenant b replaced its own = %+v, %v; want okta", cov, err)
	}
	if err := b.AddLoginFailure(ctx, "user:alice", t0); err != nil {
		t.Fatal(err)
	}
	if n, err := a.LoginFailures(ctx, "user:alice", time.Time{}); err != nil || n != 0 {
		t.Errorf("tenant a counts %d of tenant b's failed sign-ins (%v)", n, err)
	}
}
