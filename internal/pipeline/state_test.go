package pipeline

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/store"
	"github.com/rollcall/rollcall/internal/store/sqlite"
)

func signInAt(record int, at time.Time) *event.Event {
	return &event.Event{Kind: event.KindSignIn, Time: at,
		Prov:    event.Provenance{Origin: &event.Origin{Source: "okta", File: "okta.ndjson"}, Record: record, Hash: "h" + strconv.Itoa(record)},
		Account: &event.Actor{Login: "jane@example.com"},
		SignIn:  &event.SignIn{Action: "user.session.start", Outcome: event.OutcomeSuccess}}
}

// TestState_reads_only_new_events saves events in three rounds (the
// second out of time order) and checks after each Load that the state
// holds every event in the store's order, that only new events were read,
// and that each was enriched once.
func TestState_reads_only_new_events(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "s.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	enriched := map[string]int{}
	s := State{Store: st, Enricher: func(e *event.Event) { enriched[e.Prov.Key()]++ }}
	t0 := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	rounds := [][]*event.Event{
		{signInAt(1, t0), signInAt(2, t0.Add(2*time.Hour))},
		{signInAt(3, t0.Add(time.Hour)), signInAt(4, time.Time{})},
		{signInAt(5, t0.Add(3*time.Hour))},
	}
	total := 0
	for i, round := range rounds {
		if _, err := st.SaveEvents(ctx, round); err != nil {
			t.Fatal(err)
		}
		total += len(round)
		read, err := s.Load(ctx, total)
		if err != nil {
			t.Fatal(err)
		}
		if !s.Current() {
			t.Errorf("round %d: state not current", i)
		}
		// The overlap re-reads earlier batches; the first load reads all.
		if read < len(round) {
			t.Errorf("round %d: read %d events, want at least the %d new", i, read, len(round))
		}
		stored, err := st.Events(ctx, store.EventQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(keysOf(stored), keysOf(s.Events())); diff != "" {
			t.Errorf("round %d: state (-store +state):\n%s", i, diff)
		}
	}
	for k, n := range enriched {
		if n != 1 {
			t.Errorf("%s enriched %d times, want once", k, n)
		}
	}
	if len(enriched) != total {
		t.Errorf("%d events enriched, want %d", len(enriched), total)
	}
	// A count the state cannot reach (a writer the feed has not shown yet)
	// leaves it not current, and a second Load at the same count reads the
	// whole history again.
	if _, err := s.Load(ctx, total+1); err != nil {
		t.Fatal(err)
	}
	if s.Current() {
		t.Error("state current with fewer events than the store counts")
	}
	read, err := s.Load(ctx, total+1)
	if err != nil {
		t.Fatal(err)
	}
	if read != total {
		t.Errorf("re-read %d events, want the whole history of %d", read, total)
	}
}

func keysOf(events []*event.Event) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.Prov.Key()
	}
	return out
}
