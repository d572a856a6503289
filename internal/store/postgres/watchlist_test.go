package postgres

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

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

func TestWatchlistSharing(t *testing.T) {
	serverDSN(t)
	t.Parallel()
	var dsns perTest[string]
	storetest.RunWatchlistSharing(t, func(t *testing.T, tenant string) store.Watchlist {
		return mustOpen(t, dsns.get(t, func() string { return newSchema(t, "") }), tenant)
	})
}

// TestWatchlistSharingOrdinaryRole runs the sharing suite as a role that
// row-level security applies to, and checks that a tenant cannot opt
// another in nor write into another's list.
func TestWatchlistSharingOrdinaryRole(t *testing.T) {
	serverDSN(t)
	t.Parallel()
	dsn := newSchema(t, newRole(t))
	storetest.RunWatchlistSharing(t, func(t *testing.T, tenant string) store.Watchlist {
		return mustOpen(t, dsn, tenant)
	})
	t.Run("cannot_opt_in_another_tenant", func(t *testing.T) {
		ctx := t.Context()
		conn, err := pgx.Connect(ctx, withParams(t, dsn, map[string]string{TenantSetting: "globex"}))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(context.Background())
		// The suite left acme's payout entry in place and globex opted
		// in; acme opts in again, so its row is readable by globex.
		if err := mustOpen(t, dsn, "acme").ShareWatchlist(ctx, true); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM watchlist WHERE tenant = 'acme'`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("globex reads %d of acme's shared rows (%v), want 1", n, err)
		}
		if _, err := conn.Exec(ctx, `INSERT INTO watchlist_sharing (tenant) VALUES ('initech')`); err == nil {
			t.Error("globex opted initech in")
		}
		if _, err := conn.Exec(ctx, `INSERT INTO watchlist (tenant, kind, value) VALUES ('acme', 'ip', '192.0.2.1')`); err == nil {
			t.Error("globex wrote into acme's watchlist")
		}
		if tag, err := conn.Exec(ctx, `DELETE FROM watchlist WHERE tenant = 'acme'`); err != nil || tag.RowsAffected() != 0 {
			t.Errorf("globex deleted %d rows of acme's shared watchlist (%v)", tag.RowsAffected(), err)
		}
	})
}
