package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/store"
)

// seeded is one server with the small organisation loaded, shared by the
// tests that only read.
var seeded = struct {
	once sync.Once
	f    *fixture
}{}

func seededFixture(t *testing.T) *fixture {
	seeded.once.Do(func() {
		seeded.f = newSeededFixture(&sharedTB{T: t}, fixtureOpts{})
	})
	if seeded.f == nil {
		t.Fatal("the shared fixture failed to start")
	}
	return seeded.f
}

// sharedTB lets the shared fixture outlive the test that created it: its
// cleanups run when the test binary exits (TestMain), not when that test
// ends.
type sharedTB struct{ *testing.T }

var sharedCleanups []func()

func (s *sharedTB) Cleanup(f func()) { sharedCleanups = append(sharedCleanups, f) }
func (s *sharedTB) TempDir() string {
	d, err := os.MkdirTemp(sharedTempDir(), "fixture-")
	if err != nil {
		s.Fatal(err)
	}
	return d
}

func TestRoutesRequireSignIn(t *testing.T) {
	f := seededFixture(t)
	c := f.client(t)
	for _, rt := range f.srv.routes() {
		if rt.Access == accessPublic {
			continue
		}
		t.Run(rt.Method+"_"+rt.Pattern, func(t *testing.T) {
			resp, body := c.do(rt.Method, fillPattern(rt.Pattern), strings.NewReader("{}"), map[string]string{"Content-Type": "application/json"})
			switch {
			case rt.API:
				if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, `"error"`) {
					t.Errorf("%s %s without credentials: %s %q, want 401 with a JSON error", rt.Method, rt.Pattern, resp.Status, body)
				}
			case rt.Method == "GET":
				loc := resp.Header.Get("Location")
				if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login?next=") {
					t.Errorf("GET %s without a session: %s to %q, want 303 to the sign-in page", rt.Pattern, resp.Status, loc)
				}
			default:
				if resp.StatusCode != http.StatusUnauthorized {
					t.Errorf("%s %s without a session: %s, want 401", rt.Method, rt.Pattern, resp.Status)
				}
			}
		})
	}
	// A bogus bearer token or session cookie is no better than none.
	resp, _ := c.do("GET", "/api/v1/people", nil, map[string]string{"Authorization": "Bearer rc_forged"})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("forged token: %s, want 401", resp.Status)
	}
	resp, _ = c.do("GET", "/api/v1/people", nil, map[string]string{"Cookie": f.srv.sessionCookie() + "=forged"})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("forged session: %s, want 401", resp.Status)
	}
}

func TestRolesAreEnforced(t *testing.T) {
	f := seededFixture(t)
	rep, err := report.LoadStored(context.Background(), f.st)
	if err != nil || len(rep.People) == 0 {
		t.Fatalf("no seeded people: %v", err)
	}
	for _, role := range []string{store.RoleViewer, store.RoleAnalyst} {
		c := f.client(t).mustLogin(role)
		for _, rt := range f.srv.routes() {
			allowed := store.RoleRank(role) >= rt.Access.rank()
			if allowed || rt.Access == accessPublic {
				continue
			}
			t.Run(role+"_"+rt.Method+"_"+rt.Pattern, func(t *testing.T) {
				h := map[string]string{"Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": c.csrf}
				resp, _ := c.do(rt.Method, fillPattern(rt.Pattern), strings.NewReader("csrf="+url.QueryEscape(c.csrf)), h)
				if resp.StatusCode != http.StatusForbidden {
					t.Errorf("%s: %s %s = %s, want 403", role, rt.Method, rt.Pattern, resp.Status)
				}
			})
		}
	}
	// A viewer's overview carries aggregates, never a name or an id.
	c := f.client(t).mustLogin(store.RoleViewer)
	resp, page := c.get("/")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("viewer overview: %s", resp.Status)
	}
	for _, p := range rep.People {
		if p.Flagged && (strings.Contains(page, ">"+p.Name+"<") || strings.Contains(page, "/people/"+p.ID)) {
			t.Errorf("viewer overview shows person %s (%s)", p.ID, p.Name)
		}
	}
	resp, body := c.get("/api/v1/summary")
	if resp.StatusCode != http.StatusOK || strings.Contains(body, rep.People[0].ID) {
		t.Errorf("viewer summary: %s, or it names a person", resp.Status)
	}
}

