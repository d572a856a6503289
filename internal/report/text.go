package report

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/rollcall/rollcall/internal/textfmt"
)

// Text writes the report for a terminal: a ranked table of people, the
// clusters and what links them, and a summary of what was read, rejected
// and skipped. Every string from the data is stripped of escape sequences
// and control characters before it is printed.
type Text struct {
	// Color adds ANSI colours (levels, headings). Set it only when the
	// output is a terminal.
	Color bool
	// Limit is the most people listed in the table; 0 lists all of them.
	Limit int
	// Verbose lists people without findings too, every rejected record
	// and unresolved account, and each listed person's indicators with
	// their evidence.
	Verbose bool
	// Width is the column at which messages (reasons, notes, summaries)
	// wrap, such as a terminal's width; 0 leaves every message on one line.
	// Messages are wrapped, never cut: the end of a message is often the
	// advice.
	Width int
}

var _ Reporter = Text{}

// Column widths and list lengths of the text report.
const (
	textNameWidth       = 28
	textIDWidth         = 20
	textIndicatorIDs    = 8  // indicator ids listed per row before "+N"
	textClusterMembers  = 6  // members listed per cluster before "+N"
	textRejections      = 5  // rejected records listed unless Verbose
	textValueWidth      = 60 // link values and evidence summaries
	textIndicatorIDSize = 12
)

// SGR colour codes per level, as in the HTML report: none grey, low blue,
// medium amber, high orange, critical red.
var levelSGR = map[string]string{
	"none":     "38;5;245",
	"low":      "38;5;75",
	"medium":   "38;5;214",
	"high":     "38;5;208",
	"critical": "1;38;5;196",
}

// Write implements Reporter.
func (t Text) Write(w io.Writer, r *Report) error {
	r = normalized(r)
	var b bytes.Buffer
	t.writePeople(&b, r)
	t.writeClusters(&b, r)
	t.writeDetails(&b, r)
	t.writeSummary(&b, r)
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("text report: %w", err)
	}
	return nil
}

