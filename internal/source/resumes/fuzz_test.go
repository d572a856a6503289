package resumes

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"testing"

	"github.com/rollcall/rollcall/internal/source"
	"github.com/rollcall/rollcall/internal/source/sourcetest"
)

func FuzzDecode(f *testing.F) {
	for _, b := range fixtures() {
		f.Add(b)
	}
	f.Add(buildPDF([][]string{{"x"}, {"y (z)"}}, "D:2024"))
	f.Add(buildDOCX([]string{"a\tb"}, "x"))
	f.Add([]byte("Ann Lee\r\nGo (5 years)\r\n"))
	f.Add(zipOf("word/document.xml", "<w:document><w:p><w:t>hi"))
	for _, b := range sourcetest.Hostile(false) {
		f.Add(b)
	}
	// The parsers themselves are fuzzed, in process: the child process
	// that bounds them in production (sandbox.go) would only hide a crash
	// as a rejection, and would make each input cost a process start.
	withIsolation(f, false)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzDocument(t, data) })
}

// fuzzDocument decodes data as a résumé of candidate 4481207: no panic,
// exactly one record, an event with valid text or a rejection with a
// reason; and Sniff does not panic.
func fuzzDocument(t *testing.T, data []byte) {
	in, err := source.NewFile("4481207.pdf", bytes.NewReader(data))
	if err != nil {
		return // not a valid gzip stream
	}
	res := &sourcetest.Result{}
	if err := New().Decode(context.Background(), in, "4481207.pdf", res); err != nil {
		res.Err = err.Error()
	}
	sourcetest.CheckInvariants(t, ID, res)
	if res.Err == "" && res.Records() != 1 {
		t.Fatalf("want one record, got %d events and %d rejections", len(res.Events), len(res.Rejections))
	}
	_ = New().Sniff(data)
}

func zipOf(name, body string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create(name)
	w.Write([]byte(body))
	zw.Close()
	return b.Bytes()
}

func gzipped(b []byte) []byte {
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	zw.Write(b)
	zw.Close()
	return out.Bytes()
}
