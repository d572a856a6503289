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
