package source

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"

	"github.com/rollcall/rollcall/internal/event"
)

// ParseFunc turns the raw bytes of one record into an event. It need not
// fill Prov; the framing helpers do. A returned error rejects the record;
// wrap it in a FieldError to name the field. raw is only valid during the
// call: the framing helpers reuse its memory for later records. The
// framing helpers call a ParseFunc from several goroutines at once, so it
// must keep no state between calls (see JSONFraming.NewParser for one that
// does).
type ParseFunc func(raw []byte) (*event.Event, error)

// DecodeJSON frames r as JSON records and calls parse on each: the elements
// of a top-level array; the elements of the array under one of wrapperKeys
// in a top-level object (Graph's "value", Reports API's "items", SCIM's
// "Resources", …, matched case-insensitively); or one record per line
// (NDJSON, where a line may itself be such a wrapper or an array). A
// top-level object without a wrapper key is one record; several top-level
// values in a row (pretty-printed objects, one page array after another)
// are read in turn. Every record ends as sink.Event or sink.Reject, in
// input order.
//
// Content starting with '{' whose first line is a complete object is read
// line by line, so that a malformed line is rejected alone and the lines
// after it are still read. Other content is read as a stream of values; a
// framing error there (unbalanced brackets, a string broken by a newline,
// truncation) rejects the record at hand and ends the file with an error.
//
// Records are parsed on every core (see JSONFraming); the strings of the
// events that repeat are interned (see Interner.Event).
func DecodeJSON(ctx context.Context, r io.Reader, file, format string, wrapperKeys []string, sink Sink, parse ParseFunc) error {
	j := JSONFraming{Format: format, WrapperKeys: wrapperKeys, Parse: parse}
	return j.Decode(ctx, r, file, sink)
}

// JSONFraming is DecodeJSON's framing with the options a format may need
// beyond a stateless ParseFunc.
type JSONFraming struct {
	Format      string   // format id recorded in provenance
	WrapperKeys []string // see DecodeJSON
	// Parse parses one record; see ParseFunc. The framer interns the
	// repeating strings of its events.
	Parse ParseFunc
	// NewParser, when set, replaces Parse: it is called once for each
	// parsing goroutine with that goroutine's Interner, and the ParseFunc it
	// returns is only ever called from that goroutine, so it may keep
	// scratch memory (a fastjson.Parser) between records. It interns the
	// strings it keeps itself.
	NewParser func(*Interner) ParseFunc
	// Expand, when set, sees every record before it is parsed, on the
	// framing goroutine and in input order. When it returns ok, the records
	// it returns are read instead (with the line of the record they came
	// from): an envelope that carries several records. It must be cheap
	// for records that are not envelopes.
	Expand func(raw []byte) (records [][]byte, ok bool)
}

// Decode reads every record of r; see DecodeJSON. Limits set on ctx
// (WithLimits) bound the decompressed bytes read and the records
// delivered; passing one ends the file with an error wrapping ErrLimit.
func (j *JSONFraming) Decode(ctx context.Context, r io.Reader, file string, sink Sink) error {
	ctx, r, lim := limitInput(ctx, r)
	keys := append(append(make([]string, 0, len(j.WrapperKeys)+len(EnvelopeKeys)), j.WrapperKeys...), EnvelopeKeys...)
	d := &jsonFramer{ctx: ctx, file: file, format: j.Format, origin: &event.Origin{Source: j.Format, File: file}, keys: keys, sink: sink,
		parse: j.Parse, newParser: j.NewParser, expand: j.Expand, lim: lim}
	return lim.result(ctx, d.decode(r))
}

func (d *jsonFramer) decode(r io.Reader) error {
	file := d.file
	d.tap, _ = d.sink.(RecordTap)
	defer d.finish()
	if _, ok := d.sink.(SingleRecord); ok {
		return d.single(r)
	}
	d.frames, _ = d.sink.(FrameSink)
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
		if line, complete := s.peekLine(); complete && (looksLikeOneLine(line) || s.secondLineIsRecord()) {
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

type jsonFramer struct {
	ctx       context.Context
	file      string
	format    string
	origin    *event.Origin // shared by every event of the file
	keys      []string
	sink      Sink
	parse     ParseFunc
	newParser func(*Interner) ParseFunc
	expand    func([]byte) ([][]byte, bool)
	tap       RecordTap   // nil unless the sink forwards raw records
	frames    FrameSink   // nil unless the sink takes frames only
	lim       *inputLimit // nil without Limits
	record    int
	rec       capture // the record being read
	key       []byte  // scratch for object keys
	par       batcher
}

// emit queues one record for parsing.
func (d *jsonFramer) emit(raw []byte, line int) {
	if d.expand != nil {
		if recs, ok := d.expand(raw); ok {
			for _, r := range recs {
				d.enqueue(r, line)
			}
			return
		}
	}
	d.enqueue(raw, line)
}

func (d *jsonFramer) rejectFraming(line int, reason string) {
	d.enqueueRejection(line, reason)
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

// hashBytes is how many bytes of the SHA-256 sum RecordHash keeps.
const hashBytes = 12

// RecordHash is the content hash stored in provenance: the hex of the
// first 12 bytes of the record's SHA-256.
func RecordHash(raw []byte) string {
	var sum [hashBytes]byte
	recordSum(raw, &sum)
	return hex.EncodeToString(sum[:])
}

func recordSum(raw []byte, dst *[hashBytes]byte) {
	sum := sha256.Sum256(raw)
	copy(dst[:], sum[:])
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
		if c == 'n' && isOneOfFold(d.key, d.keys) && s.nullValue() {
			wrapped = true // an empty page: {"Resources":null}
			continue
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
// one of the wrapper keys as a quoted string. It runs on the framing
// goroutine for every NDJSON line, so it passes over the line once for all
// the keys.
func (d *jsonFramer) mayWrap(line []byte) bool {
	return containsAnyFoldQuoted(line, d.keys)
}

// containsAnyFoldQuoted reports whether b contains one of keys as a quoted
// string ("key", quotes included), ASCII case-insensitively, in one pass
// over b.
func containsAnyFoldQuoted(b []byte, keys []string) bool {
	for i := 0; i < len(b); i++ {
		j := bytes.IndexByte(b[i:], '"')
		if j < 0 {
			return false
		}
		i += j
		for _, key := range keys {
			end := i + len(key) + 1
			if end < len(b) && b[end] == '"' && bytes.EqualFold(b[i+1:end], []byte(key)) {
				return true
			}
		}
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
