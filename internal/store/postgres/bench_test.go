package postgres

import (
	"fmt"
	"testing"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/store/storetest"
)

// BenchmarkSaveEvents saves files of 50,000 new events, all spanning the
// same days, into a table that grows across iterations (run with
// -benchtime=20x for 1M events), reporting the table's size on disk with
// its indexes, and re-saves a file that is already stored. It needs
// ROLLCALL_TEST_POSTGRES.
func BenchmarkSaveEvents(b *testing.B) {
	const batch = 50_000
	b.Run("new", func(b *testing.B) {
		s := mustOpen(b, newSchema(b, ""), "")
		ctx := b.Context()
		saved := 0
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			events := storetest.BenchEvents(fmt.Sprintf("okta/part-%06d.ndjson", i), batch)
			b.StartTimer()
			n, err := s.SaveEvents(ctx, events)
			if err != nil {
				b.Fatal(err)
			}
			if n != batch {
				b.Fatalf("inserted %d, want %d", n, batch)
			}
			saved += n
		}
		b.ReportMetric(float64(saved)/b.Elapsed().Seconds(), "events/s")
		var size int64
		if err := s.pool.QueryRow(ctx, `SELECT pg_total_relation_size('events')`).Scan(&size); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(size)/float64(saved), "disk-B/event")
	})
	b.Run("already_stored", func(b *testing.B) {
		s := mustOpen(b, newSchema(b, ""), "")
		ctx := b.Context()
		events := storetest.BenchEvents("okta/part.ndjson", batch)
		if _, err := s.SaveEvents(ctx, events); err != nil {
			b.Fatal(err)
		}
		saved := 0
		for b.Loop() {
			n, err := s.SaveEvents(ctx, events)
			if err != nil || n != 0 {
				b.Fatalf("SaveEvents = %d, %v; want 0 inserted", n, err)
			}
			saved += len(events)
		}
		b.ReportMetric(float64(saved)/b.Elapsed().Seconds(), "events/s")
	})
}

// BenchmarkSetEventPeople attributes 200,000 stored events to 5,000
// people, every event moving to another person each time. It needs
// ROLLCALL_TEST_POSTGRES.
func BenchmarkSetEventPeople(b *testing.B) {
	const n = 200_000
	s := mustOpen(b, newSchema(b, ""), "")
	ctx := b.Context()
	var events []*event.Event
	for i := range 4 {
		events = append(events, storetest.BenchEvents(fmt.Sprintf("okta/part-%d.ndjson", i), n/4)...)
	}
	if _, err := s.SaveEvents(ctx, events); err != nil {
		b.Fatal(err)
	}
	people := [2]map[string]string{make(map[string]string, n), make(map[string]string, n)}
	for i, e := range events {
		people[0][e.Prov.Key()] = fmt.Sprintf("E%d", i%5000)
		people[1][e.Prov.Key()] = fmt.Sprintf("E%d", (i+1)%5000) // every event moves
	}
	updated := 0
	for i := 0; b.Loop(); i++ {
		if err := s.SetEventPeople(ctx, people[i%2]); err != nil {
			b.Fatal(err)
		}
		updated += n
	}
	b.ReportMetric(float64(updated)/b.Elapsed().Seconds(), "events/s")
}
