package source

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

// tapSink records each record's raw bytes and what became of it.
type tapSink struct {
	collect
	raws []string
}

func (s *tapSink) Raw(raw []byte) { s.raws = append(s.raws, string(raw)) }

// singleSink marks its input as one tapped record.
type singleSink struct{ collect }

func (*singleSink) SingleRecord() {}

func jsonParse(raw []byte) (*event.Event, error) {
	var v struct{ ID string }
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	if v.ID == "" {
		return nil, Fieldf("id", "missing")
	}
	return &event.Event{Prov: event.Provenance{ID: v.ID}}, nil
}

// TestRecordTap checks that the framing helpers hand each record's bytes
// to a RecordTap before its outcome, none for records framing rejects,
// and that each tapped record decoded alone gives the same outcome and
// content hash.
func TestRecordTap(t *testing.T) {
	t.Run("json", func(t *testing.T) {
		// An array whose second element has a key that is a wrapper key
		// elsewhere: alone it must still be one record.
		in := `[{"id":"a"}, {"id":"b","items":[1]}, {"x":1}]`
		var tap tapSink
		if err := DecodeJSON(context.Background(), strings.NewReader(in), "f", "t", []string{"items"}, &tap, jsonParse); err != nil {
			t.Fatal(err)
		}
		want := []string{`{"id":"a"}`, `{"id":"b","items":[1]}`, `{"x":1}`}
		if diff := cmp.Diff(want, tap.raws); diff != "" {
			t.Fatalf("raw records (-want +got):\n%s", diff)
		}
		for i, raw := range tap.raws {
			var one singleSink
			if err := DecodeJSON(context.Background(), strings.NewReader(raw), "f", "t", []string{"items"}, &one, jsonParse); err != nil {
				t.Fatal(err)
			}
			if len(one.events)+len(one.rejs) != 1 {
				t.Fatalf("record %d alone: %d events, %d rejections", i+1, len(one.events), len(one.rejs))
			}
			if len(one.events) == 1 && one.events[0].Prov.Hash != tap.events[i].Prov.Hash {
				t.Errorf("record %d alone: hash %s, in the file %s", i+1, one.events[0].Prov.Hash, tap.events[i].Prov.Hash)
			}
		}
		if len(tap.rejs) != 1 || tap.rejs[0].Field != "id" {
			t.Errorf("rejections %+v, want the record without id", tap.rejs)
		}
	})
	t.Run("csv", func(t *testing.T) {
		in := "\ufeffid, name\n1,\" Ann, \"\"A\"\"\"\n\"2\n\",bad\n3\n\"4,x\n"
		var tap tapSink
		err := DecodeCSV(context.Background(), strings.NewReader(in), "f.csv", "t", []string{"id", "name"}, &tap, csvParse)
		if err != nil {
			t.Fatal(err)
		}
		// Rows 1 to 3 are tapped (row 3 is rejected for its width); the
		// broken quote of row 4 is a framing rejection, not tapped.
		if len(tap.raws) != 3 || len(tap.rejs) != 3 {
			t.Fatalf("raws %q, rejections %+v", tap.raws, tap.rejs)
		}
		for i, raw := range tap.raws {
			var one collect
			if err := DecodeCSV(context.Background(), bytes.NewReader([]byte(raw)), "f.csv", "t", []string{"id", "name"}, &one, csvParse); err != nil {
				t.Fatal(err)
			}
			if len(one.events)+len(one.rejs) != 1 {
				t.Fatalf("row %d alone: %d events, %d rejections", i+1, len(one.events), len(one.rejs))
			}
		}
		var first collect
		_ = DecodeCSV(context.Background(), strings.NewReader(tap.raws[0]), "f.csv", "t", []string{"id", "name"}, &first, csvParse)
		if got, want := first.events[0].Prov, tap.events[0].Prov; got.Hash != want.Hash || got.ID != want.ID {
			t.Errorf("row 1 alone: %+v, in the file %+v", got, want)
		}
	})
}

// frameSink records each frame and any framing rejection; it fails the
// test if an event reaches it (frames are never parsed).
type frameSink struct {
	tapSink
	t      *testing.T
	frames []frame
}

type frame struct {
	raw          string
	record, line int
	hash         string
}

func (s *frameSink) Frame(raw []byte, record, line int, hash string) {
	s.frames = append(s.frames, frame{string(raw), record, line, hash})
}

func (s *frameSink) Event(e *event.Event) { s.t.Errorf("a frame sink got event %s", e.Prov.Key()) }

// TestFrameSink checks that a FrameSink gets every framed record unparsed,
// with the place and content hash a full decode gives, so that the worker
// decoding a frame alone makes the scan's event; and that the framing's
// own rejections still reach Reject.
func TestFrameSink(t *testing.T) {
	t.Run("json", func(t *testing.T) {
		in := "{\"id\":\"a\"}\n{\"x\":1}\n{\"id\":\"c\"}\n{broken\n"
		var full tapSink
		_ = DecodeJSON(context.Background(), strings.NewReader(in), "f", "t", nil, &full, jsonParse)
		fs := frameSink{t: t}
		_ = DecodeJSON(context.Background(), strings.NewReader(in), "f", "t", nil, &fs, jsonParse)
		// NDJSON frames by line: the broken line is a frame too, which
		// the worker's decode rejects as the scan does.
		if len(fs.frames) != 4 || len(fs.rejs) != 0 {
			t.Fatalf("frames %+v, rejections %+v; want 4 frames", fs.frames, fs.rejs)
		}
		if len(fs.raws) != 0 {
			t.Errorf("Raw called %d times beside Frame", len(fs.raws))
		}
		evs := full.events
		for _, f := range []frame{fs.frames[0], fs.frames[2]} {
			ev := evs[0]
			evs = evs[1:]
			if f.hash != ev.Prov.Hash || f.record != ev.Prov.Record || f.line != ev.Prov.Line || f.raw != full.raws[f.record-1] {
				t.Errorf("frame %+v; the full decode gave %+v of %q", f, ev.Prov, full.raws[f.record-1])
			}
		}
	})
	t.Run("csv", func(t *testing.T) {
		in := "id,name\n1,Ann\n2\n\"3,x\n"
		var full tapSink
		_ = DecodeCSV(context.Background(), strings.NewReader(in), "f.csv", "t", []string{"id", "name"}, &full, csvParse)
		fs := frameSink{t: t}
		_ = DecodeCSV(context.Background(), strings.NewReader(in), "f.csv", "t", []string{"id", "name"}, &fs, csvParse)
		if len(fs.frames) != 2 || len(fs.rejs) != 1 {
			t.Fatalf("frames %+v, rejections %+v; want 2 frames and the broken quote rejected", fs.frames, fs.rejs)
		}
		got, want := fs.frames[0], full.events[0].Prov
		if got.hash != want.Hash || got.record != want.Record || got.line != want.Line || got.raw != full.raws[0] {
			t.Errorf("frame %+v; the full decode gave %+v of %q", got, want, full.raws[0])
		}
	})
	t.Run("limits", func(t *testing.T) {
		ctx := WithLimits(context.Background(), Limits{Records: 2})
		fs := frameSink{t: t}
		err := DecodeCSV(ctx, strings.NewReader("id,name\n1,a\n2,b\n3,c\n4,d\n"), "f.csv", "t", []string{"id", "name"}, &fs, csvParse)
		if !errors.Is(err, ErrLimit) || len(fs.frames) != 2 {
			t.Errorf("err %v, %d frames; want ErrLimit after 2 frames", err, len(fs.frames))
		}
	})
}
