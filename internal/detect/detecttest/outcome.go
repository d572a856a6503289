package detecttest

import (
	"fmt"
	"testing"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

// Reductions of findings to what the stage packages' table tests compare.

// RecordOutcome is a finding reduced to its person, confidence and the
// record numbers of its evidence, for tests whose evidence is all in one
// file.
type RecordOutcome struct {
	Person     string
	Confidence float64
	Records    []int
}

// RunRecords runs ind over in (as Run does) and reduces its findings to
// RecordOutcomes; evidence outside file, or without a summary, is an error.
func RunRecords(t testing.TB, ind detect.Indicator, in *detect.Input, file string) ([]RecordOutcome, []detect.Finding) {
	t.Helper()
	fs := Run(t, ind, in)
	var out []RecordOutcome
	for _, f := range fs {
		o := RecordOutcome{Person: f.Person, Confidence: f.Confidence}
		for _, e := range f.Evidence {
			if e.File != file || e.Summary == "" {
				t.Errorf("evidence %+v does not name a record of %s", e, file)
			}
			o.Records = append(o.Records, e.Record)
		}
		out = append(out, o)
	}
	return out, fs
}

// RefOutcome is a finding reduced to its person, related people,
// confidence and evidence references (Ref).
type RefOutcome struct {
	Person     string
	Related    []string
	Confidence float64
	Records    []string
}

// RunRefs runs ind over in (as Run does) and reduces its findings to
// RefOutcomes.
func RunRefs(t testing.TB, ind detect.Indicator, in *detect.Input) ([]RefOutcome, []detect.Finding) {
	t.Helper()
	fs := Run(t, ind, in)
	var out []RefOutcome
	for _, f := range fs {
		o := RefOutcome{Person: f.Person, Related: f.Related, Confidence: f.Confidence}
		for _, e := range f.Evidence {
			o.Records = append(o.Records, Ref(e.File, e.Record))
		}
		out = append(out, o)
	}
	return out, fs
}

// Ref names record n of file as "file#n".
func Ref(file string, n int) string { return fmt.Sprintf("%s#%d", file, n) }

// Join concatenates event lists.
func Join(lists ...[]*event.Event) []*event.Event {
	var out []*event.Event
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// RunSignIns runs ind over events under pol (nil: the default policy) six
// months after Start, for the sign-in and network stages whose evidence
// is all Okta sign-ins.
func RunSignIns(t testing.TB, ind detect.Indicator, pol *policy.Policy, events []*event.Event) ([]RecordOutcome, []detect.Finding) {
	t.Helper()
	return RunRecords(t, ind, Input(events, pol, Start.AddDate(0, 6, 0)), OktaFile)
}

// Verdict is a finding reduced to its person, confidence and related
// people, for tests whose evidence spans several files.
type Verdict struct {
	Person     string
	Confidence float64
	Related    []string
}

// RunVerdicts runs ind over in (as Run does) and reduces its findings to
// Verdicts.
func RunVerdicts(t testing.TB, ind detect.Indicator, in *detect.Input) ([]Verdict, []detect.Finding) {
	t.Helper()
	fs := Run(t, ind, in)
	var out []Verdict
	for _, f := range fs {
		out = append(out, Verdict{Person: f.Person, Confidence: f.Confidence, Related: f.Related})
	}
	return out, fs
}
