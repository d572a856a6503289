package server

import (
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/report"
)

// The event timeline of a person page (uPlot, from JSON) and the timeline
// of a cell (SVG drawn here): when its members were hired and when each
// identifier they share first appeared in their records.

// maxTimelineDays is the longest timeline drawn a bar per day; longer
// ones are drawn a bar per week.
const maxTimelineDays = 400

// eventTimeline is a person's activity per day (or week), split by what
// the network verdict says about the sign-ins. Days are Unix seconds at
// 00:00 UTC.
type eventTimeline struct {
	Days     []int64 `json:"days"`
	Ordinary []int   `json:"ordinary"` // sign-ins from networks with no proxy or hosting verdict
	Anon     []int   `json:"anon"`     // sign-ins from proxy, VPN or hosting networks
	Failed   []int   `json:"failed"`   // failed sign-ins (either network)
	Other    []int   `json:"other"`    // audit events, commits, endpoint records
	Bucket   string  `json:"bucket"`   // "day" or "week"
	Total    int     `json:"total"`
}

func timeline(events []*event.Event) eventTimeline {
	tl := eventTimeline{Bucket: "day"}
	var first, last time.Time
	for _, e := range events {
		if e.Time.IsZero() || (e.SignIn == nil && e.Audit == nil && e.Commit == nil && e.Device == nil) {
			continue
		}
		t := e.Time.UTC()
		if first.IsZero() || t.Before(first) {
			first = t
		}
		if t.After(last) {
			last = t
		}
	}
	if first.IsZero() {
		return tl
	}
	step := 24 * time.Hour
	start := first.Truncate(step)
	if last.Sub(start) > maxTimelineDays*step {
		tl.Bucket, step = "week", 7*24*time.Hour
	}
	n := int(last.Sub(start)/step) + 1
	tl.Days = make([]int64, n)
	for i := range n {
		tl.Days[i] = start.Add(time.Duration(i) * step).Unix()
	}
	tl.Ordinary, tl.Anon, tl.Failed, tl.Other = make([]int, n), make([]int, n), make([]int, n), make([]int, n)
	for _, e := range events {
		if e.Time.IsZero() {
			continue
		}
		i := int(e.Time.UTC().Sub(start) / step)
		if i < 0 || i >= n {
			continue
		}
		switch {
		case e.SignIn != nil:
			switch {
			case e.SignIn.Outcome != "" && e.SignIn.Outcome != event.OutcomeSuccess:
				tl.Failed[i]++
			case e.Net().IsProxy || e.Net().IsHosting:
				tl.Anon[i]++
			default:
				tl.Ordinary[i]++
			}
		case e.Audit != nil || e.Commit != nil || e.Device != nil:
			tl.Other[i]++
		default:
			continue
		}
		tl.Total++
	}
	return tl
}

// cellTimeline is a cell's history drawn as SVG lanes: a row per member at
// their hire (or application) date, a row per shared identifier at its
// first appearance in the members' records.
type cellTimeline struct {
	Width, Height float64
	Rows          []ctRow
	Ticks         []wfTick
	AxisY         float64
	LaneX         float64 // where the lanes start, after the labels
	Start, End    time.Time
	Unplaced      int // identifiers found in no stored record of the members
}

type ctRow struct {
	Label, Title string
	Class        string // "hire" or "ident kind-<kind>"
	X, Y, TextY  string
	LineY        string
	When         time.Time
}

// Cell timeline geometry.
const (
	ctLabelW = 380.0
	ctPlotW  = 560.0
	ctRowH   = 20.0
	ctMaxIDs = 40 // identifiers drawn
)

