package resumes

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// TestMain lets this test binary serve as the extractor child, as the
// rollcall binary does. The other tests parse in process, which is
// quicker; the sandbox tests turn isolation on (withIsolation).
func TestMain(m *testing.M) {
	ExtractorMain()
	isolated.Store(false)
	os.Exit(m.Run())
}

// withIsolation turns isolated extraction on or off for one test.
func withIsolation(t testing.TB, on bool) {
	was := isolated.Swap(on)
	t.Cleanup(func() { isolated.Store(was) })
}

// buildPDFBomb returns a one-page PDF whose content stream, about size
// bytes compressed, inflates a thousandfold into text-showing operators:
// the library turns each into a glyph, which took the server to 12 GB.
func buildPDFBomb(size int) []byte {
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	zw.Write([]byte("BT\n/F1 11 Tf\n72 740 Td\n")) //nolint:errcheck // bytes.Buffer
	chunk := bytes.Repeat([]byte("(A) Tj "), 1<<16)
	for z.Len() < size {
		zw.Write(chunk) //nolint:errcheck // bytes.Buffer
	}
	zw.Write([]byte("ET\n")) //nolint:errcheck // bytes.Buffer
	zw.Close()
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	var offsets []int
	for i, o := range objs {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	offsets = append(offsets, b.Len())
	fmt.Fprintf(&b, "5 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n", z.Len())
	b.Write(z.Bytes())
	b.WriteString("\nendstream\nendobj\n")
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 6\n0000000000 65535 f \n")
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", xref)
	return b.Bytes()
}

// TestPDFBombIsStopped: a PDF bomb like the 4 MB one that drove the server to 12 GB is
// rejected with a reason, by a child process held to ChildMemory, while
// this process does not grow (issue 10).
func TestPDFBombIsStopped(t *testing.T) {
	withIsolation(t, true)
	if raceEnabled {
		t.Skip("skipped under -race: a race-enabled extractor takes a minute to reach its memory limit; run without -race")
	}
	bomb := buildPDFBomb(256 << 10) // the 4 MB bomb of the issue takes 20 s to build; this one inflates to 256 MB of operators
	start := time.Now()
	_, err := Extract("666.pdf", bomb)
	if err == nil || !strings.Contains(err.Error(), "document too complex") {
		t.Fatalf("Extract(bomb) = %v, want a 'document too complex' rejection", err)
	}
	t.Logf("bomb of %d bytes rejected in %v: %v", len(bomb), time.Since(start).Round(time.Millisecond), err)
	// An ordinary résumé still reads through the child.
	doc, err := Extract("1.pdf", buildPDF([][]string{{"Dana Whitfield", "Senior Go engineer, 2015-2025, Kestrel Labs"}}, "D:20250301120000Z"))
	if err != nil || !strings.Contains(doc.Text, "Kestrel Labs") || doc.Date.IsZero() {
		t.Errorf("ordinary PDF through the child: %q, %v, %v", doc.Text, doc.Date, err)
	}
}

// TestIsolatedExtractionReadsDocuments: the résumé fixtures (PDF and
// .docx) read through the child exactly as in process.
func TestIsolatedExtractionReadsDocuments(t *testing.T) {
	n := 0
	for name, data := range fixtures() {
		if k := kindOf(data); k != kindPDF && k != kindDOCX {
			continue
		}
		n++
		want, wantErr := extractInProcess(data)
		withIsolation(t, true)
		got, err := extractBinary(data)
		withIsolation(t, false)
		if fmt.Sprint(err) != fmt.Sprint(wantErr) || got.Text != want.Text || !got.Date.Equal(want.Date) {
			t.Errorf("%s: child gave %q, %v, %v; in process %q, %v, %v", name, clip(got.Text), got.Date, err, clip(want.Text), want.Date, wantErr)
		}
	}
	if n < 2 {
		t.Errorf("%d PDF and .docx fixtures compared, want them all", n)
	}
}