func TestCSRF(t *testing.T) {
	f := seededFixture(t)
	c := f.client(t).mustLogin(store.RoleAnalyst)
	rep, _ := report.LoadStored(context.Background(), f.st)
	form := func() url.Values {
		return url.Values{"subject": {"person"}, "subject_id": {rep.People[0].ID}, "title": {"csrf test"}}
	}
	if resp, _ := c.post("/cases", form(), false); resp.StatusCode != http.StatusForbidden {
		t.Errorf("form without a CSRF token: %s, want 403", resp.Status)
	}
	bad := form()
	bad.Set("csrf", "not-the-token")
	if resp, _ := c.post("/cases", bad, false); resp.StatusCode != http.StatusForbidden {
		t.Errorf("form with a wrong CSRF token: %s, want 403", resp.Status)
	}
	// A valid token from another site's page does not help either.
	body := form()
	body.Set("csrf", c.csrf)
	for _, h := range []map[string]string{{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}} {
		h["Content-Type"] = "application/x-www-form-urlencoded"
		if resp, _ := c.do("POST", "/cases", strings.NewReader(body.Encode()), h); resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site POST %v: %s, want 403", h, resp.Status)
		}
	}
	if resp, _ := c.post("/cases", form(), true); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("form with the CSRF token: %s, want 303", resp.Status)
	}
	// The API with a session cookie needs the header; with a token it does not.
	js := `{"subject":"person","subject_id":"` + rep.People[0].ID + `"}`
	if resp, _ := c.do("POST", "/api/v1/cases", strings.NewReader(js), map[string]string{"Content-Type": "application/json"}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("API POST with a cookie and no X-CSRF-Token: %s, want 403", resp.Status)
	}
	if resp, _ := c.do("POST", "/api/v1/cases", strings.NewReader(js), map[string]string{"X-CSRF-Token": c.csrf}); resp.StatusCode != http.StatusCreated {
		t.Errorf("API POST with X-CSRF-Token: %s, want 201", resp.Status)
	}
	secret, _, err := f.srv.newToken(context.Background(), store.RoleAnalyst, "test", 1)
	if err != nil {
		t.Fatal(err)
	}
	bearer := f.client(t)
	if resp, _ := bearer.do("POST", "/api/v1/cases", strings.NewReader(js), map[string]string{"Authorization": "Bearer " + secret}); resp.StatusCode != http.StatusCreated {
		t.Errorf("API POST with a bearer token: %s, want 201", resp.Status)
	}
	// The sign-in form has its own token (double submit).
	anon := f.client(t)
	resp, _ := anon.do("POST", "/login", strings.NewReader(url.Values{"username": {"admin"}, "password": {testPassword}}.Encode()),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("sign-in without the form's token: %s, want 403", resp.Status)
	}
}

