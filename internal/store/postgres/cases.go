package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rollcall/rollcall/internal/store"
)

const caseCols = `id, title, subject, subject_id, status, assignee, verdict, reason, created_by, created, updated`

func scanCase(row pgx.Row) (store.Case, error) {
	var c store.Case
	err := row.Scan(&c.ID, &c.Title, &c.Subject, &c.SubjectID, &c.Status, &c.Assignee, &c.Verdict, &c.Reason,
		&c.CreatedBy, timeOf(&c.Created), timeOf(&c.Updated))
	return c, err
}

// CreateCase implements store.Cases.
func (s *Store) CreateCase(ctx context.Context, c store.Case) (store.Case, error) {
	if err := c.Validate(); err != nil {
		return c, fmt.Errorf("create case: %w", err)
	}
	err := s.pool.QueryRow(ctx, `INSERT INTO cases (tenant, title, subject, subject_id, status, assignee, verdict,
		reason, created_by, created, updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		s.tenant, pgText(c.Title), c.Subject, pgText(c.SubjectID), c.Status, c.Assignee, c.Verdict, pgText(c.Reason),
		c.CreatedBy, c.Created, c.Updated).Scan(&c.ID)
	if err != nil {
		return c, fmt.Errorf("create case: %w", err)
	}
	return c, nil
}

// Case implements store.Cases.
func (s *Store) Case(ctx context.Context, id int64) (store.Case, error) {
	c, err := scanCase(s.pool.QueryRow(ctx, `SELECT `+caseCols+` FROM cases WHERE tenant = $1 AND id = $2`, s.tenant, id))
	if err != nil {
		return store.Case{}, fmt.Errorf("case %d: %w", id, notFound(err))
	}
	return c, nil
}

// ListCases implements store.Cases.
func (s *Store) ListCases(ctx context.Context, q store.CaseQuery) ([]store.Case, error) {
	w := newWhere("tenant", s.tenant)
	for _, f := range []struct{ col, val string }{
		{"status", q.Status}, {"subject", q.Subject}, {"subject_id", q.SubjectID}, {"assignee", q.Assignee},
	} {
		if f.val != "" {
			w.add(f.col+" = %s", pgText(f.val))
		}
	}
	rows, err := s.pool.Query(ctx, `SELECT `+caseCols+` FROM cases WHERE `+w.String()+` ORDER BY updated DESC, id DESC`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("cases: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Case, error) { return scanCase(row) })
	if err != nil {
		return nil, fmt.Errorf("cases: %w", err)
	}
	return out, nil
}

// UpdateCase implements store.Cases.
func (s *Store) UpdateCase(ctx context.Context, c store.Case) error {
	if err := c.Validate(); err != nil {
		return fmt.Errorf("update case: %w", err)
	}
	n, err := s.exec(ctx, `UPDATE cases SET title = $3, status = $4, assignee = $5, verdict = $6, reason = $7, updated = $8
		WHERE tenant = $1 AND id = $2`, s.tenant, c.ID, pgText(c.Title), c.Status, c.Assignee, c.Verdict, pgText(c.Reason), c.Updated)
	if err != nil {
		return fmt.Errorf("update case %d: %w", c.ID, err)
	}
	if n == 0 {
		return fmt.Errorf("update case %d: %w", c.ID, store.ErrNotFound)
	}
	return nil
}

// AddComment implements store.Cases. The comment is inserted only if its
// case is the tenant's, in one statement.
func (s *Store) AddComment(ctx context.Context, c store.Comment) (store.Comment, error) {
	if strings.TrimSpace(c.Body) == "" {
		return c, fmt.Errorf("add comment: empty body: %w", store.ErrInvalid)
	}
	err := s.pool.QueryRow(ctx, `INSERT INTO case_comments (tenant, case_id, author, body, created)
		SELECT tenant, id, $3, $4, $5 FROM cases WHERE tenant = $1 AND id = $2
		RETURNING id`, s.tenant, c.Case, c.Author, pgText(c.Body), c.Created).Scan(&c.ID)
	if err != nil {
		return c, fmt.Errorf("add comment: case %d: %w", c.Case, notFound(err))
	}
	return c, nil
}

// Comments implements store.Cases.
func (s *Store) Comments(ctx context.Context, caseID int64) ([]store.Comment, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, case_id, author, body, created FROM case_comments
		WHERE tenant = $1 AND case_id = $2 ORDER BY created, id`, s.tenant, caseID)
	if err != nil {
		return nil, fmt.Errorf("comments: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Comment, error) {
		var c store.Comment
		err := row.Scan(&c.ID, &c.Case, &c.Author, &c.Body, timeOf(&c.Created))
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("comments: %w", err)
	}
	return out, nil
}

// AddSuppression implements store.Cases.
func (s *Store) AddSuppression(ctx context.Context, sp store.Suppression) (store.Suppression, error) {
	if sp.Person == "" || sp.Indicator == "" || strings.TrimSpace(sp.Reason) == "" {
		return sp, fmt.Errorf("add suppression: person, indicator and reason are required: %w", store.ErrInvalid)
	}
	err := s.pool.QueryRow(ctx, `INSERT INTO suppressions (tenant, person, indicator, reason, case_id, created_by,
		created, expires, revoked_by, revoked) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		s.tenant, sp.Person, sp.Indicator, pgText(sp.Reason), sp.Case, sp.CreatedBy, sp.Created, optTime(sp.Expires),
		sp.RevokedBy, optTime(sp.Revoked)).Scan(&sp.ID)
	if err != nil {
		return sp, fmt.Errorf("add suppression: %w", err)
	}
	return sp, nil
}

// RevokeSuppression implements store.Cases.
func (s *Store) RevokeSuppression(ctx context.Context, id int64, by string, at time.Time) error {
	n, err := s.exec(ctx, `UPDATE suppressions SET revoked_by = $3, revoked = $4 WHERE tenant = $1 AND id = $2 AND revoked IS NULL`,
		s.tenant, id, by, optTime(at))
	if err != nil {
		return fmt.Errorf("revoke suppression %d: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("revoke suppression %d: %w", id, store.ErrNotFound)
	}
	return nil
}

// Suppressions implements store.Cases.
func (s *Store) Suppressions(ctx context.Context, person string) ([]store.Suppression, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, person, indicator, reason, case_id, created_by, created, expires,
		revoked_by, revoked FROM suppressions WHERE tenant = $1 AND ($2 = '' OR person = $2) ORDER BY created DESC, id DESC`,
		s.tenant, pgText(person))
	if err != nil {
		return nil, fmt.Errorf("suppressions: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Suppression, error) {
		var sp store.Suppression
		err := row.Scan(&sp.ID, &sp.Person, &sp.Indicator, &sp.Reason, &sp.Case, &sp.CreatedBy, timeOf(&sp.Created),
			timeOf(&sp.Expires), &sp.RevokedBy, timeOf(&sp.Revoked))
		return sp, err
	})
	if err != nil {
		return nil, fmt.Errorf("suppressions: %w", err)
	}
	return out, nil
}
