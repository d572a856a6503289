package store

import (
	"context"

	"github.com/rollcall/rollcall/internal/policy"
)

// Watchlist keeps the identifiers of confirmed operatives (the watchlist
// of burned identities, see internal/watchlist): a confirmed verdict in the
// workbench adds the person's identifiers, `rollcall watchlist import`
// adds a shared list, and every analysis over the store reads it into the
// policy (policy.Policy.Watchlist). Both backends implement it; callers
// discover it by type assertion.
type Watchlist interface {
	// AddBurned stores entries. An entry whose tenant, kind, value and
	// case are stored already is skipped, so burning a case twice or
	// importing a list again adds nothing; added counts the new rows.
	AddBurned(ctx context.Context, entries []policy.Burned) (added int, err error)
	// Burned returns every entry, ordered by kind, value and case.
	Burned(ctx context.Context) ([]policy.Burned, error)
}

// WatchlistSharing is implemented by stores whose tenants may share their
// watchlists ("if one team is burned, others persist" holds across
// companies too): a tenant that opts in reads the entries of every other
// tenant that opted in. Sharing needs both sides: a tenant that has not
// opted in neither gives nor receives. Off by default.
type WatchlistSharing interface {
	// ShareWatchlist opts the store's tenant in (on) or out.
	ShareWatchlist(ctx context.Context, on bool) error
	// SharesWatchlist reports whether the tenant has opted in.
	SharesWatchlist(ctx context.Context) (bool, error)
	// SharedBurned returns the entries of the other tenants that opted
	// in, each with its Tenant set, when this tenant opted in too;
	// nothing otherwise. Ordered by tenant, kind, value and case.
	SharedBurned(ctx context.Context) ([]policy.Burned, error)
}
