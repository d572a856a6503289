package cli

import (
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	endpointkb "github.com/rollcall/rollcall/internal/enrich/endpoint"
	"github.com/rollcall/rollcall/internal/pipeline"
	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/source"
	sourcelist "github.com/rollcall/rollcall/internal/source/list"
	"github.com/rollcall/rollcall/internal/store"
	storeopen "github.com/rollcall/rollcall/internal/store/open"
	"github.com/rollcall/rollcall/internal/textfmt"
)

type scanFlags struct {
	json     bool
	html     string
	db       string
	policy   string
	inputs   []string
	ipdb     []string
	networks []string
	knowhow  []string
	failOn   string
	now      string
	limit    int
	quiet    bool
	memLimit int64
	limits   inputLimitFlags
	connect  connectFlags
	notify   notifyFlags
}

func newScanCmd(e *env) *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "scan [flags] PATH...",
		Short: "Read exports, find indicators and cells, print a ranked report",
		Long: `scan reads files and directories of exports, identifies each file's format
from its content (gzip is undone transparently), resolves accounts to people,
evaluates every indicator, links people who share infrastructure into cells
and scores everyone.

Formats (` + "`--input FORMAT=PATH`" + ` forces one; 'rollcall indicators' says what each
indicator needs):
` + formatHelp() + `
Files in a directory whose format is not recognised are skipped and listed;
a file named on the command line that is not recognised is an error.
Records that cannot be parsed are rejected with file, line and reason, and
the scan goes on: records_read = events + records_rejected.

Output: a ranked table on stdout (default), --json for the stable JSON report,
--html FILE for a self-contained HTML report. Progress goes to stderr, only
on a terminal: each stage with its total (bytes read, people profiled,
indicators evaluated), a percentage and the time left.

Exit codes: 0 ok; 1 when someone is at or above --fail-on LEVEL; 2 usage or
input error.`,
		Example: `  rollcall scan ./exports
  rollcall scan --json ./exports > report.json
  rollcall scan --html report.html --policy policy.yaml ./exports
  rollcall scan --input okta=signins.log.gz roster.json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScan(cmd, e, &f, args)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.json, "json", false, "print the stable JSON report (version 1, described in the README) on stdout instead of the table")
	fl.StringVar(&f.html, "html", "", "also write a self-contained HTML report to `FILE`")
	fl.StringVar(&f.db, "db", "", "persist events and results to an SQLite `FILE` or a postgres:// URL (re-scans do not duplicate)")
	fl.StringVar(&f.policy, "policy", "", "scoring policy YAML `FILE` (default: built-in, see configs/policy.yaml)")
	fl.StringArrayVar(&f.inputs, "input", nil, "read `FORMAT=PATH` as that format instead of sniffing (repeatable)")
	fl.StringArrayVar(&f.ipdb, "ipdb", nil, "MaxMind-format IP database `FILE` (City/Country/ASN/Anonymous-IP; repeatable)")
	fl.StringArrayVar(&f.networks, "networks", nil, "extra VPN/hosting network list CSV `FILE` (asn,name,category,source; repeatable)")
	fl.StringArrayVar(&f.knowhow, "endpoint-knowledge", nil, "extra endpoint knowledge CSV `FILE` (remote-control tools, VPN clients, USB IDs…; repeatable)")
	fl.StringVar(&f.failOn, "fail-on", "", "exit 1 when anyone's level is at or above `LEVEL` (low, medium, high, critical)")
	fl.StringVar(&f.now, "now", "", "evaluate as of this RFC 3339 `TIME` (default: the end of the data)")
	fl.IntVar(&f.limit, "limit", 25, "rows in the table (0: everyone)")
	fl.BoolVar(&f.quiet, "quiet", false, "no progress on stderr")
	fl.Int64Var(&f.memLimit, "memory-limit", 0, "soft limit on the memory of the scan in `BYTES`: the garbage collector works harder (more CPU) to stay under it; "+
		"a limit below what the events themselves hold makes it work constantly (0: Go's default, the heap grows to twice what is live; GOMEMLIMIT also works; see README \"Performance\")")
	f.limits.register(fl, defaultFileBytes, defaultFileRecords, "one input file")
	f.connect.register(fl)
	f.notify.register(fl)
	return cmd
}

func runScan(cmd *cobra.Command, e *env, f *scanFlags, args []string) error {
	if len(args) == 0 && len(f.inputs) == 0 {
		return usageError("scan needs at least one file or directory (see 'rollcall scan --help')")
	}
	if f.memLimit < 0 {
		return usageError("--memory-limit must be 0 (no limit) or a number of bytes")
	}
	if f.memLimit > 0 {
		debug.SetMemoryLimit(f.memLimit)
	}
	opts, err := scanOptions(e, f, args)
	if err != nil {
		return err
	}
	if err := f.connect.readPolicyInputs(e.stderr, &opts); err != nil {
		return err
	}
	nt, err := f.notify.open()
	if err != nil {
		return err
	}
	if nt != nil {
		defer nt.Close()
	}
	var st store.Store
	if f.db != "" {
		// Verdicts given in the workbench over this database apply here
		// too: its active suppressions join the policy's allow-list.
		if st, err = storeopen.Store(cmd.Context(), f.db, store.Options{}); err != nil {
			return fmt.Errorf("opening database %q: %w", redactDSN(f.db), err)
		}
		defer st.Close()
		if opts.Policy, err = pipeline.WithSuppressions(cmd.Context(), opts.Policy, st, time.Now()); err != nil {
			return fmt.Errorf("database %q: %w", redactDSN(f.db), err)
		}
	}
	shown := showProgress(e.stderr, opts.Progress)
	defer shown.stop()
	res, err := analyse(source.WithLimits(cmd.Context(), f.limits.limits()), opts)
	if err != nil {
		return asExit(err) // the deferred stop clears the line before Main prints err
	}
	if err := requireRecords(res.Report, opts.Inputs); err != nil {
		return err
	}
	if st != nil {
		opts.Progress.Begin("storing", pipeline.UnitItems, 0)
		if err := persist(cmd.Context(), e.stderr, st, f.db, res, shown); err != nil {
			return err
		}
	}
	shown.stop()
	if f.html != "" {
		if err := writeHTML(f.html, res.Report, res.Now); err != nil {
			return err
		}
	}
	if err := f.connect.write(res); err != nil {
		return err
	}
	if nt != nil {
		if err := f.notify.run(cmd.Context(), e, nt, res); err != nil {
			return err
		}
		if f.notify.dryRun {
			return failOn(f.failOn, res.Report)
		}
	}
	if f.json {
		if err := (report.JSON{Indent: true}).Write(e.stdout, res.Report); err != nil {
			return err
		}
	} else {
		if err := (report.Text{Color: isTerminal(e.stdout), Limit: f.limit, Width: termWidth(e.stdout)}).Write(e.stdout, res.Report); err != nil {
			return err
		}
		if f.html != "" {
			fmt.Fprintf(e.stdout, "\nHTML report: %s\n", f.html)
		}
	}
	return failOn(f.failOn, res.Report)
}

func scanOptions(e *env, f *scanFlags, args []string) (pipeline.Options, error) {
	var opts pipeline.Options
	for _, a := range args {
		opts.Inputs = append(opts.Inputs, pipeline.Input{Path: a})
	}
	for _, a := range f.inputs {
		in, err := pipeline.ParseInput(a)
		if err != nil {
			return opts, usageError("--input: %v", err)
		}
		opts.Inputs = append(opts.Inputs, in)
	}
	pol, err := loadPolicy(f.policy)
	if err != nil {
		return opts, err
	}
	opts.Policy = pol
	if f.now != "" {
		t, err := time.Parse(time.RFC3339, f.now)
		if err != nil {
			return opts, usageError("--now %q: want an RFC 3339 time such as 2026-11-01T00:00:00Z", f.now)
		}
		opts.Now = t
	}
	if len(f.knowhow) > 0 {
		if err := endpointkb.UseFiles(f.knowhow...); err != nil {
			return opts, usageError("--endpoint-knowledge: %v", err)
		}
	}
	enr, note, err := openEnricher(f.ipdb, f.networks)
	if err != nil {
		return opts, err
	}
	opts.Enricher = enr
	if note != "" {
		opts.Notes = append(opts.Notes, note)
	}
	if !f.quiet && e.tty {
		opts.Progress = new(pipeline.Progress)
	}
	if err := checkFailOn(f.failOn); err != nil {
		return opts, err
	}
	return opts, nil
}

var levelRank = map[string]int{"none": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}

// checkFailOn refuses a --fail-on level that is not one. "none" is refused
// too: everyone is at or above it, so every scan would fail.
func checkFailOn(level string) error {
	switch l := strings.ToLower(level); {
	case level == "":
		return nil
	case l == "none":
		return usageError("--fail-on none would fail every scan (everyone is at or above none): want low, medium, high or critical, or leave --fail-on out to never fail on findings")
	case levelRank[l] == 0:
		return usageError("--fail-on %q: want one of low, medium, high, critical", level)
	}
	return nil
}

func failOn(level string, r *report.Report) error {
	if level == "" {
		return nil
	}
	min := levelRank[strings.ToLower(level)]
	n := 0
	for _, p := range r.People {
		if levelRank[p.Level] >= min {
			n++
		}
	}
	if n > 0 {
		return &exitError{code: ExitFindings, err: fmt.Errorf("%s at or above %s", textfmt.Count(n, "person", "people"), strings.ToLower(level))}
	}
	return nil
}

// formatHelp lists every input format with its description, one a line.
func formatHelp() string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, f := range sourcelist.Formats() {
		fmt.Fprintf(tw, "  %s\t%s\n", f.ID(), f.Description())
	}
	tw.Flush()
	return b.String()
}

// writeHTML writes the HTML report, labelled with the time the data was
// evaluated at (dataUpTo) and the time it was generated.
func writeHTML(path string, r *report.Report, dataUpTo time.Time) error {
	out, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("writing HTML report: %w", err)
	}
	if err := (report.HTML{Title: "rollcall report", Generated: time.Now().UTC(), DataUpTo: dataUpTo}).Write(out, r); err != nil {
		out.Close()
		return fmt.Errorf("writing HTML report %q: %w", path, err)
	}
	return out.Close()
}

// termWidth is w's width in columns when it is a terminal, else 0 (messages
// are then not wrapped).
func termWidth(w any) int {
	f, ok := w.(*os.File)
	if !ok || !termIsTerminal(f) {
		return 0
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0
	}
	return width
}

func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && termIsTerminal(f)
}
