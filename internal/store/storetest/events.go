package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/store"
)

func saveEvents(t *testing.T, s store.Store, events []*event.Event, want int) {
	t.Helper()
	got, err := s.SaveEvents(t.Context(), events)
	if err != nil {
		t.Fatalf("SaveEvents: %v", err)
	}
	if got != want {
		t.Errorf("SaveEvents inserted %d, want %d", got, want)
	}
}

func eventCount(t *testing.T, s store.Store, want int) {
	t.Helper()
	got, err := s.EventCount(t.Context())
	if err != nil {
		t.Fatalf("EventCount: %v", err)
	}
	if got != want {
		t.Errorf("EventCount = %d, want %d", got, want)
	}
}

func testSaveEventsIdempotent(t *testing.T, open Opener) {
	s := open(t, "")
	eventCount(t, s, 0)
	events := fixtureEvents()
	saveEvents(t, s, events, len(events))
	saveEvents(t, s, events, 0)
	saveEvents(t, s, fixtureEvents(), 0) // equal values, new pointers
	// The same record twice in one call is one row.
	dup := manyEvents("dup.ndjson", 3)
	saveEvents(t, s, append(dup, dup[1]), 3)
	saveEvents(t, s, nil, 0)
	eventCount(t, s, len(events)+3)
}

func testSaveEventsChangedRecord(t *testing.T, open Opener) {
	s := open(t, "")
	events := fixtureEvents()
	saveEvents(t, s, events, len(events))
	// The file was re-exported with record 1 edited: same place, new bytes,
	// so a new hash and a new key; the old version stays.
	changed := *events[7]
	changed.Prov.Hash = "e0e0e0e0"
	in := *changed.SignIn
	in.Outcome = event.OutcomeFailure
	changed.SignIn = &in
	saveEvents(t, s, []*event.Event{&changed, events[7]}, 1)
	eventCount(t, s, len(events)+1)
	got, err := s.Events(t.Context(), store.EventQuery{Source: "okta", Until: events[7].Time.Add(time.Second)})
	if err != nil {
		t.Fatalf("Events: %v", err)
	}
	if diff := cmp.Diff([]*event.Event{events[7], &changed}, got, cmpOpts); diff != "" {
		t.Errorf("Events of the edited record (-want +got):\n%s", diff)
	}
}

func testSaveEventsInvalid(t *testing.T, open Opener) {
	s := open(t, "")
	_, err := s.SaveEvents(t.Context(), []*event.Event{fixtureEvents()[0], nil})
	wantErr(t, "SaveEvents with a nil event", err, store.ErrInvalid)
	_, err = s.Events(t.Context(), store.EventQuery{Limit: -1})
	wantErr(t, "Events with a negative limit", err, store.ErrInvalid)
}

func testEventsRoundTrip(t *testing.T, open Opener) {
	s := open(t, "")
	events := fixtureEvents()
	saveEvents(t, s, events, len(events))
	got, err := s.Events(t.Context(), store.EventQuery{})
	if err != nil {
		t.Fatalf("Events: %v", err)
	}
	if diff := cmp.Diff(sortedByTime(events), got, cmpOpts); diff != "" {
		t.Errorf("Events (-want +got):\n%s", diff)
	}
}

func testEventsQuery(t *testing.T, open Opener) {
	s := open(t, "")
	events := fixtureEvents()
	saveEvents(t, s, events, len(events))
	if err := s.SetEventPeople(t.Context(), fixturePeople(events)); err != nil {
		t.Fatalf("SetEventPeople: %v", err)
	}
	keys := func(evs []*event.Event) []string {
		out := make([]string, len(evs))
		for i, e := range evs {
			out[i] = e.Prov.Key()
		}
		return out
	}
	key := func(i ...int) []string {
		var out []string
		for _, j := range i {
			out = append(out, events[j].Prov.Key())
		}
		return out
	}
	rosterKeys := key(0, 1, 2, 3, 4) // all at the same time: saved order
	for _, tc := range []struct {
		name string
		q    store.EventQuery
		want []string
	}{
		{"kind", store.EventQuery{Kind: event.KindSignIn}, key(7, 10, 8, 9, 11)},
		{"source", store.EventQuery{Source: "entra"}, key(10, 11)},
		{"person", store.EventQuery{Person: "E1"}, key(5, 0, 7, 8)},
		{"applicant_person", store.EventQuery{Person: "cand-77"}, key(6)},
		{"unknown_person", store.EventQuery{Person: "E99"}, nil},
		{"since", store.EventQuery{Since: t0.Add(2 * time.Hour)}, key(8, 9, 12, 11)},
		{"until_exclusive", store.EventQuery{Until: t0.Add(90 * time.Minute)}, append(rosterKeys, key(6, 7)...)},
		{"since_until", store.EventQuery{Since: t0.Add(time.Hour), Until: t0.Add(4 * time.Hour)}, key(7, 10, 8, 9)},
		{"limit", store.EventQuery{Limit: 3}, key(5, 0, 1)},
		{"combined", store.EventQuery{Kind: event.KindSignIn, Source: "okta", Person: "E1", Since: t0.Add(90 * time.Minute), Limit: 5}, key(8)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Events(t.Context(), tc.q)
			if err != nil {
				t.Fatalf("Events: %v", err)
			}
			if diff := cmp.Diff(tc.want, keys(got), cmpOpts); diff != "" {
				t.Errorf("Events(%+v) keys (-want +got):\n%s", tc.q, diff)
			}
		})
	}
}

