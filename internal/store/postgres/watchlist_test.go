package postgres

import (
	"testing"

	"github.com/rollcall/rollcall/internal/store"
	"github.com/rollcall/rollcall/internal/store/storetest"
)

func TestWatchlist(t *testing.T) {
	serverDSN(t)
	t.Parallel()
	var dsns perTest[string]
	storetest.RunWatchlist(t, func(t *testing.T, tenant string) store.Watchlist {
		return mustOpen(t, dsns.get(t, func() string { return newSchema(t, "") }), tenant)
	})
}
