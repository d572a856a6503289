package resumes

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source"
	"github.com/rollcall/rollcall/internal/source/sourcetest"
)

func TestGolden(t *testing.T) {
	for _, path := range sourcetest.Testdata(t, "testdata") {
		t.Run(strings.ReplaceAll(filepath.Base(path), ".", "_"), func(t *testing.T) {
			res := sourcetest.DecodeFile(t, New(), path)
			sourcetest.CheckInvariants(t, ID, res)
			sourcetest.Golden(t, path+".golden.json", res)
		})
	}
}

// decodeDir decodes a folder fixture and checks the folder invariants:
// every document is one event or one rejection with provenance naming the
// document itself (record 1), never two.
func decodeDir(t *testing.T, dir string) *sourcetest.Result {
	t.Helper()
	res := &sourcetest.Result{}
	if err := New().DecodeDir(context.Background(), dir, res); err != nil {
		res.Err = err.Error()
	}
	seen := map[string]bool{}
	for _, e := range res.Events {
		p := e.Prov
		if p.Source() != ID || p.Record != 1 || p.Hash == "" || p.ID == "" || e.Resume == nil || e.Kind != event.KindResume {
			t.Errorf("incomplete résumé event %+v", p)
		}
		if e.Resume != nil && e.Resume.CandidateID != p.ID {
			t.Errorf("%s: candidate %q but provenance id %q", p.File(), e.Resume.CandidateID, p.ID)
		}
		key := fmt.Sprintf("%s#%d", p.File(), p.Record)
		if seen[key] {
			t.Errorf("%s delivered twice", key)
		}
		seen[key] = true
	}
	for _, r := range res.Rejections {
		key := fmt.Sprintf("%s#%d", r.File, r.Record)
		if r.Reason == "" || r.Record < 1 || seen[key] {
			t.Errorf("bad or repeated rejection %+v", r)
		}
		seen[key] = true
	}
	return res
}

func TestGoldenFolders(t *testing.T) {
	for _, dir := range []string{"named", "manifest", "resumes"} {
		t.Run(dir, func(t *testing.T) {
			path := filepath.Join("testdata", dir)
			res := decodeDir(t, path)
			sourcetest.Golden(t, path+".golden.json", res)
		})
	}
}

