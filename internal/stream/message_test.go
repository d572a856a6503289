package stream

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/pipeline"
	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/source"
	"github.com/rollcall/rollcall/internal/source/list"
)

// collector is a sender that keeps the records a publishSink sends.
type collector struct {
	t       *testing.T
	records []*Record
}

func (c *collector) send(r *Record, _ string) {
	m, err := r.Msg("test")
	if err != nil {
		c.t.Fatalf("Msg: %v", err)
	}
	back, err := ParseRecord(m.Header, m.Data) // through the headers, as a worker sees it
	if err != nil {
		c.t.Fatalf("ParseRecord: %v", err)
	}
	c.records = append(c.records, &back)
}

func (c *collector) note(kind Kind, format, file string, body any) {
	r, key, err := noteRecord("t1", kind, format, file, body)
	if err != nil {
		c.t.Fatal(err)
	}
	c.send(r, key)
}

func (c *collector) fail(err error) { c.t.Fatal(err) }

// scanSink keeps what a whole-file decode produces.
type scanSink struct {
	events   []*event.Event
	rejected []source.Rejection
}

func (s *scanSink) Event(e *event.Event)      { s.events = append(s.events, e) }
func (s *scanSink) Reject(r source.Rejection) { s.rejected = append(s.rejected, r) }

