package server

import (
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/store"
)

// maxNewPeople bounds the "new since your last visit" list.
const maxNewPeople = 10

// findingsWindow is how many days the findings chart covers, ending on the
// latest evidence; earlier findings are counted apart.
const findingsWindow = 182

type overviewView struct {
	HasData     bool
	Stats       report.Stats
	People      int
	Flagged     int
	ByLevel     map[string]int
	Chart       levelChartView
	Cells       []cellRow
	OpenCases   int
	LastVisit   time.Time
	NewCount    int
	NewFindings []newFinding // analysts only
	NewPeople   int
	Sources     []sourceRow
	Span        string
	Findings    findingsSeries
	Rejected    int
	Skipped     int
	Unresolved  int
	Notes       []string
}

type cellRow struct {
	ID      string
	Members int
	Score   int
	Level   string
	Kinds   []string // link kinds
}

// newFinding is a person with findings first seen since the last visit.
type newFinding struct {
	Person, Name string
	Level        string
	Score        int
	Indicators   []chip
}

// findingsSeries is the findings-over-time chart's data: findings per
// week (by the time of their earliest evidence record) over the last
// findingsWindow days of evidence.
type findingsSeries struct {
	Days    []int64 `json:"days"` // unix seconds, UTC midnight of each week's Monday
	Counts  []int   `json:"counts"`
	Total   int     `json:"total"`
	Earlier int     `json:"earlier"` // findings whose evidence is older than the window
}

// summary gathers the aggregates that every role may see.
type summary struct {
	rep     *report.Report
	byLevel map[string]int
	flagged int
	marks   []store.FindingMark
	cov     []store.Coverage
	cases   int
}

func (s *Server) summarise(r *http.Request) (*summary, error) {
	ctx := r.Context()
	sm := &summary{byLevel: map[string]int{}}
	rep, err := s.savedReport(ctx)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if rep == nil {
		rep = &report.Report{}
	}
	sm.rep = rep
	for _, l := range levels {
		sm.byLevel[l] = 0
	}
	for _, p := range rep.People {
		sm.byLevel[levelClass(p.Level)]++
		if p.Flagged {
			sm.flagged++
		}
	}
	if sm.marks, err = s.cfg.Work.FindingMarks(ctx); err != nil {
		return nil, err
	}
	if sm.cov, err = s.cfg.Work.Coverage(ctx); err != nil {
		return nil, err
	}
	open, err := s.cfg.Work.ListCases(ctx, store.CaseQuery{Status: store.CaseOpen})
	if err != nil {
		return nil, err
	}
	sm.cases = len(open)
	return sm, nil
}

func (s *Server) overview(w http.ResponseWriter, r *http.Request) {
	ctx, p := r.Context(), who(r)
	sm, err := s.summarise(r)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	rep := sm.rep
	v := overviewView{
		HasData:    len(rep.People) > 0 || rep.Stats.Events > 0,
		Stats:      rep.Stats,
		People:     len(rep.People),
		Flagged:    sm.flagged,
		ByLevel:    sm.byLevel,
		Chart:      levelChart(sm.byLevel),
		OpenCases:  sm.cases,
		Rejected:   len(rep.Rejected),
		Skipped:    len(rep.SkippedFiles),
		Unresolved: len(rep.Unresolved),
	}
	for _, n := range rep.Notes {
		v.Notes = append(v.Notes, plain(n))
	}
	levelOf := map[string]string{}
	for _, c := range rep.Clusters {
		row := cellRow{ID: plain(c.ID), Members: len(c.Members), Score: c.Score, Level: levelClass(s.cfg.Policy.Levels.Of(float64(c.Score)))}
		for _, l := range c.Links {
			if !slices.Contains(row.Kinds, l.Kind) {
				row.Kinds = append(row.Kinds, plain(l.Kind))
			}
		}
		v.Cells = append(v.Cells, row)
	}
	people := map[string]*report.Person{}
	for i := range rep.People {
		people[rep.People[i].ID] = &rep.People[i]
		levelOf[rep.People[i].ID] = rep.People[i].Level
	}

	u, err := s.cfg.Work.User(ctx, p.User)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	v.LastVisit = u.LastVisit
	newest := []store.FindingMark{}
	for _, m := range sm.marks {
		pp := people[m.Person]
		if pp == nil || !m.Seen.After(u.LastVisit) || suppressed(pp, m.Indicator) {
			continue
		}
		newest = append(newest, m)
	}
	v.NewCount = len(newest)
	if p.can(accessAnalyst) {
		byPerson := map[string]*newFinding{}
		var order []string
		for _, m := range newest {
			nf := byPerson[m.Person]
			if nf == nil {
				pp := people[m.Person]
				nf = &newFinding{Person: m.Person, Name: plain(pp.Name), Level: levelClass(pp.Level), Score: pp.Score}
				byPerson[m.Person] = nf
				order = append(order, m.Person)
			}
			nf.Indicators = append(nf.Indicators, chip{ID: plain(m.Indicator)})
		}
		slices.SortStableFunc(order, func(a, b string) int { return byPerson[b].Score - byPerson[a].Score })
		v.NewPeople = len(order)
		for _, id := range order[:min(len(order), maxNewPeople)] {
			v.NewFindings = append(v.NewFindings, *byPerson[id])
		}
	}
	v.Findings = findingsOverTime(sm.marks, people)
	v.Sources, v.Span = sourceRows(sm.cov)
	if err := s.cfg.Work.SetUserSeen(ctx, p.User, time.Time{}, s.now()); err != nil {
		s.log.Warn("record visit", "err", err)
	}
	s.render(w, r, http.StatusOK, "overview", "Overview", "overview", v)
}