func TestFolderRecords(t *testing.T) {
	type rec struct {
		File, Candidate, Field, Reason string
	}
	tests := map[string][]rec{
		"named": {
			{File: "1003.txt", Candidate: "1003"},
			{File: "1004.txt", Candidate: "1004"},
			{File: "1005.txt", Candidate: "1005"},
			{File: "1006.txt", Reason: "no text could be extracted (0 letters): a scanned image or an empty document; OCR it to text first"},
			{File: "1007.txt", Reason: "not a text document (binary content); résumés are read from .txt, .pdf and .docx"},
		},
		"manifest": {
			{File: "manifest.csv", Field: "file", Reason: `"sub/nested.txt" is not a file name: list only files in the manifest's own folder`},
			{File: "manifest.csv", Field: "file", Reason: "missing"},
			{File: "manifest.csv", Field: "candidate_id", Reason: `"Jane_Doe_CV.txt" is listed twice, for candidates "2001" and "2999"; the first is used`},
			{File: "Jane_Doe_CV.txt", Candidate: "2001"},
			{File: "resume-2.txt", Candidate: "2002"},
			{File: "stray.txt", Field: "candidate_id", Reason: "cannot tell whose résumé this document is: name the file <candidate_id>.txt (e.g. 4481207.txt) or list it in a manifest.csv (file,candidate_id) beside it"},
			{File: "manifest.csv", Field: "file", Reason: `no file "missing.pdf" in the folder`},
		},
		"resumes": {
			{File: "1010.txt", Candidate: "1010"},
			{File: "Kevin Tran resume.txt", Field: "candidate_id", Reason: "cannot tell whose résumé this document is: name the file <candidate_id>.txt (e.g. 4481207.txt) or list it in a manifest.csv (file,candidate_id) beside it"},
		},
	}
	for dir, want := range tests {
		t.Run(dir, func(t *testing.T) {
			res := &orderSink{}
			if err := New().DecodeDir(context.Background(), filepath.Join("testdata", dir), res); err != nil {
				t.Fatal(err)
			}
			var got []rec
			for _, it := range res.items {
				if it.e != nil {
					got = append(got, rec{File: filepath.Base(it.e.Prov.File()), Candidate: it.e.Resume.CandidateID})
				} else {
					got = append(got, rec{File: filepath.Base(it.r.File), Field: it.r.Field, Reason: it.r.Reason})
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
		})
	}
}

// orderSink keeps events and rejections in one delivery order.
type orderSink struct {
	items []struct {
		e *event.Event
		r *source.Rejection
	}
}

func (s *orderSink) Event(e *event.Event) {
	s.items = append(s.items, struct {
		e *event.Event
		r *source.Rejection
	}{e: e})
}

func (s *orderSink) Reject(r source.Rejection) {
	s.items = append(s.items, struct {
		e *event.Event
		r *source.Rejection
	}{r: &r})
}

func TestExtract(t *testing.T) {
	date := time.Date(2024, 3, 12, 10, 15, 0, 0, time.UTC)
	tests := []struct {
		name     string
		file     string
		data     []byte
		contains []string
		date     time.Time
		err      string
	}{
		{name: "pdf_two_pages", file: "1.pdf", data: buildPDF(pdfResume, "D:20240312101500+01'00'"),
			contains: []string{"Daniel Brooks\nSenior Software Engineer", "Go (8 years)", "Café ordering"}, date: date},
		{name: "pdf_without_info", file: "1.pdf", data: buildPDF([][]string{{"Ann Lee, platform engineer, 6 years of Terraform"}}, ""),
			contains: []string{"6 years of Terraform"}},
		{name: "docx_runs_and_tabs", file: "2.docx", data: buildDOCX(docxResume, "2024-02-01T08:30:00Z"),
			contains: []string{"Full-stack developer Austin, TX\n", "React and TypeScript"}, date: time.Date(2024, 2, 1, 8, 30, 0, 0, time.UTC)},
		{name: "utf16_text", file: "3.txt", data: append([]byte{0xff, 0xfe}, utf16le("Zoë Müller, site reliability engineer since 2015")...),
			contains: []string{"Zoë Müller"}},
		{name: "latin1_text", file: "4.txt", data: []byte("Jos\xe9 Mu\xf1oz, data engineer with Spark and Airflow"), contains: []string{"José Muñoz"}},
		{name: "empty_pdf_page", file: "5.pdf", data: buildPDF([][]string{{""}}, ""),
			err: "no text could be extracted (0 letters): a scanned image or an empty document; OCR it to text first"},
		{name: "truncated_pdf", file: "6.pdf", data: buildPDF(pdfResume, "")[:300], err: "unreadable PDF: not a PDF file: missing %%EOF"},
		{name: "plain_zip", file: "7.docx", data: zipOf("notes.txt", "hello"), err: "a zip archive without a Word document in it (only .docx packages are read)"},
		{name: "docx_damaged", file: "8.docx", data: buildDOCX(docxResume, "")[:200], err: "damaged Word document or zip archive: zip: not a valid zip file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Extract(tt.file, tt.data)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range tt.contains {
				if !strings.Contains(doc.Text, want) {
					t.Errorf("text %q does not contain %q", doc.Text, want)
				}
			}
			if !doc.Date.Equal(tt.date) {
				t.Errorf("date = %v, want %v", doc.Date, tt.date)
			}
		})
	}
}

