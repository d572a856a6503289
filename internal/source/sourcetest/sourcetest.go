// Package sourcetest holds test helpers shared by the format adapters in
// internal/source: decoding a fixture into a comparable result, golden
// files (rewritten with go test -update), the invariants every decoded
// event must satisfy, and access to the shared public samples.
package sourcetest

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// CmpOpts lets go-cmp compare events (netip.Addr has unexported fields),
// comparing network contexts by value: a payload without one (nil, as a
// test's want leaves it) equals the empty context adapters give it.
var CmpOpts = cmp.Options{
	cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
	cmp.Transformer("network", func(n *event.Network) event.Network {
		if n == nil {
			return event.Network{}
		}
		return *n
	}),
}

// Result is everything a Decode produced, in delivery order.
type Result struct {
	Events     []*event.Event     `json:"events"`
	Rejections []source.Rejection `json:"rejections"`
	Err        string             `json:"error,omitempty"`
}

// Records is the number of records the decoder accounted for.
func (r *Result) Records() int { return len(r.Events) + len(r.Rejections) }

// Event implements source.Sink.
func (r *Result) Event(e *event.Event) { r.Events = append(r.Events, e) }

// Reject implements source.Sink.
func (r *Result) Reject(rej source.Rejection) { r.Rejections = append(r.Rejections, rej) }

// DecodeFile opens path like the scanner does (gzip-transparent) and
// decodes it with f, recording the file under its base name so that golden
// files do not depend on where the repository lives.
func DecodeFile(t testing.TB, f source.Format, path string) *Result {
	t.Helper()
	in, err := source.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	res := &Result{}
	if err := f.Decode(context.Background(), in, filepath.Base(path), res); err != nil {
		res.Err = err.Error()
	}
	return res
}

