package sqlite

import (
	"context"
	"database/sql"
	"fmt"

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
