package report

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/textfmt"
)

// HTML writes the report as one self-contained page: inline CSS, an inline
// SVG chart, no scripts and no external resources, under a Content Security
// Policy that forbids loading anything. Everything from the data is
// escaped by html/template and stripped of control and bidirectional
// formatting characters; anchors are derived from ids, never copied.
type HTML struct {
	// Title heads the page; empty means "rollcall report".
	Title string
	// Generated is shown as the time the report was made; zero omits it.
	Generated time.Time
	// DataUpTo is shown as the time the analysis was evaluated at (the end
	// of the data unless chosen); zero omits it.
	DataUpTo time.Time
}

var _ Reporter = HTML{}

//go:embed html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{"n": textfmt.Thousands}).Parse(htmlSource))

// htmlRejections bounds the rejected records listed on the page; the JSON
// report has all of them.
const htmlRejections = 500

// levels in ascending order.
var levels = []string{"none", "low", "medium", "high", "critical"}

// Write implements Reporter.
func (h HTML) Write(w io.Writer, r *Report) error {
	var b bytes.Buffer
	if err := htmlTemplate.Execute(&b, h.view(normalized(r))); err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	return nil
}

// The view types hold the page's data, already cleaned and with anchors
// computed, so that the template only lays it out.
type (
	htmlView struct {
		Title, Generated, DataUpTo string
		Version                    int
		Stats                      Stats
		BySource                   []htmlCount
		Flagged                    int
		Chart                      htmlChart
		Rows                       []*htmlPerson // the ranked table
		Quiet                      int           // people without findings, not in the table
		People                     []*htmlPerson // people with a section of their own
		Clusters                   []htmlCluster
		Rejected                   []htmlRejection
		RejectedMore               int
		Skipped                    []Skipped
		Unresolved                 []htmlUnresolved
		Notes                      []string
	}
	htmlCount struct {
		Name  string
		Count int
	}
	htmlChart struct {
		Width, Height, LabelW int
		Bars                  []htmlBar
	}
	htmlBar struct {
		Level          string
		Count          int
		Y, H, W, TextY int
		CountX         int
	}
	htmlRef struct {
		Text, Name string // id and, for a person, name
		Anchor     string // "" when the target is not in the report
	}
	htmlPerson struct {
		Rank         int
		Anchor       string
		ID, Name     string
		EmployeeID   string
		CandidateIDs []string
		Kind         string
		Score        int
		Level        string // one of levels, or "unknown"
		LevelText    string
		Flagged      bool
		Cluster      htmlRef
		ClusterBonus string
		Capped       string
		Indicators   []htmlIndicator
		HasSection   bool
	}
	htmlIndicator struct {
		ID, Name, Stage, Strength string
		Weight                    string
		Summary, Suppressed       string
		Related                   []htmlRef
		Evidence                  []htmlEvidence
		EventIDs                  bool // some evidence carries a vendor event id
	}
	htmlCluster struct {
		Anchor, ID string
		Score      int
		Members    []htmlRef
		Links      []htmlLink
	}
	htmlLink struct {
		Kind, Value string
		Strength    string // "0.50"; "" when the report gives none
		Members     []htmlRef
	}
	htmlRejection struct {
		Where, Field, Reason string
		Record               int
	}
	htmlEvidence struct {
		Source, Where, ID, Summary string
		Record                     int
	}
	htmlUnresolved struct {
		Source, Account, Name string
		Events                int
		First, Last           string
		Example               string
	}
)

