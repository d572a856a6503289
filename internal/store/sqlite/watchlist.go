package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/store"
)

var _ store.Watchlist = (*Store)(nil)

// AddBurned implements store.Watchlist.
func (s *Store) AddBurned(ctx context.Context, entries []policy.Burned) (int, error) {
	added := 0
	err := s.write(ctx, func(tx *sql.Tx) error {
		added = 0
		for _, b := range entries {
			res, err := tx.ExecContext(ctx, `INSERT INTO watchlist (tenant, kind, value, case_ref, person, added)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, s.tenant, b.Kind, b.Value, b.Case, b.Person, usec(b.Added))
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			added += int(n)
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
	rows, err := s.db.QueryContext(ctx, `SELECT kind, value, case_ref, person, added FROM watchlist WHERE tenant = ?
		ORDER BY kind, value, case_ref`, s.tenant)
	if err != nil {
		return nil, fmt.Errorf("watchlist: %w", err)
	}
	defer rows.Close()
	var out []policy.Burned
	for rows.Next() {
		var b policy.Burned
		var added int64
		if err := rows.Scan(&b.Kind, &b.Value, &b.Case, &b.Person, &added); err != nil {
			return nil, fmt.Errorf("watchlist: %w", err)
		}
		b.Added = fromUsec(added)
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
	err := s.write(ctx, func(tx *sql.Tx) error {
		if !on {
			_, err := tx.ExecContext(ctx, `DELETE FROM watchlist_sharing WHERE tenant = ?`, s.tenant)
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO watchlist_sharing (tenant, since) VALUES (?, ?) ON CONFLICT DO NOTHING`,
			s.tenant, usec(time.Now()))
		return err
	})
	if err != nil {
		return fmt.Errorf("watchlist sharing: %w", err)
	}
	return nil
}

// SharesWatchlist implements store.WatchlistSharing.
func (s *Store) SharesWatchlist(ctx context.Context) (bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM watchlist_sharing WHERE tenant = ?`, s.tenant).Scan(&n); err != nil {
		return false, fmt.Errorf("watchlist sharing: %w", err)
	}
	return n > 0, nil
}

// SharedBurned implements store.WatchlistSharing.
func (s *Store) SharedBurned(ctx context.Context) ([]policy.Burned, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT w.tenant, w.kind, w.value, w.case_ref, w.person, w.added
		FROM watchlist w JOIN watchlist_sharing o ON o.tenant = w.tenant
		WHERE w.tenant <> ? AND EXISTS (SELECT 1 FROM watchlist_sharing me WHERE me.tenant = ?)
		ORDER BY w.tenant, w.kind, w.value, w.case_ref`, s.tenant, s.tenant)
	if err != nil {
		return nil, fmt.Errorf("shared watchlist: %w", err)
	}
	defer rows.Close()
	var out []policy.Burned
	for rows.Next() {
		var b policy.Burned
		var added int64
		if err := rows.Scan(&b.Tenant, &b.Kind, &b.Value, &b.Case, &b.Person, &added); err != nil {
			return nil, fmt.Errorf("shared watchlist: %w", err)
		}
		b.Added = fromUsec(added)
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("shared watchlist: %w", err)
	}
	return out, nil
}
