package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/source"
	"github.com/rollcall/rollcall/internal/source/list"
)

// Body is one input to ingest from any reader: a file on disk (Reader
// nil), an uploaded body, or a file a directory scan found. It is the one
// door through which scan, serve and publish read inputs: no other package
// opens, sniffs or decodes them.
type Body struct {
	// Name is recorded as the file in provenance and evidence; with a nil
	// Reader it is also the path opened.
	Name   string
	Reader io.Reader
	// Format is the forced format; nil means sniff the content.
	Format source.Format
	// FormatID forces a format by id (an upload's form field); an id that
	// is not registered makes the body skipped, with the known ids.
	FormatID string
	// Dir, when set, decodes Name, a directory, as a whole.
	Dir source.DirFormat
	// Explicit marks an input the user named: a body in no known format is
	// then an InputError rather than a skipped file.
	Explicit bool
	// OnRead, when set with a nil Reader, is told how many bytes of the
	// file each read takes (progress).
	OnRead func(bytes int)
}

// Opened is a Body opened, its format known (or why it is skipped).
type Opened struct {
	Name string
	// Format decodes the body; nil when it is skipped or could not be
	// read (Rejection).
	Format source.Format
	// Dir decodes a directory as a whole.
	Dir source.DirFormat
	// Skipped says why the body is not read: no format claims it.
	Skipped *report.Skipped
	// Rejection is the failure to read the body's head; Decode reports it.
	Rejection *source.Rejection

	file *source.File
	body *readErr
}

// FormatID is the id of the format that decodes the body, or "".
func (o *Opened) FormatID() string {
	switch {
	case o.Dir != nil:
		return o.Dir.ID()
	case o.Format != nil:
		return o.Format.ID()
	}
	return ""
}

// Open opens b and finds its format. Errors are InputErrors (a missing
// file, an explicit input in no known format) or failures of b.Reader.
func Open(b Body) (*Opened, error) {
	o := &Opened{Name: b.Name, Format: b.Format, Dir: b.Dir}
	if b.Dir != nil {
		return o, nil
	}
	if b.FormatID != "" && b.Format == nil {
		f, ok := list.ByID(b.FormatID)
		if !ok {
			o.Skipped = &report.Skipped{File: b.Name, Reason: fmt.Sprintf("unknown format %q: known formats are %s", b.FormatID, strings.Join(list.IDs(), ", "))}
			return o, nil
		}
		o.Format = f
	}
	var err error
	if b.Reader == nil {
		open := source.Open
		if b.OnRead != nil {
			open = func(name string) (*source.File, error) { return source.OpenCounting(name, b.OnRead) }
		}
		if o.file, err = open(b.Name); err != nil {
			return nil, &InputError{err}
		}
	} else {
		o.body = &readErr{r: b.Reader}
		if o.file, err = source.NewFile(b.Name, o.body); err != nil {
			if o.body.err != nil {
				return nil, o.body.err
			}
			o.Skipped = &report.Skipped{File: b.Name, Reason: err.Error()}
			return o, nil
		}
	}
	if o.Format != nil {
		return o, nil
	}
	head, err := o.file.Head()
	if err != nil {
		if o.body != nil && o.body.err != nil {
			o.Close()
			return nil, o.body.err
		}
		o.Rejection = &source.Rejection{File: b.Name, Reason: err.Error()}
		return o, nil
	}
	if o.Format, err = list.Detect(head); err != nil {
		o.Close()
		if b.Explicit {
			return nil, &InputError{fmt.Errorf("%s: %w", b.Name, err)}
		}
		o.Skipped = &report.Skipped{File: b.Name, Reason: err.Error()}
	}
	return o, nil
}

// Close releases the opened file.
func (o *Opened) Close() {
	if o.file != nil {
		o.file.Close()
		o.file = nil
	}
}

