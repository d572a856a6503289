package store

import (
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// The store's own result types: what SaveResults writes and the reads give
// back. They are not the JSON report (internal/report builds that from
// them at the edge, report.FromStore), so that the report's JSON can change
// without changing what the tables hold. The JSON tags of Finding are the
// encoding of the people table's indicators column and of the findings
// table's lists (RowOf functions in rows.go): changing one is a migration.

// Results are the analysis results of one scan, as stored.
type Results struct {
	Version      int
	Stats        Stats
	Rejected     []Rejection
	SkippedFiles []Skipped
	Unresolved   []profile.Unresolved
	Notes        []string
	People       []Person
	Clusters     []Cluster
}

// NewResults returns results whose lists that a read always fills
// (rejections, skipped files, unresolved accounts, people) are empty, not
// nil: Store.Results starts from it.
func NewResults() *Results {
	return &Results{Rejected: []Rejection{}, SkippedFiles: []Skipped{}, Unresolved: []profile.Unresolved{}, People: []Person{}}
}

// Stats count what the scan read (the results table).
type Stats struct {
	Files              int
	RecordsRead        int
	RecordsRejected    int
	Events             int
	People             int
	UnresolvedAccounts int
	BySource           map[string]int // events per format id
	// RecordsWithUnknown is not stored: it comes back zero.
	RecordsWithUnknown int
}

// Rejection is a record the scan could not read (the rejections table).
type Rejection struct {
	File   string
	Line   int
	Record int
	Field  string
	Reason string
}

// Skipped is a file whose format was not recognised (the skipped_files
// table).
type Skipped struct {
	File   string
	Reason string
}

// Person is one person's result (the people table, PersonRow).
type Person struct {
	ID           string
	EmployeeID   string
	CandidateIDs []string
	Name         string
	Kind         string
	Score        int
	Level        string
	Flagged      bool
	Cluster      string
	ClusterBonus float64
	Capped       string
	Indicators   []Finding // the indicators that fired on the person
}

// Finding is one indicator that fired on a person (FindingRow, and the
// people table's indicators column as JSON).
type Finding struct {
	ID         string           `json:"id"`
	Name       string           `json:"name"`
	Stage      string           `json:"stage"`
	Strength   string           `json:"strength"`
	Weight     float64          `json:"weight"`
	Points     float64          `json:"points"`
	Summary    string           `json:"summary"`
	Suppressed string           `json:"suppressed,omitempty"`
	Related    []string         `json:"related,omitempty"`
	Evidence   []event.Evidence `json:"evidence"`
}

// Cluster is a cell (ClusterRow, and its links as LinkRows).
type Cluster struct {
	ID      string
	Members []string
	Links   []Link
	Score   int
}

// Link is one shared identifier joining members of a cluster.
type Link struct {
	Kind     string
	Value    string
	Members  []string
	Strength float64
}
