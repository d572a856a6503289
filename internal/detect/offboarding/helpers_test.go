package offboarding

import (
	"fmt"
	"testing"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

// outcome is the part of a finding the table tests compare.
type outcome struct {
	Person     string
	Confidence float64
	Related    []string
	Evidence   int
}

// run resolves events, runs ind at now under pol (nil: the default policy)
// and reduces its findings to outcomes.
func run(t *testing.T, ind detect.Indicator, pol *policy.Policy, now time.Time, events []*event.Event) ([]outcome, []detect.Finding) {
	t.Helper()
	if pol == nil {
		pol = policy.Default()
	}
	pop := detecttest.Population(events, pol)
	fs := detecttest.Run(t, ind, &detect.Input{Pop: pop, Policy: pol, Now: now})
	var out []outcome
	for _, f := range fs {
		out = append(out, outcome{Person: f.Person, Confidence: f.Confidence, Related: f.Related, Evidence: len(f.Evidence)})
	}
	return out, fs
}

// clones makes n code-access events by employee to distinct repositories,
// every apart, from at, numbered from first.
func clones(first int, employee, action string, n int, at time.Time, every time.Duration) []*event.Event {
	var out []*event.Event
	for i := range n {
		out = append(out, auditRecord(first+i, employee, action, fmt.Sprintf("acme/repo-%03d", i), at.Add(time.Duration(i)*every)))
	}
	return out
}
