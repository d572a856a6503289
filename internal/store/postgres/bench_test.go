package postgres

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/rollcall/rollcall/internal/event"
)

// benchEvents returns n Okta-like sign-ins from file, each with a distinct
// record identity (the same events as the SQLite benchmark).
func benchEvents(file string, n int) []*event.Event {
	t0 := time.Date(2025, 1, 6, 8, 0, 0, 0, time.UTC)
	out := make([]*event.Event, n)
	for i := range out {
		login := fmt.Sprintf("user%04d@example.com", i%5000)
		out[i] = &event.Event{
			Kind: event.KindSignIn,
			Time: t0.Add(time.Duration(i) * 7 * time.Second),
			Prov: event.Provenance{Source: "okta", File: file, Record: i + 1, Line: i + 1,
				ID: fmt.Sprintf("%032x", i), Hash: fmt.Sprintf("%016x", uint64(i)*2654435761)},
			Actor: event.Actor{ID: fmt.Sprintf("00u%017d", i%5000), Login: login, Email: login, DisplayName: "Some User"},
			SignIn: &event.SignIn{
				Action: "user.session.start", Outcome: event.OutcomeSuccess,
				UserAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
				OS:        "Mac OS X", Browser: "CHROME", SessionID: fmt.Sprintf("102%021d", i), Interactive: true,
				Net: event.Network{IP: netip.AddrFrom4([4]byte{203, 0, byte(i >> 8), byte(i)}), Country: "US", CountryName: "United States",
					Region: "Texas", City: "Austin", Lat: 30.2672, Lon: -97.7431, HasGeo: true, ASN: 7922, ASOrg: "comcast",
					ISP: "Comcast Cable", Domain: "comcast.net", GeoSource: "okta"},
			},
		}
	}
	return out
}

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
			events := benchEvents(fmt.Sprintf("okta/part-%06d.ndjson", i), batch)
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
		events := benchEvents("okta/part.ndjson", batch)
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
		events = append(events, benchEvents(fmt.Sprintf("okta/part-%d.ndjson", i), n/4)...)
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
