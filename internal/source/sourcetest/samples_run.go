package sourcetest

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source"
)

// RunNDJSONSamples checks an adapter against the public NDJSON samples in
// ../shared/samples/<dir> (skipping with a message when they are absent):
// the format sniffs each file, every line becomes an event or a rejection
// with a reason and a line, at least one event comes out, and check
// inspects each event beside the raw line it came from.
func RunNDJSONSamples(t *testing.T, f source.Format, dir string, check func(t *testing.T, ev *event.Event, raw []byte)) {
	t.Helper()
	for _, path := range Samples(t, dir) {
		t.Run(strings.NewReplacer(".", "_", "-", "_").Replace(filepath.Base(path)), func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			in, err := source.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			head, err := in.Head()
			in.Close()
			if err != nil {
				t.Fatal(err)
			}
			if !f.Sniff(head) {
				t.Fatalf("Sniff does not claim %s", path)
			}
			c := DecodeFile(t, f, path)
			CheckInvariants(t, f.ID(), c)
			if c.Err != "" {
				t.Fatalf("Decode: %s", c.Err)
			}
			lines := NDJSONLines(raw)
			if got := len(c.Events) + len(c.Rejections); got != len(lines) {
				t.Errorf("events %d + rejections %d = %d, want one per record (%d)", len(c.Events), len(c.Rejections), got, len(lines))
			}
			for _, r := range c.Rejections {
				if r.Reason == "" || r.Line == 0 {
					t.Errorf("rejection without reason or line: %+v", r)
				}
			}
			for _, ev := range c.Events {
				check(t, ev, lines[ev.Prov.Line])
			}
			if len(c.Events) == 0 {
				t.Errorf("no events from %s", path)
			}
		})
	}
}

// NDJSONLines maps 1-based line numbers to the non-empty lines of b.
func NDJSONLines(b []byte) map[int][]byte {
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
