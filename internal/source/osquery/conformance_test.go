package osquery_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source"
	"github.com/rollcall/rollcall/internal/source/osquery"
	"github.com/rollcall/rollcall/internal/source/sourcetest"
)

// TestSamples checks the adapter against the public samples: the format
// sniffs them, and every record is an event with time, actor, action and
// (when the record has one) IP address, or a rejection with a reason.
func TestSamples(t *testing.T) {
	for _, path := range sourcetest.Samples(t, "osquery") {
		t.Run(strings.NewReplacer(".", "_", "-", "_").Replace(filepath.Base(path)), func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			f, err := source.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			head, err := f.Head()
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			if !osquery.New().Sniff(head) {
				t.Fatalf("Sniff does not claim %s", path)
			}
			c := sourcetest.DecodeFile(t, osquery.New(), path)
			sourcetest.CheckInvariants(t, osquery.ID, c)
			if c.Err != "" {
				t.Fatalf("Decode: %s", c.Err)
			}
			lines := ndjsonLines(raw)
			if got := len(c.Events) + len(c.Rejections); got != len(lines) {
				t.Errorf("events %d + rejections %d = %d, want one per record (%d)", len(c.Events), len(c.Rejections), got, len(lines))
			}
			for _, r := range c.Rejections {
				if r.Reason == "" || r.Line == 0 {
					t.Errorf("rejection without reason or line: %+v", r)
				}
			}
			for _, ev := range c.Events {
				checkSampleEvent(t, ev, lines[ev.Prov.Line])
			}
			if len(c.Events) == 0 {
				t.Errorf("no events from %s", path)
			}
		})
	}
}

func checkSampleEvent(t *testing.T, ev *event.Event, raw []byte) {
	t.Helper()
	at := ev.Prov.File + ":" + itoa(ev.Prov.Line)
	if ev.Kind != event.KindDevice || ev.Device == nil {
		t.Fatalf("%s: kind %q without a device payload", at, ev.Kind)
	}
	if ev.Time.IsZero() || ev.Device.HostID == "" || ev.Device.Query == "" || ev.Device.Action == "" {
		t.Errorf("%s: incomplete device event %+v", at, ev.Device)
	}
	var rec struct {
		Columns  map[string]any   `json:"columns"`
		Snapshot []map[string]any `json:"snapshot"`
	}
	if err := json.Unmarshal(raw, &rec); err != nil {
		t.Fatalf("%s: %v", at, err)
	}
	if want := len(rec.Snapshot) + min(len(rec.Columns), 1); rec.Columns != nil && len(ev.Device.Rows) != 1 || rec.Snapshot != nil && len(ev.Device.Rows) != want {
		t.Errorf("%s: %d rows, want one per result row", at, len(ev.Device.Rows))
	}
}

// ndjsonLines maps 1-based line numbers to non-empty lines.
func ndjsonLines(b []byte) map[int][]byte {
	out := map[int][]byte{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, source.MaxRecordSize)
	for n := 1; sc.Scan(); n++ {
		if line := bytes.TrimSpace(sc.Bytes()); len(line) > 0 {
			out[n] = append([]byte(nil), line...)
		}
	}
	return out
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
