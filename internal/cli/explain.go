package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rollcall/rollcall/internal/profile"
	"github.com/rollcall/rollcall/internal/score"
)

func newExplainCmd(e *env) *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "explain PERSON PATH...",
		Short: "Print the full derivation of one person's score",
		Long: `explain scans PATH... exactly as scan does and prints how PERSON's score was
made: every finding with its weight (and where the weight came from),
confidence, rank within its lifecycle stage and decay, the points it added,
any suppression, each stage's points, how the stages combine, the
corroboration rule, the cell bonus and the resulting level — with the
evidence records behind every finding — and then the context that kept
findings down: a relocation (life event), the person's own and their
peers' baselines, allow-list entries, a payroll intermediary. PERSON is an id as reports show it
(an employee id, or cand-<candidate id> for an applicant).`,
		Example: `  rollcall explain E10423 ./exports
  rollcall explain --policy policy.yaml cand-53883394 ./exports`,
		Args: func(cmd *cobra.Command, args []string) error {
			switch len(args) {
			case 0:
				return usageError("explain needs a person id and the exports to scan: rollcall explain PERSON PATH... (for example: rollcall explain E100 ./exports)")
			case 1:
				return usageError("explain %s needs the exports to scan as well: rollcall explain %s PATH... (the same files or directories you gave scan)", args[0], args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			f.quiet = true
			opts, err := scanOptions(e, &f, args[1:])
			if err != nil {
				return err
			}
			res, err := analyse(cmd.Context(), opts)
			if err != nil {
				return asExit(err)
			}
			if err := requireRecords(res.Report, opts.Inputs); err != nil {
				return err
			}
			ps := res.Scores.People[args[0]]
			if ps == nil {
				return usageError("no person %q in the scanned data (ids look like E10423 or cand-53883394; 'rollcall scan' lists them)", args[0])
			}
			if err := score.Explain(e.stdout, ps); err != nil {
				return err
			}
			if p := res.Pop.Person(args[0]); p != nil {
				return writeContext(e.stdout, res.Pop.ContextOf(p, opts.Policy))
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.policy, "policy", "", "scoring policy YAML `FILE`")
	fl.StringArrayVar(&f.ipdb, "ipdb", nil, "MaxMind-format IP database `FILE` (repeatable)")
	fl.StringArrayVar(&f.networks, "networks", nil, "extra VPN/hosting network list CSV `FILE` (repeatable)")
	fl.StringVar(&f.now, "now", "", "evaluate as of this RFC 3339 `TIME`")
	return cmd
}

// writeContext prints the context that lowered or silenced findings about
// a person (profile.ContextOf), with the records behind each.
func writeContext(w io.Writer, cs []profile.Context) error {
	var b strings.Builder
	b.WriteString("\n6. Context that lowered or silenced findings:")
	if len(cs) == 0 {
		b.WriteString(" none\n")
	} else {
		b.WriteString("\n")
	}
	for _, c := range cs {
		fmt.Fprintf(&b, "   %s: %s\n", c.Kind, c.Summary)
		for _, e := range c.Records {
			if e == nil {
				continue
			}
			where := fmt.Sprintf("%s %s record %d", e.Prov.Source(), e.Prov.File(), e.Prov.Record)
			if e.Prov.Line > 0 {
				where += fmt.Sprintf(" (line %d)", e.Prov.Line)
			}
			fmt.Fprintf(&b, "     - %s\n", where)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
