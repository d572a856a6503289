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