// DecodeBytes decodes data (gzip-transparent) with f under the name name.
func DecodeBytes(t testing.TB, f source.Format, name string, data []byte) *Result {
	t.Helper()
	in, err := source.NewFile(name, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	res := &Result{}
	if err := f.Decode(context.Background(), in, name, res); err != nil {
		res.Err = err.Error()
	}
	return res
}

// Golden compares got with the JSON in goldenPath, or rewrites the file
// when the test runs with -update.
func Golden(t *testing.T, goldenPath string, got any) {
	t.Helper()
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	if *update {
		if err := os.WriteFile(goldenPath, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(strings.Split(string(want), "\n"), strings.Split(string(b), "\n")); diff != "" {
		t.Errorf("%s differs (-want +got; go test -update rewrites it):\n%s", goldenPath, diff)
	}
}

// CheckInvariants checks what every adapter promises about its output:
// each event has the format's provenance, a 1-based record number, a
// content hash, and exactly the one payload its Kind names; records are
// numbered 1..n across events and rejections without gaps; each rejection
// has a reason.
func CheckInvariants(t testing.TB, formatID string, r *Result) {
	t.Helper()
	seen := map[int]bool{}
	for _, e := range r.Events {
		p := e.Prov
		if p.Source() != formatID || p.File() == "" || p.Record < 1 || p.Hash == "" {
			t.Errorf("record %d: incomplete provenance %+v", p.Record, p)
		}
		if err := payloadMatchesKind(e); err != nil {
			t.Errorf("record %d: %v", p.Record, err)
		}
		if seen[p.Record] {
			t.Errorf("record %d delivered twice", p.Record)
		}
		seen[p.Record] = true
	}
	for _, rej := range r.Rejections {
		if rej.Reason == "" || rej.File == "" || rej.Record < 1 {
			t.Errorf("incomplete rejection %+v", rej)
		}
		if seen[rej.Record] {
			t.Errorf("record %d delivered twice", rej.Record)
		}
		seen[rej.Record] = true
	}
	for i := 1; i <= r.Records(); i++ {
		if !seen[i] {
			t.Errorf("record %d missing: records are not numbered 1..%d", i, r.Records())
		}
	}
}

func payloadMatchesKind(e *event.Event) error {
	set := map[event.Kind]bool{
		event.KindSignIn:    e.SignIn != nil,
		event.KindAudit:     e.Audit != nil,
		event.KindCommit:    e.Commit != nil,
		event.KindDevice:    e.Device != nil,
		event.KindPerson:    e.Person != nil,
		event.KindApplicant: e.Applicant != nil,
		event.KindPayout:    e.Payout != nil,
		event.KindShipment:  e.Shipment != nil,
		event.KindProfile:   e.Profile != nil,
		event.KindResume:    e.Resume != nil,
		event.KindMeeting:   e.Meeting != nil,
	}
	n := 0
	for _, ok := range set {
		if ok {
			n++
		}
	}
	if !set[e.Kind] || n != 1 {
		return fmt.Errorf("kind %q but %d payloads set (want exactly the %q one)", e.Kind, n, e.Kind)
	}
	return nil
}

// Samples returns the files in the shared public samples folder for a
// format (/work/shared/samples/<dir>, reached relatively from a package in
// internal/source/<format>), skipping the test when it is absent.
func Samples(t *testing.T, dir string) []string {
	t.Helper()
	root := filepath.Join("..", "..", "..", "..", "shared", "samples", dir)
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Skipf("shared samples not available (%v); they live outside the repository", err)
	}
	var files []string
	for _, e := range entries {
		if !e.IsDir() {
			files = append(files, filepath.Join(root, e.Name()))
		}
	}
	if len(files) == 0 {
		t.Skipf("no sample files in %s", root)
	}
	return files
}

// Testdata lists the input fixtures in dir (testdata of the calling
// package): every file except golden files.
func Testdata(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		if e.IsDir() || strings.HasSuffix(e.Name(), ".golden.json") {
			continue
		}
		files = append(files, filepath.Join(dir, e.Name()))
	}
	return files
}

// FuzzSeeds adds every fixture in dir to the fuzz corpus.
func FuzzSeeds(f *testing.F, dir string) {
	f.Helper()
	for _, p := range Testdata(f, dir) {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, b := range Hostile(false) {
		f.Add(b)
	}
}

// FuzzDecode decodes data and checks the invariants; it is the body of
// every adapter's FuzzDecode. The decoder must not panic, and must account
// for every record it starts.
// It returns what was decoded, for an adapter's own checks of its events.
func FuzzDecode(t *testing.T, f source.Format, data []byte) *Result {
	res := &Result{}
	in, err := source.NewFile("fuzz", bytes.NewReader(data))
	if err != nil {
		return res // not a valid gzip stream
	}
	_ = f.Decode(context.Background(), in, "fuzz", res)
	CheckInvariants(t, f.ID(), res)
	_ = f.Sniff(data)
	return res
}

// Head returns the first bytes of a file as format detection sees them
// (source.Open, gzip undone).
func Head(t testing.TB, path string) []byte {
	t.Helper()
	f, err := source.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, err := f.Head()
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Clone(h)
}

// Hostile returns inputs meant to break decoders: deep nesting, invalid
// UTF-8, huge numbers, long lines, truncation, binary noise. With big set,
// it adds a line longer than source.MaxRecordSize (too large for a fuzz
// corpus).
func Hostile(big bool) map[string][]byte {
	n := 20_000 // past the JSON libraries' 10,000-level depth limit
	if big {
		n = 500_000
	}
	deep := strings.Repeat(`{"a":`, n) + "1" + strings.Repeat("}", n)
	m := map[string][]byte{
		"deep_nesting_object":  []byte(`{"eventType":"x","published":"2024-01-01T00:00:00Z","actor":` + deep + "}\n"),
		"deep_nesting_array":   []byte("[" + strings.Repeat("[", n) + strings.Repeat("]", n) + "]"),
		"unbalanced_brackets":  []byte(strings.Repeat("[{", n)),
		"invalid_utf8":         []byte("{\"eventType\":\"\xff\xfe\",\"published\":\"\xc3\x28\",\"id\":\"\xed\xa0\x80\",\"first_name\":\"\x80\"}\n"),
		"huge_numbers":         []byte(`[{"id":1e999999999,"asNumber":123456789012345678901234567890,"lat":-1e400,"employeeNumber":99999999999999999999}]`),
		"long_line":            []byte(`{"eventType":"` + strings.Repeat("x", 5*n) + "\"}\n"),
		"many_short_lines":     bytes.Repeat([]byte("{}\n"), n),
		"truncated_gzip":       {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x01},
		"nul_bytes":            bytes.Repeat([]byte{0}, 1000),
		"lone_quote":           []byte(`"`),
		"csv_unterminated":     []byte("employee_id,effective_date,method,account_fingerprint,bank_country,payee_name\n\"" + strings.Repeat("x", 10_000)),
		"csv_wide_row":         []byte("employee_id,asset_tag\n" + strings.Repeat("a,", 5*n) + "\n"),
		"escaped_string_chaos": []byte(`[{"eventType":"\u0000\ud800\\\"","published":"\/Date(0)\/"}]`),
	}
	if big {
		m["line_over_max_record_size"] = []byte(`{"eventType":"` + strings.Repeat("y", source.MaxRecordSize) + "\"}\n{\"eventType\":\"z\"}\n")
	}
	return m
}

// CheckHostile decodes every Hostile input with f: no panic, every record
// accounted for.
func CheckHostile(t *testing.T, f source.Format) {
	t.Helper()
	for name, data := range Hostile(!testing.Short()) {
		t.Run(name, func(t *testing.T) { FuzzDecode(t, f, data) })
	}
}
