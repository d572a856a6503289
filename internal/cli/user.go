package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/rollcall/rollcall/internal/server"
	"github.com/rollcall/rollcall/internal/store"
	storeopen "github.com/rollcall/rollcall/internal/store/open"
)

func newUserCmd(e *env) *cobra.Command {
	var db string
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Manage the workbench's local accounts",
		Long: `user manages the accounts that sign in to 'rollcall serve'. Roles:
viewer (aggregates only, no personal data), analyst (people, evidence, cells,
cases, uploads) and admin (also users, policy and the audit log).

Without --db, the database is rollcall.db under the user's data directory
(the one 'rollcall serve' uses by default); every subcommand says which
database it used, and only 'user add' creates one. Each change is written to
the audit log; changing a password or disabling an account ends its
sessions. The last enabled admin cannot be disabled or demoted.`,
	}
	cmd.PersistentFlags().StringVar(&db, "db", "", "SQLite database `FILE` or postgres:// URL (default: rollcall.db under the user's data directory)")

	var role string
	add := &cobra.Command{
		Use:   "add NAME --role ROLE",
		Short: "Create an account; the password is read from stdin, or prompted for on a terminal",
		Example: `  rollcall user add alice --role analyst --db rollcall.db
  printf '%s\n' "$PASSWORD" | rollcall user add ci --role viewer --db rollcall.db`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if store.RoleRank(role) == 0 {
				return usageError("--role %q: want viewer, analyst or admin", role)
			}
			hash, err := newPasswordHash(e)
			if err != nil {
				return err
			}
			return withAccounts(cmd, e, db, true, func(work store.Workbench, where string) error {
				u := store.User{Name: args[0], Role: role, PasswordHash: hash, Created: time.Now().UTC()}
				if err := work.CreateUser(cmd.Context(), u); err != nil {
					if errors.Is(err, store.ErrExists) || errors.Is(err, store.ErrInvalid) {
						return usageError("%v", err)
					}
					return err
				}
				if err := work.AppendAudit(cmd.Context(), store.AuditEntry{Time: u.Created, Actor: "rollcall user add",
					Action: "user.create", Target: "user:" + u.Name, Detail: "role " + u.Role}); err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "created %s (%s) in %s\n", u.Name, u.Role, where)
				return nil
			})
		},
	}
	add.Flags().StringVar(&role, "role", "", "`ROLE`: viewer, analyst or admin")

	list := &cobra.Command{
		Use:   "list",
		Short: "List accounts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return withAccounts(cmd, e, db, false, func(work store.Workbench, where string) error {
				users, err := work.Users(cmd.Context())
				if err != nil {
					return err
				}
				fmt.Fprintf(e.stderr, "accounts in %s:\n", where)
				tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "NAME\tROLE\tSTATE\tCREATED\tLAST SIGN-IN")
				for _, u := range users {
					state := "enabled"
					if u.Disabled {
						state = "disabled"
					}
					last := "-"
					if !u.LastLogin.IsZero() {
						last = u.LastLogin.Format(time.RFC3339)
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Name, u.Role, state, u.Created.Format(time.DateOnly), last)
				}
				return tw.Flush()
			})
		},
	}

	passwd := &cobra.Command{
		Use:   "passwd NAME",
		Short: "Set an account's password (read from stdin, or prompted for on a terminal) and end its sessions",
		Example: `  rollcall user passwd alice --db rollcall.db
  printf '%s\n' "$PASSWORD" | rollcall user passwd ci --db rollcall.db`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			hash, err := newPasswordHash(e)
			if err != nil {
				return err
			}
			return changeUser(cmd, e, db, args[0], func(u *store.User) (string, error) {
				u.PasswordHash = hash
				return "password set", nil
			})
		},
	}

	var enable bool
	disable := &cobra.Command{
		Use:   "disable NAME",
		Short: "Stop an account from signing in and end its sessions (--enable undoes it)",
		Example: `  rollcall user disable bob --db rollcall.db
  rollcall user disable bob --enable --db rollcall.db`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return changeUser(cmd, e, db, args[0], func(u *store.User) (string, error) {
				state := "disabled"
				if enable {
					state = "enabled"
				}
				if u.Disabled == !enable {
					return "", usageError("%s is already %s", u.Name, state)
				}
				u.Disabled = !enable
				return state, nil
			})
		},
	}
	disable.Flags().BoolVar(&enable, "enable", false, "enable the account again instead")

	roleCmd := &cobra.Command{
		Use:     "role NAME ROLE",
		Short:   "Change an account's role (viewer, analyst or admin)",
		Example: `  rollcall user role alice admin --db rollcall.db`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			to := args[1]
			if store.RoleRank(to) == 0 {
				return usageError("role %q: want viewer, analyst or admin", to)
			}
			return changeUser(cmd, e, db, args[0], func(u *store.User) (string, error) {
				if u.Role == to {
					return "", usageError("%s is already %s", u.Name, to)
				}
				change := "role " + u.Role + " → " + to
				u.Role = to
				return change, nil
			})
		},
	}
	cmd.AddCommand(add, list, passwd, disable, roleCmd)
	return cmd
}

