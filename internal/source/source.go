// Package source reads input files into normalized events.
//
// A Format is one vendor export format (Okta System Log, SCIM roster, …).
// Each lives in its own sub-package and is named in list/list.go. Files are
// opened with Open, which undoes gzip transparently; list.Detect picks the
// format from the first bytes of content; Format.Decode turns every record
// into exactly one event or one Rejection, so that
// records_read = events + records_rejected always holds. DecodeJSON and
// DecodeCSV do the framing for adapters, which only parse one record;
// DecodeJSON parses records on every core and delivers them in input order.
// Strings that repeat across records are kept once (Interner), and the
// values every event allocates come from shared blocks (Slab,
// StringArena), so that a scan holds millions of events in little memory.
package source

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/rollcall/rollcall/internal/event"
)

// SniffSize is how many leading bytes of (decompressed) content Sniff sees.
const SniffSize = 64 << 10

// MaxRecordSize bounds one record (one NDJSON line, one array element, one
// CSV row). Larger records are rejected, never buffered whole.
const MaxRecordSize = 16 << 20

// Rejection is one input record that could not be turned into an event.
type Rejection struct {
	File   string `json:"file"`
	Line   int    `json:"line"`             // 1-based line where the record starts, 0 when unknown
	Record int    `json:"record,omitempty"` // 1-based record number within the file
	Field  string `json:"field,omitempty"`  // the offending field, when one is to blame
	Reason string `json:"error"`
}

func (r Rejection) Error() string {
	s := r.File
	if r.Line > 0 {
		s += fmt.Sprintf(":%d", r.Line)
	}
	if r.Record > 0 {
		s += fmt.Sprintf(" (record %d)", r.Record)
	}
	if r.Field != "" {
		s += fmt.Sprintf(": field %q", r.Field)
	}
	return s + ": " + r.Reason
}

// Sink receives what a Format decodes. Event may keep the pointer.
type Sink interface {
	Event(e *event.Event)
	Reject(r Rejection)
}

// Format is one input format.
type Format interface {
	// ID is the format id used on the command line (--input ID=PATH) and in
	// evidence, e.g. "okta".
	ID() string
	// Description says in one line what the format is and where it comes from.
	Description() string
	// Sniff reports whether content starting with head (at most SniffSize
	// bytes, already decompressed) is in this format. It must be cheap and
	// must not claim content that another format owns.
	Sniff(head []byte) bool
	// Decode reads every record from r, sending each to sink as an event or
	// a rejection. file is the name to record in provenance. A returned
	// error means the rest of the file could not be read (I/O failure,
	// broken framing); records before it have been delivered, and the
	// caller reports the error against the file.
	Decode(ctx context.Context, r io.Reader, file string, sink Sink) error
}

// FieldError is an error about one field of a record. Adapters return it
// from per-record parsing so that the rejection names the field.
type FieldError struct {
	Field string
	Err   error
}

func (e *FieldError) Error() string { return fmt.Sprintf("field %q: %v", e.Field, e.Err) }
func (e *FieldError) Unwrap() error { return e.Err }

// Fieldf builds a FieldError with a formatted message.
func Fieldf(field, format string, args ...any) error {
	return &FieldError{Field: field, Err: fmt.Errorf(format, args...)}
}

// recordRejection turns a per-record parse error into a Rejection, naming
// the field when the error is a FieldError.
func recordRejection(file string, line, record int, err error) Rejection {
	rej := Rejection{File: file, Line: line, Record: record, Reason: err.Error()}
	var fe *FieldError
	if errors.As(err, &fe) {
		rej.Field = fe.Field
		rej.Reason = fe.Err.Error()
	}
	return rej
}
