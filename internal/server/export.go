package server

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
)

// formulaStart lists the characters that make a spreadsheet read a cell as
// a formula (OWASP "CSV injection"), with their full-width forms.
const formulaStart = "=+-@\t\r\uFF1D\uFF0B\uFF0D\uFF20"

// csvCell makes a value safe for a spreadsheet: plain text on one line,
// and a leading apostrophe when it would otherwise start a formula.
func csvCell(s string) string {
	s = plain(s)
	if s != "" && strings.ContainsRune(formulaStart, []rune(s)[0]) {
		return "'" + s
	}
	return s
}

// exportPeopleCSV writes the people matching the list's filters as CSV.
func (s *Server) exportPeopleCSV(w http.ResponseWriter, r *http.Request) {
	f := filterFrom(r)
	people, _, err := s.findPeople(r.Context(), f, 0, 0)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	if err := s.audit(r, "export.people", "people", f.values().Encode()); err != nil {
		s.fail(w, r, true, err)
		return
	}
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	cw.Write([]string{"rank", "id", "employee_id", "candidate_ids", "name", "kind", "score", "level", "flagged", "cell", "indicators"}) //nolint:errcheck // bytes.Buffer
	for i, p := range people {
		var inds []string
		for _, ind := range p.Indicators {
			id := ind.ID
			if ind.Suppressed != "" {
				id += " (suppressed)"
			}
			inds = append(inds, id)
		}
		row := []string{strconv.Itoa(i + 1), p.ID, p.EmployeeID, strings.Join(p.CandidateIDs, " "), p.Name, p.Kind,
			strconv.Itoa(p.Score), p.Level, strconv.FormatBool(p.Flagged), p.Cluster, strings.Join(inds, " ")}
		for k := range row {
			row[k] = csvCell(row[k])
		}
		cw.Write(row) //nolint:errcheck // bytes.Buffer
	}
	cw.Flush()
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="rollcall-people.csv"`)
	w.Write(b.Bytes()) //nolint:errcheck // the client went away
}
