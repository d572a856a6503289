package stream

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Kind says what an ingest message carries.
type Kind string

// Kinds of ingest message.
const (
	// KindRaw is one record's bytes, which the worker decodes with the
	// format's adapter (see source.RecordTap).
	KindRaw Kind = "raw"
	// KindEvent is one normalized event as JSON, for formats that frame
	// their input themselves and so cannot hand over raw records.
	KindEvent Kind = "event"
	// KindRejection is a record the publisher's framing rejected (a
	// source.Rejection as JSON): there are no record bytes to send.
	KindRejection Kind = "rejection"
	// KindSkipped is a file found in a directory in no known format (a
	// report.Skipped as JSON).
	KindSkipped Kind = "skipped"
	// KindFile says a file was read (counts toward the report's files).
	KindFile Kind = "file"
)

func (k Kind) valid() bool {
	switch k {
	case KindRaw, KindEvent, KindRejection, KindSkipped, KindFile:
		return true
	}
	return false
}

// Message headers. Nats-Msg-Id carries the record identity (Record.ID).
const (
	HeaderTenant    = "Rollcall-Tenant"
	HeaderKind      = "Rollcall-Kind"
	HeaderFormat    = "Rollcall-Format"
	HeaderFile      = "Rollcall-File"
	HeaderRecord    = "Rollcall-Record"
	HeaderLine      = "Rollcall-Line"
	HeaderHash      = "Rollcall-Hash"
	HeaderPublished = "Rollcall-Published" // unix nanoseconds, for end-to-end latency
	// Dead letters also carry these.
	HeaderDeadReason = "Rollcall-Dead-Reason"
	HeaderDeliveries = "Rollcall-Deliveries"
	HeaderSubject    = "Rollcall-Subject" // the ingest subject the record came on
)

// Record is one ingest message: a record with its provenance, or a note
// about a file.
type Record struct {
	Tenant    string
	Kind      Kind
	Format    string // format id; empty for skipped files
	File      string // path as the publisher was given it
	Record    int    // 1-based record number in the file; 0 for file notes
	Line      int    // 1-based line where the record starts; 0 when unknown
	Hash      string // source.RecordHash of the record (raw, event) or of Body (notes)
	Body      []byte
	Published time.Time
}

// ID is the record's stable identity, used as Nats-Msg-Id and as the key
// of notes: the same record of the same file always has the same ID.
func (r *Record) ID() string {
	id := strings.Join([]string{r.Tenant, string(r.Kind), r.Format, r.File, strconv.Itoa(r.Record), r.Hash}, "\x00")
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:16])
}

// Ref names the record for logs and dead letters (no record content).
func (r *Record) Ref() string {
	s := r.File
	if r.Line > 0 {
		s += ":" + strconv.Itoa(r.Line)
	}
	if r.Record > 0 {
		s += " (record " + strconv.Itoa(r.Record) + ")"
	}
	return s
}

// Msg builds the message to publish on subject.
func (r *Record) Msg(subject string) (*nats.Msg, error) {
	if strings.ContainsAny(r.File, "\r\n") {
		return nil, fmt.Errorf("file name %q contains a line break, which a message header cannot carry", r.File)
	}
	m := nats.NewMsg(subject)
	h := m.Header
	h.Set(jetstream.MsgIDHeader, r.ID())
	h.Set(HeaderTenant, r.Tenant)
	h.Set(HeaderKind, string(r.Kind))
	if r.Format != "" {
		h.Set(HeaderFormat, r.Format)
	}
	h.Set(HeaderFile, r.File)
	if r.Record > 0 {
		h.Set(HeaderRecord, strconv.Itoa(r.Record))
	}
	if r.Line > 0 {
		h.Set(HeaderLine, strconv.Itoa(r.Line))
	}
	if r.Hash != "" {
		h.Set(HeaderHash, r.Hash)
	}
	if !r.Published.IsZero() {
		h.Set(HeaderPublished, strconv.FormatInt(r.Published.UnixNano(), 10))
	}
	m.Data = r.Body
	return m, nil
}

// errMalformed is wrapped by errors about messages that are not rollcall
// ingest messages (or come from an incompatible version).
var errMalformed = errors.New("malformed ingest message")

// ParseRecord reads a record back from a message's headers and body.
func ParseRecord(h nats.Header, body []byte) (Record, error) {
	r := Record{
		Tenant: h.Get(HeaderTenant),
		Kind:   Kind(h.Get(HeaderKind)),
		Format: h.Get(HeaderFormat),
		File:   h.Get(HeaderFile),
		Hash:   h.Get(HeaderHash),
		Body:   body,
	}
	if !r.Kind.valid() {
		return r, fmt.Errorf("%w: kind %q", errMalformed, r.Kind)
	}
	if r.Tenant == "" || r.File == "" {
		return r, fmt.Errorf("%w: no %s or %s header", errMalformed, HeaderTenant, HeaderFile)
	}
	var err error
	if r.Record, err = intHeader(h, HeaderRecord); err != nil {
		return r, err
	}
	if r.Line, err = intHeader(h, HeaderLine); err != nil {
		return r, err
	}
	if v := h.Get(HeaderPublished); v != "" {
		ns, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return r, fmt.Errorf("%w: %s %q", errMalformed, HeaderPublished, v)
		}
		r.Published = time.Unix(0, ns)
	}
	if (r.Kind == KindRaw || r.Kind == KindEvent) && (r.Format == "" || r.Record < 1) {
		return r, fmt.Errorf("%w: a %s record needs %s and %s headers", errMalformed, r.Kind, HeaderFormat, HeaderRecord)
	}
	return r, nil
}

func intHeader(h nats.Header, name string) (int, error) {
	v := h.Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%w: %s %q", errMalformed, name, v)
	}
	return n, nil
}
