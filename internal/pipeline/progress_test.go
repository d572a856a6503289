package pipeline

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/report"
)

// TestProgress_reading_counts_every_byte_and_record: reading's total is
// the bytes of every file planned, all of them are counted by the end,
// and the records counted are the events decoded.
func TestProgress_reading_counts_every_byte_and_record(t *testing.T) {
	dir := filepath.Join("..", "..", "examples", "small")
	jobs, err := plan([]Input{{Path: dir}})
	if err != nil {
		t.Fatal(err)
	}
	var want int64
	for _, j := range jobs {
		st, err := os.Stat(j.path)
		if err != nil {
			t.Fatal(err)
		}
		want += st.Size()
	}
	var prog Progress
	files, err := readAll(context.Background(), jobs, &prog)
	if err != nil {
		t.Fatal(err)
	}
	events := 0
	for _, f := range files {
		events += len(f.Events)
	}
	s := prog.Snapshot()
	if s.Stage != "reading" || s.Unit != UnitBytes {
		t.Errorf("stage %q in %q, want reading in bytes", s.Stage, s.Unit)
	}
	if s.Total != want || s.Done != want {
		t.Errorf("read %d of %d bytes, want %d of %d", s.Done, s.Total, want, want)
	}
	if s.Records != int64(events) {
		t.Errorf("counted %d records, want the %d events decoded", s.Records, events)
	}
}

// TestProgress_scan_gives_the_same_report: watching a scan changes
// nothing in its report, and the scan ends in its last stage with every
// event counted.
func TestProgress_scan_gives_the_same_report(t *testing.T) {
	in := []Input{{Path: filepath.Join("..", "..", "examples", "small")}}
	plain, err := Scan(context.Background(), Options{Inputs: in})
	if err != nil {
		t.Fatal(err)
	}
	prog := new(Progress)
	watched, err := Scan(context.Background(), Options{Inputs: in, Progress: prog})
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	if err := (report.JSON{}).Write(&a, plain.Report); err != nil {
		t.Fatal(err)
	}
	if err := (report.JSON{}).Write(&b, watched.Report); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a.String(), b.String()); diff != "" {
		t.Errorf("report with progress differs (-without +with):\n%s", diff)
	}
	if s := prog.Snapshot(); s.Stage != "report" || s.Records != int64(plain.Report.Stats.Events) {
		t.Errorf("after the scan: stage %q, %d records; want report, %d", s.Stage, s.Records, plain.Report.Stats.Events)
	}
}

func TestProgress_nil_records_nothing(t *testing.T) {
	var p *Progress
	p.Begin("reading", UnitBytes, 10)
	p.Add(3)
	p.AddRecords(1)
	if s := p.Snapshot(); s != (ProgressSnapshot{}) {
		t.Errorf("nil progress snapshot = %+v, want zero", s)
	}
}
