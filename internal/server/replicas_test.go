package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/store"
	"github.com/rollcall/rollcall/internal/store/postgres"
)

// envPostgres names the variable that points the tests at a PostgreSQL
// server, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
const envPostgres = "ROLLCALL_TEST_POSTGRES"

// replicaSchema creates an empty schema on the test server, dropped when t
// ends, and returns a DSN that uses it; it skips t without a server.
func replicaSchema(t *testing.T) string {
	t.Helper()
	base := os.Getenv(envPostgres)
	if base == "" {
		t.Skip(envPostgres + " is not set: skipping the serve-replica tests")
	}
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	schema := "rollcall_replicas_" + hex.EncodeToString(b)
	admin := func(stmt string) {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Fatalf("connect to %s: %v", envPostgres, err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	admin("CREATE SCHEMA " + schema)
	t.Cleanup(func() { admin("DROP SCHEMA " + schema + " CASCADE") })
	if !strings.HasPrefix(base, "postgres://") && !strings.HasPrefix(base, "postgresql://") {
		return base + " search_path=" + schema
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", envPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// newReplica starts a server over its own connection to the database at
// dsn, as another serve process would. Clients reach it from addr, so
// that the audit log tells the replicas' entries apart.
func newReplica(t *testing.T, dsn, addr string) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := postgres.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv, err := New(Config{Store: st, Work: st, LoginLimit: 3})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	srv.Start(runCtx)
	t.Cleanup(func() { cancel(); srv.analysis.wait() })
	f := &fixture{srv: srv}
	f.ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.RemoteAddr = addr + ":40000"
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(f.ts.Close)
	return f
}

// withSession returns a client of replica f that presents c's session
// cookie and CSRF token, as a browser does when a load balancer sends its
// next request to another replica.
func (f *fixture) withSession(t *testing.T, c *client) *client {
	t.Helper()
	nc := f.client(t)
	u, err := url.Parse(f.ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	secret := c.sessionCookie()
	if secret == "" {
		t.Fatal("the client holds no session cookie")
	}
	nc.http.Jar.SetCookies(u, []*http.Cookie{{Name: f.srv.sessionCookie(), Value: secret, Path: "/"}})
	nc.csrf = c.csrf
	return nc
}

// call sends a JSON request with the session's CSRF token and returns the
// status and body; out, when set, receives the decoded body.
func (c *client) call(method, path string, body, out any) (int, string) {
	c.t.Helper()
	rd := strings.NewReader("")
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = strings.NewReader(string(b))
	}
	resp, text := c.do(method, path, rd, map[string]string{"Content-Type": "application/json", "X-CSRF-Token": c.csrf})
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal([]byte(text), out); err != nil {
			c.t.Fatalf("%s %s: %v in %q", method, path, err, text)
		}
	}
	return resp.StatusCode, text
}

// sameAnswer gets path from both clients and fails unless both answer 200
// with the same body, less the fields named in skip (state of one process).
func sameAnswer(t *testing.T, a, b *client, path string, skip ...string) {
	t.Helper()
	var bodies [2]map[string]any
	for i, c := range []*client{a, b} {
		code, text := c.call("GET", path, nil, &bodies[i])
		if code != http.StatusOK {
			t.Fatalf("replica %c: GET %s: %d %s", 'A'+i, path, code, text)
		}
		for _, k := range skip {
			delete(bodies[i], k)
		}
	}
	if diff := cmp.Diff(bodies[0], bodies[1]); diff != "" {
		t.Errorf("GET %s answers differ (-A +B):\n%s", path, diff)
	}
}

// TestReplicasShareOneDatabase runs two servers over one PostgreSQL schema,
// as two serve replicas behind a load balancer: a session started on A
// works on B, both give the same answers, a verdict recorded on B shows on
// A and counts in A's next analysis, failed sign-ins count on both, signing
// out on B ends the session on A, and the audit log that both read holds
// both replicas' entries.
func TestReplicasShareOneDatabase(t *testing.T) {
	dsn := replicaSchema(t)
	ctx := t.Context()
	const addrA, addrB = "192.0.2.1", "192.0.2.2"
	a, b := newReplica(t, dsn, addrA), newReplica(t, dsn, addrB)
	for _, role := range store.Roles {
		a.addUser(t, role, role)
	}
	a.seed(t)

	ca := a.client(t).mustLogin(store.RoleAnalyst)
	cb := b.withSession(t, ca)
	if code, _ := b.client(t).call("GET", "/api/v1/people", nil, nil); code != http.StatusUnauthorized {
		t.Fatalf("replica B without a session: %d, want 401", code)
	}

	rep, err := a.srv.savedReport(ctx)
	if err != nil {
		t.Fatal(err)
	}
	person, ind := scoringIndicator(t, rep)
	personPath := "/api/v1/people/" + url.PathEscape(person.ID)
	for _, path := range []string{"/api/v1/people?limit=500", personPath, personPath + "/events", "/api/v1/cells", "/api/v1/findings"} {
		sameAnswer(t, ca, cb, path)
	}
	// The analysis status is the replica's own: A ran the analysis, B did not.
	sameAnswer(t, ca, cb, "/api/v1/summary", "analysis")

	// A case opened on A gets its verdict on B.
	var opened caseJSON
	if code, text := ca.call("POST", "/api/v1/cases", newCaseJSON{Subject: store.SubjectPerson, SubjectID: person.ID}, &opened); code != http.StatusCreated {
		t.Fatalf("open a case on A: %d %s", code, text)
	}
	casePath := "/api/v1/cases/" + strconv.FormatInt(opened.ID, 10)
	const reason = "approved contractor arrangement"
	v := verdictJSON{Verdict: store.VerdictBenign, Reason: reason, Suppress: []suppressRequest{{person.ID, ind}}}
	if code, text := cb.call("POST", casePath+"/verdict", v, nil); code != http.StatusOK {
		t.Fatalf("verdict on B: %d %s", code, text)
	}
	var onA caseJSON
	if code, text := ca.call("GET", casePath, nil, &onA); code != http.StatusOK {
		t.Fatalf("GET %s on A: %d %s", casePath, code, text)
	}
	if onA.Verdict != store.VerdictBenign || onA.Reason != reason || len(onA.Suppressions) != 1 {
		t.Errorf("the case on A = %+v, want B's benign verdict and its suppression", onA)
	}
	sameAnswer(t, ca, cb, casePath)
	sameAnswer(t, ca, cb, "/api/v1/suppressions")

	// B's verdict asked B for an analysis; A's next one, saved last, must
	// honour the suppression B recorded too.
	if err := b.srv.Analyse(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.srv.Analyse(ctx); err != nil {
		t.Fatal(err)
	}
	for i, c := range []*client{ca, cb} {
		var p report.Person
		if code, text := c.call("GET", personPath, nil, &p); code != http.StatusOK {
			t.Fatalf("replica %c: GET %s: %d %s", 'A'+i, personPath, code, text)
		}
		if got := indicatorOf(p, ind); !strings.Contains(got.Suppressed, reason) || got.Points != 0 {
			t.Errorf("replica %c: %s after the verdict = %+v, want suppressed with the reason", 'A'+i, ind, got)
		}
	}
	sameAnswer(t, ca, cb, personPath)
	sameAnswer(t, ca, cb, "/api/v1/people?limit=500")

	// Failed sign-ins count wherever they happen (LoginLimit 3): two on A
	// and one on B lock the account out on A.
	for _, f := range []*fixture{a, a, b} {
		if resp := f.client(t).loginAs(store.RoleViewer, "wrong password"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("a wrong password: %s", resp.Status)
		}
	}
	if resp := a.client(t).loginAs(store.RoleViewer, testPassword); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("sign-in on A after three failures on A and B: %s, want 429", resp.Status)
	}

	// Signing out on B ends the session on A.
	if resp, _ := cb.post("/logout", nil, true); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out on B: %s", resp.Status)
	}
	if code, _ := ca.call("GET", "/api/v1/people", nil, nil); code != http.StatusUnauthorized {
		t.Errorf("A after signing out on B: %d, want 401", code)
	}

	// One audit log, whichever replica reads it, with both replicas' entries.
	adminB := b.client(t).mustLogin(store.RoleAdmin)
	adminA := a.withSession(t, adminB)
	var logs [2]struct{ Entries []store.AuditEntry }
	for i, c := range []*client{adminA, adminB} {
		if code, text := c.call("GET", "/api/v1/audit?limit=500", nil, &logs[i]); code != http.StatusOK {
			t.Fatalf("replica %c: GET /api/v1/audit: %d %s", 'A'+i, code, text)
		}
	}
	if diff := cmp.Diff(logs[0], logs[1]); diff != "" {
		t.Errorf("the replicas read different audit logs (-A +B):\n%s", diff)
	}
	seen := make(map[string]bool) // addr + " " + action + " " + target
	for _, e := range logs[0].Entries {
		seen[e.Addr+" "+e.Action+" "+e.Target] = true
	}
	for _, want := range []string{
		addrA + " login.success user:" + store.RoleAnalyst,
		addrA + " person.view person:" + person.ID,
		addrA + " case.create case:" + strconv.FormatInt(opened.ID, 10),
		addrA + " login.failure user:" + store.RoleViewer,
		addrA + " login.throttled user:" + store.RoleViewer,
		addrB + " person.view person:" + person.ID,
		addrB + " login.failure user:" + store.RoleViewer,
		addrB + " case.verdict case:" + strconv.FormatInt(opened.ID, 10),
		addrB + " logout user:" + store.RoleAnalyst,
		addrB + " login.success user:" + store.RoleAdmin,
	} {
		if !seen[want] {
			t.Errorf("the audit log lacks %q", want)
		}
	}
	if t.Failed() {
		for _, e := range logs[0].Entries {
			t.Logf("audit: %d %s %s %s %s", e.Seq, e.Addr, e.Actor, e.Action, e.Target)
		}
	}
}
