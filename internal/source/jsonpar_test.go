package source

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

// ordered is a Sink that writes down every delivery in order, and checks
// that raw records reach a tap just before their result.
type ordered struct {
	out     []string
	lastRaw string
}

func (o *ordered) Raw(raw []byte) { o.lastRaw = string(raw) }
func (o *ordered) Event(e *event.Event) {
	o.out = append(o.out, fmt.Sprintf("%d@%d id=%s raw=%t", e.Prov.Record, e.Prov.Line, e.Prov.ID, strings.Contains(o.lastRaw, `"`+e.Prov.ID+`"`)))
}
func (o *ordered) Reject(r Rejection) {
	o.out = append(o.out, fmt.Sprintf("%d@%d rejected %s: %s", r.Record, r.Line, r.Field, r.Reason))
}

// bigInput is n NDJSON lines (more than one batch) with bad records and an
// array line scattered through it; the array's elements are records too.
func bigInput(n int) []byte {
	var b bytes.Buffer
	for i := 1; i <= n; i++ {
		switch {
		case i%97 == 0:
			fmt.Fprintf(&b, "{\"id\":\"r%d\",\"bad\":1}\n", i)
		case i%331 == 0:
			fmt.Fprintf(&b, "{\"id\":\"r%d\",\n", i) // malformed
		case i%500 == 0:
			fmt.Fprintf(&b, "[{\"id\":\"r%da\"},{\"id\":\"r%db\"}]\n", i, i)
		case i%613 == 0:
			b.WriteString("\n") // blank line: no record
		default:
			fmt.Fprintf(&b, "{\"id\":\"r%d\",\"pad\":%q}\n", i, strings.Repeat("x", i%300))
		}
	}
	return b.Bytes()
}

func decodeOrdered(t *testing.T, procs int, in []byte) []string {
	t.Helper()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
	var o ordered
	if err := DecodeJSON(context.Background(), bytes.NewReader(in), "big.ndjson", "test", nil, &o, testParse); err != nil {
		t.Fatal(err)
	}
	return o.out
}

// TestDecodeJSONParallelOrder: decoding on several cores delivers the same
// events and rejections, with the same record numbers and lines, in the
// same order as decoding on one.
func TestDecodeJSONParallelOrder(t *testing.T) {
	in := bigInput(3000)
	one := decodeOrdered(t, 1, in)
	four := decodeOrdered(t, 4, in)
	if diff := cmp.Diff(one, four); diff != "" {
		t.Errorf("GOMAXPROCS 4 differs from 1 (-1 +4):\n%s", diff)
	}
	// Spot checks against the input's construction, so that both runs
	// being wrong the same way fails too.
	want := map[int]string{
		0:   "1@1 id=r1 raw=true",
		96:  "97@97 rejected bad: is bad",
		330: "331@331 rejected : malformed JSON: unexpected end of JSON input",
		499: "500@500 id=r500a raw=true",
		500: "501@500 id=r500b raw=true",
		501: "502@501 id=r501 raw=true",
	}
	for i, w := range want {
		if i >= len(four) || four[i] != w {
			t.Errorf("delivery %d = %q, want %q", i, four[min(i, len(four)-1)], w)
		}
	}
	// 3000 lines, 4 blank, 6 arrays of two.
	if len(four) != 3000-4+6 {
		t.Errorf("%d records delivered, want %d", len(four), 3000-4+6)
	}
}
