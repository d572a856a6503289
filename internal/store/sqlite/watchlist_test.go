package sqlite

import (
	"path/filepath"
	"testing"

	"github.com/rollcall/rollcall/internal/store"
	"github.com/rollcall/rollcall/internal/store/storetest"
)

func TestWatchlist(t *testing.T) {
	var paths perTest[string]
	storetest.RunWatchlist(t, func(t *testing.T, tenant string) store.Watchlist {
		path := paths.get(t, func() string { return filepath.Join(t.TempDir(), "rollcall.db") })
		return mustOpen(t, path, tenant)
	})
}

func TestWatchlistSharing(t *testing.T) {
	var paths perTest[string]
	storetest.RunWatchlistSharing(t, func(t *testing.T, tenant string) store.Watchlist {
		path := paths.get(t, func() string { return filepath.Join(t.TempDir(), "rollcall.db") })
		return mustOpen(t, path, tenant)
	})
}