// suppressed reports whether indicator is suppressed for the person.
func suppressed(p *report.Person, indicator string) bool {
	for _, ind := range p.Indicators {
		if ind.ID == indicator {
			return ind.Suppressed != ""
		}
	}
	return true // no longer fires
}

// findingsOverTime counts the findings that still fire (and are not
// suppressed) per week of their earliest evidence.
func findingsOverTime(marks []store.FindingMark, people map[string]*report.Person) findingsSeries {
	var fs findingsSeries
	var last time.Time
	var live []time.Time
	for _, m := range marks {
		pp := people[m.Person]
		if pp == nil || m.Observed.IsZero() || suppressed(pp, m.Indicator) {
			continue
		}
		live = append(live, m.Observed.UTC())
		if m.Observed.After(last) {
			last = m.Observed.UTC()
		}
	}
	if len(live) == 0 {
		return fs
	}
	monday := func(t time.Time) time.Time {
		d := t.Truncate(24 * time.Hour)
		return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
	}
	end := monday(last)
	start := monday(last.AddDate(0, 0, -findingsWindow))
	perWeek := map[int64]int{}
	first := end
	for _, t := range live {
		w := monday(t)
		if w.Before(start) {
			fs.Earlier++
			continue
		}
		perWeek[w.Unix()]++
		fs.Total++
		if w.Before(first) {
			first = w
		}
	}
	for w := first; !w.After(end); w = w.AddDate(0, 0, 7) {
		fs.Days = append(fs.Days, w.Unix())
		fs.Counts = append(fs.Counts, perWeek[w.Unix()])
	}
	return fs
}

// levelChartView is a horizontal bar chart of people per level, drawn as
// SVG on the server (attributes, not styles: the CSP forbids inline styles).
type levelChartView struct {
	Width, Height, LabelW int
	Bars                  []levelBar
}

type levelBar struct {
	Level          string
	Count          int
	Y, H, W, TextY int
	CountX         int
}

// levelChart lays out people per level on a log scale (see
// report.LogBarWidth).
func levelChart(counts map[string]int) levelChartView {
	const labelW, barMax, barH, gap = 72, 300, 18, 8
	most := 0
	for _, l := range levels {
		most = max(most, counts[l])
	}
	c := levelChartView{Width: labelW + barMax + 70, Height: len(levels)*(barH+gap) - gap, LabelW: labelW}
	for i := range levels {
		l := levels[len(levels)-1-i] // critical first
		n := counts[l]
		w := report.LogBarWidth(n, most, barMax)
		y := i * (barH + gap)
		c.Bars = append(c.Bars, levelBar{Level: l, Count: n, Y: y, H: barH, W: w, TextY: y + barH - 5, CountX: labelW + w + 6})
	}
	return c
}
