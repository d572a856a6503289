package sourcetest

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/source"
)

// Rejected is a rejection a test expects: its line, its record number
// (0: not checked), the field it names and a part of its reason.
type Rejected struct {
	Line, Record int
	Field        string
	Reason       string
}

// CheckRejections decodes testdata/name with f and checks that its
// rejections are exactly want, in order, each naming the file and a line,
// and that its events are exactly the records on eventLines. It returns
// the result for further checks.
func CheckRejections(t *testing.T, f source.Format, name string, want []Rejected, eventLines ...int) *Result {
	t.Helper()
	res := DecodeFile(t, f, filepath.Join("testdata", name))
	var got []Rejected
	for _, r := range res.Rejections {
		if r.File != name || r.Line == 0 {
			t.Errorf("rejection %+v names file %q line %d, want %s and a line", r, r.File, r.Line, name)
		}
		g := Rejected{Line: r.Line, Field: r.Field, Reason: "unexpected reason: " + r.Reason}
		for _, w := range want {
			if w.Line == r.Line && (w.Record == 0 || w.Record == r.Record) && strings.Contains(r.Reason, w.Reason) {
				g.Reason = w.Reason
				if w.Record != 0 {
					g.Record = r.Record
				}
			}
		}
		got = append(got, g)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rejections of %s (-want +got):\n%s", name, diff)
	}
	var lines []int
	for _, e := range res.Events {
		lines = append(lines, e.Prov.Line)
	}
	if !slices.Equal(lines, eventLines) {
		t.Errorf("events of %s on lines %v, want exactly the valid records on lines %v", name, lines, eventLines)
	}
	return res
}
