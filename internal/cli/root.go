// Package cli holds rollcall's subcommands (cobra). cmd/rollcall only calls
// Main, so tests can run every command in-process.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// Exit codes (DESIGN.md §4).
const (
	ExitOK       = 0
	ExitFindings = 1 // findings at or above --fail-on
	ExitUsage    = 2 // usage or input error
)

// Version is set at build time with -ldflags "-X …/cli.Version=…".
var Version = "dev"

// versionString is what 'rollcall version' and 'rollcall --version' print
// after "rollcall ": Version, or the module version go install recorded,
// followed by the VCS commit, its time and whether the tree was modified,
// as the Go toolchain stamped them into the binary.
func versionString() string {
	info, _ := debug.ReadBuildInfo()
	return describeVersion(Version, info)
}

func describeVersion(version string, info *debug.BuildInfo) string {
	if info == nil {
		return version
	}
	if version == "dev" && info.Main.Version != "" && info.Main.Version != "(devel)" {
		version = info.Main.Version
	}
	var rev, at string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev == "" {
		return version + " (no VCS commit recorded: built with -buildvcs=false or outside a git checkout)"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	details := []string{"commit " + rev}
	if at != "" {
		details = append(details, at)
	}
	if modified {
		details = append(details, "modified")
	}
	return version + " (" + strings.Join(details, ", ") + ")"
}

// exitError carries an exit code through cobra.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageError(format string, args ...any) error {
	return &exitError{code: ExitUsage, err: fmt.Errorf(format, args...)}
}

// env is what commands write to.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// tty reports whether stderr is a terminal (progress is shown only then).
	tty bool
}

// Main runs rollcall with args and returns the exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	if f, ok := stderr.(*os.File); ok {
		e.tty = term.IsTerminal(int(f.Fd()))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	root := newRoot(e)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(stderr, "rollcall: %v\n", ee.err)
		}
		return ee.code
	}
	fmt.Fprintf(stderr, "rollcall: %v\n", err)
	return ExitUsage
}

func newRoot(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "rollcall",
		Short: "Find covert remote workers in the data your company already has",
		Long: `rollcall answers two questions every company with remote staff has to ask:
"How do we know and trust who is already in?" and "How would we know if we didn't?"

It reads the exports your tools already produce (Okta sign-in logs, SCIM HR
rosters, Greenhouse applicants, payroll and laptop-shipping records, …),
resolves accounts to people, evaluates a catalogue of publicly documented
indicators of covert remote IT workers, links people who share infrastructure
into clusters ("cells"), and gives every person a 0–100 risk score whose every
point is backed by records an analyst can check.

A score is a reason to look, never a verdict: no action should follow from a
single weak signal.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       versionString(),
	}
	root.SetVersionTemplate("rollcall {{.Version}}\n")
	root.AddCommand(newScanCmd(e), newSimulateCmd(e), newEvalCmd(e), newDemoCmd(e), newIndicatorsCmd(e), newVersionCmd(e))
	root.AddCommand(newPolicyCmd(e), newExplainCmd(e))
	root.AddCommand(newServeCmd(e))
	root.AddCommand(newUserCmd(e), newDBCmd(e))
	root.AddCommand(newPublishCmd(e))
	root.AddCommand(newWorkerCmd(e))
	root.AddCommand(newLinkCmd(e))
	root.AddCommand(newWatchlistCmd(e))
	root.AddCommand(newNotifyCmd(e))
	root.AddCommand(newDrillCmd(e))
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError("%v (see '%s --help')", err, c.CommandPath())
	})
	return root
}

func newVersionCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintf(e.stdout, "rollcall %s\n", versionString())
			return nil
		},
	}
}
