package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// JSON writes the report as the stable JSON document of DESIGN.md §5: every
// list is [] rather than null, and people are sorted by score, highest
// first, then by id.
type JSON struct {
	// Indent pretty-prints with two-space indentation.
	Indent bool
}

var _ Reporter = JSON{}

// Write implements Reporter.
func (j JSON) Write(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	if j.Indent {
		enc.SetIndent("", "  ")
	}
	if err := enc.Encode(normalized(r)); err != nil {
		return fmt.Errorf("json report: %w", err)
	}
	return nil
}

// Load reads a JSON report written by JSON. The result is normalized the
// same way JSON writes it (lists non-nil, people in report order), so that
// writing a loaded report reproduces it.
func Load(rd io.Reader) (*Report, error) {
	dec := json.NewDecoder(rd)
	var r Report
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("json report: %w", err)
	}
	if r.Version < 1 || r.Version > Version {
		return nil, fmt.Errorf("json report: unsupported version %d (this build reads version %d)", r.Version, Version)
	}
	var extra json.RawMessage
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err == nil {
			err = errors.New("more than one JSON value")
		}
		return nil, fmt.Errorf("json report: trailing data: %w", err)
	}
	return normalized(&r), nil
}