func (h HTML) view(r *Report) *htmlView {
	v := &htmlView{
		Title:   clean(h.Title),
		Version: r.Version,
		Stats:   r.Stats,
		Skipped: make([]Skipped, len(r.SkippedFiles)),
	}
	if v.Title == "" {
		v.Title = "rollcall report"
	}
	if !h.Generated.IsZero() {
		v.Generated = textfmt.Stamp(h.Generated)
	}
	if !h.DataUpTo.IsZero() {
		v.DataUpTo = h.DataUpTo.UTC().Format("2006-01-02 15:04 UTC")
	}
	for _, name := range sortedKeys(r.Stats.BySource) {
		v.BySource = append(v.BySource, htmlCount{clean(name), r.Stats.BySource[name]})
	}

	people := make(map[string]htmlRef, len(r.People))
	for _, p := range r.People {
		people[p.ID] = htmlRef{Text: clean(p.ID), Name: clean(p.Name), Anchor: anchor("p", p.ID)}
	}
	clusters := make(map[string]string, len(r.Clusters))
	for _, c := range r.Clusters {
		clusters[c.ID] = anchor("c", c.ID)
	}
	personRef := func(id string) htmlRef {
		if ref, ok := people[id]; ok {
			return ref
		}
		return htmlRef{Text: clean(id)}
	}

	counts := map[string]int{}
	for i, p := range r.People {
		hp := &htmlPerson{
			Rank:         i + 1,
			Anchor:       people[p.ID].Anchor,
			ID:           clean(p.ID),
			Name:         clean(p.Name),
			EmployeeID:   clean(p.EmployeeID),
			Kind:         clean(p.Kind),
			Score:        p.Score,
			Level:        levelClass(p.Level),
			LevelText:    clean(p.Level),
			Flagged:      p.Flagged,
			Capped:       clean(p.Capped),
			HasSection:   len(p.Indicators) > 0 || p.Capped != "",
			CandidateIDs: cleanAll(p.CandidateIDs),
		}
		if p.Cluster != "" {
			hp.Cluster = htmlRef{Text: clean(p.Cluster), Anchor: clusters[p.Cluster]}
		}
		if p.ClusterBonus != 0 {
			hp.ClusterBonus = strconv.FormatFloat(p.ClusterBonus, 'f', 1, 64)
		}
		for _, ind := range p.Indicators {
			hi := htmlIndicator{
				ID:         clean(ind.ID),
				Name:       clean(ind.Name),
				Stage:      clean(ind.Stage),
				Strength:   strengthText(ind.Strength),
				Weight:     strconv.FormatFloat(ind.Points, 'f', 1, 64),
				Summary:    clean(ind.Summary),
				Suppressed: clean(ind.Suppressed),
				Evidence:   make([]htmlEvidence, len(ind.Evidence)),
			}
			for _, id := range ind.Related {
				hi.Related = append(hi.Related, personRef(id))
			}
			for k, e := range ind.Evidence {
				hi.Evidence[k] = htmlEvidence{Source: clean(e.Source), Where: evidencePlace(clean(e.File), e.Line, 0),
					Record: e.Record, ID: clean(e.ID), Summary: clean(e.Summary)}
				hi.EventIDs = hi.EventIDs || e.ID != ""
			}
			hp.Indicators = append(hp.Indicators, hi)
		}
		counts[hp.Level]++
		if p.Flagged {
			v.Flagged++
		}
		if hasFindings(&p) {
			v.Rows = append(v.Rows, hp)
		} else {
			v.Quiet++
		}
		if hp.HasSection {
			v.People = append(v.People, hp)
		}
	}
	v.Chart = levelChart(counts)

	for _, c := range r.Clusters {
		hc := htmlCluster{Anchor: clusters[c.ID], ID: clean(c.ID), Score: c.Score}
		for _, m := range c.Members {
			hc.Members = append(hc.Members, personRef(m))
		}
		for _, l := range c.Links {
			hl := htmlLink{Kind: clean(l.Kind), Value: clean(l.Value)}
			if l.Strength > 0 {
				hl.Strength = fmt.Sprintf("%.2f", l.Strength)
			}
			for _, m := range l.Members {
				hl.Members = append(hl.Members, personRef(m))
			}
			hc.Links = append(hc.Links, hl)
		}
		v.Clusters = append(v.Clusters, hc)
	}

	rej := r.Rejected
	if len(rej) > htmlRejections {
		v.RejectedMore = len(rej) - htmlRejections
		rej = rej[:htmlRejections]
	}
	for _, x := range rej {
		v.Rejected = append(v.Rejected, htmlRejection{Where: evidencePlace(clean(x.File), x.Line, 0), Record: x.Record,
			Field: clean(x.Field), Reason: clean(x.Reason)})
	}
	for i, s := range r.SkippedFiles {
		v.Skipped[i] = Skipped{File: clean(s.File), Reason: clean(s.Reason)}
	}
	for _, u := range r.Unresolved {
		hu := htmlUnresolved{Source: clean(u.Source), Account: clean(u.Account), Name: clean(u.Name), Events: u.Events,
			Example: evidencePlace(clean(u.Example.File()), u.Example.Line, u.Example.Record)}
		if !u.First.IsZero() {
			hu.First = u.First.UTC().Format("2006-01-02")
		}
		if !u.Last.IsZero() {
			hu.Last = u.Last.UTC().Format("2006-01-02")
		}
		v.Unresolved = append(v.Unresolved, hu)
	}
	v.Notes = cleanAll(r.Notes)
	return v
}