// Decode hands every record of the body to sink, as an event or a
// rejection. A failure of the format part-way (records before it were
// delivered) is reported to sink as a rejection of the file, so that
// nothing vanishes silently; the error returned is only ctx's or the
// Reader's. A skipped body delivers nothing.
func (o *Opened) Decode(ctx context.Context, sink source.Sink) error {
	defer o.Close()
	switch {
	case o.Skipped != nil:
		return nil
	case o.Rejection != nil:
		sink.Reject(*o.Rejection)
		return nil
	case o.Dir != nil:
		if err := o.Dir.DecodeDir(ctx, o.Name, sink); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			sink.Reject(source.Rejection{File: o.Name, Reason: fmt.Sprintf("%s: %v", o.Dir.ID(), err)})
		}
		return nil
	}
	if err := o.Format.Decode(ctx, o.file, o.Name, sink); err != nil {
		if o.body != nil && o.body.err != nil {
			return fmt.Errorf("reading %q: %w", o.Name, o.body.err)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		sink.Reject(source.Rejection{File: o.Name, Reason: fmt.Sprintf("%s: %v", o.Format.ID(), err)})
	}
	return nil
}

// readErr remembers the first error other than io.EOF its reader gave, so
// that a broken or oversized upload fails the request instead of passing
// for a malformed record.
type readErr struct {
	r   io.Reader
	err error
}

func (r *readErr) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && err != io.EOF && r.err == nil {
		r.err = err
	}
	return n, err
}

// FileResult is what ingesting one body produced.
type FileResult struct {
	Name     string
	Format   string
	Events   []*event.Event
	Rejected []source.Rejection
	Skipped  *report.Skipped
}

// Ingest opens and decodes one body, collecting its events and rejections.
// progress, when set, is told about every 10,000 events and the rest at
// the end.
func Ingest(ctx context.Context, b Body, progress func(records int)) (FileResult, error) {
	o, err := Open(b)
	if err != nil {
		return FileResult{Name: b.Name}, err
	}
	res := FileResult{Name: b.Name, Format: o.FormatID(), Skipped: o.Skipped}
	s := &collector{progress: progress}
	if err := o.Decode(ctx, s); err != nil {
		return res, err
	}
	if progress != nil && len(s.events)%10000 > 0 {
		progress(len(s.events) % 10000)
	}
	res.Events, res.Rejected = s.events, s.rejected
	return res, nil
}

// collector is a source.Sink that keeps everything.
type collector struct {
	events   []*event.Event
	rejected []source.Rejection
	progress func(int)
}

func (s *collector) Event(e *event.Event) {
	s.events = append(s.events, e)
	if s.progress != nil && len(s.events)%10000 == 0 {
		s.progress(10000)
	}
}
func (s *collector) Reject(r source.Rejection) { s.rejected = append(s.rejected, r) }

// DecodeRecord decodes one record as a source.RecordTap handed it over
// (a stream message's raw bytes) with its format's adapter, and restores
// its place in the file: the event, or its rejection. hash, when set, must
// be the record's content hash. An error means the record could not be
// decoded at all (an adapter failure or panic, a hash that does not match).
func DecodeRecord(ctx context.Context, f source.Format, raw []byte, file string, record, line int, hash string) (ev *event.Event, rej *source.Rejection, err error) {
	formatID := f.ID()
	var s singleSink
	defer func() {
		if p := recover(); p != nil {
			ev, rej, err = nil, nil, fmt.Errorf("%s adapter panicked: %v", formatID, p)
		}
	}()
	if err := f.Decode(ctx, bytes.NewReader(raw), file, &s); err != nil {
		return nil, nil, fmt.Errorf("%s adapter: %w", formatID, err)
	}
	switch {
	case s.n != 1:
		return nil, nil, fmt.Errorf("%s adapter made %d events or rejections of one record, want 1", formatID, s.n)
	case s.event != nil:
		p := &s.event.Prov
		if hash != "" && p.Hash != hash {
			return nil, nil, fmt.Errorf("content hash %s does not match the published %s", p.Hash, hash)
		}
		p.Origin = &event.Origin{Source: p.Source(), File: file} // never modify the decoder's: it may be shared
		p.Record, p.Line = record, line
		return s.event, nil, nil
	}
	r := s.rejection
	r.File, r.Record, r.Line = file, record, line
	return nil, &r, nil
}

// singleSink receives the one outcome of decoding one record.
type singleSink struct {
	n         int
	event     *event.Event
	rejection source.Rejection
}

var _ source.SingleRecord = (*singleSink)(nil)

func (s *singleSink) Event(e *event.Event)      { s.n++; s.event = e }
func (s *singleSink) Reject(r source.Rejection) { s.n++; s.rejection = r }
func (s *singleSink) SingleRecord()             {}