// withAccounts opens the accounts database --db names (or the default one)
// and runs f with it and a description of which database it is. Only
// create may make a database that does not exist yet.
func withAccounts(cmd *cobra.Command, e *env, db string, create bool, f func(work store.Workbench, where string) error) error {
	dsn, err := dbPath(db)
	if err != nil {
		return err
	}
	where := dsn
	if storeopen.IsPostgres(dsn) {
		where = redactDSN(dsn)
	} else if db == "" {
		where = dsn + " (the default; --db chooses another)"
		if _, err := os.Stat(dsn); errors.Is(err, os.ErrNotExist) && !create {
			return usageError("no accounts database at %s, the default: give --db FILE or a postgres:// URL (the database 'rollcall serve --db' uses), or create an account there with 'rollcall user add'", dsn)
		}
	}
	st, work, err := openWorkbench(cmd.Context(), dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	return f(work, where)
}

// changeUser applies change to the account name, refusing one that leaves
// no enabled admin, records it in the audit log, ends the account's
// sessions and says what it did. change returns what changed.
func changeUser(cmd *cobra.Command, e *env, db, name string, change func(*store.User) (string, error)) error {
	return withAccounts(cmd, e, db, false, func(work store.Workbench, where string) error {
		ctx := cmd.Context()
		u, err := work.User(ctx, name)
		if errors.Is(err, store.ErrNotFound) {
			return usageError("no account %q in %s ('rollcall user list' lists them)", name, where)
		}
		if err != nil {
			return err
		}
		what, err := change(&u)
		if err != nil {
			return err
		}
		if err := server.KeepAnAdmin(ctx, work, u); err != nil {
			return usageError("%s %s: %v", what, u.Name, err)
		}
		if err := work.UpdateUser(ctx, u); err != nil {
			return err
		}
		if err := work.DeleteUserSessions(ctx, u.Name); err != nil {
			return err
		}
		if err := work.AppendAudit(ctx, store.AuditEntry{Time: time.Now().UTC(), Actor: "rollcall user " + cmd.Name(),
			Action: "user.update", Target: "user:" + u.Name, Detail: what}); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s: %s in %s; its sessions ended\n", u.Name, what, where)
		return nil
	})
}

// newPasswordHash reads a new password, checks it against the policy and
// hashes it.
func newPasswordHash(e *env) (string, error) {
	pw, err := readPassword(e)
	if err != nil {
		return "", err
	}
	if err := server.CheckPasswordPolicy(pw); err != nil {
		return "", usageError("%v", err)
	}
	return server.HashPassword(pw)
}

// readPassword prompts twice on a terminal, or reads the first line of
// stdin otherwise.
func readPassword(e *env) (string, error) {
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(e.stderr, "Password: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", fmt.Errorf("reading password: %w", err)
		}
		fmt.Fprint(e.stderr, "Again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", fmt.Errorf("reading password: %w", err)
		}
		if string(a) != string(b) {
			return "", usageError("the passwords differ")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("reading password from stdin: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}
