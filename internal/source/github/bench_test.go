package github_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source"
	"github.com/rollcall/rollcall/internal/source/github"
)

// genNDJSON builds about size bytes of NDJSON audit entries shaped like
// the streamed export, varying actors, actions, repositories and addresses.
func genNDJSON(size int) ([]byte, int) {
	var b bytes.Buffer
	actions := []string{"git.clone", "git.fetch", "git.push", "repo.download_zip", "pull_request.merge", "org.update_member", "team.add_member"}
	n := 0
	for b.Len() < size {
		fmt.Fprintf(&b, `{"@timestamp":%d,"_document_id":"mr7dbZyUJZw5uf1z%06d","action":"%s","actor":"dev-%d","actor_id":%d,`+
			`"actor_ip":"203.0.%d.%d","actor_location":{"country_code":"US"},"business":"contoso","business_id":2217,"org":"contoso-eng",`+
			`"org_id":101558839,"repo":"contoso-eng/service-%d","repo_id":%d,"repository":"contoso-eng/service-%d","repository_public":false,`+
			`"transport_protocol":1,"transport_protocol_name":"http","user":"dev-%d","operation_type":"access",`+
			`"user_agent":"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36"}`+"\n",
			1741010529482+int64(n)*1000, n, actions[n%len(actions)], n%300, 98127741+n%300, n%250, n%200, n%40, 612293887+n%40, n%40, (n+1)%300)
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
	f := github.New()
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
