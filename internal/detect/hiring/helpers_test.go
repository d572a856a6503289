package hiring

import (
	"testing"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

// outcome is the part of a finding the table tests compare; Records are
// "file#record" of each evidence.
type outcome = detecttest.RefOutcome

// run resolves events, runs ind with the flagged people marked and reduces
// its findings to outcomes.
func run(t *testing.T, ind detect.Indicator, events []*event.Event, flagged ...string) ([]outcome, []detect.Finding) {
	t.Helper()
	in := &detect.Input{Pop: detecttest.Population(events, nil), Policy: &policy.Policy{}, Now: exampleTime, Flagged: map[string]bool{}}
	for _, id := range flagged {
		in.Flagged[id] = true
	}
	return detecttest.RunRefs(t, ind, in)
}

func cand(n int) string { return detecttest.Ref(exampleCandidateFile, n) }

func roster(n int) string { return detecttest.Ref(exampleRosterFile, n) }