// TestRecordsDecodeAlone checks, for every adapter fixture and the
// simulated organisation, that decoding each published record on its own
// (as a worker does) gives exactly the events and rejections of decoding
// the whole file (as a scan does), provenance and content hash included.
func TestRecordsDecodeAlone(t *testing.T) {
	files, err := filepath.Glob("../source/*/testdata/*")
	if err != nil {
		t.Fatal(err)
	}
	sim, err := filepath.Glob(filepath.Join(simDir(t), "*"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, sim...)
	dec := newDecoder(list.Formats())
	kinds := map[Kind]int{}
	for _, path := range files {
		if strings.HasSuffix(path, ".golden.json") {
			continue
		}
		var want scanSink
		format, err := list.DecodeFile(context.Background(), path, nil, &want)
		if format == nil {
			continue // not an input fixture
		}
		t.Run(filepath.Base(filepath.Dir(filepath.Dir(path)))+"/"+filepath.Base(path), func(t *testing.T) {
			if err != nil {
				want.rejected = append(want.rejected, source.Rejection{File: path, Reason: format.ID() + ": " + err.Error()})
			}
			c := &collector{t: t}
			f, oerr := source.Open(path)
			if oerr != nil {
				t.Fatal(oerr)
			}
			defer f.Close()
			if derr := format.Decode(context.Background(), f, path, &publishSink{out: c, tenant: "t1", format: format.ID(), file: path}); derr != nil {
				c.note(KindRejection, format.ID(), path, source.Rejection{File: path, Reason: format.ID() + ": " + derr.Error()})
			}
			var got scanSink
			for _, r := range c.records {
				kinds[r.Kind]++
				ev, n, err := dec.decode(context.Background(), r)
				if err != nil {
					t.Fatalf("decoding %s alone: %v", r.Ref(), err)
				}
				if ev != nil {
					got.events = append(got.events, ev)
				} else {
					got.rejected = append(got.rejected, *n.Rejection)
				}
			}
			// Events compare as the store keeps them: JSON.
			if diff := cmp.Diff(asJSON(t, want.events), asJSON(t, got.events)); diff != "" {
				t.Errorf("events decoded alone differ (-file +alone):\n%s", clip(diff))
			}
			if diff := cmp.Diff(want.rejected, got.rejected, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("rejections decoded alone differ (-file +alone):\n%s", clip(diff))
			}
		})
	}
	if kinds[KindRaw] == 0 || kinds[KindEvent] == 0 || kinds[KindRejection] == 0 {
		t.Errorf("fixtures exercised kinds %v; want raw, event and rejection records", kinds)
	}
}

func asJSON(t *testing.T, events []*event.Event) []string {
	out := make([]string, len(events))
	for i, e := range events {
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = string(b)
	}
	return out
}

func TestRecordIDStable(t *testing.T) {
	a := Record{Tenant: "t", Kind: KindRaw, Format: "okta", File: "a.ndjson", Record: 3, Hash: "abc", Line: 3}
	b := a
	b.Line, b.Body = 9, []byte("x") // position in lines and bytes are not identity
	if a.ID() != b.ID() {
		t.Errorf("same record, different ids %s and %s", a.ID(), b.ID())
	}
	for name, c := range map[string]Record{
		"tenant": {Tenant: "u", Kind: KindRaw, Format: "okta", File: "a.ndjson", Record: 3, Hash: "abc"},
		"file":   {Tenant: "t", Kind: KindRaw, Format: "okta", File: "b.ndjson", Record: 3, Hash: "abc"},
		"record": {Tenant: "t", Kind: KindRaw, Format: "okta", File: "a.ndjson", Record: 4, Hash: "abc"},
		"hash":   {Tenant: "t", Kind: KindRaw, Format: "okta", File: "a.ndjson", Record: 3, Hash: "abd"},
	} {
		if c.ID() == a.ID() {
			t.Errorf("a different %s gives the same id", name)
		}
	}
}

func TestParseRecordRefuses(t *testing.T) {
	good := Record{Tenant: "t", Kind: KindRaw, Format: "okta", File: "a", Record: 1, Hash: "h"}
	m, err := good.Msg("s")
	if err != nil {
		t.Fatal(err)
	}
	for name, mutate := range map[string]func(){
		"unknown_kind":  func() { m.Header.Set(HeaderKind, "blob") },
		"no_tenant":     func() { m.Header.Del(HeaderTenant) },
		"bad_record":    func() { m.Header.Set(HeaderRecord, "x") },
		"no_record_raw": func() { m.Header.Del(HeaderRecord) },
	} {
		t.Run(name, func(t *testing.T) {
			m, _ = good.Msg("s")
			mutate()
			if _, err := ParseRecord(m.Header, m.Data); err == nil {
				t.Error("accepted")
			}
		})
	}
	if _, err := (&Record{File: "a\nb"}).Msg("s"); err == nil {
		t.Error("a file name with a line break was accepted")
	}
}

func TestAssembleReportOrdersNotes(t *testing.T) {
	notes := []note{
		{Seq: 9, Kind: KindRejection, File: "b", Rejection: &source.Rejection{File: "b", Record: 0, Reason: "broken"}},
		{Seq: 8, Kind: KindRejection, File: "b", Rejection: &source.Rejection{File: "b", Record: 2}},
		{Seq: 5, Kind: KindFile, File: "b", Format: "okta"},
		{Seq: 1, Kind: KindSkipped, File: "a", Skipped: &report.Skipped{File: "a", Reason: "?"}},
		{Seq: 3, Kind: KindRejection, File: "a", Rejection: &source.Rejection{File: "a", Record: 7}},
	}
	rep := assembleReport(&pipeline.Result{Report: &report.Report{}}, notes, nil)
	var got []string
	for _, r := range rep.Rejected {
		got = append(got, r.File+"/"+strconv.Itoa(r.Record))
	}
	if diff := cmp.Diff([]string{"a/7", "b/2", "b/0"}, got); diff != "" {
		t.Errorf("rejection order (-want +got):\n%s", diff)
	}
	if rep.Stats.Files != 1 || len(rep.SkippedFiles) != 1 || rep.Stats.RecordsRejected != 3 || rep.Stats.RecordsRead != 3 {
		t.Errorf("stats %+v, skipped %v", rep.Stats, rep.SkippedFiles)
	}
	if !slices.Equal([]string{"a"}, []string{rep.SkippedFiles[0].File}) {
		t.Errorf("skipped %v", rep.SkippedFiles)
	}
}
