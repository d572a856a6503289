package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/store"
)

const caseCols = `id, title, subject, subject_id, status, assignee, verdict, reason, created_by, created, updated`

func scanCase(sc scanner) (store.Case, error) {
	var c store.Case
	var created, updated int64
	err := sc.Scan(&c.ID, &c.Title, &c.Subject, &c.SubjectID, &c.Status, &c.Assignee, &c.Verdict, &c.Reason,
		&c.CreatedBy, &created, &updated)
	c.Created, c.Updated = fromUsec(created), fromUsec(updated)
	return c, err
}

// CreateCase implements store.Cases.
func (s *Store) CreateCase(ctx context.Context, c store.Case) (store.Case, error) {
	if err := c.Validate(); err != nil {
		return c, fmt.Errorf("create case: %w", err)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO cases (tenant, title, subject, subject_id, status, assignee, verdict,
			reason, created_by, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			s.tenant, c.Title, c.Subject, c.SubjectID, c.Status, c.Assignee, c.Verdict, c.Reason, c.CreatedBy,
			usec(c.Created), usec(c.Updated))
		if err != nil {
			return err
		}
		c.ID, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return c, fmt.Errorf("create case: %w", err)
	}
	return c, nil
}

// Case implements store.Cases.
func (s *Store) Case(ctx context.Context, id int64) (store.Case, error) {
	c, err := scanCase(s.db.QueryRowContext(ctx, `SELECT `+caseCols+` FROM cases WHERE tenant = ? AND id = ?`, s.tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("case %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("case %d: %w", id, err)
	}
	return c, nil
}

// ListCases implements store.Cases.
func (s *Store) ListCases(ctx context.Context, q store.CaseQuery) ([]store.Case, error) {
	where := []string{"tenant = ?"}
	args := []any{s.tenant}
	for _, f := range []struct{ col, val string }{
		{"status", q.Status}, {"subject", q.Subject}, {"subject_id", q.SubjectID}, {"assignee", q.Assignee},
	} {
		if f.val != "" {
			where, args = append(where, f.col+" = ?"), append(args, f.val)
		}
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+caseCols+` FROM cases WHERE `+strings.Join(where, " AND ")+
		` ORDER BY updated DESC, id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("cases: %w", err)
	}
	defer rows.Close()
	var out []store.Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, fmt.Errorf("cases: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("cases: %w", err)
	}
	return out, nil
}

// UpdateCase implements store.Cases.
func (s *Store) UpdateCase(ctx context.Context, c store.Case) error {
	if err := c.Validate(); err != nil {
		return fmt.Errorf("update case: %w", err)
	}
	n, err := s.exec(ctx, `UPDATE cases SET title = ?, status = ?, assignee = ?, verdict = ?, reason = ?, updated = ?
		WHERE tenant = ? AND id = ?`, c.Title, c.Status, c.Assignee, c.Verdict, c.Reason, usec(c.Updated), s.tenant, c.ID)
	if err != nil {
		return fmt.Errorf("update case %d: %w", c.ID, err)
	}
	if n == 0 {
		return fmt.Errorf("update case %d: %w", c.ID, store.ErrNotFound)
	}
	return nil
}

// AddComment implements store.Cases.
func (s *Store) AddComment(ctx context.Context, c store.Comment) (store.Comment, error) {
	if strings.TrimSpace(c.Body) == "" {
		return c, fmt.Errorf("add comment: empty body: %w", store.ErrInvalid)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM cases WHERE tenant = ? AND id = ?`, s.tenant, c.Case).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("case %d: %w", c.Case, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO case_comments (tenant, case_id, author, body, created) VALUES (?, ?, ?, ?, ?)`,
			s.tenant, c.Case, c.Author, c.Body, usec(c.Created))
		if err != nil {
			return err
		}
		c.ID, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return c, fmt.Errorf("add comment: %w", err)
	}
	return c, nil
}

// Comments implements store.Cases.
func (s *Store) Comments(ctx context.Context, caseID int64) ([]store.Comment, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, case_id, author, body, created FROM case_comments
		WHERE tenant = ? AND case_id = ? ORDER BY created, id`, s.tenant, caseID)
	if err != nil {
		return nil, fmt.Errorf("comments: %w", err)
	}
	defer rows.Close()
	var out []store.Comment
	for rows.Next() {
		var c store.Comment
		var created int64
		if err := rows.Scan(&c.ID, &c.Case, &c.Author, &c.Body, &created); err != nil {
			return nil, fmt.Errorf("comments: %w", err)
		}
		c.Created = fromUsec(created)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("comments: %w", err)
	}
	return out, nil
}

// AddSuppression implements store.Cases.
func (s *Store) AddSuppression(ctx context.Context, sp store.Suppression) (store.Suppression, error) {
	if sp.Person == "" || sp.Indicator == "" || strings.TrimSpace(sp.Reason) == "" {
		return sp, fmt.Errorf("add suppression: person, indicator and reason are required: %w", store.ErrInvalid)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO suppressions (tenant, person, indicator, reason, case_id, created_by,
			created, expires, revoked_by, revoked) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			s.tenant, sp.Person, sp.Indicator, sp.Reason, sp.Case, sp.CreatedBy, usec(sp.Created), usec(sp.Expires),
			sp.RevokedBy, usec(sp.Revoked))
		if err != nil {
			return err
		}
		sp.ID, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return sp, fmt.Errorf("add suppression: %w", err)
	}
	return sp, nil
}

// RevokeSuppression implements store.Cases.
func (s *Store) RevokeSuppression(ctx context.Context, id int64, by string, at time.Time) error {
	n, err := s.exec(ctx, `UPDATE suppressions SET revoked_by = ?, revoked = ? WHERE tenant = ? AND id = ? AND revoked = 0`,
		by, usec(at), s.tenant, id)
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
	rows, err := s.db.QueryContext(ctx, `SELECT id, person, indicator, reason, case_id, created_by, created, expires,
		revoked_by, revoked FROM suppressions WHERE tenant = ? AND (? = '' OR person = ?) ORDER BY created DESC, id DESC`,
		s.tenant, person, person)
	if err != nil {
		return nil, fmt.Errorf("suppressions: %w", err)
	}
	defer rows.Close()
	var out []store.Suppression
	for rows.Next() {
		var sp store.Suppression
		var created, expires, revoked int64
		if err := rows.Scan(&sp.ID, &sp.Person, &sp.Indicator, &sp.Reason, &sp.Case, &sp.CreatedBy, &created, &expires,
			&sp.RevokedBy, &revoked); err != nil {
			return nil, fmt.Errorf("suppressions: %w", err)
		}
		sp.Created, sp.Expires, sp.Revoked = fromUsec(created), fromUsec(expires), fromUsec(revoked)
		out = append(out, sp)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("suppressions: %w", err)
	}
	return out, nil
}
