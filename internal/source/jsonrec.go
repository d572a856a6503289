package source

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/rollcall/rollcall/internal/event"
)

// ParseFunc turns the raw bytes of one record into an event. It need not
// fill Prov; the framing helpers do. A returned error rejects the record;
// wrap it in a FieldError to name the field. raw is only valid during the
// call: the framing helpers reuse its memory for the next record.
type ParseFunc func(raw []byte) (*event.Event, error)

// DecodeJSON frames r as JSON records and calls parse on each: the elements
// of a top-level array; the elements of the array under one of wrapperKeys
// in a top-level object (Graph's "value", Reports API's "items", SCIM's
// "Resources", …, matched case-insensitively); or one record per line
// (NDJSON, where a line may itself be such a wrapper or an array). A
// top-level object without a wrapper key is one record; several top-level
// values in a row (pretty-printed objects, one page array after another)
// are read in turn. Every record ends as sink.Event or sink.Reject.
//
// Content starting with '{' whose first line is a complete object is read
// line by line, so that a malformed line is rejected alone and the lines
// after it are still read. Other content is read as a stream of values; a
// framing error there (unbalanced brackets, a string broken by a newline,
// truncation) rejects the record at hand and ends the file with an error.
func DecodeJSON(ctx context.Context, r io.Reader, file, format string, wrapperKeys []string, sink Sink, parse ParseFunc) error {
	d := &jsonFramer{ctx: ctx, file: file, format: format, keys: wrapperKeys, sink: sink, parse: parse}
	d.tap, _ = sink.(RecordTap)
	if _, ok := sink.(SingleRecord); ok {
		return d.single(r)
	}
	s := newJSONScanner(r)
	s.skipBOM()
	first, ok := s.skipSpace()
	if !ok {
		if err := s.readErr(); err != nil {
			return fmt.Errorf("reading %q: %w", file, err)
		}
		return nil // empty file: no records
	}
	switch first {
	case '[':
		return d.stream(s)
	case '{':
		if line, complete := s.peekLine(); complete && (looksLikeOneLine(line) || nextLineIsARecord(s)) {
			return d.lines(s)
		}
		return d.stream(s)
	default:
		return fmt.Errorf("%s:%d: not JSON: starts with %q (expected '[' or '{')", file, s.line, first)
	}
}

// looksLikeOneLine reports whether the first line holds a whole object (or
// a broken one that still ends like one), which makes the file NDJSON.
func looksLikeOneLine(line []byte) bool {
	t := bytes.TrimSpace(line)
	return len(t) > 1 && t[len(t)-1] == '}'
}

// nextLineIsARecord reports whether the first non-blank line after the
// first one holds a whole object. That makes the file NDJSON whose first
// record is broken off (a truncated or unterminated line): pretty-printed
// JSON never has an object's second line start with '{' and end with '}'.
// Reading such a file as a stream would merge the broken record with the
// next line into one rejection and lose the records after it.
func nextLineIsARecord(s *jsonScanner) bool {
	lines := s.peekLines(4)
	for _, l := range lines[min(1, len(lines)):] {
		if t := bytes.TrimSpace(l); len(t) > 0 {
			return t[0] == '{' && looksLikeOneLine(t)
		}
	}
	return false
}

type jsonFramer struct {
	ctx    context.Context
	file   string
	format string
	keys   []string
	sink   Sink
	parse  ParseFunc
	tap    RecordTap // nil unless the sink forwards raw records
	record int
	rec    capture // the record being read
	key    []byte  // scratch for object keys
}

// emit parses one record and hands the result to the sink.
func (d *jsonFramer) emit(raw []byte, line int) {
	d.record++
	if d.tap != nil {
		d.tap.Raw(raw)
	}
	ev, err := d.parse(raw)
	if err == nil && ev == nil {
		err = errors.New("record produced no event")
	}
	if err != nil {
		rej := recordRejection(d.file, line, d.record, err)
		if rej.Field == "" && !json.Valid(raw) {
			rej.Reason = "malformed JSON: " + jsonSyntaxReason(raw)
		}
		d.sink.Reject(rej)
		return
	}
	ev.Prov.Source = d.format
	ev.Prov.File = d.file
	ev.Prov.Record = d.record
	ev.Prov.Line = line
	ev.Prov.Hash = RecordHash(raw)
	d.sink.Event(ev)
}

func (d *jsonFramer) rejectFraming(line int, reason string) {
	d.record++
	d.sink.Reject(Rejection{File: d.file, Line: line, Record: d.record, Reason: reason})
}

// framingError rejects the record that broke the framing and returns the
// file-level error.
func (d *jsonFramer) framingError(line int, err error) error {
	d.rejectFraming(line, "malformed JSON: "+err.Error())
	return fmt.Errorf("%s:%d: malformed JSON, rest of file not read: %w", d.file, line, err)
}

func (d *jsonFramer) tooLarge(line int) {
	d.rejectFraming(line, fmt.Sprintf("record larger than %d bytes", MaxRecordSize))
}

// RecordHash is the content hash stored in provenance.
func RecordHash(raw []byte) string {
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:12])
}

// stream reads top-level values until the end of input.
func (d *jsonFramer) stream(s *jsonScanner) error {
	for {
		if err := d.ctx.Err(); err != nil {
			return err
		}
		c, ok := s.skipSpace()
		if !ok {
			if err := s.readErr(); err != nil {
				return fmt.Errorf("reading %q: %w", d.file, err)
			}
			return nil
		}
		var err error
		switch c {
		case '[':
			s.advance()
			err = d.elements(s)
		case '{':
			err = d.object(s)
		default:
			err = d.framingError(s.line, fmt.Errorf("unexpected %q at top level (expected '[' or '{')", c))
		}
		if err != nil {
			return err
		}
	}
}

