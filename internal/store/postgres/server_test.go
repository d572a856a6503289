package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/rollcall/rollcall/internal/store"
)

// envDSN names the variable that points the tests at a PostgreSQL server.
const envDSN = "ROLLCALL_TEST_POSTGRES"

// serverDSN returns the test server's DSN, or skips t when there is none.
func serverDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(envDSN)
	if dsn == "" {
		t.Skip(envDSN + " is not set: skipping the PostgreSQL tests " +
			"(set it to e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
	}
	return dsn
}

// withParams returns dsn, a URL or a key=value string, with params set.
func withParams(t testing.TB, dsn string, params map[string]string) string {
	t.Helper()
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatalf("%s: %v", envDSN, err)
		}
		q := u.Query()
		for k, v := range params {
			switch k {
			case "user":
				u.User = url.User(v)
				continue
			case "dbname":
				u.Path = "/" + v
				continue
			}
			q.Set(k, v)
		}
		u.RawQuery = q.Encode()
		return u.String()
	}
	for k, v := range params {
		dsn += " " + k + "=" + v
	}
	return dsn
}

// uniqueName returns prefix followed by random hex digits: a lower-case
// identifier no other test uses.
func uniqueName(t testing.TB, prefix string) string {
	t.Helper()
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return prefix + hex.EncodeToString(b)
}

// adminExec runs statements on the test server as the DSN's user.
func adminExec(t testing.TB, stmts ...string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, serverDSN(t))
	if err != nil {
		t.Fatalf("connect to %s: %v", envDSN, err)
	}
	defer conn.Close(ctx)
	for _, s := range stmts {
		if _, err := conn.Exec(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// newSchema creates an empty schema, owned by owner (empty: the DSN's
// user), that is dropped with everything in it when t ends, and returns a
// DSN that connects as owner with the schema as search_path.
func newSchema(t testing.TB, owner string) string {
	t.Helper()
	base := serverDSN(t)
	schema := uniqueName(t, "rollcall_test_")
	create := "CREATE SCHEMA " + schema
	params := map[string]string{"search_path": schema}
	if owner != "" {
		create += " AUTHORIZATION " + owner
		params["user"] = owner
	}
	adminExec(t, create)
	t.Cleanup(func() { adminExec(t, "DROP SCHEMA "+schema+" CASCADE") })
	return withParams(t, base, params)
}

// newRole creates a login role without superuser or BYPASSRLS, as rollcall
// should run, dropped when t ends. The test server must let it log in
// (trust authentication).
func newRole(t testing.TB) string {
	t.Helper()
	role := uniqueName(t, "rollcall_test_role_")
	adminExec(t, "CREATE ROLE "+role+" LOGIN NOSUPERUSER NOBYPASSRLS")
	t.Cleanup(func() { adminExec(t, "DROP OWNED BY "+role, "DROP ROLE "+role) })
	return role
}

func mustOpen(t testing.TB, dsn, tenant string) *Store {
	t.Helper()
	s, err := Open(context.Background(), dsn, store.Options{Tenant: tenant})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// perTest remembers one value per test, so that every store a test opens
// shares that test's schema.
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
