package detecttest

import (
	"context"
	"testing"

	"github.com/rollcall/rollcall/internal/detect"
)

// Run runs ind over in and checks what every finding must keep: it names
// ind and a person of the population, has a summary, a confidence within
// [0, 1] (0 meaning 1), between 1 and detect.MaxEvidence evidence records
// that each name a file, a record and what it shows, and relates only
// other known people. A Detect error ends the test.
func Run(t testing.TB, ind detect.Indicator, in *detect.Input) []detect.Finding {
	t.Helper()
	fs, err := ind.Detect(context.Background(), in)
	if err != nil {
		t.Fatalf("%s Detect: %v", ind.ID(), err)
	}
	for _, f := range fs {
		if f.Indicator != ind.ID() {
			t.Errorf("finding indicator %q, want %q", f.Indicator, ind.ID())
		}
		if in.Pop.Person(f.Person) == nil {
			t.Errorf("finding on unknown person %q", f.Person)
		}
		if f.Summary == "" {
			t.Errorf("finding on %s has no summary", f.Person)
		}
		if f.Confidence < 0 || f.Confidence > 1 {
			t.Errorf("finding on %s: confidence %v out of [0, 1]", f.Person, f.Confidence)
		}
		if len(f.Evidence) == 0 || len(f.Evidence) > detect.MaxEvidence {
			t.Errorf("finding on %s has %d evidence records, want 1..%d", f.Person, len(f.Evidence), detect.MaxEvidence)
		}
		for _, e := range f.Evidence {
			if e.File == "" || e.Record <= 0 || e.Summary == "" {
				t.Errorf("finding on %s: evidence %+v does not name a record and what it shows", f.Person, e)
			}
		}
		for _, r := range f.Related {
			if r == f.Person || in.Pop.Person(r) == nil {
				t.Errorf("finding on %s relates to %q", f.Person, r)
			}
		}
	}
	return fs
}
