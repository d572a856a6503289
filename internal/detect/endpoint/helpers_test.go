package endpoint

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
	Confidence float64
	Records    []int // record numbers of the evidence in exampleOsqueryFile
}

// run resolves events, runs ind under pol (nil: the default policy) and
// reduces its findings to outcomes; it checks what every finding must hold.
func run(t *testing.T, ind detect.Indicator, pol *policy.Policy, events []*event.Event) ([]outcome, []detect.Finding) {
	t.Helper()
	if pol == nil {
		pol = policy.Default()
	}
	in := &detect.Input{Pop: detecttest.Population(events, pol), Policy: pol, Now: at(400)}
	fs := detecttest.Run(t, ind, in)
	var out []outcome
	for _, f := range fs {
		o := outcome{Person: f.Person, Confidence: f.Confidence}
		for _, e := range f.Evidence {
			if e.File == exampleOsqueryFile {
				o.Records = append(o.Records, e.Record)
			}
		}
		out = append(out, o)
	}
	return out, fs
}

// allowTools is a policy that sanctions the named tools.
func allowTools(names ...string) *policy.Policy {
	p := policy.Default()
	for _, n := range names {
		p.Allow.Tools = append(p.Allow.Tools, policy.ToolEntry{Name: n, Entry: policy.Entry{Reason: "sanctioned by IT"}})
	}
	return p
}

// fleetOfHosts is n colleagues whose laptops each run the given rows,
// records from first on.
func fleetOfHosts(n, first int, table string, rows ...map[string]string) []*event.Event {
	var out []*event.Event
	for i := range n {
		id, user := fmt.Sprintf("F%03d", i), fmt.Sprintf("fleet%03d", i)
		out = append(out, rosterRecord(100+i, id, "Colleague "+id, user, "US"),
			osq(first+i, fmt.Sprintf("LT-F%03d", i), user, at(0), table, "snapshot", rows...))
	}
	return out
}
