package graph

import (
	gobuild "go/build"
	"path"
	"path/filepath"
	"strings"
	"testing"
)

// TestImports_not_detect: the graph reads the person model and the links
// findings contribute (FindingLink), never the detect package, directly
// or through another of the module's packages.
func TestImports_not_detect(t *testing.T) {
	const module = "github.com/rollcall/rollcall/"
	pkg, err := gobuild.ImportDir(".", 0)
	if err != nil {
		t.Fatalf("reading the package: %v", err)
	}
	seen := map[string]bool{}
	queue := pkg.Imports
	for len(queue) > 0 {
		imp := queue[0]
		queue = queue[1:]
		if seen[imp] || !strings.HasPrefix(imp, module) {
			continue
		}
		seen[imp] = true
		if imp == module+"internal/detect" {
			t.Fatalf("graph imports %s", imp)
		}
		dep, err := gobuild.ImportDir(filepath.Join("..", "..", strings.TrimPrefix(imp, module)), 0)
		if err != nil {
			t.Fatalf("reading %s: %v", path.Base(imp), err)
		}
		queue = append(queue, dep.Imports...)
	}
	if len(seen) == 0 {
		t.Fatal("found none of the module's packages among the imports: the walk is broken")
	}
}
