package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/rollcall/rollcall/internal/detect/list"
	"github.com/rollcall/rollcall/internal/policy"
)

func knownIndicator(id string) bool { _, ok := list.ByID(id); return ok }

func newPolicyCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "policy",
		Short: "Work with scoring policy files",
	}
	var now string
	check := &cobra.Command{
		Use:   "check FILE",
		Short: "Validate a policy file and say what is wrong and how to fix it",
		Long: `check loads a scoring policy (YAML) the way scan does: unknown keys are
refused with file and line, every value is validated (thresholds increasing,
weights 0–100, known indicator IDs, a reason on every allow-list entry,
travel windows that end after they start, valid IP prefixes), and expired
allow-list entries are listed. Exit 0 when the policy is valid, 2 otherwise.
configs/policy.yaml documents every key.`,
		Example: `  rollcall policy check configs/policy.yaml`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := policy.LoadChecked(args[0], knownIndicator)
			if err != nil {
				return usageError("%v", err)
			}
			at := time.Now()
			if now != "" {
				if at, err = time.Parse(time.RFC3339, now); err != nil {
					return usageError("--now %q: want an RFC 3339 time such as 2026-11-01T00:00:00Z", now)
				}
			}
			a := p.Allow
			fmt.Fprintf(e.stdout, "%s: valid (%d weight overrides; allow-lists: %d VPN networks, %d egress ranges, %d travel windows, %d shared addresses, %d tools, %d suppressions)\n",
				args[0], len(p.Weights), len(a.VPNASNs), len(a.Egress), len(a.Travel), len(a.SharedAddresses), len(a.Tools), len(a.People))
			for _, s := range p.Stale(at) {
				fmt.Fprintf(e.stdout, "warning: %s\n", s)
			}
			return nil
		},
	}
	check.Flags().StringVar(&now, "now", "", "judge expiry as of this RFC 3339 `TIME` (default: now)")
	cmd.AddCommand(check)
	return cmd
}