// LogBarWidth is the length of a bar for n of at most most, full long at
// most, on a log scale (log(1+n)/log(1+most)): a level with 9 people next
// to one with 2,000 stays visible, where a linear scale drew it 1 pixel
// wide. A bar for n > 0 is at least 2 long; the count is printed beside it.
func LogBarWidth(n, most, full int) int {
	if n <= 0 || most <= 0 {
		return 0
	}
	w := int(math.Round(float64(full) * math.Log1p(float64(n)) / math.Log1p(float64(most))))
	return max(2, min(full, w))
}

// levelChart lays out a horizontal bar chart of people per level, on a log
// scale.
func levelChart(counts map[string]int) htmlChart {
	const (
		labelW = 72
		barMax = 300
		barH   = 18
		gap    = 8
	)
	most := 0
	for _, l := range levels {
		most = max(most, counts[l])
	}
	c := htmlChart{Width: labelW + barMax + 60, Height: len(levels)*(barH+gap) - gap, LabelW: labelW}
	top := slices.Clone(levels)
	slices.Reverse(top) // critical first
	for i, l := range top {
		n := counts[l]
		w := LogBarWidth(n, most, barMax)
		y := i * (barH + gap)
		c.Bars = append(c.Bars, htmlBar{Level: l, Count: n, Y: y, H: barH, W: w, TextY: y + barH - 5, CountX: labelW + w + 6})
	}
	return c
}

// strengthText spells out a catalogue strength.
func strengthText(s string) string {
	switch detect.Strength(s) {
	case detect.Strong:
		return "strong"
	case detect.Medium:
		return "medium"
	case detect.Weak:
		return "weak"
	}
	return clean(s)
}

// levelClass maps a level to the CSS class suffix that colours it; levels
// outside the known set (never from a scan, but a loaded report is input)
// get "unknown".
func levelClass(level string) string {
	for _, l := range levels {
		if level == l {
			return l
		}
	}
	return "unknown"
}

// anchor returns a fragment identifier for an id: prefix-id when the id is
// short and made of letters, digits, '.', '_' and '-', otherwise prefix_
// and a hash of the id. The two forms cannot collide, and an anchor never
// carries markup or a URL scheme.
func anchor(prefix, id string) string {
	safe := id != "" && len(id) <= 64
	for i := 0; safe && i < len(id); i++ {
		c := id[i]
		safe = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-'
	}
	if safe {
		return prefix + "-" + id
	}
	sum := sha256.Sum256([]byte(id))
	return prefix + "_" + hex.EncodeToString(sum[:8])
}

// evidencePlace formats a record's place: "file:line, record n".
func evidencePlace(file string, line, record int) string {
	s := file
	if line > 0 {
		s += ":" + strconv.Itoa(line)
	}
	if record > 0 {
		if s != "" {
			s += ", "
		}
		s += "record " + strconv.Itoa(record)
	}
	return s
}

func cleanAll(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = clean(s)
	}
	return out
}

// sortedKeys returns m's keys, largest count first, then by name.
func sortedKeys(m map[string]int) []string {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, func(a, b string) int {
		if c := cmp.Compare(m[b], m[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return keys
}
