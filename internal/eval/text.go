package eval

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// WriteText writes the result as human-readable tables.
func (r *Result) WriteText(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Operatives\t%d\t(employees %d, applicant personas %d, careful %d)\n", r.Operatives, r.EmployeeOperatives, r.ApplicantOperatives, r.CarefulOperatives)
	fmt.Fprintf(tw, "Caught\t%d\trecall %.3f (employees %d/%d, applicants %d/%d, careful %d/%d)\n", r.Caught, r.Recall,
		r.EmployeeCaught, r.EmployeeOperatives, r.ApplicantCaught, r.ApplicantOperatives, r.CarefulCaught, r.CarefulOperatives)
	fmt.Fprintf(tw, "Flagged\t%d\tprecision %.3f\n", r.Flagged, r.Precision)
	fmt.Fprintf(tw, "False positives\t%d\tof %d legitimate people (%.2f%%)\n", r.FalsePositives, r.Legitimate, 100*r.FalsePositiveRate)
	fmt.Fprintf(tw, "Hard negatives\t%d\tof %d with hard-negative behaviours flagged (%.2f%%)\n", r.HardNegativeFP, r.HardNegatives, 100*r.HardNegativeFPR)
	fmt.Fprintf(tw, "Cells\t%d\tmean best Jaccard %.3f; %d report clusters, %d without any operative\n", len(r.Cells), r.MeanBestJaccard, r.Clusters, r.CleanClusters)
	tw.Flush()

	if len(r.Behaviours) > 0 {
		fmt.Fprintln(w)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "behaviour\tpeople\tflagged\trate\t")
		for _, b := range r.Behaviours {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f%%\t\n", b.Behaviour, b.People, b.Flagged, 100*b.Rate)
		}
		tw.Flush()
	}

	if len(r.Cells) > 0 {
		fmt.Fprintln(w)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "cell\tmembers\tbest cluster\tsize\tcommon\tjaccard\t")
		for _, c := range r.Cells {
			cl := c.Cluster
			if cl == "" {
				cl = "-"
			}
			fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%d\t%.3f\t\n", c.Cell, c.Members, cl, c.ClusterMembers, c.Common, c.Jaccard)
		}
		tw.Flush()
	}

	if len(r.Indicators) > 0 {
		fmt.Fprintln(w)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "indicator\tfired\ton operatives\tprecision\trecall\tfired/has tell\tdecisive\ton legitimate\tlegitimate flagged\t")
		for _, s := range r.Indicators {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%.3f\t%.3f\t%d/%d\t%d\t%d\t%d\t\n", s.ID, s.Fired, s.OnOperatives, s.Precision, s.Recall, s.TellCaught, s.WithTell,
				s.Decisive, s.OnLegitimate, s.LegitimateFlagged)
		}
		tw.Flush()
		fmt.Fprintf(w, "(decisive: flagged operatives whose score less the indicator's points is below %d)\n", DecisiveScore)
		var lines []string
		for _, s := range r.Indicators {
			if len(s.ByBehaviour) > 0 {
				lines = append(lines, fmt.Sprintf("  %s: %s", s.ID, countsByName(s.ByBehaviour)))
			}
		}
		if len(lines) > 0 {
			fmt.Fprintf(w, "\nLegitimate people each indicator fired on, by behaviour:\n%s\n", strings.Join(lines, "\n"))
		}
	}

	if len(r.Missed) > 0 {
		fmt.Fprintf(w, "\nMissed: %s\n", strings.Join(r.Missed, ", "))
	}
	if len(r.FalsePositiveIDs) > 0 {
		fmt.Fprintf(w, "False positives: %s\n", strings.Join(r.FalsePositiveIDs, ", "))
	}
}

// countsByName writes counts as "a 3, b 1", largest first, then by name.
func countsByName(m map[string]int) string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.SortFunc(names, func(a, b string) int { return cmp.Or(cmp.Compare(m[b], m[a]), strings.Compare(a, b)) })
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}
