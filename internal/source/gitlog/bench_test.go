package gitlog_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source"
	"github.com/rollcall/rollcall/internal/source/gitlog"
)

// genLog builds about size bytes of git log output in the documented
// format, varying authors, offsets and dates.
func genLog(size int) ([]byte, int) {
	var b bytes.Buffer
	offsets := []string{"-06:00", "+09:00", "Z", "+05:30", "+01:00"}
	n := 0
	for b.Len() < size {
		fmt.Fprintf(&b, "%040x\x1fDeveloper %d\x1fdev%d@contoso.com\x1f2025-03-%02dT%02d:%02d:%02d%s\x1fGitHub\x1fnoreply@github.com\x1f2025-03-%02dT%02d:%02d:00Z\n",
			uint64(n)*2654435761, n%300, n%300, 1+n%28, n%24, n%60, (n/60)%60, offsets[n%len(offsets)], 1+n%28, n%24, n%60)
		n++
	}
	return b.Bytes(), n
}

type countSink struct{ events, rejections int }

func (c *countSink) Event(*event.Event)      { c.events++ }
func (c *countSink) Reject(source.Rejection) { c.rejections++ }

func BenchmarkDecode(b *testing.B) {
	data, n := genLog(4 << 20)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	f := gitlog.New()
	for b.Loop() {
		var c countSink
		if err := f.Decode(context.Background(), bytes.NewReader(data), "bench.log", &c); err != nil {
			b.Fatal(err)
		}
		if c.events != n {
			b.Fatalf("got %d events, %d rejections; want %d events", c.events, c.rejections, n)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkDecodeMapAny is the baseline for this text format: the same
// bytes split into lines and fields, each line stored as a map[string]any
// of its named fields, which is what a generic reader would produce.
func BenchmarkDecodeMapAny(b *testing.B) {
	data, n := genLog(4 << 20)
	names := []string{"hash", "author_name", "author_email", "author_date", "committer_name", "committer_email", "committer_date"}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		sc := bufio.NewScanner(bytes.NewReader(data))
		got := 0
		for sc.Scan() {
			f := strings.Split(sc.Text(), "\x1f")
			m := make(map[string]any, len(f))
			for i, v := range f {
				m[names[i]] = v
			}
			got++
		}
		if got != n {
			b.Fatalf("got %d records, want %d", got, n)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
