package event

import "fmt"

// Evidence points at one input record and says what it shows. Findings
// (internal/detect) and identity-graph links (internal/graph) cite it.
type Evidence struct {
	Source  string `json:"source"`
	File    string `json:"file"`
	Record  int    `json:"record"`
	Line    int    `json:"line,omitempty"`
	ID      string `json:"id,omitempty"`
	Summary string `json:"summary"`
}

// EvidenceOf builds evidence pointing at e.
func EvidenceOf(e *Event, format string, args ...any) Evidence {
	return Evidence{
		Source:  e.Prov.Source(),
		File:    e.Prov.File(),
		Record:  e.Prov.Record,
		Line:    e.Prov.Line,
		ID:      e.Prov.ID,
		Summary: fmt.Sprintf(format, args...),
	}
}

// MaxEvidence bounds how many records one finding or link cites; the
// summary says how many there were in all.
const MaxEvidence = 20
