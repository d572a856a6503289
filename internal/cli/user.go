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
)

func newUserCmd(e *env) *cobra.Command {
	var db string
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Manage the workbench's local accounts",
		Long: `user manages the accounts that sign in to 'rollcall serve'. Roles:
viewer (aggregates only, no personal data), analyst (people, evidence, cells,
cases, uploads) and admin (also users, policy and the audit log).`,
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
			pw, err := readPassword(e)
			if err != nil {
				return err
			}
			if err := server.CheckPasswordPolicy(pw); err != nil {
				return usageError("%v", err)
			}
			hash, err := server.HashPassword(pw)
			if err != nil {
				return err
			}
			dsn, err := dbPath(db)
			if err != nil {
				return err
			}
			st, work, err := openWorkbench(cmd.Context(), dsn)
			if err != nil {
				return err
			}
			defer st.Close()
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
			fmt.Fprintf(e.stdout, "created %s (%s) in %s\n", u.Name, u.Role, dsn)
			return nil
		},
	}
	add.Flags().StringVar(&role, "role", "", "`ROLE`: viewer, analyst or admin")

	list := &cobra.Command{
		Use:   "list",
		Short: "List accounts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			dsn, err := dbPath(db)
			if err != nil {
				return err
			}
			st, work, err := openWorkbench(cmd.Context(), dsn)
			if err != nil {
				return err
			}
			defer st.Close()
			users, err := work.Users(cmd.Context())
			if err != nil {
				return err
			}
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
		},
	}
	cmd.AddCommand(add, list)
	return cmd
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
