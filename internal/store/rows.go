package store

import (
	"encoding/json"
	"fmt"
)

// Row types: what the backends' tables hold, and the one mapping between
// them and the result types the Store interface speaks (results.go). Both backends
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
	Indicators     []byte // JSON array of Finding
	Search         string // SearchText; written, not read back
}

// PersonRowOf maps a person to its row.
func PersonRowOf(p *Person) (PersonRow, error) {
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

// ScanPerson reads a person from a row of PersonColumns (*sql.Row,
// *sql.Rows, pgx.Row, pgx.Rows).
func ScanPerson(row interface{ Scan(dest ...any) error }) (Person, error) {
	var r PersonRow
	if err := row.Scan(r.Dest()...); err != nil {
		return Person{}, err
	}
	return r.Person()
}

// ScanPeople reads the people of every row (PersonColumns) in order; nil
// when there are none. The caller closes rows.
func ScanPeople(rows Rows) ([]Person, error) {
	var out []Person
	for rows.Next() {
		p, err := ScanPerson(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Person maps the row back to the person.
func (r *PersonRow) Person() (Person, error) {
	p := Person{
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

// ClusterColumns are the columns of the clusters table that ClusterRow.Dest
// scans, in that order.
const ClusterColumns = `id, score, members`

// ClusterRow is one row of the clusters table; a cluster's links are
// LinkRows of their own table.
type ClusterRow struct {
	ID      string
	Score   int
	Members []byte // JSON array of person ids
}

// ClusterRowOf maps a cluster (without its links) to its row.
func ClusterRowOf(c *Cluster) (ClusterRow, error) {
	members, err := json.Marshal(c.Members)
	if err != nil {
		return ClusterRow{}, fmt.Errorf("cluster %q members: %w", c.ID, err)
	}
	return ClusterRow{ID: c.ID, Score: c.Score, Members: members}, nil
}

// Dest returns scan destinations for ClusterColumns.
func (r *ClusterRow) Dest() []any { return []any{&r.ID, &r.Score, &r.Members} }

// Cluster maps the row back to a cluster without links.
func (r *ClusterRow) Cluster() (Cluster, error) {
	c := Cluster{ID: r.ID, Score: r.Score}
	if err := json.Unmarshal(r.Members, &c.Members); err != nil {
		return c, fmt.Errorf("cluster %q members: %w", c.ID, err)
	}
	return c, nil
}

// ClusterReader assembles clusters, with their links, from the rows both
// backends read: every ClusterRow first, then the LinkRows.
type ClusterReader struct {
	out   []Cluster
	index map[string]int // cluster id → position in out
}

// Cluster adds the cluster of row r.
func (cr *ClusterReader) Cluster(r *ClusterRow) error {
	c, err := r.Cluster()
	if err != nil {
		return err
	}
	if cr.index == nil {
		cr.index = make(map[string]int)
	}
	cr.index[c.ID] = len(cr.out)
	cr.out = append(cr.out, c)
	return nil
}

// Link adds the link of row r to its cluster; a link of a cluster not
// added is left out.
func (cr *ClusterReader) Link(r *LinkRow) error {
	l, err := r.Link()
	if err != nil {
		return err
	}
	if i, ok := cr.index[r.Cluster]; ok {
		cr.out[i].Links = append(cr.out[i].Links, l)
	}
	return nil
}

// Clusters returns the clusters in the order added: empty, not nil, when
// there are none.
func (cr *ClusterReader) Clusters() []Cluster {
	if cr.out == nil {
		return []Cluster{}
	}
	return cr.out
}

// LinkColumns are the columns of the cluster_links table that LinkRow.Dest
// scans, in that order.
const LinkColumns = `cluster, kind, value, members, strength`

// LinkRow is one row of the cluster_links table: a shared identifier of a
// cluster.
type LinkRow struct {
	Cluster, Kind, Value string
	Members              []byte // JSON array of person ids
	Strength             float64
}

// LinkRowOf maps link j of cluster c to its row.
func LinkRowOf(c *Cluster, j int) (LinkRow, error) {
	l := &c.Links[j]
	members, err := json.Marshal(l.Members)
	if err != nil {
		return LinkRow{}, fmt.Errorf("cluster %q link %d members: %w", c.ID, j, err)
	}
	return LinkRow{Cluster: c.ID, Kind: l.Kind, Value: l.Value, Members: members, Strength: l.Strength}, nil
}

// Dest returns scan destinations for LinkColumns.
func (r *LinkRow) Dest() []any { return []any{&r.Cluster, &r.Kind, &r.Value, &r.Members, &r.Strength} }

// Link maps the row back to a link.
func (r *LinkRow) Link() (Link, error) {
	l := Link{Kind: r.Kind, Value: r.Value, Strength: r.Strength}
	if err := json.Unmarshal(r.Members, &l.Members); err != nil {
		return l, fmt.Errorf("cluster %q link members: %w", r.Cluster, err)
	}
	return l, nil
}

// FindingRow is one row of the findings table: indicator j of a person,
// kept beside the person's own row so that PeopleQuery.Indicator can
// filter on it. Reads take the person's indicators from PersonRow.
type FindingRow struct {
	Person, Indicator     string
	Name, Stage, Strength string
	Points                float64 // stored in the weight column (see SaveResults)
	Summary, Suppressed   string
	Related, Evidence     []byte // JSON arrays
}

// FindingRowOf maps indicator j of p to its row.
func FindingRowOf(p *Person, j int) (FindingRow, error) {
	in := &p.Indicators[j]
	related, err := json.Marshal(in.Related)
	if err != nil {
		return FindingRow{}, fmt.Errorf("person %q indicator %q related: %w", p.ID, in.ID, err)
	}
	evidence, err := json.Marshal(in.Evidence)
	if err != nil {
		return FindingRow{}, fmt.Errorf("person %q indicator %q evidence: %w", p.ID, in.ID, err)
	}
	return FindingRow{
		Person: p.ID, Indicator: in.ID, Name: in.Name, Stage: in.Stage, Strength: in.Strength, Points: in.Points,
		Summary: in.Summary, Suppressed: in.Suppressed, Related: related, Evidence: evidence,
	}, nil
}

// SummaryColumns are the columns of the results table that SummaryRow.Dest
// scans, in that order.
const SummaryColumns = `version, files, records_read, records_rejected, events, people,
	unresolved_accounts, by_source, notes`

// SummaryRow is a tenant's one row of the results table: the results'
// version, statistics and notes.
type SummaryRow struct {
	Version, Files, RecordsRead, RecordsRejected, Events, People, UnresolvedAccounts int
	BySource                                                                         []byte // JSON object: events per format id
	Notes                                                                            []byte // JSON array of strings
}

// SummaryRowOf maps the results' version, stats and notes to its row.
func SummaryRowOf(r *Results) (SummaryRow, error) {
	bySource, err := json.Marshal(r.Stats.BySource)
	if err != nil {
		return SummaryRow{}, fmt.Errorf("stats by source: %w", err)
	}
	notes, err := json.Marshal(r.Notes)
	if err != nil {
		return SummaryRow{}, fmt.Errorf("notes: %w", err)
	}
	st := &r.Stats
	return SummaryRow{
		Version: r.Version, Files: st.Files, RecordsRead: st.RecordsRead, RecordsRejected: st.RecordsRejected,
		Events: st.Events, People: st.People, UnresolvedAccounts: st.UnresolvedAccounts, BySource: bySource, Notes: notes,
	}, nil
}

// Dest returns scan destinations for SummaryColumns.
func (s *SummaryRow) Dest() []any {
	return []any{&s.Version, &s.Files, &s.RecordsRead, &s.RecordsRejected, &s.Events, &s.People,
		&s.UnresolvedAccounts, &s.BySource, &s.Notes}
}

// Fill sets r's version, stats and notes from the row.
func (s *SummaryRow) Fill(r *Results) error {
	r.Version = s.Version
	r.Stats = Stats{Files: s.Files, RecordsRead: s.RecordsRead, RecordsRejected: s.RecordsRejected,
		Events: s.Events, People: s.People, UnresolvedAccounts: s.UnresolvedAccounts}
	if err := json.Unmarshal(s.BySource, &r.Stats.BySource); err != nil {
		return fmt.Errorf("stats by source: %w", err)
	}
	if err := json.Unmarshal(s.Notes, &r.Notes); err != nil {
		return fmt.Errorf("notes: %w", err)
	}
	return nil
}
