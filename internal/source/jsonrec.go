package source

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/rollcall/rollcall/internal/event"
)

// ParseFunc turns the raw bytes of one record into an event. It need not
// fill Prov; the framing helpers do. A returned error rejects the record;
// wrap it in a FieldError to name the field.
type ParseFunc func(raw []byte) (*event.Event, error)

// DecodeJSON frames r as JSON records and calls parse on each: the elements
// of a top-level array; the elements of the array under one of wrapperKeys
// in a top-level object (Graph's "value", Reports API's "items", SCIM's
// "Resources", …); or one record per line (NDJSON, where a line may itself be
// such a wrapper). A single top-level object without a wrapper key is one
// record. Every record ends as sink.Event or sink.Reject.
func DecodeJSON(ctx context.Context, r io.Reader, file, format string, wrapperKeys []string, sink Sink, parse ParseFunc) error {
	lc := &lineCounter{r: r}
	br := bufio.NewReaderSize(lc, 64<<10)
	d := &jsonFramer{ctx: ctx, file: file, format: format, keys: wrapperKeys, sink: sink, parse: parse, lc: lc}
	first, err := firstNonSpace(br)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil // empty file: no records
		}
		return fmt.Errorf("reading %q: %w", file, err)
	}
	switch first {
	case '[':
		return d.array(br)
	case '{':
		return d.objectOrLines(br)
	default:
		return fmt.Errorf("%s: not JSON: starts with %q (expected '[' or '{')", file, first)
	}
}

type jsonFramer struct {
	ctx    context.Context
	file   string
	format string
	keys   []string
	sink   Sink
	parse  ParseFunc
	lc     *lineCounter
	record int
}

// emit parses one record and hands the result to the sink.
func (d *jsonFramer) emit(raw []byte, line int) {
	d.record++
	ev, err := d.parse(raw)
	if err == nil && ev == nil {
		err = errors.New("record produced no event")
	}
	if err != nil {
		rej := Rejection{File: d.file, Line: line, Record: d.record, Reason: err.Error()}
		var fe *FieldError
		if errors.As(err, &fe) {
			rej.Field = fe.Field
			rej.Reason = fe.Err.Error()
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

// RecordHash is the content hash stored in provenance.
func RecordHash(raw []byte) string {
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:12])
}

// array streams the elements of a top-level array.
func (d *jsonFramer) array(br *bufio.Reader) error {
	dec := json.NewDecoder(br)
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("%s: %w", d.file, err)
	}
	return d.elements(dec, br)
}

// elements streams array elements after the opening '[' has been read.
func (d *jsonFramer) elements(dec *json.Decoder, br *bufio.Reader) error {
	var raw json.RawMessage
	for dec.More() {
		if err := d.ctx.Err(); err != nil {
			return err
		}
		raw = raw[:0]
		if err := dec.Decode(&raw); err != nil {
			line := d.lc.lineAt(d.consumed(dec, br))
			d.rejectFraming(line, "malformed JSON: "+err.Error())
			return fmt.Errorf("%s:%d: malformed JSON, rest of file not read: %w", d.file, line, err)
		}
		if len(raw) > MaxRecordSize {
			d.rejectFraming(d.lc.lineAt(d.consumed(dec, br)-int64(len(raw))), fmt.Sprintf("record larger than %d bytes", MaxRecordSize))
			continue
		}
		start := d.consumed(dec, br) - int64(len(raw))
		d.emit(raw, d.lc.lineAt(start))
	}
	if _, err := dec.Token(); err != nil { // closing ']'
		line := d.lc.lineAt(d.consumed(dec, br))
		return fmt.Errorf("%s:%d: malformed JSON: %w", d.file, line, err)
	}
	return nil
}

// consumed converts the decoder's offset into an offset of the raw stream.
func (d *jsonFramer) consumed(dec *json.Decoder, br *bufio.Reader) int64 {
	return d.lc.base + dec.InputOffset()
}

// objectOrLines handles content starting with '{': NDJSON when the first
// line is a complete JSON value, otherwise one (pretty-printed) object.
func (d *jsonFramer) objectOrLines(br *bufio.Reader) error {
	line, tooLong, err := readLine(br)
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("reading %q: %w", d.file, err)
	}
	if tooLong {
		d.rejectFraming(1, fmt.Sprintf("line longer than %d bytes", MaxRecordSize))
		if errors.Is(err, io.EOF) {
			return nil
		}
		return d.lines(br, nil, err)
	}
	if t := bytes.TrimSpace(line); json.Valid(t) || (len(t) > 1 && t[len(t)-1] == '}') {
		// One complete (or broken but self-contained) object per line: NDJSON.
		return d.lines(br, line, err)
	}
	// Not one value per line: a single pretty-printed object. Re-read it
	// from the start through a decoder.
	rest := io.MultiReader(bytes.NewReader(append(line, '\n')), br)
	d.lc.base = 0
	return d.object(rest)
}

// lines handles NDJSON. first is the first line, already read.
func (d *jsonFramer) lines(br *bufio.Reader, first []byte, firstErr error) error {
	wrapped := d.isWrapper(first)
	lineNo := d.lc.skippedLines + 1
	handle := func(b []byte, ln int) {
		b = bytes.TrimSpace(b)
		if len(b) == 0 {
			return
		}
		if wrapped {
			if err := d.unwrapLine(b, ln); err != nil {
				d.rejectFraming(ln, err.Error())
			}
			return
		}
		if !json.Valid(b) {
			d.rejectFraming(ln, "malformed JSON line: "+jsonSyntaxReason(b))
			return
		}
		d.emit(b, ln)
	}
	if first != nil {
		handle(first, lineNo)
	}
	if errors.Is(firstErr, io.EOF) {
		return nil
	}
	for {
		if err := d.ctx.Err(); err != nil {
			return err
		}
		lineNo++
		b, tooLong, err := readLine(br)
		if tooLong {
			d.rejectFraming(lineNo, fmt.Sprintf("line longer than %d bytes", MaxRecordSize))
		} else if len(b) > 0 {
			handle(b, lineNo)
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading %q: %w", d.file, err)
		}
	}
}

