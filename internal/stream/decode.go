package stream

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/pipeline"
	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/source"
)

// note is what the notes bucket keeps about a record that is not an event
// (a rejection) or about a file (skipped, or read).
type note struct {
	// Seq is the stream sequence of the message the note came from: the
	// order publish read the inputs in, which is a scan's order.
	Seq       uint64            `json:"seq"`
	Kind      Kind              `json:"kind"`
	Format    string            `json:"format,omitempty"`
	File      string            `json:"file"`
	Rejection *source.Rejection `json:"rejection,omitempty"`
	Skipped   *report.Skipped   `json:"skipped,omitempty"`
}

// decoder turns ingest messages back into events and notes with the
// registered adapters.
type decoder struct {
	formats map[string]source.Format
}

func newDecoder(formats []source.Format) *decoder {
	d := &decoder{formats: make(map[string]source.Format, len(formats))}
	for _, f := range formats {
		d.formats[f.ID()] = f
	}
	return d
}

// decode returns the record's event, or its note. An error means the
// message cannot be processed (an unknown format, a content hash that does
// not match, an adapter that failed); retrying it may or may not help.
func (d *decoder) decode(ctx context.Context, r *Record) (*event.Event, *note, error) {
	switch r.Kind {
	case KindRaw:
		return d.raw(ctx, r)
	case KindEvent:
		var ev event.Event
		if err := json.Unmarshal(r.Body, &ev); err != nil {
			return nil, nil, fmt.Errorf("event record: %w", err)
		}
		if ev.Prov.Source() != r.Format || ev.Prov.File() != r.File || ev.Prov.Record != r.Record {
			return nil, nil, fmt.Errorf("event record: provenance %s does not match the headers", ev.Prov.Key())
		}
		return &ev, nil, nil
	case KindRejection:
		var rej source.Rejection
		if err := json.Unmarshal(r.Body, &rej); err != nil {
			return nil, nil, fmt.Errorf("rejection record: %w", err)
		}
		return nil, &note{Kind: KindRejection, Format: r.Format, File: r.File, Rejection: &rej}, nil
	case KindSkipped:
		var sk report.Skipped
		if err := json.Unmarshal(r.Body, &sk); err != nil {
			return nil, nil, fmt.Errorf("skipped-file record: %w", err)
		}
		return nil, &note{Kind: KindSkipped, File: r.File, Skipped: &sk}, nil
	case KindFile:
		return nil, &note{Kind: KindFile, Format: r.Format, File: r.File}, nil
	}
	return nil, nil, fmt.Errorf("%w: kind %q", errMalformed, r.Kind)
}

// raw decodes one record's bytes with its format's adapter and restores
// its place in the file.
func (d *decoder) raw(ctx context.Context, r *Record) (*event.Event, *note, error) {
	f, ok := d.formats[r.Format]
	if !ok {
		return nil, nil, fmt.Errorf("unknown format %q (is this worker older than the publisher?)", r.Format)
	}
	ev, rej, err := pipeline.DecodeRecord(ctx, f, r.Body, r.File, r.Record, r.Line, r.Hash)
	if err != nil || ev != nil {
		return ev, nil, err
	}
	return nil, &note{Kind: KindRejection, Format: r.Format, File: r.File, Rejection: rej}, nil
}
