package source

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
)

// RecordTap is an optional extension of Sink for handing records to
// another process to decode (internal/stream publishes them to JetStream).
// The framing helpers DecodeJSON and DecodeCSV call Raw with each record's
// bytes just before parsing them, so the Event or Reject that follows
// belongs to those bytes. A record the framing itself rejects (malformed
// framing, an oversized record, a CSV syntax error) gets no Raw call, nor
// do records of formats that frame their input themselves.
//
// Decoding raw alone, through the same format's Decode with a sink that
// implements SingleRecord, yields the same event or rejection, content
// hash included; only the position (file, record number, line) is the
// caller's to restore. For JSON formats raw is the record's JSON; for CSV
// formats it is the file's header row followed by the record's row. raw is
// only valid during the call.
type RecordTap interface {
	Sink
	Raw(raw []byte)
}

// SingleRecord is an optional extension of Sink saying that the input is
// exactly one record as a RecordTap received it. DecodeJSON then parses the
// whole input as that record, without framing, so that a record that came
// from an array is not mistaken for a wrapper object. DecodeCSV needs no
// such hint: the header and one row decode as they are.
type SingleRecord interface {
	Sink
	SingleRecord()
}

// FrameSink is an optional extension of RecordTap for a sink that wants
// the framed records and not their events (internal/stream's publish: the
// worker decodes them). DecodeJSON and DecodeCSV then frame the input
// without parsing any record, and call Frame with each record's bytes (as
// Raw would get them), its place in the file and its content hash: the
// hash its event's provenance would carry. Records the framing itself
// rejects still go to Reject; limits still count every record. Formats
// that frame their input themselves ignore the extension and decode as for
// a RecordTap.
type FrameSink interface {
	RecordTap
	Frame(raw []byte, record, line int, hash string)
}

// single parses all of r, byte for byte, as one JSON record.
func (d *jsonFramer) single(r io.Reader) error {
	raw, err := io.ReadAll(io.LimitReader(r, MaxRecordSize+1))
	if err != nil {
		return fmt.Errorf("reading %q: %w", d.file, err)
	}
	if len(raw) > MaxRecordSize {
		d.tooLarge(1)
		return nil
	}
	d.emit(raw, 1)
	return nil
}

// csvRecord encodes a header and one row as a CSV document that DecodeCSV
// reads back into the same fields.
func csvRecord(header, fields []string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	// Writing to a bytes.Buffer cannot fail; a field csv.Writer could not
	// encode does not exist (any string is quotable).
	_ = w.Write(header)
	_ = w.Write(fields)
	w.Flush()
	return b.Bytes()
}
