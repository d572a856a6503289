package signin

import (
	"context"
	"testing"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

// verdict is the part of a finding the tables of the multi-source
// indicators compare.
type verdict struct {
	Person     string
	Confidence float64
	Related    []string
}

// detectAll resolves events, runs ind under pol (nil: the default policy)
// with Now six months after exampleStart, checks what every finding must
// satisfy and reduces the findings to verdicts.
func detectAll(t *testing.T, ind detect.Indicator, pol *policy.Policy, events []*event.Event) ([]verdict, []detect.Finding) {
	t.Helper()
	if pol == nil {
		pol = policy.Default()
	}
	pop := detecttest.Population(events, pol)
	in := &detect.Input{Pop: pop, Policy: pol, Now: exampleStart.AddDate(0, 6, 0)}
	fs, err := ind.Detect(context.Background(), in)
	if err != nil {
		t.Fatalf("%s Detect: %v", ind.ID(), err)
	}
	var out []verdict
	for _, f := range fs {
		if f.Indicator != ind.ID() || f.Summary == "" {
			t.Errorf("finding %+v: wrong indicator or no summary", f)
		}
		if f.Confidence <= 0 || f.Confidence > 1 {
			t.Errorf("finding confidence %v out of (0, 1]", f.Confidence)
		}
		if len(f.Evidence) == 0 || len(f.Evidence) > detect.MaxEvidence {
			t.Errorf("finding has %d evidence records, want 1..%d", len(f.Evidence), detect.MaxEvidence)
		}
		for _, e := range f.Evidence {
			if e.File == "" || e.Record <= 0 || e.Summary == "" {
				t.Errorf("evidence %+v does not name a record", e)
			}
		}
		for _, r := range f.Related {
			if r == f.Person || pop.Person(r) == nil {
				t.Errorf("finding on %s relates to %q", f.Person, r)
			}
		}
		out = append(out, verdict{Person: f.Person, Confidence: f.Confidence, Related: f.Related})
	}
	return out, fs
}
