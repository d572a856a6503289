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

func scanPerson(row pgx.Row) (store.Person, error) {
	var r store.PersonRow
	if err := row.Scan(r.Dest()...); err != nil {
		return store.Person{}, err
	}
	return r.Person()
}

// peopleOrder is the ORDER BY of each sort field and direction. Names and
// ids are "C"-collated columns, so they compare byte-wise.
var peopleOrder = map[string][2]string{ // field → {ascending, descending}
	"score": {"p.score, p.position DESC", "p.score DESC, p.position"},
	"id":    {"p.id", "p.id DESC"},
	"name":  {"p.name, p.id", "p.name DESC, p.id DESC"},
}

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

	field, desc, _ := q.SortOrder() // validated above
	order := peopleOrder[field][0]
	if desc {
		order = peopleOrder[field][1]
	}
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
		for rows.Next() {
			p, err := scanPerson(rows)
			if err != nil {
				return err
			}
			people = append(people, p)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, fmt.Errorf("people: %w", err)
	}
	return people, total, nil
}

// Person implements store.Store.
func (s *Store) Person(ctx context.Context, id string) (store.Person, error) {
	row := s.pool.QueryRow(ctx, "SELECT "+store.PersonColumns+" FROM people p WHERE p.tenant = $1 AND p.id = $2", s.tenant, id)
	p, err := scanPerson(row)
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
	out := []store.Cluster{}
	index := make(map[string]int)
	var cr store.ClusterRow
	err := forEach(ctx, tx, cq+` ORDER BY position`, args, cr.Dest(), func() error {
		c, err := cr.Cluster()
		if err != nil {
			return err
		}
		index[c.ID] = len(out)
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	var lr store.LinkRow
	err = forEach(ctx, tx, lq+` ORDER BY cluster, position`, args, lr.Dest(), func() error {
		l, err := lr.Link()
		if err != nil {
			return err
		}
		if i, ok := index[lr.Cluster]; ok {
			out[i].Links = append(out[i].Links, l)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Results implements store.Store.
func (s *Store) Results(ctx context.Context) (*store.Results, error) {
	r := &store.Results{
		Rejected:     []store.Rejection{},
		SkippedFiles: []store.Skipped{},
		Unresolved:   []profile.Unresolved{},
		People:       []store.Person{},
	}
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
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			rows.Close()
			return fmt.Errorf("people: %w", err)
		}
		r.People = append(r.People, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("people: %w", err)
	}

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