func TestSessionFixation(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	c := f.client(t)
	// An attacker plants a session id, then a real one from their own
	// account; signing in must replace it and make it worthless.
	u, _ := url.Parse(f.ts.URL)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: f.srv.sessionCookie(), Value: "planted", Path: "/"}})
	c.mustLogin(store.RoleViewer)
	first := c.sessionCookie()
	if first == "" || first == "planted" {
		t.Fatalf("session cookie after sign-in = %q, want a fresh one", first)
	}
	c.mustLogin(store.RoleAdmin)
	second := c.sessionCookie()
	if second == first {
		t.Fatal("signing in again kept the session id")
	}
	if _, err := f.st.Session(context.Background(), hashSecret(first)); err == nil {
		t.Error("the session from before the sign-in still exists")
	}
	old := f.client(t)
	old.http.Jar.SetCookies(u, []*http.Cookie{{Name: f.srv.sessionCookie(), Value: first, Path: "/"}})
	if resp, _ := old.get("/account"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("old session id: %s, want a redirect to sign in", resp.Status)
	}
	// Signing out ends the session on the server too.
	if resp, _ := c.post("/logout", nil, true); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %s", resp.Status)
	}
	replay := f.client(t)
	replay.http.Jar.SetCookies(u, []*http.Cookie{{Name: f.srv.sessionCookie(), Value: second, Path: "/"}})
	if resp, _ := replay.get("/account"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("session after sign-out: %s, want a redirect to sign in", resp.Status)
	}
}

func TestSessionExpiry(t *testing.T) {
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	f := newFixture(t, fixtureOpts{now: clock})
	c := f.client(t).mustLogin(store.RoleAnalyst)
	if resp, _ := c.get("/account"); resp.StatusCode != http.StatusOK {
		t.Fatalf("fresh session: %s", resp.Status)
	}
	mu.Lock()
	now = now.Add(DefaultIdleTimeout + time.Minute)
	mu.Unlock()
	if resp, _ := c.get("/account"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("idle session: %s, want a redirect to sign in", resp.Status)
	}
}

func TestLoginRateLimit(t *testing.T) {
	f := newFixture(t, fixtureOpts{limits: [2]int{3, 6}})
	c := f.client(t)
	for i := range 3 {
		if resp := c.loginAs(store.RoleAnalyst, "wrong password "+string(rune('a'+i))); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %s, want 401", i, resp.Status)
		}
	}
	resp := c.loginAs(store.RoleAnalyst, testPassword)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("right password after 3 failures: %s, want 429 with Retry-After", resp.Status)
	}
	// Failures against other names from the same address add up too.
	for _, name := range []string{"nobody1", "nobody2", "nobody3"} {
		c.loginAs(name, "x")
	}
	if resp := c.loginAs(store.RoleAdmin, testPassword); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("sign-in from an address with 6 failures: %s, want 429", resp.Status)
	}
	log, err := f.st.AuditLog(context.Background(), store.AuditQuery{Action: "login."})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, e := range log {
		counts[e.Action]++
	}
	if counts["login.failure"] != 6 || counts["login.throttled"] != 2 {
		t.Errorf("audited sign-ins = %v, want 6 failures and 2 throttled", counts)
	}
}

func TestCookiesAndHeaders(t *testing.T) {
	for _, tls := range []bool{false, true} {
		f := newFixture(t, fixtureOpts{tls: tls})
		c := f.client(t)
		resp := c.loginAs(store.RoleViewer, testPassword)
		var session *http.Cookie
		for _, ck := range resp.Cookies() {
			if ck.Name == f.srv.sessionCookie() && ck.Value != "" {
				session = ck
			}
		}
		if session == nil {
			t.Fatalf("tls=%v: no session cookie set", tls)
		}
		if !session.HttpOnly || session.SameSite != http.SameSiteStrictMode || session.Path != "/" || session.Secure != tls {
			t.Errorf("tls=%v: session cookie %+v, want HttpOnly, SameSite=Strict, Path=/, Secure=%v", tls, session, tls)
		}
		if tls && !strings.HasPrefix(session.Name, "__Host-") {
			t.Errorf("TLS session cookie %q lacks the __Host- prefix", session.Name)
		}
		resp, _ = c.get("/")
		h := resp.Header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("CSP = %q", csp)
		}
		for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"} {
			if got := h.Get(k); got != want {
				t.Errorf("%s = %q, want %q", k, got, want)
			}
		}
		if got := h.Get("Strict-Transport-Security") != ""; got != tls {
			t.Errorf("tls=%v: HSTS sent = %v", tls, got)
		}
	}
}

