package server

import (
	"fmt"
	"time"

	"github.com/rollcall/rollcall/internal/store"
)

// coverageWindow is how many days the coverage strips show, ending on the
// last day any source has data. Roster and applicant records reach years
// back; activity gaps matter in the recent past.
const coverageWindow = 180

// continuous are the sources that log every day: a day without their
// records inside their period is a gap in coverage. Rosters, applicants,
// payroll and shipments are records of occasional events.
var continuous = map[string]bool{"okta": true, "entra": true, "gworkspace": true, "github": true, "osquery": true, "gitlog": true}

// sourceRow is one data source on the overview: counts, period, and a
// strip of its events per day in which days without data stand out.
type sourceRow struct {
	Source      string
	Events      int
	Files       int
	First, Last time.Time
	DaysWith    int // days in the window with data
	Gaps        int // days in the window inside the source's own period without data
	Strip       []stripCell
	Days        int // days in the window (the strip's width)
}

type stripCell struct {
	X     int
	Class string // c0 (no data) … c4 (busiest)
	Title string
}

func sourceRows(cov []store.Coverage) ([]sourceRow, string) {
	var end time.Time
	var start time.Time
	for _, c := range cov {
		if c.Last.After(end) {
			end = c.Last
		}
		if !c.First.IsZero() && (start.IsZero() || c.First.Before(start)) {
			start = c.First
		}
	}
	if end.IsZero() {
		rows := make([]sourceRow, len(cov))
		for i, c := range cov {
			rows[i] = sourceRow{Source: plain(c.Source), Events: c.Events, Files: c.Files}
		}
		return rows, ""
	}
	end = end.UTC().Truncate(24 * time.Hour)
	start = start.UTC().Truncate(24 * time.Hour)
	if lim := end.AddDate(0, 0, -(coverageWindow - 1)); start.Before(lim) {
		start = lim
	}
	days := int(end.Sub(start)/(24*time.Hour)) + 1
	span := fmt.Sprintf("%s to %s (%d days)", day(start), day(end), days)
	var rows []sourceRow
	for _, c := range cov {
		row := sourceRow{Source: plain(c.Source), Events: c.Events, Files: c.Files, First: c.First, Last: c.Last, Days: days}
		most := 0
		for _, n := range c.Daily {
			most = max(most, n)
		}
		for i := range days {
			d := start.AddDate(0, 0, i)
			n := c.Daily[d.Format(time.DateOnly)]
			cell := stripCell{X: i, Class: intensity(n, most), Title: fmt.Sprintf("%s: %d events", day(d), n)}
			inPeriod := !c.First.IsZero() && !d.Before(c.First.UTC().Truncate(24*time.Hour)) && !d.After(c.Last)
			switch {
			case n > 0:
				row.DaysWith++
			case inPeriod && continuous[c.Source]:
				row.Gaps++
				cell.Class = "gap"
			}
			row.Strip = append(row.Strip, cell)
		}
		rows = append(rows, row)
	}
	return rows, span
}

// intensity buckets a day's count against the busiest day.
func intensity(n, most int) string {
	switch {
	case n == 0 || most == 0:
		return "c0"
	case n*4 <= most:
		return "c1"
	case n*2 <= most:
		return "c2"
	case n*4 <= most*3:
		return "c3"
	}
	return "c4"
}