func utf16le(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

func TestDecodeNamesTheCandidate(t *testing.T) {
	data := buildPDF(pdfResume, "")
	res := sourcetest.DecodeBytes(t, New(), "exports/4481207.pdf", data)
	if len(res.Events) != 1 || res.Events[0].Resume.CandidateID != "4481207" || res.Events[0].Prov.ID != "4481207" {
		t.Fatalf("want one résumé of candidate 4481207, got %+v", res)
	}
	res = sourcetest.DecodeBytes(t, New(), "Daniel Brooks CV.pdf", data)
	if len(res.Rejections) != 1 || res.Rejections[0].Field != "candidate_id" || !strings.Contains(res.Rejections[0].Reason, "PDF") {
		t.Fatalf("want one rejection naming the missing candidate id, got %+v", res)
	}
	res = sourcetest.DecodeBytes(t, New(), "4481207.txt.gz", gzipped([]byte("Ann Lee, Go and Rust engineer, Portland OR")))
	if len(res.Events) != 1 || res.Events[0].Resume.CandidateID != "4481207" {
		t.Fatalf("gzip résumé not read: %+v", res)
	}
	big := bytes.Repeat([]byte("a"), MaxDocumentSize+1)
	res = sourcetest.DecodeBytes(t, New(), "9.txt", big)
	if len(res.Rejections) != 1 || !strings.Contains(res.Rejections[0].Reason, "larger than") {
		t.Fatalf("want an oversized document rejected, got %d events %+v", len(res.Events), res.Rejections)
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		name string
		head []byte
		want bool
	}{
		{"pdf", buildPDF(pdfResume, "")[:64], true},
		{"docx", buildDOCX(docxResume, ""), true},
		{"plain_zip", zipOf("data.csv", "a,b"), false},
		{"text", []byte("Daniel Brooks\nSenior engineer"), false},
		{"json", []byte(`{"login":"x"}`), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := New().Sniff(tt.head); got != tt.want {
				t.Errorf("Sniff = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestClaimDir(t *testing.T) {
	tests := []struct {
		name  string
		dir   string
		files map[string]string
		want  bool
	}{
		{"named_by_candidate_id", "x", map[string]string{"1001.pdf": "", "1002.TXT": "", "1003.docx.gz": ""}, true},
		{"manifest", "x", map[string]string{"manifest.csv": "file,candidate_id\n", "Jane.pdf": ""}, true},
		{"manifest_with_bom_and_order", "x", map[string]string{"manifest.csv": "\ufeffCandidate_ID, File\n"}, true},
		{"folder_named_resumes", "Resumes", map[string]string{"Jane Doe.pdf": ""}, true},
		{"exports_folder", "x", map[string]string{"okta.ndjson": "", "1001.pdf": ""}, false},
		{"other_manifest", "x", map[string]string{"manifest.csv": "name,size\n", "1.bin": ""}, false},
		{"folder_named_resumes_without_documents", "resumes", map[string]string{"notes.md": ""}, false},
		{"empty", "x", map[string]string{}, false},
		{"hidden_files_ignored", "x", map[string]string{".DS_Store": "", "1001.pdf": ""}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), tt.dir)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			for name, body := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			if got := New().ClaimDir(dir, entries); got != tt.want {
				t.Errorf("ClaimDir = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDetectDir(t *testing.T) {
	f, err := source.DetectDir([]source.Format{New()}, filepath.Join("testdata", "named"))
	if err != nil || f == nil || f.ID() != ID {
		t.Fatalf("DetectDir(named) = %v, %v", f, err)
	}
	f, err = source.DetectDir([]source.Format{New(), New()}, filepath.Join("testdata", "named"))
	if err == nil || f != nil {
		t.Errorf("two claimants: DetectDir = %v, %v; want an error", f, err)
	}
	if f, err := source.DetectDir([]source.Format{New()}, filepath.Join("testdata", "missing")); f != nil || err != nil {
		t.Errorf("missing folder: DetectDir = %v, %v; want nil, nil", f, err)
	}
}

func TestHostileInput(t *testing.T) {
	for name, data := range sourcetest.Hostile(!testing.Short()) {
		t.Run(name, func(t *testing.T) { fuzzDocument(t, data) })
	}
}

func TestHostilePDF(t *testing.T) {
	one := buildPDF([][]string{{"Ann Lee, platform engineer, 6 years of Terraform"}}, "")
	patch := func(old, new string) []byte {
		if !bytes.Contains(one, []byte(old)) {
			t.Fatalf("cannot patch %q", old)
		}
		return bytes.Replace(one, []byte(old), []byte(new), 1)
	}
	tests := []struct {
		name string
		data []byte
		err  string
	}{
		{"huge_xref_subsection", patch("xref\n0 6", "xref\n99999990 6"), "malformed PDF: cross-reference data claims more objects than the file can hold"},
		{"huge_size_claim", bytes.Replace(one, []byte("/Size 6"), []byte("/Size 99999999999"), 1), "malformed PDF: cross-reference data claims more objects than the file can hold"},
		{"cyclic_page_tree", patch("/Kids [4 0 R]", "/Kids [2 0 R]"), "malformed PDF: page tree too deep or too large (cyclic?)"},
		{"cyclic_parent", patch("/Parent 2 0 R", "/Parent 4 0 R"), "malformed PDF: page Parent chain does not end (cyclic)"},
		{"deep_nesting", append(append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("["), 5000)...), []byte("\n%%EOF\n")...), "malformed PDF: arrays or dictionaries nested too deeply"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Extract("x.pdf", tt.data)
			switch {
			case tt.err == "" && err != nil && !strings.Contains(err.Error(), "PDF"):
				t.Errorf("unexpected error %v", err)
			case tt.err != "" && (err == nil || err.Error() != tt.err):
				t.Errorf("error = %v, want %q", err, tt.err)
			}
		})
	}
}

// TestPDFTimeout checks the in-process timeout, used where isolation is
// off (sandbox_test.go covers the child, which is killed instead).
func TestPDFTimeout(t *testing.T) {
	withIsolation(t, false)
	oldTimeout, oldExtract := pdfTimeout, extractPDF
	release := make(chan struct{})
	pdfTimeout = 10 * time.Millisecond
	extractPDF = func([]byte) (Document, error) { <-release; return Document{}, nil } // a parse that never ends in time
	defer func() { close(release); pdfTimeout, extractPDF = oldTimeout, oldExtract }()
	_, err := Extract("x.pdf", buildPDF(pdfResume, ""))
	if err == nil || !strings.Contains(err.Error(), "too complex") {
		t.Errorf("error = %v, want the timeout rejection", err)
	}
}