func TestNoOpenRedirect(t *testing.T) {
	for next, want := range map[string]string{
		"/people?level=high": "/people?level=high", "//evil.example/": "/", "https://evil.example": "/",
		"/\\evil.example": "/", "javascript:alert(1)": "/", "": "/",
	} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}

func TestTokens(t *testing.T) {
	f := seededFixture(t)
	ctx := context.Background()
	secret, tok, err := f.srv.newToken(ctx, store.RoleViewer, "dashboards", 0)
	if err != nil {
		t.Fatal(err)
	}
	c := f.client(t)
	auth := map[string]string{"Authorization": "Bearer " + secret}
	if resp, _ := c.do("GET", "/api/v1/summary", nil, auth); resp.StatusCode != http.StatusOK {
		t.Errorf("viewer token on the summary: %s", resp.Status)
	}
	if resp, _ := c.do("GET", "/api/v1/people", nil, auth); resp.StatusCode != http.StatusForbidden {
		t.Errorf("viewer token on people: %s, want 403", resp.Status)
	}
	if err := f.st.DeleteToken(ctx, "", tok.Prefix); err != nil {
		t.Fatal(err)
	}
	if resp, _ := c.do("GET", "/api/v1/summary", nil, auth); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("revoked token: %s, want 401", resp.Status)
	}
	// A disabled user's tokens stop working.
	f.addUser(t, "temp", store.RoleAnalyst)
	secret, _, err = f.srv.newToken(ctx, "temp", "x", 0)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := f.st.User(ctx, "temp")
	u.Disabled = true
	if err := f.st.UpdateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if resp, _ := c.do("GET", "/api/v1/summary", nil, map[string]string{"Authorization": "Bearer " + secret}); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("disabled user's token: %s, want 401", resp.Status)
	}
}

func TestAuditTrail(t *testing.T) {
	f := newSeededFixture(t, fixtureOpts{})
	ctx := context.Background()
	rep, _ := report.LoadStored(ctx, f.st)
	top := rep.People[0]
	c := f.client(t).mustLogin(store.RoleAnalyst)
	if resp, _ := c.get(personURL(top.ID)); resp.StatusCode != http.StatusOK {
		t.Fatalf("person page: %s", resp.Status)
	}
	if resp, _ := c.do("GET", "/api/v1/people/"+url.PathEscape(top.ID)+"/events", nil, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("person events: %s", resp.Status)
	}
	resp, _ := c.post("/cases", url.Values{"subject": {"person"}, "subject_id": {top.ID}}, true)
	loc := resp.Header.Get("Location")
	caseID := strings.TrimPrefix(strings.Split(loc, "?")[0], "/cases/")
	form := url.Values{"verdict": {"hr_review"}, "reason": {"address needs checking"}}
	if resp, _ := c.post("/cases/"+caseID+"/verdict", form, true); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("verdict: %s", resp.Status)
	}
	log, err := f.st.AuditLog(ctx, store.AuditQuery{Actor: store.RoleAnalyst})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"person.view": "person:" + top.ID, "person.evidence": "person:" + top.ID, "case.create": "case:" + caseID,
		"case.verdict": "case:" + caseID, "login.success": "user:analyst"}
	for _, e := range log {
		if target, ok := want[e.Action]; ok && e.Target == target {
			delete(want, e.Action)
		}
	}
	if len(want) > 0 {
		t.Errorf("not audited: %v", want)
	}
	admin := f.client(t).mustLogin(store.RoleAdmin)
	resp, body := admin.get("/api/v1/audit?action=case.")
	var out struct{ Entries []store.AuditEntry }
	if resp.StatusCode != http.StatusOK || json.Unmarshal([]byte(body), &out) != nil || len(out.Entries) != 2 {
		t.Errorf("admin audit API: %s, %d case entries, want 2", resp.Status, len(out.Entries))
	}
}
