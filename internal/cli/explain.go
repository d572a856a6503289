package cli

import (
	"github.com/spf13/cobra"

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
evidence records behind every finding. PERSON is an id as reports show it
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
