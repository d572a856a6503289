package code

import (
	"context"
	"testing"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

// verdict is the part of a finding the table tests compare.
type verdict struct {
	Person     string
	Confidence float64
	Related    []string
}

// run resolves events, runs ind under pol (nil: the default policy), checks
// what every finding must satisfy and reduces the findings to verdicts.
func run(t *testing.T, ind detect.Indicator, pol *policy.Policy, events []*event.Event) ([]verdict, []detect.Finding) {
	t.Helper()
	if pol == nil {
		pol = policy.Default()
	}
	pop := detecttest.Population(events, pol)
	fs, err := ind.Detect(context.Background(), &detect.Input{Pop: pop, Policy: pol, Now: exampleStart.AddDate(0, 6, 0)})
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

// join concatenates event lists.
func join(lists ...[]*event.Event) []*event.Event {
	var out []*event.Event
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}
