package store

import (
	"encoding/json"
	"fmt"

	"github.com/rollcall/rollcall/internal/report"
)

// Row types: what the backends' tables hold, and the one mapping between
// them and the report types the Store interface speaks. Both backends
// write and read through these, so a column added to a table is mapped
// once, here.

// PersonColumns are the columns of the people table (aliased p) that
// PersonRow.Dest scans, in that order.
const PersonColumns = `p.id, p.employee_id, p.candidate_ids, p.name, p.kind, p.score, p.level, p.flagged,
	p.cluster, p.cluster_bonus, p.capped, p.indicators`

// PersonRow is one row of the people table: a person's scalar fields,
// their lists as JSON, and the text PeopleQuery.Search looks in.
type PersonRow struct {
	ID, EmployeeID string
	CandidateIDs   []byte // JSON array of strings
	Name, Kind     string
	Score          int
	Level          string
	Flagged        bool
	Cluster        string
	ClusterBonus   float64
	Capped         string
	Indicators     []byte // JSON array of report.Indicator
	Search         string // SearchText; written, not read back
}

// PersonRowOf maps a report person to its row.
func PersonRowOf(p *report.Person) (PersonRow, error) {
	candidates, err := json.Marshal(p.CandidateIDs)
	if err != nil {
		return PersonRow{}, fmt.Errorf("person %q candidate ids: %w", p.ID, err)
	}
	indicators, err := json.Marshal(p.Indicators)
	if err != nil {
		return PersonRow{}, fmt.Errorf("person %q indicators: %w", p.ID, err)
	}
	return PersonRow{
		ID: p.ID, EmployeeID: p.EmployeeID, CandidateIDs: candidates, Name: p.Name, Kind: p.Kind,
		Score: p.Score, Level: p.Level, Flagged: p.Flagged, Cluster: p.Cluster, ClusterBonus: p.ClusterBonus,
		Capped: p.Capped, Indicators: indicators, Search: SearchText(p),
	}, nil
}

// Dest returns scan destinations for PersonColumns.
func (r *PersonRow) Dest() []any {
	return []any{&r.ID, &r.EmployeeID, &r.CandidateIDs, &r.Name, &r.Kind, &r.Score, &r.Level, &r.Flagged,
		&r.Cluster, &r.ClusterBonus, &r.Capped, &r.Indicators}
}

// Person maps the row back to the report person.
func (r *PersonRow) Person() (report.Person, error) {
	p := report.Person{
		ID: r.ID, EmployeeID: r.EmployeeID, Name: r.Name, Kind: r.Kind, Score: r.Score, Level: r.Level,
		Flagged: r.Flagged, Cluster: r.Cluster, ClusterBonus: r.ClusterBonus, Capped: r.Capped,
	}
	if err := json.Unmarshal(r.CandidateIDs, &p.CandidateIDs); err != nil {
		return p, fmt.Errorf("person %q candidate ids: %w", p.ID, err)
	}
	if err := json.Unmarshal(r.Indicators, &p.Indicators); err != nil {
		return p, fmt.Errorf("person %q indicators: %w", p.ID, err)
	}
	return p, nil
}
