package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/store"
)

// testTenantIsolation opens three stores on one database, as three tenants,
// and checks that no read of one sees another's rows and no write of one
// touches another's.
func testTenantIsolation(t *testing.T, open Opener) {
	acme, globex, def := open(t, "acme"), open(t, "globex"), open(t, "")
	ctx := t.Context()
	events := fixtureEvents()

	saveEvents(t, acme, events, len(events))
	eventCount(t, globex, 0)
	eventCount(t, def, 0)
	got, err := globex.Events(ctx, store.EventQuery{})
	if err != nil {
		t.Fatalf("globex Events: %v", err)
	}
	if len(got) != 0 {
		t.Errorf("globex sees %d of acme's events", len(got))
	}
	// The same records are new to another tenant.
	saveEvents(t, globex, events, len(events))
	saveEvents(t, globex, manyEvents("globex-only.ndjson", 4), 4)
	eventCount(t, acme, len(events))
	eventCount(t, globex, len(events)+4)

	if err := acme.SetEventPeople(ctx, fixturePeople(events)); err != nil {
		t.Fatalf("acme SetEventPeople: %v", err)
	}
	got, err = globex.Events(ctx, store.EventQuery{Person: "E1"})
	if err != nil {
		t.Fatalf("globex Events: %v", err)
	}
	if len(got) != 0 {
		t.Errorf("acme's attributions show in globex: %d events of E1", len(got))
	}

	saveResults(t, acme, reportA())
	for name, s := range map[string]store.Store{"globex": globex, "default": def} {
		_, err := s.Results(ctx)
		wantErr(t, name+" Report", err, store.ErrNotFound)
		_, err = s.Person(ctx, "E1")
		wantErr(t, name+" Person(E1)", err, store.ErrNotFound)
		_, err = s.Cluster(ctx, "C1")
		wantErr(t, name+" Cluster(C1)", err, store.ErrNotFound)
		people, total, err := s.People(ctx, store.PeopleQuery{})
		if err != nil || total != 0 || len(people) != 0 {
			t.Errorf("%s People = %v, %d, %v; want none", name, ids(people), total, err)
		}
		clusters, err := s.Clusters(ctx)
		if err != nil || len(clusters) != 0 {
			t.Errorf("%s Clusters = %v, %v; want none", name, clusters, err)
		}
	}

	// Saving globex's results leaves acme's whole, and the reverse.
	saveResults(t, globex, reportB())
	diffReport(t, "acme after globex saved", reportA(), acme)
	diffReport(t, "globex", reportB(), globex)
	saveResults(t, acme, reportB())
	saveResults(t, acme, reportA())
	diffReport(t, "globex after acme saved twice", reportB(), globex)

	// Accounts are searched within the tenant only: globex attributes just
	// the code-host action, to someone else.
	err = globex.SetEventPeople(ctx, map[string]string{events[12].Prov.Key(): "E6"})
	if err != nil {
		t.Fatalf("globex SetEventPeople: %v", err)
	}
	for name, want := range map[string]int{"acme": 1, "globex": 0} {
		s := map[string]store.Store{"acme": acme, "globex": globex}[name]
		_, total, err := s.People(ctx, store.PeopleQuery{Search: "ada@example.com"})
		if err != nil {
			t.Fatalf("%s People: %v", name, err)
		}
		if total != want {
			t.Errorf("%s search for an account finds %d people, want %d", name, total, want)
		}
	}
	got2, _, err := globex.People(ctx, store.PeopleQuery{Search: "ghost-dev"})
	if err != nil {
		t.Fatalf("globex People: %v", err)
	}
	if diff := cmp.Diff([]string{"E6"}, ids(got2)); diff != "" {
		t.Errorf("globex search for its own attribution (-want +got):\n%s", diff)
	}
	_, err = globex.Person(ctx, "E3")
	wantErr(t, "globex Person(E3)", err, store.ErrNotFound)
	if _, err := acme.Person(ctx, "E3"); err != nil {
		t.Errorf("acme Person(E3): %v", err)
	}
}

// testConcurrentReads saves two reports in turn while readers check that
// every read sees one of them whole, and saves events while readers count.
func testConcurrentReads(t *testing.T, open Opener) {
	s := open(t, "")
	ctx := t.Context()
	a, b := reportA(), reportB()
	saveResults(t, s, a)

	const saves, batches = 12, 6 // each save alternates the report, so readers see both many times
	var wg sync.WaitGroup
	done := make(chan struct{})
	errs := make(chan error, 64)
	fail := func(err error) {
		select {
		case errs <- err:
		default:
		}
	}
	wg.Go(func() {
		defer close(done)
		for i := range saves {
			if err := s.SaveResults(ctx, []*store.Results{b, a}[i%2]); err != nil {
				fail(fmt.Errorf("SaveResults %d: %w", i, err))
				return
			}
			if _, err := s.SaveEvents(ctx, manyEvents(fmt.Sprintf("batch-%d.ndjson", i%batches), 200)); err != nil {
				fail(fmt.Errorf("SaveEvents %d: %w", i, err))
				return
			}
		}
	})
	reader := func(read func() error) {
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				if err := read(); err != nil {
					fail(err)
					return
				}
			}
		})
	}
	reader(func() error {
		got, err := s.Results(ctx)
		if err != nil {
			return fmt.Errorf("Report: %w", err)
		}
		if cmp.Diff(a, got, cmpOpts) != "" && cmp.Diff(b, got, cmpOpts) != "" {
			return fmt.Errorf("Report during saves is neither A nor B:\n%s", cmp.Diff(a, got, cmpOpts))
		}
		return nil
	})
	reader(func() error {
		got, total, err := s.People(ctx, store.PeopleQuery{})
		if err != nil {
			return fmt.Errorf("People: %w", err)
		}
		if !cmp.Equal(ids(a.People), ids(got)) && !cmp.Equal(ids(b.People), ids(got)) {
			return fmt.Errorf("People during saves is neither A's nor B's: %v", ids(got))
		}
		if total != len(got) {
			return fmt.Errorf("People during saves: total %d for %d people", total, len(got))
		}
		return nil
	})
	last := 0
	reader(func() error {
		n, err := s.EventCount(ctx)
		if err != nil {
			return fmt.Errorf("EventCount: %w", err)
		}
		if n < last {
			return fmt.Errorf("EventCount went down from %d to %d", last, n)
		}
		last = n
		return nil
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	diffReport(t, "after the saves", []*store.Results{b, a}[(saves-1)%2], s)
	eventCount(t, s, batches*200)
}

// testCancelledContext checks that writes under a cancelled context fail
// with the context's error and leave nothing behind.
func testCancelledContext(t *testing.T, open Opener) {
	s := open(t, "")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := s.SaveEvents(ctx, fixtureEvents())
	wantErr(t, "SaveEvents", err, context.Canceled)
	wantErr(t, "SaveResults", s.SaveResults(ctx, reportA()), context.Canceled)
	eventCount(t, s, 0)
	_, err = s.Results(t.Context())
	wantErr(t, "Report after a cancelled save", err, store.ErrNotFound)
}
