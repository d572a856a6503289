package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
	"github.com/rollcall/rollcall/internal/store"
)

// People implements store.Store.
func (s *Store) People(ctx context.Context, q store.PeopleQuery) ([]store.Person, int, error) {
	if err := q.Validate(); err != nil {
		return nil, 0, fmt.Errorf("people: %w", err)
	}
	w := newWhere("p.tenant", s.tenant)
	if q.Level != "" {
		w.add("p.level = %s", q.Level)
	}
	if q.MinScore != 0 {
		w.add("p.score >= %s", q.MinScore)
	}
	if q.Indicator != "" {
		w.add(`EXISTS (SELECT 1 FROM findings f
			WHERE f.tenant = p.tenant AND f.person = p.id AND f.indicator = %s)`, q.Indicator)
	}
	if term := store.SearchTerm(q.Search); term != "" {
		w.add(`(strpos(p.search, %[1]s) > 0 OR EXISTS (SELECT 1 FROM person_accounts a
			WHERE a.tenant = p.tenant AND a.person = p.id AND strpos(a.account, %[1]s) > 0))`, term)
	}
	cond := w.String()
	countArgs := w.args

	order, _ := q.OrderBy() // validated above
	page := " ORDER BY " + order
	if q.Limit > 0 {
		page += " LIMIT " + w.arg(q.Limit)
	}
	if q.Offset > 0 {
		page += " OFFSET " + w.arg(q.Offset)
	}

	var people []store.Person
	var total int
	err := s.read(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, "SELECT count(*) FROM people p WHERE "+cond, countArgs...).Scan(&total); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, "SELECT "+store.PersonColumns+" FROM people p WHERE "+cond+page, w.args...)
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
	row := s.pool.QueryRow(ctx, "SELECT "+store.PersonColumns+" FROM people p WHERE p.tenant = $1 AND p.id = $2", s.tenant, id)
	p, err := store.ScanPerson(row)
	if err != nil {
		return store.Person{}, fmt.Errorf("person %q: %w", id, notFound(err))
	}
	return p, nil
}

// Clusters implements store.Store.
func (s *Store) Clusters(ctx context.Context) ([]store.Cluster, error) {
	var out []store.Cluster
	err := s.read(ctx, func(tx pgx.Tx) error {
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
	err := s.read(ctx, func(tx pgx.Tx) error {
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
func (s *Store) clusters(ctx context.Context, tx pgx.Tx, id string) ([]store.Cluster, error) {
	cq := `SELECT ` + store.ClusterColumns + ` FROM clusters WHERE tenant = $1`
	lq := `SELECT ` + store.LinkColumns + ` FROM cluster_links WHERE tenant = $1`
	args := []any{s.tenant}
	if id != "" {
		cq += ` AND id = $2`
		lq += ` AND cluster = $2`
		args = append(args, id)
	}
	var cr store.ClusterReader
	var row store.ClusterRow
	if err := forEach(ctx, tx, cq+` ORDER BY position`, args, row.Dest(), func() error { return cr.Cluster(&row) }); err != nil {
		return nil, err
	}
	var lr store.LinkRow
	if err := forEach(ctx, tx, lq+` ORDER BY cluster, position`, args, lr.Dest(), func() error { return cr.Link(&lr) }); err != nil {
		return nil, err
	}
	return cr.Clusters(), nil
}

// Results implements store.Store.
func (s *Store) Results(ctx context.Context) (*store.Results, error) {
	r := store.NewResults()
	err := s.read(ctx, func(tx pgx.Tx) error {
		var sum store.SummaryRow
		err := tx.QueryRow(ctx, `SELECT `+store.SummaryColumns+` FROM results WHERE tenant = $1`, s.tenant).
			Scan(sum.Dest()...)
		if errors.Is(err, pgx.ErrNoRows) {
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
func (s *Store) resultLists(ctx context.Context, tx pgx.Tx, r *store.Results) error {
	args := []any{s.tenant}
	rows, err := tx.Query(ctx, `SELECT `+store.PersonColumns+` FROM people p WHERE p.tenant = $1 ORDER BY p.position`, args...)
	if err != nil {
		return fmt.Errorf("people: %w", err)
	}
	people, err := store.ScanPeople(rows)
	rows.Close()
	if err != nil {
		return fmt.Errorf("people: %w", err)
	}
	r.People = append(r.People, people...)

	var rj store.Rejection
	err = forEach(ctx, tx, `SELECT file, line, record, field, reason FROM rejections WHERE tenant = $1 ORDER BY position`,
		args, []any{&rj.File, &rj.Line, &rj.Record, &rj.Field, &rj.Reason}, func() error {
			r.Rejected = append(r.Rejected, rj)
			return nil
		})
	if err != nil {
		return fmt.Errorf("rejections: %w", err)
	}

	var sk store.Skipped
	err = forEach(ctx, tx, `SELECT file, reason FROM skipped_files WHERE tenant = $1 ORDER BY position`,
		args, []any{&sk.File, &sk.Reason}, func() error {
			r.SkippedFiles = append(r.SkippedFiles, sk)
			return nil
		})
	if err != nil {
		return fmt.Errorf("skipped files: %w", err)
	}

	var u profile.Unresolved
	var first, last string
	var example []byte
	err = forEach(ctx, tx, `SELECT source, account, name, events, first_seen, last_seen, example FROM unresolved
		WHERE tenant = $1 ORDER BY position`, args,
		[]any{&u.Source, &u.Account, &u.Name, &u.Events, &first, &last, &example}, func() error {
			i := len(r.Unresolved)
			var err error
			if u.First, err = time.Parse(time.RFC3339Nano, first); err != nil {
				return fmt.Errorf("unresolved account %d first seen: %w", i, err)
			}
			if u.Last, err = time.Parse(time.RFC3339Nano, last); err != nil {
				return fmt.Errorf("unresolved account %d last seen: %w", i, err)
			}
			u.Example = event.Provenance{}
			if err := json.Unmarshal(example, &u.Example); err != nil {
				return fmt.Errorf("unresolved account %d example: %w", i, err)
			}
			r.Unresolved = append(r.Unresolved, u)
			return nil
		})
	if err != nil {
		return fmt.Errorf("unresolved accounts: %w", err)
	}
	return nil
}

// forEach runs query and, for every row, scans it into dest and calls fn.
func forEach(ctx context.Context, tx pgx.Tx, query string, args []any, dest []any, fn func() error) error {
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	_, err = pgx.ForEachRow(rows, dest, fn)
	return err
}
