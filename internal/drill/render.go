package drill

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteJSON writes the report as indented JSON.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("drill report: %w", err)
	}
	return nil
}

// WriteText writes the report for a terminal.
func WriteText(w io.Writer, r *Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Drill (seed %d): %d of %d injected personas caught (%.0f%%)\n", r.Seed, r.Caught, r.Injected, 100*r.CatchRate)
	for _, t := range r.ByVariant {
		fmt.Fprintf(&b, "  %-9s %d of %d\n", t.Group, t.Caught, t.Injected)
	}
	fmt.Fprintf(&b, "Real people: %d (%d flagged), results unchanged by the drill: %t\n", r.Real.People, r.Real.Flagged, r.Real.Unchanged)
	if l := r.Learned; l != nil {
		var srcs []string
		for _, s := range l.Sources {
			srcs = append(srcs, s.Format)
		}
		fmt.Fprintf(&b, "Learned: %s to %s from %s; ids like %s, email domain %s; sign-ins mostly from %s; payouts %s\n",
			day(l.Start), day(l.End), strings.Join(srcs, ", "), or(l.EmployeeIDs, "?"), or(l.EmailDomain, "?"), counts(l.Countries, 3), counts(l.Payouts, 3))
	}
	b.WriteString("\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PERSONA\tSCENARIO\tVARIANT\tCAUGHT\tLEVEL\tWHEN\tFIRED\tSILENT")
	for _, p := range r.Personas {
		when := "-"
		switch {
		case p.DaysToFlag != nil:
			when = fmt.Sprintf("day %d", *p.DaysToFlag)
		case p.Caught:
			when = p.Stage
		}
		var fired, silent []string
		for _, f := range p.Fired {
			fired = append(fired, f.ID)
		}
		for _, s := range p.Silent {
			silent = append(silent, s.ID+"("+s.Reason+")")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.ID, p.Scenario, p.Variant, yesNo(p.Caught), p.Level, when, dash(fired), dash(silent))
	}
	tw.Flush()
	b.WriteString("\nGot through, and what would have caught them:\n")
	n := 0
	for _, p := range r.Personas {
		if !p.Caught {
			n++
			fmt.Fprintf(&b, "  %s (%s, %s): %s\n", p.ID, p.Scenario, p.Variant, strings.Join(p.WouldCatch, "; "))
		}
	}
	if n == 0 {
		b.WriteString("  none\n")
	}
	b.WriteString("\nCoverage (indicators that can fire on these inputs, by stage):\n")
	var stage string
	var can, all int
	flush := func() {
		if stage != "" {
			fmt.Fprintf(&b, "  %-12s %d of %d\n", stage, can, all)
		}
	}
	for _, c := range r.Coverage {
		if c.Stage != stage {
			flush()
			stage, can, all = c.Stage, 0, 0
		}
		all++
		if c.CanFire {
			can++
		}
	}
	flush()
	b.WriteString("\nBlind spots:\n")
	for _, s := range r.BlindSpots {
		fmt.Fprintf(&b, "  - %s\n", s)
	}
	if len(r.BlindSpots) == 0 {
		b.WriteString("  none found\n")
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "Note: %s\n", n)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func day(t time.Time) string {
	if t.IsZero() {
		return "?"
	}
	return t.UTC().Format(time.DateOnly)
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// counts renders the first n counts as "US 80%, CA 15%".
func counts(cs []Count, n int) string {
	total := 0
	for _, c := range cs {
		total += c.N
	}
	var out []string
	for i, c := range cs {
		if i == n {
			break
		}
		out = append(out, fmt.Sprintf("%s %.0f%%", c.Value, 100*float64(c.N)/float64(total)))
	}
	if len(out) == 0 {
		return "unknown"
	}
	return strings.Join(out, ", ")
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func dash(s []string) string {
	if len(s) == 0 {
		return "-"
	}
	return strings.Join(s, ",")
}

var htmlTmpl = template.Must(template.New("drill").Funcs(template.FuncMap{
	"pct":  func(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) },
	"join": func(s []string) string { return strings.Join(s, ", ") },
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>rollcall drill</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}
.yes{color:#067d17;font-weight:600}.no{color:#b00020;font-weight:600}.muted{color:#777}</style></head><body>
<h1>Would we know?</h1>
<p><strong>{{.Caught}} of {{.Injected}}</strong> injected personas caught ({{pct .CatchRate}}), seed {{.Seed}}.
{{range .ByVariant}}{{.Group}}: {{.Caught}} of {{.Injected}}. {{end}}</p>
<p>Real people: {{.Real.People}} ({{.Real.Flagged}} flagged); unchanged by the drill: {{.Real.Unchanged}}.</p>
<h2>Personas</h2>
<table><tr><th>persona</th><th>scenario</th><th>variant</th><th>caught</th><th>level</th><th>days to flag / stage</th><th>fired</th><th>silent (why)</th></tr>
{{range .Personas}}<tr><td>{{.ID}}</td><td>{{.Scenario}}</td><td>{{.Variant}}{{if .Evasions}}<br><span class="muted">{{join .Evasions}}</span>{{end}}</td>
<td class="{{if .Caught}}yes">yes{{else}}no">no{{end}}</td><td>{{.Level}}</td><td>{{if .DaysToFlag}}{{.DaysToFlag}} days ({{.FlaggedOn}}){{else if .Caught}}{{.Stage}}{{else}}–{{end}}</td>
<td>{{range .Fired}}{{.ID}} {{end}}</td><td>{{range .Silent}}{{.ID}}: {{.Reason}} <span class="muted">({{.Detail}})</span><br>{{end}}
{{if .WouldCatch}}<em>would catch:</em> {{join .WouldCatch}}{{end}}</td></tr>
{{end}}</table>
<h2>Blind spots</h2><ul>{{range .BlindSpots}}<li>{{.}}</li>{{else}}<li>none found</li>{{end}}</ul>
<h2>Coverage</h2>
<table><tr><th>stage</th><th>indicator</th><th>needs</th><th>present</th><th>can fire</th><th>fired</th><th>silent</th></tr>
{{range .Coverage}}<tr><td>{{.Stage}}</td><td>{{.Indicator}} {{.Name}}</td><td>{{join .Needs}}</td><td>{{join .Present}}</td><td class="{{if .CanFire}}yes">yes{{else}}no">no{{end}}</td><td>{{.Fired}}</td><td>{{.Silent}}</td></tr>
{{end}}</table>
{{range .Notes}}<p>Note: {{.}}</p>{{end}}
</body></html>
`))

// WriteHTML writes a self-contained HTML page of the report; every string
// is escaped by html/template.
func WriteHTML(w io.Writer, r *Report) error {
	if err := htmlTmpl.Execute(w, r); err != nil {
		return fmt.Errorf("drill report: %w", err)
	}
	return nil
}
