package pipeline

import (
	"context"
	"fmt"
	"slices"

	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/store"
)

// withWatchlist appends the store's watchlist (when st keeps one) to
// pol's, which it replaces rather than modifies.
func withWatchlist(ctx context.Context, pol *policy.Policy, st any) error {
	wl, ok := st.(store.Watchlist)
	if !ok {
		return nil
	}
	burned, err := wl.Burned(ctx)
	if err != nil {
		return fmt.Errorf("reading the watchlist: %w", err)
	}
	if len(burned) > 0 {
		pol.Watchlist = append(slices.Clone(pol.Watchlist), burned...)
	}
	return nil
}