// buildCellTimeline lays out the members' hire dates and the first time
// each link's value appears in a field of one of its members' records.
func buildCellTimeline(members []linkedPerson, links []report.Link, events map[string][]*event.Event) *cellTimeline {
	recs := map[string][]record{}
	for id, evs := range events {
		recs[id] = records(evs)
	}
	type mark struct {
		label, title, class string
		at                  time.Time
	}
	var marks []mark
	for _, m := range members {
		hired, how := hireDate(events[m.ID])
		if hired.IsZero() {
			continue
		}
		name := m.Name
		if name == "" {
			name = m.ID
		}
		marks = append(marks, mark{label: cut(name, 40), title: plain(name) + " " + how + " " + day(hired), class: "hire", at: hired})
	}
	unplaced := 0
	for _, l := range links[:min(len(links), ctMaxIDs)] {
		at := firstAppearance(l, recs)
		if at.IsZero() {
			unplaced++
			continue
		}
		label := plain(l.Kind) + ": " + plain(l.Value)
		marks = append(marks, mark{label: cut(label, 56), title: label + ", first in the records " + day(at) + ", shared by " + plain(strings.Join(l.Members, ", ")),
			class: "ident kind-" + kindClass(l.Kind), at: at})
	}
	if len(marks) == 0 {
		return nil
	}
	slices.SortStableFunc(marks, func(a, b mark) int { return a.at.Compare(b.at) })
	start, end := marks[0].at, marks[len(marks)-1].at
	span := end.Sub(start)
	if span <= 0 {
		span = 24 * time.Hour
	}
	ct := &cellTimeline{Width: ctLabelW + ctPlotW + 20, LaneX: ctLabelW, Height: float64(len(marks))*ctRowH + 24, Start: start, End: end, Unplaced: unplaced}
	for i, m := range marks {
		y := float64(i)*ctRowH + ctRowH/2
		x := ctLabelW + float64(m.at.Sub(start))/float64(span)*ctPlotW
		ct.Rows = append(ct.Rows, ctRow{Label: m.label, Title: m.title, Class: m.class, X: coord(x), Y: coord(y), TextY: coord(y + 4),
			LineY: coord(y), When: m.at})
	}
	ct.AxisY = float64(len(marks)) * ctRowH
	for _, f := range []float64{0, 0.25, 0.5, 0.75, 1} {
		t := start.Add(time.Duration(f * float64(span)))
		ct.Ticks = append(ct.Ticks, wfTick{X: coord(ctLabelW + f*ctPlotW), Label: day(t)})
	}
	anchorEnds(ct.Ticks)
	return ct
}

// hireDate is when a person joined: the roster's creation date, else the
// earliest application.
func hireDate(events []*event.Event) (time.Time, string) {
	var applied time.Time
	for _, e := range events {
		if e.Person != nil && !e.Person.Created.IsZero() {
			return e.Person.Created, "hired"
		}
		if e.Applicant != nil && !e.Time.IsZero() && (applied.IsZero() || e.Time.Before(applied)) {
			applied = e.Time
		}
	}
	return applied, "applied"
}

// record is one stored record of a cell member, reduced to what the cell
// timeline compares: its time and its field values (alnum).
type record struct {
	at     time.Time
	values []string
	words  map[string]bool // every word of every field, lower-cased
}

// records reduces a member's events to their times and field values once,
// for every link of the cell to look through.
func records(events []*event.Event) []record {
	out := make([]record, 0, len(events))
	for _, e := range events {
		t := e.Time
		if e.Person != nil && !e.Person.Created.IsZero() {
			t = e.Person.Created
		}
		if t.IsZero() {
			continue
		}
		r := record{at: t, words: map[string]bool{}}
		for _, f := range fields(e) {
			if v := alnum(f.Value); v != "" {
				r.values = append(r.values, v)
			}
			for _, w := range words(f.Value) {
				r.words[w] = true
			}
		}
		out = append(out, r)
	}
	return out
}

// firstAppearance is the earliest time a record of one of the link's
// members holds its value in one of its fields, compared on letters and
// digits only, as the kind of identifier needs: a payout account by the
// start of its fingerprint ("payout account 1a2b3c4d…"), a phone by its
// last digits, a URL inside the field, an address (whose label is
// normalised and reordered) when every word of it is in the record, and
// anything else (an IP, a mailbox, a serial) whole. It is zero when no
// record holds the value.
func firstAppearance(l report.Link, recs map[string][]record) time.Time {
	want := linkToken(l.Value)
	if want == "" {
		return time.Time{}
	}
	var holds func(string) bool
	switch l.Kind {
	case "bank_account":
		holds = func(v string) bool { return strings.HasPrefix(v, want) }
	case "phone":
		holds = func(v string) bool { return strings.HasSuffix(v, want) }
	case "url":
		holds = func(v string) bool { return strings.Contains(v, want) }
	default:
		holds = func(v string) bool { return v == want }
	}
	match := func(r record) bool { return slices.ContainsFunc(r.values, holds) }
	if l.Kind == "address" {
		ws := words(l.Value)
		match = func(r record) bool {
			return !slices.ContainsFunc(ws, func(w string) bool { return !r.words[w] })
		}
	}
	var first time.Time
	for _, m := range l.Members {
		for _, r := range recs[m] {
			if !first.IsZero() && !r.at.Before(first) {
				continue
			}
			if match(r) {
				first = r.at
			}
		}
	}
	return first
}

// linkToken is the part of a link's value a record's field holds.
func linkToken(v string) string {
	v = strings.TrimPrefix(v, "payout account ")
	v = strings.TrimSuffix(v, "…")
	return alnum(v)
}

// alnum lower-cases s and keeps its letters and digits.
func alnum(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// words splits s into lower-cased runs of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// kindClass is an identifier kind as a CSS class suffix.
func kindClass(kind string) string {
	switch kind {
	case "bank_account", "device", "address", "phone", "email", "url", "ip":
		return kind
	}
	return "other"
}
