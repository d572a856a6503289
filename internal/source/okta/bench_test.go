package okta

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source"
)

// countSink counts what it receives and keeps nothing.
type countSink struct{ events, rejections int }

func (c *countSink) Event(*event.Event)      { c.events++ }
func (c *countSink) Reject(source.Rejection) { c.rejections++ }

// benchInput builds n NDJSON events by varying the fixture's records.
func benchInput(b *testing.B, n int) []byte {
	b.Helper()
	fixture, err := os.ReadFile(filepath.Join("testdata", "system_log.ndjson"))
	if err != nil {
		b.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSpace(fixture), []byte("\n"))
	var buf bytes.Buffer
	for i := range n {
		l := lines[i%len(lines)]
		l = bytes.Replace(l, []byte(`"uuid":"9a3c7e2e-0b1f-11ef-9d3a-5b0f3c1e7a0`), fmt.Appendf(nil, `"uuid":"%08x-0b1f-11ef-9d3a-5b0f3c1e7a0`, i), 1)
		buf.Write(l)
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

func BenchmarkDecode(b *testing.B) {
	in := benchInput(b, 20000)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		var s countSink
		if err := New().Decode(context.Background(), bytes.NewReader(in), "bench.ndjson", &s); err != nil {
			b.Fatal(err)
		}
		if s.events != 20000 {
			b.Fatalf("%d events, %d rejections", s.events, s.rejections)
		}
	}
}
