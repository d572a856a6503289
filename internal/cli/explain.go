package cli

import (
	"github.com/spf13/cobra"

	"github.com/rollcall/rollcall/internal/pipeline"
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
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			f.quiet = true
			opts, err := scanOptions(e, &f, args[1:])
			if err != nil {
				return err
			}
			res, err := pipeline.Scan(cmd.Context(), opts)
			if err != nil {
				return asExit(err)
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
