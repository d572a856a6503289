package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/rollcall/rollcall/internal/detect/list"
	"github.com/rollcall/rollcall/internal/pipeline"
)

func newIndicatorsCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "indicators [PATH...]",
		Short: "List the indicators rollcall evaluates and the data each needs",
		Long: `indicators lists every registered indicator: catalogue ID, lifecycle stage,
strength (H strong alone, M strong with one other, L only adds weight), the
input formats that can feed it and its default weight. Given paths, it also
says whether the data there can feed each indicator.`,
		Example: `  rollcall indicators
  rollcall indicators ./exports`,
		RunE: func(cmd *cobra.Command, args []string) error {
			var have map[string]bool
			if len(args) > 0 {
				var inputs []pipeline.Input
				for _, a := range args {
					inputs = append(inputs, pipeline.Input{Path: a})
				}
				formats, err := pipeline.DetectFormats(cmd.Context(), inputs)
				if err != nil {
					return asExit(err)
				}
				have = map[string]bool{}
				for _, f := range formats {
					have[f] = true
				}
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			header := "ID\tSTAGE\tSTRENGTH\tWEIGHT\tDATA\tNAME"
			if have != nil {
				header = "ID\tSTAGE\tSTRENGTH\tWEIGHT\tDATA\tFED\tNAME"
			}
			fmt.Fprintln(tw, header)
			for _, ind := range list.Indicators() {
				fed := ""
				if have != nil {
					fed = "no\t"
					for _, s := range ind.Sources() {
						if have[s] {
							fed = "yes\t"
						}
					}
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%g\t%s\t%s%s\n", ind.ID(), ind.Stage(), ind.Strength(), ind.Weight(),
					strings.Join(ind.Sources(), ","), fed, ind.Name())
			}
			return tw.Flush()
		},
	}
}
