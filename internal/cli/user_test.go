package cli

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/rollcall/rollcall/internal/server"
	"github.com/rollcall/rollcall/internal/store"
)

// runIn runs rollcall with stdin.
func runIn(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Main(args, strings.NewReader(stdin), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

const (
	firstPassword  = "a first long passphrase"
	secondPassword = "a second long passphrase"
)

// account reads one account back from the database.
func account(t *testing.T, dsn, name string) store.User {
	t.Helper()
	st, work, err := openWorkbench(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, err := work.User(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestUserCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "accounts.db")
	for _, c := range [][]string{{"root", "admin"}, {"alice", "analyst"}} {
		if code, out, errOut := runIn(t, firstPassword+"\n", "user", "add", c[0], "--role", c[1], "--db", db); code != ExitOK || !strings.Contains(out, "created "+c[0]) {
			t.Fatalf("user add %s: exit %d, %q %q", c[0], code, out, errOut)
		}
	}
	tests := []struct {
		name     string
		stdin    string
		args     []string
		wantCode int
		wantOut  string // in stdout (exit 0) or stderr
	}{
		{"passwd", secondPassword + "\n", []string{"user", "passwd", "alice"}, ExitOK, "alice: password set in " + db + "; its sessions ended"},
		{"passwd_too_short", "short\n", []string{"user", "passwd", "alice"}, ExitUsage, "password too short"},
		{"passwd_unknown", secondPassword + "\n", []string{"user", "passwd", "nobody"}, ExitUsage, `no account "nobody"`},
		{"disable", "", []string{"user", "disable", "alice"}, ExitOK, "alice: disabled in"},
		{"disable_again", "", []string{"user", "disable", "alice"}, ExitUsage, "alice is already disabled"},
		{"enable", "", []string{"user", "disable", "--enable", "alice"}, ExitOK, "alice: enabled in"},
		{"role", "", []string{"user", "role", "alice", "admin"}, ExitOK, "alice: role analyst → admin in"},
		{"role_unknown", "", []string{"user", "role", "alice", "boss"}, ExitUsage, `role "boss": want viewer, analyst or admin`},
		{"demote_root", "", []string{"user", "role", "root", "viewer"}, ExitOK, "root: role admin → viewer"},
		{"disable_last_admin", "", []string{"user", "disable", "alice"}, ExitUsage, "would leave no enabled admin"},
		{"demote_last_admin", "", []string{"user", "role", "alice", "analyst"}, ExitUsage, "would leave no enabled admin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runIn(t, tt.stdin, append(tt.args, "--db", db)...)
			got := out
			if tt.wantCode != ExitOK {
				got = errOut
			}
			if code != tt.wantCode || !strings.Contains(got, tt.wantOut) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and %q", code, out, errOut, tt.wantCode, tt.wantOut)
			}
		})
	}
	alice := account(t, db, "alice")
	if ok, err := server.CheckPassword(alice.PasswordHash, secondPassword); !ok || err != nil {
		t.Errorf("alice's password is not the one passwd set (%v)", err)
	}
	if diff := cmp.Diff([]any{"admin", false}, []any{alice.Role, alice.Disabled}); diff != "" {
		t.Errorf("alice (-want +got):\n%s", diff)
	}
	code, out, errOut := runIn(t, "", "user", "list", "--db", db)
	if code != ExitOK || !strings.Contains(errOut, "accounts in "+db) || !strings.Contains(out, "root   viewer") {
		t.Errorf("user list: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	st, work, err := openWorkbench(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	log, err := work.AuditLog(context.Background(), store.AuditQuery{Target: "user:alice"})
	if err != nil {
		t.Fatal(err)
	}
	var details []string
	for _, e := range log {
		details = append(details, e.Action+" "+e.Detail)
	}
	want := []string{"user.update role analyst → admin", "user.update enabled", "user.update disabled", "user.update password set", "user.create role analyst"}
	if diff := cmp.Diff(want, details); diff != "" {
		t.Errorf("audit log of alice (-want +got):\n%s", diff)
	}
}

func TestUserListSaysWhichDatabase(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	def, err := store.DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runIn(t, "", "user", "list")
	if code != ExitUsage || !strings.Contains(errOut, "no accounts database at "+def) {
		t.Errorf("user list without a database: exit %d, stderr %q", code, errOut)
	}
	if _, err := os.Stat(def); err == nil {
		t.Errorf("user list created %s", def)
	}
	if code, out, errOut := runIn(t, firstPassword+"\n", "user", "add", "root", "--role", "admin"); code != ExitOK || !strings.Contains(out, def+" (the default") {
		t.Fatalf("user add: exit %d, %q %q", code, out, errOut)
	}
	if code, _, errOut := runIn(t, "", "user", "list"); code != ExitOK || !strings.Contains(errOut, "accounts in "+def+" (the default") {
		t.Errorf("user list: exit %d, stderr %q", code, errOut)
	}
}

func TestDBMigrate(t *testing.T) {
	t.Setenv("ROLLCALL_DB", "")
	db := filepath.Join(t.TempDir(), "new", "rollcall.db")
	if code, out, errOut := runIn(t, "", "db", "migrate", "--db", db); code != ExitOK || out != db+": schema up to date\n" {
		t.Errorf("db migrate: exit %d, %q %q", code, out, errOut)
	}
	if _, err := os.Stat(db); err != nil {
		t.Errorf("db migrate did not create the database: %v", err)
	}
	if code, _, errOut := runIn(t, "", "db", "migrate"); code != ExitUsage || !strings.Contains(errOut, "needs --db") {
		t.Errorf("db migrate without --db: exit %d, %q", code, errOut)
	}
}

func TestRedactDSN(t *testing.T) {
	tests := []struct{ in, want string }{
		{"rollcall.db", "rollcall.db"},
		{"postgres://rollcall@127.0.0.1/rollcall", "postgres://rollcall@127.0.0.1/rollcall"},
		{"postgres://rollcall:s3cret@db:5432/rollcall?sslmode=require", "postgres://rollcall:xxxxx@db:5432/rollcall?sslmode=require"},
		{"postgresql://db/rollcall?password=s3cret&user=rc", "postgresql://db/rollcall?password=xxxxx&user=rc"},
		{"host=db user=rc password=s3cret dbname=rollcall", "host=db user=rc password=xxxxx dbname=rollcall"},
		{"host=db password='a b\\'c' dbname=rollcall", "host=db password=xxxxx dbname=rollcall"},
	}
	for _, tt := range tests {
		if got := redactDSN(tt.in); got != tt.want {
			t.Errorf("redactDSN(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestDBMigratePostgres follows the README's "Running at scale" set-up on
// the test server: an owner role that runs 'rollcall db migrate', an
// ordinary login role granted the rest, and an account created as that role.
func TestDBMigratePostgres(t *testing.T) {
	admin := os.Getenv("ROLLCALL_TEST_POSTGRES")
	if admin == "" {
		t.Skip("ROLLCALL_TEST_POSTGRES is not set: skipping the PostgreSQL set-up test")
	}
	ctx := context.Background()
	name := fmt.Sprintf("rollcall_cli_%d", os.Getpid())
	owner := name + "_owner"
	exec := func(dsn string, sqls ...string) {
		t.Helper()
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Fatalf("connecting to %s: %v", redactDSN(dsn), err)
		}
		defer conn.Close(ctx)
		for _, sql := range sqls {
			if _, err := conn.Exec(ctx, sql); err != nil {
				t.Fatalf("%s: %v", sql, err)
			}
		}
	}
	as := func(role string) string {
		u, err := url.Parse(admin)
		if err != nil {
			t.Fatal(err)
		}
		u.User = url.User(role)
		u.Path = "/" + name
		return u.String()
	}
	// As the README: createuser NAME_owner; createuser NAME;
	// createdb --owner NAME_owner NAME.
	exec(admin, "CREATE ROLE "+owner+" LOGIN NOSUPERUSER NOBYPASSRLS", "CREATE ROLE "+name+" LOGIN NOSUPERUSER NOBYPASSRLS")
	t.Cleanup(func() {
		exec(admin, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)", "DROP ROLE IF EXISTS "+name, "DROP ROLE IF EXISTS "+owner)
	})
	exec(admin, "CREATE DATABASE "+name+" OWNER "+owner)
	if code, out, errOut := runIn(t, "", "db", "migrate", "--db", as(owner)); code != ExitOK || !strings.Contains(out, "schema up to date") {
		t.Fatalf("db migrate: exit %d, %q %q", code, out, errOut)
	}
	exec(as(owner), readmeGrants(t, name)...)
	if code, out, errOut := runIn(t, firstPassword+"\n", "user", "add", "root", "--role", "admin", "--db", as(name)); code != ExitOK {
		t.Fatalf("user add as %s: exit %d, %q %q", name, code, out, errOut)
	}
	if code, out, errOut := runIn(t, "", "user", "list", "--db", as(name)); code != ExitOK || !strings.Contains(out, "root") {
		t.Errorf("user list as %s: exit %d, %q %q", name, code, out, errOut)
	}
	if code, out, errOut := runIn(t, "", "scan", "--quiet", "--db", as(name), mixed); code != ExitOK {
		t.Errorf("scan --db as %s: exit %d, %q %q", name, code, out, errOut)
	}
}

// readmeGrants returns the GRANT statements of the README's set-up, for the
// role and database name.
func readmeGrants(t *testing.T, name string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var grants []string
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "GRANT ") {
			grants = append(grants, strings.ReplaceAll(strings.TrimSuffix(line, ";"), "rollcall", name))
		}
	}
	if len(grants) == 0 {
		t.Fatal("README.md shows no GRANT statements")
	}
	return grants
}
