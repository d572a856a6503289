package list

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source"
)

// ingestTarget is how much input each adapter benchmark decodes.
const ingestTarget = 100 << 20

// benchFixture names, per format, the testdata file whose records are
// repeated to build the benchmark input (the file without rejections).
var benchFixture = map[string]string{
	"okta":       "okta/testdata/system_log.ndjson",
	"entra":      "entra/testdata/graph-page.json",
	"gworkspace": "gworkspace/testdata/activities.ndjson",
	"github":     "github/testdata/audit-stream.ndjson",
	"gitlog":     "gitlog/testdata/history.log",
	"osquery":    "osquery/testdata/results.log",
	"scim":       "scim/testdata/list_response.json",
	"greenhouse": "greenhouse/testdata/candidates.json",
	"payroll":    "payroll/testdata/payouts.csv",
	"shipments":  "shipments/testdata/shipments.csv",
}

type nopSink struct{ events, rejected int }

func (s *nopSink) Event(*event.Event)      { s.events++ }
func (s *nopSink) Reject(source.Rejection) { s.rejected++ }

// benchInput builds ≥ ingestTarget bytes in the format: JSON records as
// NDJSON lines (every JSON adapter reads NDJSON), text and CSV rows
// repeated under the header. It returns the input and whether it is JSON.
func benchInput(b *testing.B, id string) ([]byte, bool) {
	b.Helper()
	rel, ok := benchFixture[id]
	if !ok {
		b.Skipf("no benchmark fixture for %q", id)
	}
	data, err := os.ReadFile(filepath.Join("..", rel))
	if err != nil {
		b.Skipf("fixture for %s: %v", id, err)
	}
	trimmed := bytes.TrimSpace(data)
	var records [][]byte
	var header []byte
	isJSON := len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[')
	if isJSON {
		keys := []string{"value", "items", "records", "Resources"}
		parse := func(raw []byte) (*event.Event, error) {
			var c bytes.Buffer
			if err := json.Compact(&c, raw); err != nil {
				return nil, err
			}
			records = append(records, c.Bytes())
			return &event.Event{}, nil
		}
		if err := source.DecodeJSON(context.Background(), bytes.NewReader(data), rel, id, keys, &nopSink{}, parse); err != nil {
			b.Fatal(err)
		}
	} else {
		lines := bytes.Split(trimmed, []byte("\n"))
		if id == "payroll" || id == "shipments" {
			header, lines = lines[0], lines[1:]
		}
		records = lines
	}
	if len(records) == 0 {
		b.Fatalf("fixture %s has no records", rel)
	}
	var buf bytes.Buffer
	buf.Grow(ingestTarget + 1<<20)
	if header != nil {
		buf.Write(header)
		buf.WriteByte('\n')
	}
	for buf.Len() < ingestTarget {
		for _, r := range records {
			buf.Write(r)
			buf.WriteByte('\n')
		}
	}
	return buf.Bytes(), isJSON
}

// BenchmarkIngest decodes ≥ 100 MB per adapter, beside the baseline of
// decoding the same bytes into map[string]any (JSON) or a map per row
// (CSV and text). The bar: no adapter more than 3× slower than its
// baseline.
func BenchmarkIngest(b *testing.B) {
	for _, f := range Formats() {
		if _, ok := benchFixture[f.ID()]; !ok {
			continue
		}
		b.Run(f.ID()+"/adapter", func(b *testing.B) {
			in, _ := benchInput(b, f.ID())
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			var s nopSink
			for b.Loop() {
				s = nopSink{}
				if err := f.Decode(context.Background(), bytes.NewReader(in), "bench", &s); err != nil {
					b.Fatal(err)
				}
			}
			if s.rejected > 0 {
				b.Fatalf("%d records rejected", s.rejected)
			}
			b.ReportMetric(float64(s.events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
		b.Run(f.ID()+"/map_baseline", func(b *testing.B) {
			in, isJSON := benchInput(b, f.ID())
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			var n int
			for b.Loop() {
				var err error
				if isJSON {
					n, err = decodeMapsJSON(in)
				} else {
					n, err = decodeMapsText(in, f.ID())
				}
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

func decodeMapsJSON(in []byte) (int, error) {
	sc := bufio.NewScanner(bytes.NewReader(in))
	sc.Buffer(make([]byte, 1<<20), source.MaxRecordSize)
	n := 0
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			return n, err
		}
		n++
	}
	return n, sc.Err()
}

func decodeMapsText(in []byte, id string) (int, error) {
	if id == "payroll" || id == "shipments" {
		r := csv.NewReader(bytes.NewReader(in))
		header, err := r.Read()
		if err != nil {
			return 0, err
		}
		n := 0
		for {
			row, err := r.Read()
			if errors.Is(err, io.EOF) {
				return n, nil
			}
			if err != nil {
				return n, err
			}
			m := make(map[string]any, len(header))
			for i, h := range header {
				m[h] = row[i]
			}
			n++
		}
	}
	n := 0
	for _, line := range bytes.Split(in, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		fields := strings.Split(string(line), "\x1f")
		m := make(map[string]any, len(fields))
		for i, v := range fields {
			m[string(rune('a'+i))] = v
		}
		n++
	}
	return n, nil
}
