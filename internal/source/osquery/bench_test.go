package osquery_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source"
	"github.com/rollcall/rollcall/internal/source/osquery"
)

// genNDJSON builds about size bytes of a results log: differential
// process and USB results and a system_info snapshot, with decorations
// (set noDecorations for a fleet without decorators).
func genNDJSON(size int, noDecorations bool) ([]byte, int) {
	var b bytes.Buffer
	n := 0
	dec := `,"decorations":{"host_uuid":"4AB2906D-5516-5794-AF54-86D1D7F533F3","hostname":"mbp-%d","username":"user%d"}`
	for b.Len() < size {
		d := fmt.Sprintf(dec, n%500, n%500)
		if noDecorations {
			d = ""
		}
		switch n % 3 {
		case 0:
			fmt.Fprintf(&b, `{"name":"pack_it-compliance_processes","hostIdentifier":"LT-%04d","calendarTime":"Tue Mar  4 09:15:02 2025 UTC","unixTime":%d,"epoch":0,"counter":%d,"numerics":false%s,`+
				`"columns":{"cmdline":"/usr/bin/python3 -m http.server %d","name":"python3","parent":"1044","path":"/usr/bin/python3","pid":"%d","start_time":"1741079650","uid":"501","cwd":"/Users/user/src","on_disk":"1"},"action":"added"}`+"\n",
				n%500, 1741079702+n, n, d, 8000+n%1000, 1000+n)
		case 1:
			fmt.Fprintf(&b, `{"name":"pack_hardware-monitoring_usb_devices","hostIdentifier":"LT-%04d","calendarTime":"Tue Mar  4 03:12:09 2025 UTC","unixTime":%d,"epoch":0,"counter":%d,"numerics":false%s,`+
				`"columns":{"class":"0","model":"USB Receiver","model_id":"c52b","protocol":"0","removable":"1","serial":"%08X","subclass":"0","usb_address":"7","usb_port":"2","vendor":"Logitech","vendor_id":"046d","version":"1211"},"action":"%s"}`+"\n",
				n%500, 1741057929+n, n, d, n, map[bool]string{true: "added", false: "removed"}[n%2 == 0])
		default:
			fmt.Fprintf(&b, `{"snapshot":[{"computer_name":"Laptop %d","cpu_brand":"Apple M2 Pro","hardware_model":"Mac14,10","hardware_serial":"C02FK%05d","hardware_vendor":"Apple Inc.","hostname":"mbp-%d","physical_memory":"34359738368","uuid":"4AB2906D-5516-5794-AF54-%012d"}],`+
				`"action":"snapshot","name":"pack_inventory_system_info","hostIdentifier":"LT-%04d","calendarTime":"Tue Mar  4 00:00:05 2025 UTC","unixTime":%d,"epoch":0,"counter":0,"numerics":false%s}`+"\n",
				n%500, n, n%500, n, n%500, 1741046405+n, d)
		}
		n++
	}
	return b.Bytes(), n
}

type countSink struct{ events, rejections int }

func (c *countSink) Event(*event.Event)      { c.events++ }
func (c *countSink) Reject(source.Rejection) { c.rejections++ }

func BenchmarkDecode(b *testing.B) {
	data, n := genNDJSON(4<<20, false)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	f := osquery.New()
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

// BenchmarkDecodeNoDecorations is the adapter's worst case: lines without a
// decorations object are read a second time for top-level decorations.
func BenchmarkDecodeNoDecorations(b *testing.B) {
	data, n := genNDJSON(4<<20, true)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	f := osquery.New()
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
	data, n := genNDJSON(4<<20, false)
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
