package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestScan_resume_folder checks that a résumé folder inside a scanned
// directory is decoded as a whole by its directory format: documents named
// by candidate id become résumés, others are rejected with a reason, the
// folder's plain-text files are not skipped as unrecognised, and a
// subfolder is still walked.
func TestScan_resume_folder(t *testing.T) {
	root := t.TempDir()
	src := filepath.Join("..", "..", "examples", "small")
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(root, e.Name()), string(b))
	}
	write(t, filepath.Join(root, "cv", "4481207.txt"), "Daniel Brooks\nBackend engineer, 9 years of Go and Kubernetes, Chicago IL\n")
	write(t, filepath.Join(root, "cv", "Kevin Tran.txt"), "Kevin Tran\nDevOps engineer with 12 years of Kubernetes experience\n")
	write(t, filepath.Join(root, "cv", "old", "4481208.txt"), "Priya Raman\nFull-stack developer with React and TypeScript\n")

	res, err := Scan(context.Background(), Options{Inputs: []Input{{Path: root}}})
	if err != nil {
		t.Fatal(err)
	}
	st := res.Report.Stats
	if st.RecordsRead != st.Events+st.RecordsRejected {
		t.Errorf("records_read %d != events %d + rejected %d", st.RecordsRead, st.Events, st.RecordsRejected)
	}
	if got := st.BySource["resumes"]; got != 2 {
		t.Errorf("résumés read = %d, want 2 (cv/4481207.txt and cv/old/4481208.txt)", got)
	}
	var rejectedFiles []string
	for _, r := range res.Report.Rejected {
		rejectedFiles = append(rejectedFiles, filepath.Base(r.File))
	}
	if !slices.Contains(rejectedFiles, "Kevin Tran.txt") {
		t.Errorf("rejected = %v, want Kevin Tran.txt rejected for its missing candidate id", rejectedFiles)
	}
	for _, s := range res.Report.SkippedFiles {
		if filepath.Dir(s.File) == filepath.Join(root, "cv") {
			t.Errorf("%s skipped (%s): files of a résumé folder are decoded by the folder's format", s.File, s.Reason)
		}
	}

	ids, err := DetectFormats(context.Background(), []Input{{Path: root}})
	if err != nil || !slices.Contains(ids, "resumes") {
		t.Errorf("DetectFormats = %v, %v; want resumes among them", ids, err)
	}
}

func write(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}
