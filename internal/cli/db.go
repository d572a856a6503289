package cli

import (
	"fmt"
	"net/url"
	"os"
	"regexp"

	"github.com/spf13/cobra"

	"github.com/rollcall/rollcall/internal/store"
	storeopen "github.com/rollcall/rollcall/internal/store/open"
)

func newDBCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "db",
		Short: "Manage rollcall's database",
	}
	var db string
	migrate := &cobra.Command{
		Use:   "migrate --db DSN",
		Short: "Create rollcall's tables in a database, or bring them up to date",
		Long: `migrate applies the schema migrations built into this rollcall to the
database --db names (an SQLite FILE, created when missing, or a postgres://
URL) and exits. Every rollcall command that opens a database also migrates
it, holding a lock so that replicas starting together migrate once; run
migrate yourself to do it at a chosen time, such as before starting workers
and servers after an upgrade, and as the role that should own the tables.

On PostgreSQL the tables go into the first schema of the connection's
search_path. Run rollcall as an ordinary role (no superuser, no BYPASSRLS) so
that the per-tenant row-level-security policies apply; the README's
"Running at scale" section shows how to create the role and the database.`,
		Example: `  rollcall db migrate --db postgres://rollcall@127.0.0.1/rollcall
  rollcall db migrate --db rollcall.db`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if db == "" {
				return usageError("db migrate needs --db FILE or a postgres:// URL (or $ROLLCALL_DB)")
			}
			st, err := storeopen.Store(cmd.Context(), db, store.Options{})
			if err != nil {
				return fmt.Errorf("migrating %s: %w", redactDSN(db), err)
			}
			if err := st.Close(); err != nil {
				return fmt.Errorf("closing %s: %w", redactDSN(db), err)
			}
			fmt.Fprintf(e.stdout, "%s: schema up to date\n", redactDSN(db))
			return nil
		},
	}
	migrate.Flags().StringVar(&db, "db", os.Getenv("ROLLCALL_DB"), "SQLite database `FILE` or postgres:// URL; $ROLLCALL_DB sets the default")
	cmd.AddCommand(migrate)
	return cmd
}

// dsnPassword finds the password of a key=value PostgreSQL connection
// string.
var dsnPassword = regexp.MustCompile(`(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)`)

// redactDSN returns dsn fit to print: a URL's password, or a key=value
// string's, is replaced by xxxxx.
func redactDSN(dsn string) string {
	if !storeopen.IsPostgres(dsn) {
		return dsn
	}
	if u, err := url.Parse(dsn); err == nil && u.Scheme != "" {
		q := u.Query()
		if q.Has("password") {
			q.Set("password", "xxxxx")
			u.RawQuery = q.Encode()
		}
		return u.Redacted()
	}
	return dsnPassword.ReplaceAllString(dsn, "${1}xxxxx")
}