// elements reads array elements after the opening '[' as records.
func (d *jsonFramer) elements(s *jsonScanner) error {
	for n := 0; ; n++ {
		if err := d.ctx.Err(); err != nil {
			return err
		}
		c, ok := s.skipSpace()
		if !ok {
			return d.framingError(s.line, s.truncated())
		}
		if c == ']' {
			s.advance()
			return nil
		}
		if n > 0 {
			if c != ',' {
				return d.framingError(s.line, fmt.Errorf("unexpected %q after an array element (expected ',' or ']')", c))
			}
			s.advance()
			if c, ok = s.skipSpace(); ok && c == ']' { // tolerate a trailing comma
				s.advance()
				return nil
			}
		}
		line := s.line
		d.rec.reset()
		outer := s.c
		s.c = &d.rec
		err := s.value()
		s.c = outer
		if err != nil {
			return d.framingError(line, err)
		}
		if d.rec.over {
			d.tooLarge(line)
			continue
		}
		d.emit(d.rec.buf, line)
	}
}

// object reads one top-level object. The elements of an array under a
// wrapper key are records; an object without one is itself a record.
func (d *jsonFramer) object(s *jsonScanner) error {
	line := s.line
	d.rec.reset()
	s.c = &d.rec // capture the object until a wrapper shows it is not a record
	defer func() { s.c = nil }()
	s.advance() // '{'
	wrapped := false
	for n := 0; ; n++ {
		c, ok := s.skipSpace()
		if !ok {
			return d.framingError(line, s.truncated())
		}
		if c == '}' {
			s.advance()
			break
		}
		if n > 0 {
			if c != ',' {
				return d.framingError(s.line, fmt.Errorf("unexpected %q after an object member (expected ',' or '}')", c))
			}
			s.advance()
			if c, ok = s.skipSpace(); !ok {
				return d.framingError(line, s.truncated())
			}
		}
		if c != '"' {
			return d.framingError(s.line, fmt.Errorf("unexpected %q where an object key should start", c))
		}
		s.advance()
		d.key = d.key[:0]
		if err := s.stringRest(&d.key); err != nil {
			return d.framingError(s.line, err)
		}
		if c, ok = s.skipSpace(); !ok || c != ':' {
			if !ok {
				return d.framingError(line, s.truncated())
			}
			return d.framingError(s.line, fmt.Errorf("unexpected %q after an object key (expected ':')", c))
		}
		s.advance()
		if c, ok = s.skipSpace(); !ok {
			return d.framingError(line, s.truncated())
		}
		if c == '[' && isOneOfFold(d.key, d.keys) {
			wrapped = true
			s.c = nil
			s.advance()
			if err := d.elements(s); err != nil {
				return err
			}
			continue
		}
		if err := s.value(); err != nil {
			return d.framingError(s.line, err)
		}
	}
	if wrapped {
		return nil
	}
	if d.rec.over {
		d.tooLarge(line)
		return nil
	}
	d.emit(d.rec.buf, line)
	return nil
}

// mayWrap reports whether a line might be a wrapper object: it mentions
// one of the wrapper keys as a quoted string.
func (d *jsonFramer) mayWrap(line []byte) bool {
	for _, w := range d.keys {
		if containsFoldQuoted(line, w) {
			return true
		}
	}
	return false
}

// containsFoldQuoted reports whether b contains "key" (quotes included),
// ASCII case-insensitively.
func containsFoldQuoted(b []byte, key string) bool {
	n := len(key) + 2
	for i := 0; i+n <= len(b); {
		j := bytes.IndexByte(b[i:], '"')
		if j < 0 || i+j+n > len(b) {
			return false
		}
		i += j
		if b[i+n-1] == '"' && bytes.EqualFold(b[i+1:i+n-1], []byte(key)) {
			return true
		}
		i++
	}
	return false
}

// lines reads NDJSON: one record per line, blank lines skipped. A line that
// is an array or a wrapper object yields its elements.
func (d *jsonFramer) lines(s *jsonScanner) error {
	var line []byte
	for {
		if err := d.ctx.Err(); err != nil {
			return err
		}
		ln := s.line
		var tooLong, more bool
		line, tooLong, more = s.readLine(line[:0])
		if tooLong {
			d.rejectFraming(ln, fmt.Sprintf("line longer than %d bytes", MaxRecordSize))
		} else if t := bytes.TrimSpace(line); len(t) > 0 {
			if t[0] == '[' || (len(d.keys) > 0 && t[0] == '{' && d.mayWrap(t)) {
				// The line's own framing errors are rejections; go on.
				_ = d.stream(newJSONScannerBytes(t, ln))
			} else {
				d.emit(t, ln)
			}
		}
		if !more {
			if err := s.readErr(); err != nil {
				return fmt.Errorf("reading %q: %w", d.file, err)
			}
			return nil
		}
	}
}

// readLine appends the next line (without its newline) to dst, refusing to
// hold more than MaxRecordSize: a longer line is consumed and reported as
// tooLong. more is false once the input is exhausted.
func (s *jsonScanner) readLine(dst []byte) (line []byte, tooLong, more bool) {
	for s.fill() {
		chunk := s.buf[s.pos:s.end]
		i := bytes.IndexByte(chunk, '\n')
		part := chunk
		if i >= 0 {
			part = chunk[:i]
		}
		if !tooLong {
			if len(dst)+len(part) > MaxRecordSize {
				tooLong, dst = true, dst[:0]
			} else {
				dst = append(dst, part...)
			}
		}
		if i >= 0 {
			s.pos += i + 1
			s.line++
			return dst, tooLong, true
		}
		s.pos = s.end
	}
	return dst, tooLong, false
}

func jsonSyntaxReason(b []byte) string {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err.Error()
	}
	return "invalid"
}
