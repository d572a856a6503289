package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/store"
)

var _ store.Watchlist = (*Store)(nil)

// AddBurned implements store.Watchlist.
func (s *Store) AddBurned(ctx context.Context, entries []policy.Burned) (int, error) {
	added := 0
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		added = 0
		for _, b := range entries {
			tag, err := tx.Exec(ctx, `INSERT INTO watchlist (tenant, kind, value, case_ref, person, added)
				VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
				s.tenant, pgText(b.Kind), pgText(b.Value), pgText(b.Case), pgText(b.Person), optTime(b.Added))
			if err != nil {
				return err
			}
			added += int(tag.RowsAffected())
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("add to watchlist: %w", err)
	}
	return added, nil
}

// Burned implements store.Watchlist.
func (s *Store) Burned(ctx context.Context) ([]policy.Burned, error) {
	rows, err := s.pool.Query(ctx, `SELECT kind, value, case_ref, person, added FROM watchlist WHERE tenant = $1
		ORDER BY kind, value, case_ref`, s.tenant)
	if err != nil {
		return nil, fmt.Errorf("watchlist: %w", err)
	}
	defer rows.Close()
	var out []policy.Burned
	for rows.Next() {
		var b policy.Burned
		if err := rows.Scan(&b.Kind, &b.Value, &b.Case, &b.Person, timeOf(&b.Added)); err != nil {
			return nil, fmt.Errorf("watchlist: %w", err)
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("watchlist: %w", err)
	}
	return out, nil
}

var _ store.WatchlistSharing = (*Store)(nil)

// ShareWatchlist implements store.WatchlistSharing.
func (s *Store) ShareWatchlist(ctx context.Context, on bool) error {
	var err error
	if on {
		_, err = s.pool.Exec(ctx, `INSERT INTO watchlist_sharing (tenant) VALUES ($1) ON CONFLICT DO NOTHING`, s.tenant)
	} else {
		_, err = s.pool.Exec(ctx, `DELETE FROM watchlist_sharing WHERE tenant = $1`, s.tenant)
	}
	if err != nil {
		return fmt.Errorf("watchlist sharing: %w", err)
	}
	return nil
}

// SharesWatchlist implements store.WatchlistSharing.
func (s *Store) SharesWatchlist(ctx context.Context) (bool, error) {
	var on bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM watchlist_sharing WHERE tenant = $1)`, s.tenant).Scan(&on); err != nil {
		return false, fmt.Errorf("watchlist sharing: %w", err)
	}
	return on, nil
}

// SharedBurned implements store.WatchlistSharing. Row-level security lets
// an opted-in tenant read the rows of the other opted-in tenants; the
// query says the same, so a connection that bypasses it (a superuser)
// reads no more.
func (s *Store) SharedBurned(ctx context.Context) ([]policy.Burned, error) {
	rows, err := s.pool.Query(ctx, `SELECT w.tenant, w.kind, w.value, w.case_ref, w.person, w.added
		FROM watchlist w JOIN watchlist_sharing o ON o.tenant = w.tenant
		WHERE w.tenant <> $1 AND EXISTS (SELECT 1 FROM watchlist_sharing me WHERE me.tenant = $1)
		ORDER BY w.tenant, w.kind, w.value, w.case_ref`, s.tenant)
	if err != nil {
		return nil, fmt.Errorf("shared watchlist: %w", err)
	}
	defer rows.Close()
	var out []policy.Burned
	for rows.Next() {
		var b policy.Burned
		if err := rows.Scan(&b.Tenant, &b.Kind, &b.Value, &b.Case, &b.Person, timeOf(&b.Added)); err != nil {
			return nil, fmt.Errorf("shared watchlist: %w", err)
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("shared watchlist: %w", err)
	}
	return out, nil
}
