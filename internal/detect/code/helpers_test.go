package code

import (
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
	fs := detecttest.Run(t, ind, &detect.Input{Pop: pop, Policy: pol, Now: exampleStart.AddDate(0, 6, 0)})
	var out []verdict
	for _, f := range fs {
		out = append(out, verdict{Person: f.Person, Confidence: f.Confidence, Related: f.Related})
	}
	return out, fs
}
