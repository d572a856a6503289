package pipeline

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/rollcall/rollcall/internal/enrich"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/identity"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/profile"
	"github.com/rollcall/rollcall/internal/store"
	"github.com/rollcall/rollcall/internal/watchlist"
)

// withWatchlist appends the store's watchlist (when st keeps one) to
// pol's, which it replaces rather than modifies, with the entries other
// tenants share when st's tenant and theirs opted in
// (store.WatchlistSharing).
func withWatchlist(ctx context.Context, pol *policy.Policy, st any) error {
	wl, ok := st.(store.Watchlist)
	if !ok {
		return nil
	}
	burned, err := wl.Burned(ctx)
	if err != nil {
		return fmt.Errorf("reading the watchlist: %w", err)
	}
	if sh, ok := st.(store.WatchlistSharing); ok {
		shared, err := sh.SharedBurned(ctx)
		if err != nil {
			return fmt.Errorf("reading the shared watchlist: %w", err)
		}
		burned = append(burned, shared...)
	}
	if len(burned) > 0 {
		pol.Watchlist = append(slices.Clone(pol.Watchlist), burned...)
	}
	return nil
}

// BurnPeople puts the identifiers of the people ids — confirmed operatives
// of case caseRef — on wl's watchlist, read from their stored events in
// st (enriched with enricher, when set, and modelled here under pol, as an
// analysis would), and returns how many entries were new. A person with no
// stored events adds nothing.
func BurnPeople(ctx context.Context, st store.Store, wl store.Watchlist, pol *policy.Policy, enricher func(*event.Event), ids []string, caseRef string, now time.Time) (int, error) {
	if pol == nil {
		pol = policy.Default()
	}
	var entries []policy.Burned
	for _, id := range ids {
		events, err := st.Events(ctx, store.EventQuery{Person: id})
		if err != nil {
			return 0, fmt.Errorf("burning %s: %w", id, err)
		}
		if len(events) == 0 {
			continue
		}
		if enricher != nil {
			for _, e := range events {
				enricher(e)
			}
		}
		enrich.Stamp(events, pol)
		pop := identity.Resolve(events)
		profile.Build(pop, pol)
		for _, p := range pop.People {
			if p.ID == id {
				entries = append(entries, watchlist.Burn(p, caseRef, now)...)
			}
		}
	}
	n, err := wl.AddBurned(ctx, entries)
	if err != nil {
		return 0, fmt.Errorf("burning case %s: %w", caseRef, err)
	}
	return n, nil
}
