package source

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/rollcall/rollcall/internal/event"
)

// Row is one CSV data row with its columns addressed by header name.
type Row struct {
	index  map[string]int
	fields []string
	Line   int
}

// Get returns the trimmed value of column name ("" when absent).
func (r Row) Get(name string) string {
	i, ok := r.index[name]
	if !ok || i >= len(r.fields) {
		return ""
	}
	return strings.TrimSpace(r.fields[i])
}

// CSVParseFunc turns one row into an event.
type CSVParseFunc func(row Row) (*event.Event, error)

// DecodeCSV reads a CSV file whose header must contain every column in
// required (any order; extra columns are ignored) and calls parse on each
// data row. A missing column is a file-level error naming it; a row with the
// wrong number of fields or a parse error is rejected with its line.
func DecodeCSV(ctx context.Context, r io.Reader, file, format string, required []string, sink Sink, parse CSVParseFunc) error {
	ctx, r, lim := limitInput(ctx, r)
	return lim.result(ctx, decodeCSV(ctx, r, file, format, required, limitedSink(sink, lim), parse))
}

// limitedSink wraps sink so that it drops the records Limits refuse
// (inputLimit.admit), keeping its RecordTap extension.
func limitedSink(sink Sink, lim *inputLimit) Sink {
	if lim == nil {
		return sink
	}
	ls := &limitSink{Sink: sink, lim: lim}
	if fs, ok := sink.(FrameSink); ok {
		return &limitFrameSink{limitTapSink: &limitTapSink{limitSink: ls, tap: fs}, frames: fs}
	}
	if tap, ok := sink.(RecordTap); ok {
		return &limitTapSink{limitSink: ls, tap: tap}
	}
	return ls
}

type limitSink struct {
	Sink
	lim *inputLimit
}

type limitTapSink struct {
	*limitSink
	tap RecordTap
}

func (s *limitTapSink) Raw(raw []byte) { s.tap.Raw(raw) }

type limitFrameSink struct {
	*limitTapSink
	frames FrameSink
}

func (s *limitFrameSink) Frame(raw []byte, record, line int, hash string) {
	if s.lim.admit() {
		s.frames.Frame(raw, record, line, hash)
	}
}

func (s *limitSink) Event(e *event.Event) {
	if s.lim.admit() {
		s.Sink.Event(e)
	}
}

func (s *limitSink) Reject(r Rejection) {
	if s.lim.admit() {
		s.Sink.Reject(r)
	}
}

func decodeCSV(ctx context.Context, r io.Reader, file, format string, required []string, sink Sink, parse CSVParseFunc) error {
	br := &boundedReader{r: r}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	br.cr = cr
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s:1: reading CSV header: %w", file, err)
	}
	index := make(map[string]int, len(header))
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		index[h] = i
	}
	var missing []string
	for _, c := range required {
		if _, ok := index[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s:1: CSV header lacks column(s) %s; the %s format needs the header %s",
			file, strings.Join(missing, ", "), format, strings.Join(required, ","))
	}
	width := len(header)
	tap, _ := sink.(RecordTap)
	frames, _ := sink.(FrameSink)
	var tapHeader []string
	if tap != nil {
		tapHeader = slices.Clone(header) // the reader reuses header's memory
	}
	br.recordStart()
	record := 0
	origin := &event.Origin{Source: format, File: file} // shared by every event of the file
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		fields, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		record++
		if errors.Is(err, errCSVRecordTooLarge) {
			sink.Reject(Rejection{File: file, Record: record, Reason: err.Error()})
			return fmt.Errorf("%s: record %d: %w, rest of file not read", file, record, err)
		}
		br.recordStart()
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				sink.Reject(Rejection{File: file, Line: pe.StartLine, Record: record, Reason: pe.Err.Error()})
				continue
			}
			return fmt.Errorf("reading %q: %w", file, err)
		}
		// FieldPos panics after a parse error; here the row parsed.
		line, _ := cr.FieldPos(0)
		if frames != nil {
			frames.Frame(csvRecord(tapHeader, fields), record, line, csvHash(fields))
			continue
		}
		if tap != nil {
			tap.Raw(csvRecord(tapHeader, fields))
		}
		if len(fields) != width {
			sink.Reject(Rejection{File: file, Line: line, Record: record,
				Reason: fmt.Sprintf("row has %d fields, header has %d", len(fields), width)})
			continue
		}
		ev, err := parse(Row{index: index, fields: fields, Line: line})
		if err == nil && ev == nil {
			err = errors.New("record produced no event")
		}
		if err != nil {
			sink.Reject(sanitizeRejection(recordRejection(file, line, record, err)))
			continue
		}
		if slices.ContainsFunc(fields, func(f string) bool { return strings.IndexByte(f, 0) >= 0 }) {
			SanitizeEvent(ev)
		}
		ev.Prov.Origin = origin
		ev.Prov.Record = record
		ev.Prov.Line = line
		ev.Prov.Hash = csvHash(fields)
		sink.Event(ev)
	}
}

// csvHash is the content hash of a CSV row's fields.
func csvHash(fields []string) string {
	return RecordHash([]byte(strings.Join(fields, "\x1f")))
}

// SniffCSVHeader reports whether head's first line is a CSV header holding
// every column in required.
func SniffCSVHeader(head []byte, required []string) bool {
	s := string(head)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	s = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "\ufeff"))
	cols := map[string]bool{}
	for _, c := range strings.Split(s, ",") {
		cols[strings.Trim(strings.TrimSpace(c), `"`)] = true
	}
	for _, c := range required {
		if !cols[c] {
			return false
		}
	}
	return true
}

var errCSVRecordTooLarge = fmt.Errorf("CSV record larger than %d bytes", MaxRecordSize)

// boundedReader stops a CSV reader from buffering one record past
// MaxRecordSize (an unterminated quote would otherwise swallow the file).
type boundedReader struct {
	r     io.Reader
	cr    *csv.Reader
	n     int64 // bytes handed to the CSV reader
	start int64 // input offset where the current record starts
}

// recordStart notes that the CSV reader has finished a record.
func (b *boundedReader) recordStart() { b.start = b.cr.InputOffset() }

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.n-b.start > MaxRecordSize {
		return 0, errCSVRecordTooLarge
	}
	n, err := b.r.Read(p)
	b.n += int64(n)
	return n, err
}
