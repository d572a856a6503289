// Package report renders scan results. The Report type is the stable JSON
// contract of `rollcall scan --json` (DESIGN.md §5); one Reporter per output
// format (text, JSON, HTML) renders it.
package report

import (
	"io"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/profile"
	"github.com/rollcall/rollcall/internal/source"
)

// Version is the JSON report format version.
const Version = 1

// Report is the result of one scan.
type Report struct {
	Version      int                  `json:"version"`
	Stats        Stats                `json:"stats"`
	Rejected     []source.Rejection   `json:"rejected"`
	SkippedFiles []Skipped            `json:"skipped_files"`
	Unresolved   []profile.Unresolved `json:"unresolved"`
	Notes        []string             `json:"notes,omitempty"` // e.g. which indicators are weaker without IP databases
	People       []Person             `json:"people"`
	Clusters     []Cluster            `json:"clusters"`
}

// Stats counts what the scan read. RecordsRead = Events + RecordsRejected.
type Stats struct {
	Files              int            `json:"files"`
	RecordsRead        int            `json:"records_read"`
	RecordsRejected    int            `json:"records_rejected"`
	Events             int            `json:"events"`
	People             int            `json:"people"`
	UnresolvedAccounts int            `json:"unresolved_accounts"`
	BySource           map[string]int `json:"by_source,omitempty"` // events per format id
	// RecordsWithUnknown counts the records kept although an optional
	// field had a type the vendor never documents (the field is read as
	// unknown and named in the event's provenance).
	RecordsWithUnknown int `json:"records_with_unknown_fields,omitempty"`
}

// Skipped is a file found in a directory whose format was not recognised.
type Skipped struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
}

// Person is one person's result.
type Person struct {
	ID           string      `json:"id"`
	EmployeeID   string      `json:"employee_id"`
	CandidateIDs []string    `json:"candidate_ids"`
	Name         string      `json:"name"`
	Kind         string      `json:"kind"`
	Score        int         `json:"score"`
	Level        string      `json:"level"`
	Flagged      bool        `json:"flagged"`
	Cluster      string      `json:"cluster"`
	ClusterBonus float64     `json:"cluster_bonus,omitempty"`
	Capped       string      `json:"capped,omitempty"` // why the score was held down (corroboration rule)
	Indicators   []Indicator `json:"indicators"`
}

// Indicator is one indicator that fired on a person.
type Indicator struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Stage      string            `json:"stage"`
	Strength   string            `json:"strength"`
	Weight     float64           `json:"weight"` // the indicator's weight under the policy (points before confidence and diminishing returns)
	Points     float64           `json:"points"` // points the finding added: weight × confidence × diminishing returns; 0 when suppressed
	Summary    string            `json:"summary"`
	Suppressed string            `json:"suppressed,omitempty"` // allow-list reason when the finding carries no weight
	Related    []string          `json:"related,omitempty"`
	Evidence   []detect.Evidence `json:"evidence"`
}

// Cluster is a cell: people joined by shared identifiers.
type Cluster struct {
	ID      string   `json:"id"`
	Members []string `json:"members"`
	Links   []Link   `json:"links"`
	Score   int      `json:"score"`
}

// Link is one shared identifier joining members of a cluster.
type Link struct {
	Kind    string   `json:"kind"`  // bank_account, device, mfa_device, address, phone, email, url, resume, ip, referral
	Value   string   `json:"value"` // the shared identifier as an analyst can look it up
	Members []string `json:"members"`
	// Strength is how strongly the link ties its members (0-1,
	// score.LinkStrength): a payout account 1, a referral 0.2.
	Strength float64 `json:"strength,omitempty"`
}

// Reporter renders a report in one format.
type Reporter interface {
	Write(w io.Writer, r *Report) error
}
