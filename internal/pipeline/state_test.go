package pipeline

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
	"github.com/rollcall/rollcall/internal/report"
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
	st := openLite(t)
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
		if diff := cmp.Diff(Coverage(stored), s.cov.list()); diff != "" {
			t.Errorf("round %d: coverage counted as events came (-all at once +state):\n%s", i, diff)
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
	// Events handed over after their commit are not read again; those
	// another process stored are.
	mine, theirs := signInAt(6, t0.Add(4*time.Hour)), signInAt(7, t0.Add(5*time.Hour))
	if _, err := st.SaveEvents(ctx, []*event.Event{mine, theirs}); err != nil {
		t.Fatal(err)
	}
	total += 2
	enriched = map[string]int{}
	// An event whose key is not valid UTF-8 is stored under another key:
	// it is read back in that form instead of being taken twice.
	odd := signInAt(8, t0.Add(6*time.Hour))
	odd.Prov.Origin = &event.Origin{Source: odd.Prov.Source(), File: "okta\xff.ndjson"}
	if _, err := st.SaveEvents(ctx, []*event.Event{odd}); err != nil {
		t.Fatal(err)
	}
	total++
	if n := s.Add([]*event.Event{mine, signInAt(1, t0), odd}); n != 1 {
		t.Errorf("Add took %d events, want only the 1 new with a valid key", n)
	}
	if read, err = s.Load(ctx, total); err != nil {
		t.Fatal(err)
	}
	if read != 2 || enriched[theirs.Prov.Key()] != 1 || enriched[mine.Prov.Key()] != 1 || len(enriched) != 3 {
		t.Errorf("read %d events, enriched %v; want only the other process's and the odd one read, each new one enriched once", read, enriched)
	}
	if len(s.Events()) != total {
		t.Errorf("state holds %d events, the store %d", len(s.Events()), total)
	}
	if !s.Current() {
		t.Error("state not current after taking in handed-over events")
	}
}

// patchRecorder is a store.ResultsPatcher that saves every report whole
// and records the patches it was given.
type patchRecorder struct {
	store.Store
	patches []store.ResultsPatch
	stale   bool // answer the next patch with store.ErrStale
}

func (p *patchRecorder) PatchResults(ctx context.Context, r *store.Results, patch store.ResultsPatch) error {
	if p.stale {
		p.stale = false
		return store.ErrStale
	}
	p.patches = append(p.patches, patch)
	return p.Store.SaveResults(ctx, r)
}

// TestState_persists_only_changed_rows saves reports in turn and checks
// the patch of each against the one before: new, changed and moved people
// and clusters are written, the others not, and those gone are deleted.
func TestState_persists_only_changed_rows(t *testing.T) {
	ctx := context.Background()
	lite := openLite(t)
	st := &patchRecorder{Store: lite}
	s := State{Store: st}
	person := func(id string, score int, inds ...string) report.Person {
		p := report.Person{ID: id, Name: id, Score: score}
		for _, ind := range inds {
			p.Indicators = append(p.Indicators, report.Indicator{ID: ind})
		}
		return p
	}
	persist := func(rep *report.Report) SaveStats {
		t.Helper()
		rep.Version = report.Version
		if err := s.Persist(ctx, &Result{Report: rep, Pop: &profile.Population{}}, time.Now()); err != nil {
			t.Fatal(err)
		}
		return s.Saved()
	}
	first := persist(&report.Report{
		People:   []report.Person{person("a", 50, "IAM-01"), person("b", 10), person("c", 0)},
		Clusters: []report.Cluster{{ID: "C1", Members: []string{"a", "b"}}},
	})
	if !first.Whole || first.People != 3 || len(st.patches) != 0 {
		t.Errorf("first save = %+v after %d patches; want the whole report", first, len(st.patches))
	}
	// a gains a finding, c goes, d comes; b stays where it was.
	second := persist(&report.Report{
		People:   []report.Person{person("a", 60, "IAM-01", "NET-02"), person("b", 10), person("d", 0)},
		Clusters: []report.Cluster{{ID: "C1", Members: []string{"a", "b"}}},
	})
	want := store.ResultsPatch{People: []int{0, 2}, GonePeople: []string{"c"}}
	if diff := cmp.Diff([]store.ResultsPatch{want}, st.patches, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("second save's patch (-want +got):\n%s", diff)
	}
	if second.Whole || second.People != 3 || second.Clusters != 0 {
		t.Errorf("second save = %+v, want 3 people and no cluster written", second)
	}
	// d moves ahead of b: both positions change; the cluster goes.
	persist(&report.Report{People: []report.Person{person("a", 60, "IAM-01", "NET-02"), person("d", 20), person("b", 10)}})
	want = store.ResultsPatch{People: []int{1, 2}, GoneClusters: []string{"C1"}}
	if diff := cmp.Diff(want, st.patches[1], cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("third save's patch (-want +got):\n%s", diff)
	}
	// A store whose results changed meanwhile gets the whole report.
	st.stale = true
	rep := &report.Report{People: []report.Person{person("a", 60, "IAM-01", "NET-02"), person("d", 20), person("b", 10)}}
	if got := persist(rep); !got.Whole {
		t.Errorf("save after a stale patch = %+v, want the whole report", got)
	}
	saved, err := report.LoadStored(ctx, lite)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(rep.People, saved.People, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("saved people (-want +got):\n%s", diff)
	}
}

// openLite opens an SQLite store in a temporary directory.
func openLite(t testing.TB) store.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func keysOf(events []*event.Event) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.Prov.Key()
	}
	return out
}
