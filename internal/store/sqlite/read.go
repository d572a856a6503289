package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/profile"
	"github.com/rollcall/rollcall/internal/store"
)

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// scanner is *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// People implements store.Store.
func (s *Store) People(ctx context.Context, q store.PeopleQuery) ([]store.Person, int, error) {
	if err := q.Validate(); err != nil {
		return nil, 0, fmt.Errorf("people: %w", err)
	}
	where := []string{"p.tenant = ?"}
	args := []any{s.tenant}
	if q.Level != "" {
		where, args = append(where, "p.level = ?"), append(args, q.Level)
	}
	if q.MinScore != 0 {
		where, args = append(where, "p.score >= ?"), append(args, q.MinScore)
	}
	if q.Indicator != "" {
		where = append(where, `EXISTS (SELECT 1 FROM findings f
			WHERE f.tenant = p.tenant AND f.person = p.id AND f.indicator = ?)`)
		args = append(args, q.Indicator)
	}
	if term := store.SearchTerm(q.Search); term != "" {
		where = append(where, `(instr(p.search, ?) > 0 OR EXISTS (SELECT 1 FROM person_accounts a
			WHERE a.tenant = p.tenant AND a.person = p.id AND instr(a.account, ?) > 0))`)
		args = append(args, term, term)
	}
	cond := strings.Join(where, " AND ")

	order, _ := q.OrderBy() // validated above
	limit := q.Limit
	if limit == 0 {
		limit = -1 // SQLite: no limit
	}

	var people []store.Person
	var total int
	err := s.read(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM people p WHERE "+cond, args...).Scan(&total); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, "SELECT "+store.PersonColumns+" FROM people p WHERE "+cond+
			" ORDER BY "+order+" LIMIT ? OFFSET ?", append(args, limit, q.Offset)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		people, err = store.ScanPeople(rows)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("people: %w", err)
	}
	return people, total, nil
}

// Person implements store.Store.
func (s *Store) Person(ctx context.Context, id string) (store.Person, error) {
	row := s.db.QueryRowContext(ctx, "SELECT "+store.PersonColumns+" FROM people p WHERE p.tenant = ? AND p.id = ?", s.tenant, id)
	p, err := store.ScanPerson(row)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Person{}, fmt.Errorf("person %q: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return store.Person{}, fmt.Errorf("person %q: %w", id, err)
	}
	return p, nil
}

// Clusters implements store.Store.
func (s *Store) Clusters(ctx context.Context) ([]store.Cluster, error) {
	var out []store.Cluster
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.clusters(ctx, tx, "")
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("clusters: %w", err)
	}
	return out, nil
}

// Cluster implements store.Store.
func (s *Store) Cluster(ctx context.Context, id string) (store.Cluster, error) {
	if id == "" { // clusters reads them all for ""
		return store.Cluster{}, fmt.Errorf("cluster %q: %w", id, store.ErrNotFound)
	}
	var out []store.Cluster
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.clusters(ctx, tx, id)
		return err
	})
	if err != nil {
		return store.Cluster{}, fmt.Errorf("cluster %q: %w", id, err)
	}
	if len(out) == 0 {
		return store.Cluster{}, fmt.Errorf("cluster %q: %w", id, store.ErrNotFound)
	}
	return out[0], nil
}

// clusters reads every cluster, or the one with the given id, with links.
func (s *Store) clusters(ctx context.Context, q querier, id string) ([]store.Cluster, error) {
	cq := `SELECT ` + store.ClusterColumns + ` FROM clusters WHERE tenant = ?`
	lq := `SELECT ` + store.LinkColumns + ` FROM cluster_links WHERE tenant = ?`
	args := []any{s.tenant}
	if id != "" {
		cq += ` AND id = ?`
		lq += ` AND cluster = ?`
		args = append(args, id)
	}
	var cr store.ClusterReader
	err := queryEach(ctx, q, cq+` ORDER BY position`, args, func(rows *sql.Rows) error {
		var row store.ClusterRow
		if err := rows.Scan(row.Dest()...); err != nil {
			return err
		}
		return cr.Cluster(&row)
	})
	if err != nil {
		return nil, err
	}
	err = queryEach(ctx, q, lq+` ORDER BY cluster, position`, args, func(rows *sql.Rows) error {
		var row store.LinkRow
		if err := rows.Scan(row.Dest()...); err != nil {
			return err
		}
		return cr.Link(&row)
	})
	if err != nil {
		return nil, err
	}
	return cr.Clusters(), nil
}