func testSetEventPeople(t *testing.T, open Opener) {
	s := open(t, "")
	events := fixtureEvents()
	saveEvents(t, s, events, len(events))
	people := fixturePeople(events)
	people["okta|nowhere|1|00"] = "E1" // not stored: ignored
	if err := s.SetEventPeople(t.Context(), people); err != nil {
		t.Fatalf("SetEventPeople: %v", err)
	}
	count := func(person string) int {
		t.Helper()
		got, err := s.Events(t.Context(), store.EventQuery{Person: person})
		if err != nil {
			t.Fatalf("Events: %v", err)
		}
		return len(got)
	}
	if got := count("E2"); got != 3 {
		t.Errorf("E2 has %d events, want 3", got)
	}
	// Re-resolution moves one event and clears another.
	err := s.SetEventPeople(t.Context(), map[string]string{events[10].Prov.Key(): "E4", events[11].Prov.Key(): ""})
	if err != nil {
		t.Fatalf("SetEventPeople: %v", err)
	}
	if got := count("E2"); got != 1 {
		t.Errorf("after re-resolution E2 has %d events, want 1", got)
	}
	if got := count("E4"); got != 2 {
		t.Errorf("after re-resolution E4 has %d events, want 2", got)
	}
	// Saving the events again keeps their attribution.
	saveEvents(t, s, events, 0)
	if got := count("E1"); got != 4 {
		t.Errorf("after re-saving events E1 has %d events, want 4", got)
	}
	if err := s.SetEventPeople(t.Context(), nil); err != nil {
		t.Errorf("SetEventPeople(nil): %v", err)
	}
}

// testEventsSince checks store.EventFeed, for backends that implement it:
// the events saved after a cursor, in save order, other tenants' never.
func testEventsSince(t *testing.T, open Opener) {
	s := open(t, "")
	feed, ok := s.(store.EventFeed)
	if !ok {
		t.Skip("the backend is no store.EventFeed")
	}
	ctx := context.Background()
	keys := func(events []*event.Event) []string {
		var out []string
		for _, e := range events {
			out = append(out, e.Prov.Key())
		}
		return out
	}
	first, second := manyEvents("a.ndjson", 3), manyEvents("b.ndjson", 2)
	saveEvents(t, s, first, 3)
	saveEvents(t, open(t, "other"), manyEvents("c.ndjson", 4), 4)
	got, cur, err := feed.EventsSince(ctx, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(keys(first), keys(got)); diff != "" {
		t.Errorf("EventsSince(0) (-want +got):\n%s", diff)
	}
	saveEvents(t, s, append(second, first[0]), 2)
	got, next, err := feed.EventsSince(ctx, cur, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(keys(second), keys(got)); diff != "" {
		t.Errorf("EventsSince(cursor) (-want +got):\n%s", diff)
	}
	if next <= cur {
		t.Errorf("cursor did not advance: %d after %d", next, cur)
	}
	got, same, err := feed.EventsSince(ctx, next, nil)
	if err != nil || len(got) != 0 || same != next {
		t.Errorf("EventsSince(last) = %d events, cursor %d, %v; want none, %d", len(got), same, err, next)
	}
	// Events the caller holds are left out; the cursor still covers them.
	held := map[string]bool{first[1].Prov.Key(): true, second[0].Prov.Key(): true}
	got, last, err := feed.EventsSince(ctx, 0, func(key string) bool { return held[key] })
	if err != nil {
		t.Fatal(err)
	}
	want := []string{first[0].Prov.Key(), first[2].Prov.Key(), second[1].Prov.Key()}
	if diff := cmp.Diff(want, keys(got)); diff != "" {
		t.Errorf("EventsSince(0, held) (-want +got):\n%s", diff)
	}
	if last != next {
		t.Errorf("EventsSince(0, held) cursor = %d, want %d", last, next)
	}
}
