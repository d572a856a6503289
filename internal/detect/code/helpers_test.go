package code

import (
	"testing"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

// verdict is the part of a finding the table tests compare.
type verdict = detecttest.Verdict

// run resolves events, runs ind under pol (nil: the default policy) six
// months after exampleStart, checks what every finding must satisfy and
// reduces the findings to verdicts.
func run(t *testing.T, ind detect.Indicator, pol *policy.Policy, events []*event.Event) ([]verdict, []detect.Finding) {
	t.Helper()
	return detecttest.RunVerdicts(t, ind, detecttest.Input(events, pol, exampleStart.AddDate(0, 6, 0)))
}