func jsonSyntaxReason(b []byte) string {
	var v any
	err := json.Unmarshal(b, &v)
	if err == nil {
		return "invalid"
	}
	return err.Error()
}

// isWrapper reports whether an object has one of the wrapper keys holding an array.
func (d *jsonFramer) isWrapper(b []byte) bool {
	if len(d.keys) == 0 {
		return false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil {
		return false
	}
	for _, k := range d.keys {
		if v, ok := m[k]; ok && len(bytes.TrimSpace(v)) > 0 && bytes.TrimSpace(v)[0] == '[' {
			return true
		}
	}
	return false
}

func (d *jsonFramer) unwrapLine(b []byte, ln int) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("malformed JSON line: %w", err)
	}
	for _, k := range d.keys {
		v, ok := m[k]
		if !ok {
			continue
		}
		var elems []json.RawMessage
		if err := json.Unmarshal(v, &elems); err != nil {
			return fmt.Errorf("field %q: expected an array: %w", k, err)
		}
		for _, e := range elems {
			d.emit(e, ln)
		}
		return nil
	}
	return fmt.Errorf("object has none of the keys %q", d.keys)
}

// object streams one top-level object, descending into the first wrapper
// key that holds an array; without one, the whole object is one record.
func (d *jsonFramer) object(r io.Reader) error {
	var buf bytes.Buffer
	capture := &cappedWriter{w: &buf, max: MaxRecordSize}
	tr := io.TeeReader(r, capture)
	lc := &lineCounter{r: tr}
	d.lc = lc
	br := bufio.NewReaderSize(lc, 64<<10)
	dec := json.NewDecoder(br)
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("%s: %w", d.file, err)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("%s:%d: malformed JSON: %w", d.file, lc.lineAt(d.consumed(dec, br)), err)
		}
		key, _ := tok.(string)
		if slices.Contains(d.keys, key) {
			t, err := dec.Token()
			if err != nil {
				return fmt.Errorf("%s:%d: malformed JSON: %w", d.file, lc.lineAt(d.consumed(dec, br)), err)
			}
			if delim, ok := t.(json.Delim); ok && delim == '[' {
				capture.stop()
				if err := d.elements(dec, br); err != nil {
					return err
				}
				continue
			}
			continue // scalar under a wrapper key: ignore
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return fmt.Errorf("%s:%d: malformed JSON: %w", d.file, lc.lineAt(d.consumed(dec, br)), err)
		}
	}
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("%s:%d: malformed JSON: %w", d.file, lc.lineAt(d.consumed(dec, br)), err)
	}
	if d.record == 0 && !capture.stopped {
		if capture.overflow {
			d.rejectFraming(1, fmt.Sprintf("record larger than %d bytes", MaxRecordSize))
			return nil
		}
		raw := bytes.TrimSpace(buf.Bytes())
		end := int(dec.InputOffset())
		if end <= len(raw) {
			raw = bytes.TrimSpace(raw[:end])
		}
		d.emit(raw, 1)
	}
	return nil
}

type cappedWriter struct {
	w        *bytes.Buffer
	max      int
	stopped  bool
	overflow bool
}

func (c *cappedWriter) Write(p []byte) (int, error) {
	if c.stopped || c.overflow {
		return len(p), nil
	}
	if c.w.Len()+len(p) > c.max {
		c.overflow = true
		c.w.Reset()
		return len(p), nil
	}
	return c.w.Write(p)
}

func (c *cappedWriter) stop() { c.stopped = true; c.w.Reset() }

// firstNonSpace returns the first non-whitespace byte without consuming it,
// skipping a UTF-8 byte-order mark.
func firstNonSpace(br *bufio.Reader) (byte, error) {
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	for {
		b, err := br.ReadByte()
		if err != nil {
			return 0, err
		}
		switch b {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return b, br.UnreadByte()
	}
}

// readLine reads one line without its newline, refusing to buffer more than
// MaxRecordSize: a longer line is consumed and reported as tooLong.
func readLine(br *bufio.Reader) (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(chunk) > MaxRecordSize {
				tooLong = true
				buf = nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimRight(buf, "\r\n"), tooLong, err
	}
}

// lineCounter counts newlines in what passes through it, so that byte
// offsets (queried in increasing order) can be turned into line numbers
// without keeping the content.
type lineCounter struct {
	r            io.Reader
	pos          int64   // bytes read so far
	pending      []int64 // offsets of newlines not yet passed by a query
	line         int     // newlines before the last queried offset
	base         int64   // offset of the decoder's input within the stream
	skippedLines int     // lines consumed before the first record (unused: 0)
}

func (c *lineCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := 0; i < n; {
		j := bytes.IndexByte(p[i:n], '\n')
		if j < 0 {
			break
		}
		c.pending = append(c.pending, c.pos+int64(i+j))
		i += j + 1
	}
	c.pos += int64(n)
	return n, err
}

// lineAt returns the 1-based line number of byte offset off.
func (c *lineCounter) lineAt(off int64) int {
	k := 0
	for k < len(c.pending) && c.pending[k] < off {
		k++
	}
	c.line += k
	c.pending = c.pending[k:]
	return c.line + 1
}
