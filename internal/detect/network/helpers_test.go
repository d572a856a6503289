package network

import (
	"testing"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

// outcome is the part of a finding the table tests compare.
type outcome struct {
	Person     string
	Confidence float64
	Records    []int // record numbers of the evidence (all in exampleOktaFile)
}

// run resolves events, runs ind under pol (nil: the default policy) and
// reduces its findings to outcomes.
func run(t *testing.T, ind detect.Indicator, pol *policy.Policy, events []*event.Event) ([]outcome, []detect.Finding) {
	t.Helper()
	if pol == nil {
		pol = policy.Default()
	}
	in := &detect.Input{Pop: detecttest.Population(events, pol), Policy: pol, Now: exampleStart.AddDate(0, 6, 0)}
	fs := detecttest.Run(t, ind, in)
	var out []outcome
	for _, f := range fs {
		o := outcome{Person: f.Person, Confidence: f.Confidence}
		for _, e := range f.Evidence {
			if e.File != exampleOktaFile || e.Summary == "" {
				t.Errorf("evidence %+v does not name a sign-in record", e)
			}
			o.Records = append(o.Records, e.Record)
		}
		out = append(out, o)
	}
	return out, fs
}

// person is one person's roster record and numbered sign-ins.
type person = detecttest.Schedule

func newPerson(id, country string) *person { return detecttest.NewSchedule(id, country, "Windows") }
