package signin

import (
	"testing"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

// verdict is the part of a finding the tables of the multi-source
// indicators compare.
type verdict = detecttest.Verdict

// detectAll resolves events, runs ind under pol (nil: the default policy)
// with Now six months after exampleStart, checks what every finding must
// satisfy (here a confidence above 0) and reduces the findings to verdicts.
func detectAll(t *testing.T, ind detect.Indicator, pol *policy.Policy, events []*event.Event) ([]verdict, []detect.Finding) {
	t.Helper()
	out, fs := detecttest.RunVerdicts(t, ind, detecttest.Input(events, pol, exampleStart.AddDate(0, 6, 0)))
	for _, f := range fs {
		if f.Confidence <= 0 {
			t.Errorf("finding on %s: confidence %v out of (0, 1]", f.Person, f.Confidence)
		}
	}
	return out, fs
}