func (t Text) style(code, s string) string {
	if !t.Color || code == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

func (t Text) heading(b *bytes.Buffer, s string) {
	b.WriteString(t.style("1", s))
	b.WriteByte('\n')
}

// listed returns the people the table shows, and how many people without
// findings and how many beyond Limit it leaves out.
func (t Text) listed(r *Report) (shown []int, quiet, over int) {
	for i, p := range r.People {
		if !t.Verbose && !hasFindings(&p) {
			quiet++
			continue
		}
		if t.Limit > 0 && len(shown) == t.Limit {
			over++
			continue
		}
		shown = append(shown, i)
	}
	return shown, quiet, over
}

func hasFindings(p *Person) bool {
	return p.Score > 0 || p.Flagged || len(p.Indicators) > 0 || p.Cluster != ""
}

func (t Text) writePeople(b *bytes.Buffer, r *Report) {
	shown, quiet, over := t.listed(r)
	if len(shown) == 0 {
		fmt.Fprintf(b, "No findings among %s.\n", textfmt.Quantity(len(r.People), "person", "people"))
		return
	}
	var table bytes.Buffer
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RANK\tSCORE\tLEVEL\tID\tNAME\tKIND\tCLUSTER\tINDICATORS")
	suppressed := false
	for _, i := range shown {
		p := &r.People[i]
		var ids []string
		for k, ind := range p.Indicators {
			if k == textIndicatorIDs {
				ids = append(ids, fmt.Sprintf("+%d", len(p.Indicators)-k))
				break
			}
			id := cleanCut(ind.ID, textIndicatorIDSize)
			if ind.Suppressed != "" {
				id = "(" + id + ")"
				suppressed = true
			}
			ids = append(ids, id)
		}
		score := strconv.Itoa(p.Score)
		if p.Capped != "" {
			score += "*"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			i+1, score, orDash(cleanCut(p.Level, 10)), orDash(cleanCut(p.ID, textIDWidth)),
			orDash(cleanCut(p.Name, textNameWidth)), orDash(cleanCut(p.Kind, 10)),
			orDash(cleanCut(p.Cluster, 10)), orDash(strings.Join(ids, " ")))
	}
	tw.Flush()

	// Colour after layout: escape sequences inside cells would count
	// towards column widths and break the alignment. The level is the
	// first alphabetic cell of a row, after the numeric rank and score.
	sc := bufio.NewScanner(&table)
	for row := -1; sc.Scan(); row++ {
		line := sc.Text()
		if row < 0 {
			line = t.style("1", line)
		} else if p := &r.People[shown[row]]; t.Color {
			if code, ok := levelSGR[p.Level]; ok {
				line = strings.Replace(line, p.Level, t.style(code, p.Level), 1)
			}
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}

	var notes []string
	if over > 0 {
		notes = append(notes, fmt.Sprintf("%s with findings not shown (--limit 0 lists all)", textfmt.Quantity(over, "more person", "more people")))
	}
	if quiet > 0 {
		notes = append(notes, fmt.Sprintf("%s without findings not listed", textfmt.Quantity(quiet, "person", "people")))
	}
	if capped(r, shown) {
		notes = append(notes, "* score held down: not corroborated")
	}
	if suppressed {
		notes = append(notes, "(ID) allow-listed, no weight")
	}
	if len(notes) > 0 {
		b.WriteString(t.style("2", wrapText(strings.Join(notes, "; "), 0, t.width(), "")))
		b.WriteByte('\n')
	}
}

func capped(r *Report, shown []int) bool {
	for _, i := range shown {
		if r.People[i].Capped != "" {
			return true
		}
	}
	return false
}

func (t Text) writeClusters(b *bytes.Buffer, r *Report) {
	if len(r.Clusters) == 0 {
		return
	}
	b.WriteByte('\n')
	t.heading(b, fmt.Sprintf("Clusters (%d): people joined by shared identifiers", len(r.Clusters)))
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	for _, c := range r.Clusters {
		var members []string
		for k, m := range c.Members {
			if k == textClusterMembers {
				members = append(members, fmt.Sprintf("+%d", len(c.Members)-k))
				break
			}
			members = append(members, cleanCut(m, textIDWidth))
		}
		fmt.Fprintf(tw, "  %s\tscore %d\t%s: %s\tshared %s\n",
			orDash(cleanCut(c.ID, 10)), c.Score, textfmt.Quantity(len(c.Members), "member", "members"),
			strings.Join(members, ", "), orDash(linkKinds(c.Links)))
	}
	tw.Flush()
}

// linkKinds lists the kinds of identifier a cluster shares, in order of
// first appearance, with a count when a kind occurs more than once:
// "bank_account, address ×2".
func linkKinds(links []Link) string {
	var order []string
	count := map[string]int{}
	for _, l := range links {
		k := cleanCut(l.Kind, 20)
		if count[k] == 0 {
			order = append(order, k)
		}
		count[k]++
	}
	for i, k := range order {
		if n := count[k]; n > 1 {
			order[i] = fmt.Sprintf("%s ×%d", k, n)
		}
	}
	return strings.Join(order, ", ")
}

// writeDetails lists, in verbose mode, each listed person's indicators and
// evidence.
func (t Text) writeDetails(b *bytes.Buffer, r *Report) {
	if !t.Verbose {
		return
	}
	shown, _, _ := t.listed(r)
	header := false
	for _, i := range shown {
		p := &r.People[i]
		if len(p.Indicators) == 0 && p.Capped == "" {
			continue
		}
		if !header {
			b.WriteByte('\n')
			t.heading(b, "Details")
			header = true
		}
		level := cleanCut(p.Level, 10)
		if code, ok := levelSGR[p.Level]; ok {
			level = t.style(code, level)
		}
		fmt.Fprintf(b, "#%d %s  %s  score %d %s", i+1, orDash(cleanCut(p.ID, textIDWidth)),
			orDash(cleanCut(p.Name, textNameWidth)), p.Score, level)
		if p.Cluster != "" {
			fmt.Fprintf(b, "  cluster %s", cleanCut(p.Cluster, 10))
		}
		b.WriteByte('\n')
		if p.Capped != "" {
			t.wrapLine(b, "  capped: ", p.Capped, "    ")
		}
		for _, ind := range p.Indicators {
			weight := fmt.Sprintf("+%.1f", ind.Points)
			if ind.Suppressed != "" {
				weight = "allow-listed: " + cleanCut(ind.Suppressed, textValueWidth)
			}
			t.wrapLine(b, fmt.Sprintf("  %s %s (%s)  ", orDash(cleanCut(ind.ID, textIndicatorIDSize)),
				cleanCut(ind.Name, textValueWidth), weight), ind.Summary, "      ")
			for _, e := range ind.Evidence {
				t.wrapLine(b, fmt.Sprintf("      %s %s  ", orDash(cleanCut(e.Source, 16)), evidenceRef(e.File, e.Line, e.Record)),
					e.Summary, "        ")
			}
		}
	}
}

// evidenceRef formats where a record is: "file:line (record n)".
func evidenceRef(file string, line, record int) string {
	s := orDash(clean(file))
	if line > 0 {
		s += ":" + strconv.Itoa(line)
	}
	if record > 0 {
		s += " (record " + strconv.Itoa(record) + ")"
	}
	return s
}

func (t Text) writeSummary(b *bytes.Buffer, r *Report) {
	s := r.Stats
	b.WriteByte('\n')
	fmt.Fprintf(b, "Read %s: %s, %s rejected, %s; %s, %s, %s.\n",
		textfmt.Quantity(s.Files, "file", "files"), textfmt.Quantity(s.RecordsRead, "record", "records"),
		textfmt.Thousands(s.RecordsRejected), textfmt.Quantity(s.Events, "event", "events"),
		textfmt.Quantity(s.People, "person", "people"), textfmt.Quantity(s.UnresolvedAccounts, "unresolved account", "unresolved accounts"),
		textfmt.Quantity(len(r.SkippedFiles), "skipped file", "skipped files"))
	if n := s.RecordsWithUnknown; n > 0 {
		fmt.Fprintf(b, "%s kept with an optional field of an unexpected type read as unknown (see each event's provenance).\n",
			textfmt.Quantity(n, "record", "records"))
	}

	if n := len(r.Rejected); n > 0 {
		show := n
		if !t.Verbose {
			show = min(n, textRejections)
		}
		title := "Rejected records:"
		if show < n {
			title = fmt.Sprintf("Rejected records (first %d of %s):", show, textfmt.Thousands(n))
		}
		t.heading(b, title)
		for _, rej := range r.Rejected[:show] {
			prefix := "  " + evidenceRef(rej.File, rej.Line, rej.Record) + ": "
			if rej.Field != "" {
				prefix += "field " + strconv.Quote(cleanCut(rej.Field, 40)) + ": "
			}
			t.wrapLine(b, prefix, rej.Reason, "    ")
		}
	}
	if len(r.SkippedFiles) > 0 {
		t.heading(b, "Skipped files:")
		for _, f := range r.SkippedFiles {
			t.wrapLine(b, "  "+orDash(clean(f.File))+": ", f.Reason, "    ")
		}
	}
	if t.Verbose && len(r.Unresolved) > 0 {
		t.heading(b, "Unresolved accounts (activity that matches nobody on the roster):")
		tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
		for _, u := range r.Unresolved {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", orDash(cleanCut(u.Source, 16)), orDash(cleanCut(u.Account, 40)),
				textfmt.Quantity(u.Events, "event", "events"), evidenceRef(u.Example.File(), u.Example.Line, u.Example.Record))
		}
		tw.Flush()
	}
	for _, n := range r.Notes {
		t.wrapLine(b, "Note: ", n, "      ")
	}

	flagged := 0
	top := ""
	for _, p := range r.People {
		if p.Flagged {
			if flagged == 0 {
				top = p.Level
			}
			flagged++
		}
	}
	b.WriteByte('\n')
	if flagged == 0 {
		b.WriteString("No one flagged (level medium or above).")
	} else {
		b.WriteString(t.style(levelSGR[top], textfmt.Quantity(flagged, "person", "people")+" flagged (level medium or above)."))
	}
	b.WriteString(" Run with --json for evidence, or --html FILE for a full report.\n")
}

// width is the wrapping column; without a Width, lines are not wrapped.
func (t Text) width() int {
	if t.Width > 0 {
		return t.Width
	}
	return math.MaxInt
}

// wrapLine writes prefix and the cleaned message, wrapped at the report's
// width with continuation lines starting with indent, and a newline.
func (t Text) wrapLine(b *bytes.Buffer, prefix, msg, indent string) {
	msg = wrapText(clean(msg), utf8.RuneCountInString(prefix), t.width(), indent)
	if strings.HasPrefix(msg, "\n") {
		prefix = strings.TrimRight(prefix, " ")
	}
	b.WriteString(prefix)
	b.WriteString(msg)
	b.WriteByte('\n')
}

// wrapText breaks s between words so that no line passes width columns,
// the first line starting at column used and the others after indent. A
// word longer than a line stays whole: nothing is ever cut.
func wrapText(s string, used, width int, indent string) string {
	var b strings.Builder
	col, start := used, utf8.RuneCountInString(indent)
	for i, w := range strings.Fields(s) {
		n, sep := utf8.RuneCountInString(w), min(i, 1)
		switch {
		case col+sep+n > width && col > start:
			b.WriteByte('\n')
			b.WriteString(indent)
			col = start
		case sep > 0:
			b.WriteByte(' ')
			col++
		}
		b.WriteString(w)
		col += n
	}
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
