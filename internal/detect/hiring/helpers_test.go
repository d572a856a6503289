package hiring

import (
	"fmt"
	"testing"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

// outcome is the part of a finding the table tests compare.
type outcome struct {
	Person     string
	Related    []string
	Confidence float64
	Records    []string // "file#record" of each evidence
}

// run resolves events, runs ind and reduces its findings to outcomes.
func run(t *testing.T, ind detect.Indicator, events []*event.Event, flagged ...string) ([]outcome, []detect.Finding) {
	t.Helper()
	in := &detect.Input{Pop: detecttest.Population(events, nil), Policy: &policy.Policy{}, Now: exampleTime, Flagged: map[string]bool{}}
	for _, id := range flagged {
		in.Flagged[id] = true
	}
	fs := detecttest.Run(t, ind, in)
	var out []outcome
	for _, f := range fs {
		o := outcome{Person: f.Person, Related: f.Related, Confidence: f.Confidence}
		for _, e := range f.Evidence {
			o.Records = append(o.Records, fmt.Sprintf("%s#%d", e.File, e.Record))
		}
		out = append(out, o)
	}
	return out, fs
}

// rec names an example record for outcomes.
func rec(file string, n int) string { return fmt.Sprintf("%s#%d", file, n) }

func cand(n int) string { return rec(exampleCandidateFile, n) }

func roster(n int) string { return rec(exampleRosterFile, n) }
