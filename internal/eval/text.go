package eval

import (
	"fmt"
	"io"
	"maps"
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
	fmt.Fprintf(tw, "Cells\t%d\trebuilt exactly %d (%.0f%%); mean best Jaccard %.3f; %d report clusters, %d without any operative\n",
		len(r.Cells), r.ExactCells, 100*ratio(r.ExactCells, len(r.Cells)), r.MeanBestJaccard, r.Clusters, r.CleanClusters)
	tw.Flush()

	if len(r.Behaviours) > 0 {
		fmt.Fprintln(w)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "behaviour\tpeople\tflagged\trate\tflagged through\t")
		for _, b := range r.Behaviours {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f%%\t%s\t\n", b.Behaviour, b.People, b.Flagged, 100*b.Rate, Through(b.By))
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
		fmt.Fprintln(tw, "indicator\tfired\ton operatives\tprecision\trecall\tfired/has tell\tcaught with\tFP employees\tFP applicants\tFP flagged\tfpr\t")
		for _, s := range r.Indicators {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%.3f\t%.3f\t%d/%d\t%d\t%d\t%d\t%d\t%.2f%%\t\n", s.ID, s.Fired, s.OnOperatives, s.Precision, s.Recall,
				s.TellCaught, s.WithTell, s.CaughtWith, s.FPEmployees, s.FPApplicants, s.FPFlagged, 100*s.FalsePositiveRate)
		}
		tw.Flush()
		r.writeIndicatorBehaviours(w)
	}

	if len(r.Missed) > 0 {
		fmt.Fprintf(w, "\nMissed: %s\n", strings.Join(r.Missed, ", "))
	}
	if len(r.FalsePositiveIDs) > 0 {
		fmt.Fprintf(w, "False positives: %s\n", strings.Join(r.FalsePositiveIDs, ", "))
	}
}

// writeIndicatorBehaviours writes, for each indicator, the hard-negative
// behaviours a quarter or more of whose people it fired on (Result keeps
// every count in IndicatorStat.OnBehaviours).
func (r *Result) writeIndicatorBehaviours(w io.Writer) {
	people := map[string]int{}
	for _, b := range r.Behaviours {
		people[b.Behaviour] = b.People
	}
	var lines []string
	for _, s := range r.Indicators {
		for _, b := range slices.Sorted(maps.Keys(s.OnBehaviours)) {
			if n := s.OnBehaviours[b]; 4*n >= people[b] { // a behaviour that explains its firing, not one its people happen to have
				lines = append(lines, fmt.Sprintf("%s\t%s\t%d/%d\t", s.ID, b, n, people[b]))
			}
		}
	}
	if len(lines) == 0 {
		return
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "indicator\ton behaviour\tfired/people\t")
	for _, l := range lines {
		fmt.Fprintln(tw, l)
	}
	tw.Flush()
}

// Through lists indicator counts (BehaviourStat.By) as "NET-02×2, PAY-02",
// most first, then by id; "–" when there are none.
func Through(by map[string]int) string {
	if len(by) == 0 {
		return "–"
	}
	ids := make([]string, 0, len(by))
	for id := range by {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int {
		if by[a] != by[b] {
			return by[b] - by[a]
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = id
		if by[id] > 1 {
			parts[i] += fmt.Sprintf("×%d", by[id])
		}
	}
	return strings.Join(parts, ", ")
}
