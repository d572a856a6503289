package pipeline

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPlan checks that Plan lists the files a scan reads, in its order:
// inputs in order, a directory's files sorted and hidden ones left out, a
// forced format kept, named files marked explicit.
func TestPlan(t *testing.T) {
	root := t.TempDir()
	for _, name := range []string{"b.ndjson", "a.csv", ".hidden", filepath.Join("sub", "c.json"), filepath.Join(".git", "x")} {
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("{}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	named := filepath.Join(root, "a.csv")
	files, err := Plan([]Input{{Path: root}, {Path: named, Format: "payroll"}})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Path     string
		Format   string
		Explicit bool
	}
	var got []row
	for _, f := range files {
		r := row{Path: f.Path, Explicit: f.Explicit}
		if f.Format != nil {
			r.Format = f.Format.ID()
		}
		got = append(got, r)
	}
	want := []row{
		{Path: filepath.Join(root, "a.csv")},
		{Path: filepath.Join(root, "b.ndjson")},
		{Path: filepath.Join(root, "sub", "c.json")},
		{Path: named, Format: "payroll", Explicit: true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Plan (-want +got):\n%s", diff)
	}
	if _, err := Plan([]Input{{Path: filepath.Join(root, "missing")}}); err == nil {
		t.Error("a missing input was accepted")
	}
}
