package gworkspace_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source"
	"github.com/rollcall/rollcall/internal/source/gworkspace"
)

// genNDJSON builds about size bytes of NDJSON Reports API login
// activities, varying users, addresses and event names.
func genNDJSON(size int) ([]byte, int) {
	var b bytes.Buffer
	names := []string{"login_success", "login_success", "login_failure", "logout", "login_challenge", "login_verification"}
	regions := []string{"US", "CN", "NL", "BR", "DE"}
	n := 0
	for b.Len() < size {
		fmt.Fprintf(&b, `{"kind":"admin#reports#activity","id":{"time":"2025-03-%02dT%02d:%02d:%02d.%03dZ","uniqueQualifier":"-%d4519738120874",`+
			`"applicationName":"login","customerId":"C03az79cb"},"etag":"\"tEqA3ghAtbVqZ0vHtjuRTCQBnaFI8qP5pcHmsnAbvY4/gJd9yBpWhn07QUnr8bWJkz2bAdE\"",`+
			`"actor":{"callerType":"USER","email":"user%d@example.com","profileId":"1143725688415%08d"},"ipAddress":"203.0.%d.%d",`+
			`"networkInfo":{"ipAsn":[%d],"regionCode":"%s","subdivisionCode":"%s-01"},`+
			`"events":[{"type":"login","name":"%s","parameters":[{"name":"login_type","value":"google_password"},`+
			`{"name":"login_challenge_method","multiValue":["password","security_key"]},{"name":"is_suspicious","boolValue":%t}]}]}`+"\n",
			1+n%28, n%24, n%60, (n/60)%60, n%1000, n, n%500, n%500, n%250, n%200, 64500+n%10, regions[n%5], regions[n%5],
			names[n%len(names)], n%11 == 0)
		n++
	}
	return b.Bytes(), n
}

type countSink struct{ events, rejections int }

func (c *countSink) Event(*event.Event)      { c.events++ }
func (c *countSink) Reject(source.Rejection) { c.rejections++ }

func BenchmarkDecode(b *testing.B) {
	data, n := genNDJSON(4 << 20)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	f := gworkspace.New()
	for b.Loop() {
		var c countSink
		if err := f.Decode(context.Background(), bytes.NewReader(data), "bench.ndjson", &c); err != nil {
			b.Fatal(err)
		}
		if c.events != n {
			b.Fatalf("got %d events, %d rejections; want %d events", c.events, c.rejections, n)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkDecodeMapAny is the baseline: the same bytes, line by line, into
// map[string]any with encoding/json.
func BenchmarkDecodeMapAny(b *testing.B) {
	data, n := genNDJSON(4 << 20)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(make([]byte, 64<<10), source.MaxRecordSize)
		got := 0
		for sc.Scan() {
			var m map[string]any
			if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
				b.Fatal(err)
			}
			got++
		}
		if got != n {
			b.Fatalf("got %d records, want %d", got, n)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
