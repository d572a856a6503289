package server

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rollcall/rollcall/internal/sim"
	"github.com/rollcall/rollcall/internal/store"
	"github.com/rollcall/rollcall/internal/store/sqlite"
)

// testPassword is every test account's password.
const testPassword = "correct horse battery staple"

// testSim is a small organisation: quick to simulate and analyse, with
// cells, applicants and hard negatives.
var testSim = sim.Config{Seed: 3, People: 40, Days: 14}

// fixture is a running server over a fresh database.
type fixture struct {
	srv *Server
	st  *sqlite.Store
	ts  *httptest.Server
}

type fixtureOpts struct {
	tls        bool
	now        func() time.Time
	limits     [2]int // login limits per user name and per address; zero: defaults
	db         string // start from a copy of this database file; "": an empty one
	drillEvery time.Duration
}

// newFixture starts a server with a viewer, an analyst and an admin
// (named after their roles).
func newFixture(t testing.TB, o fixtureOpts) *fixture {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rollcall.db")
	if o.db != "" {
		copyDatabase(t, o.db, path)
	}
	st, err := sqlite.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv, err := New(Config{Store: st, Work: st, TLS: o.tls, Now: o.now, LoginLimit: o.limits[0], AddrLimit: o.limits[1], DrillEvery: o.drillEvery, DrillCount: 2})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	srv.Start(runCtx)
	t.Cleanup(func() { cancel(); srv.analysis.wait(); srv.drills.wg.Wait() })
	f := &fixture{srv: srv, st: st}
	if o.tls {
		f.ts = httptest.NewTLSServer(srv)
	} else {
		f.ts = httptest.NewServer(srv)
	}
	t.Cleanup(f.ts.Close)
	for _, role := range store.Roles {
		f.addUser(t, role, role)
	}
	return f
}

func (f *fixture) addUser(t testing.TB, name, role string) {
	t.Helper()
	if _, err := f.srv.addUser(context.Background(), name, role, testPassword); err != nil {
		t.Fatal(err)
	}
}

// seed loads the small simulated organisation and waits for the analysis.
func (f *fixture) seed(t testing.TB) {
	t.Helper()
	if _, err := f.srv.LoadDemo(context.Background(), testSim); err != nil {
		t.Fatal(err)
	}
}

// seededDB is a database with the small organisation loaded and analysed
// (and no accounts), made once per test binary: simulating, ingesting and
// analysing it under the race detector takes seconds, copying a file does
// not.
var seededDB = sync.OnceValues(func() (string, error) {
	ctx := context.Background()
	path := filepath.Join(sharedTempDir(), "seeded.db")
	st, err := sqlite.Open(ctx, path, store.Options{})
	if err != nil {
		return "", err
	}
	srv, err := New(Config{Store: st, Work: st})
	if err != nil {
		st.Close()
		return "", err
	}
	runCtx, cancel := context.WithCancel(ctx)
	srv.Start(runCtx)
	_, err = srv.LoadDemo(ctx, testSim)
	cancel()
	srv.analysis.wait()
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	return path, err
})

// newSeededFixture is newFixture over a copy of the seeded database: the
// small organisation, analysed, for a test that changes what it sees.
func newSeededFixture(t testing.TB, o fixtureOpts) *fixture {
	t.Helper()
	db, err := seededDB()
	if err != nil {
		t.Fatalf("seeding the shared database: %v", err)
	}
	o.db = db
	return newFixture(t, o)
}

// copyDatabase copies an SQLite database that no one has open (with its
// write-ahead log, if it left one).
func copyDatabase(t testing.TB, from, to string) {
	t.Helper()
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(from + suffix)
		if errors.Is(err, os.ErrNotExist) && suffix != "" {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// client is a browser-like HTTP client: a cookie jar, no redirects
// followed.
type client struct {
	t    testing.TB
	f    *fixture
	http *http.Client
	csrf string
}

func (f *fixture) client(t testing.TB) *client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	hc := new(http.Client)
	*hc = *f.ts.Client() // a copy: the test server hands out one shared client
	hc.Jar = jar
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &client{t: t, f: f, http: hc}
}

var (
	loginField = regexp.MustCompile(`name="login_token" value="([^"]*)"`)
	csrfMeta   = regexp.MustCompile(`<meta name="csrf-token" content="([^"]*)">`)
)

// do sends a request and returns the response with its body read.
func (c *client) do(method, path string, body io.Reader, header map[string]string) (*http.Response, string) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.f.ts.URL+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp, string(b)
}

func (c *client) get(path string) (*http.Response, string) { return c.do("GET", path, nil, nil) }

// post sends a form; with csrf it adds the session's token.
func (c *client) post(path string, form url.Values, csrf bool) (*http.Response, string) {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if csrf {
		form.Set("csrf", c.csrf)
	}
	return c.do("POST", path, strings.NewReader(form.Encode()), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
}

// loginAs signs in and remembers the session's CSRF token; it returns the
// sign-in response.
func (c *client) loginAs(name, password string) *http.Response {
	c.t.Helper()
	_, page := c.get("/login")
	m := loginField.FindStringSubmatch(page)
	if m == nil {
		c.t.Fatalf("no csrf field on the sign-in page:\n%s", page)
	}
	resp, _ := c.do("POST", "/login", strings.NewReader(url.Values{"login_token": {m[1]}, "username": {name}, "password": {password}}.Encode()),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	if resp.StatusCode == http.StatusSeeOther {
		_, home := c.get("/account")
		if m := csrfMeta.FindStringSubmatch(home); m != nil {
			c.csrf = m[1]
		}
	}
	return resp
}

func (c *client) mustLogin(name string) *client {
	c.t.Helper()
	if resp := c.loginAs(name, testPassword); resp.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("sign-in as %s: %s", name, resp.Status)
	}
	return c
}

// sessionCookie returns the session cookie the jar holds, or "".
func (c *client) sessionCookie() string {
	u, _ := url.Parse(c.f.ts.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == c.f.srv.sessionCookie() {
			return ck.Value
		}
	}
	return ""
}

// fillPattern turns a route pattern into a concrete path.
func fillPattern(p string) string {
	r := strings.NewReplacer("{id}", "1", "{name}", "admin", "{prefix}", "rc_x", "{file...}", "app.css", "{$}", "")
	return r.Replace(p)
}