// Results implements store.Store.
func (s *Store) Results(ctx context.Context) (*store.Results, error) {
	r := store.NewResults()
	err := s.read(ctx, func(tx *sql.Tx) error {
		var sum store.SummaryRow
		err := tx.QueryRowContext(ctx, `SELECT `+store.SummaryColumns+` FROM results WHERE tenant = ?`, s.tenant).
			Scan(sum.Dest()...)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("no results saved: %w", store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if err := sum.Fill(r); err != nil {
			return err
		}
		if r.Clusters, err = s.clusters(ctx, tx, ""); err != nil {
			return err
		}
		return s.resultLists(ctx, tx, r)
	})
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return r, nil
}

// resultLists reads the report's people, rejections, skipped files and
// unresolved accounts.
func (s *Store) resultLists(ctx context.Context, q querier, r *store.Results) error {
	args := []any{s.tenant}
	err := queryEach(ctx, q, `SELECT `+store.PersonColumns+` FROM people p WHERE p.tenant = ? ORDER BY p.position`, args,
		func(rows *sql.Rows) error {
			p, err := store.ScanPerson(rows)
			r.People = append(r.People, p)
			return err
		})
	if err != nil {
		return fmt.Errorf("people: %w", err)
	}
	err = queryEach(ctx, q, `SELECT file, line, record, field, reason FROM rejections
		WHERE tenant = ? ORDER BY position`, args,
		func(rows *sql.Rows) error {
			var rj store.Rejection
			err := rows.Scan(&rj.File, &rj.Line, &rj.Record, &rj.Field, &rj.Reason)
			r.Rejected = append(r.Rejected, rj)
			return err
		})
	if err != nil {
		return fmt.Errorf("rejections: %w", err)
	}
	err = queryEach(ctx, q, `SELECT file, reason FROM skipped_files WHERE tenant = ? ORDER BY position`, args,
		func(rows *sql.Rows) error {
			var sk store.Skipped
			err := rows.Scan(&sk.File, &sk.Reason)
			r.SkippedFiles = append(r.SkippedFiles, sk)
			return err
		})
	if err != nil {
		return fmt.Errorf("skipped files: %w", err)
	}
	err = queryEach(ctx, q, `SELECT source, account, name, events, first_seen, last_seen, example FROM unresolved
		WHERE tenant = ? ORDER BY position`, args,
		func(rows *sql.Rows) error {
			var first, last string
			var example []byte
			i := len(r.Unresolved)
			r.Unresolved = append(r.Unresolved, profile.Unresolved{})
			u := &r.Unresolved[i]
			if err := rows.Scan(&u.Source, &u.Account, &u.Name, &u.Events, &first, &last, &example); err != nil {
				return err
			}
			var err error
			if u.First, err = time.Parse(time.RFC3339Nano, first); err != nil {
				return fmt.Errorf("unresolved account %d first seen: %w", i, err)
			}
			if u.Last, err = time.Parse(time.RFC3339Nano, last); err != nil {
				return fmt.Errorf("unresolved account %d last seen: %w", i, err)
			}
			if err := json.Unmarshal(example, &u.Example); err != nil {
				return fmt.Errorf("unresolved account %d example: %w", i, err)
			}
			return nil
		})
	if err != nil {
		return fmt.Errorf("unresolved accounts: %w", err)
	}
	return nil
}

// queryEach runs query and calls fn for every row.
func queryEach(ctx context.Context, q querier, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
