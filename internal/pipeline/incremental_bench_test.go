package pipeline

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/sim"
)

// BenchmarkIncremental measures what a stream worker's analysis costs
// per batch: a simulated organisation (1,000 people, 30 days) arrives in
// time order; after a full analysis of the first half (or quarter) of it,
// batches of 1,000 events are analysed incrementally. It reports the full
// analysis and the mean incremental analysis at a quarter and at half of
// the history, and the people re-evaluated per batch.
func BenchmarkIncremental(b *testing.B) {
	events := simulatedEvents(b)
	const batch, batches = 1000, 5
	ctx := context.Background()
	for range b.N {
		for _, at := range []struct {
			name string
			frac float64
		}{{"quarter", 0.25}, {"half", 0.5}} {
			n := int(at.frac * float64(len(events)))
			var s State
			s.takeIn(events[:n])
			start := time.Now()
			if _, err := s.Analyse(ctx, Options{}); err != nil {
				b.Fatal(err)
			}
			full := time.Since(start)
			var took time.Duration
			evaluated := 0
			for i := range batches {
				s.takeIn(events[n+i*batch : n+(i+1)*batch])
				start := time.Now()
				res, err := s.Analyse(ctx, Options{})
				if err != nil {
					b.Fatal(err)
				}
				took += time.Since(start)
				scope, ok := s.Evaluated()
				if !ok {
					scope = map[string]bool{}
					for _, p := range res.Pop.People {
						scope[p.ID] = true
					}
				}
				evaluated += len(scope)
			}
			b.ReportMetric(float64(n), at.name+"_events")
			b.ReportMetric(full.Seconds(), at.name+"_full_s")
			b.ReportMetric(took.Seconds()/batches, at.name+"_batch_s")
			b.ReportMetric(float64(evaluated)/batches, at.name+"_evaluated/batch")
		}
	}
}

// simulatedEvents are the events of a simulated organisation (1,000
// people, 30 days, seed 3), in time order.
func simulatedEvents(b *testing.B) []*event.Event {
	b.Helper()
	dir := b.TempDir()
	org, err := sim.Generate(sim.Config{Seed: 3, People: 1000, Days: 30})
	if err != nil {
		b.Fatal(err)
	}
	if err := org.WriteDir(dir); err != nil {
		b.Fatal(err)
	}
	events := readEvents(b, dir)
	slices.SortStableFunc(events, byTime)
	return events
}

// BenchmarkStatePersist measures what a stream worker's save writes per
// batch: on the organisation of BenchmarkIncremental, after the first half
// is analysed and saved whole, batches of 1,000 events are analysed and
// saved with a store that patches (store.ResultsPatcher). It reports the
// people and findings in the report and those written per batch.
func BenchmarkStatePersist(b *testing.B) {
	events := simulatedEvents(b)
	const batch, batches = 1000, 5
	ctx := context.Background()
	for range b.N {
		st := &patchRecorder{Store: openLite(b)}
		s := State{Store: st}
		n := len(events) / 2
		s.takeIn(events[:n])
		var people, findings, savedPeople, savedFindings int
		for i := range batches + 1 {
			if i > 0 {
				s.takeIn(events[n+(i-1)*batch : n+i*batch])
			}
			res, err := s.Analyse(ctx, Options{})
			if err != nil {
				b.Fatal(err)
			}
			if err := s.Persist(ctx, res, time.Unix(0, 0)); err != nil {
				b.Fatal(err)
			}
			if i == 0 {
				continue
			}
			p := st.patches[len(st.patches)-1]
			people += len(res.Report.People)
			savedPeople += len(p.People) + len(p.GonePeople)
			for _, person := range res.Report.People {
				findings += len(person.Indicators)
			}
			for _, at := range p.People {
				savedFindings += len(res.Report.People[at].Indicators)
			}
		}
		b.ReportMetric(float64(people)/batches, "people/batch")
		b.ReportMetric(float64(savedPeople)/batches, "people_saved/batch")
		b.ReportMetric(float64(findings)/batches, "findings/batch")
		b.ReportMetric(float64(savedFindings)/batches, "findings_saved/batch")
	}
}
