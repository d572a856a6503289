package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/rollcall/rollcall/internal/store"
)

// defaultAuditLimit is AuditQuery's limit when it gives none.
const defaultAuditLimit = 100

// AppendAudit implements store.Audit.
func (s *Store) AppendAudit(ctx context.Context, e store.AuditEntry) error {
	if e.Action == "" {
		return fmt.Errorf("audit: no action: %w", store.ErrInvalid)
	}
	_, err := s.exec(ctx, `INSERT INTO audit_log (tenant, time, actor, action, target, detail, addr) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		s.tenant, usec(e.Time), e.Actor, e.Action, e.Target, e.Detail, e.Addr)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// AuditLog implements store.Audit.
func (s *Store) AuditLog(ctx context.Context, q store.AuditQuery) ([]store.AuditEntry, error) {
	if q.Limit < 0 {
		return nil, fmt.Errorf("audit log limit %d is negative: %w", q.Limit, store.ErrInvalid)
	}
	limit := q.Limit
	if limit == 0 {
		limit = defaultAuditLimit
	}
	where := []string{"tenant = ?"}
	args := []any{s.tenant}
	if q.Actor != "" {
		where, args = append(where, "actor = ?"), append(args, q.Actor)
	}
	if q.Target != "" {
		where, args = append(where, "target = ?"), append(args, q.Target)
	}
	switch {
	case strings.HasSuffix(q.Action, "."):
		where, args = append(where, "substr(action, 1, ?) = ?"), append(args, len(q.Action), q.Action)
	case q.Action != "":
		where, args = append(where, "action = ?"), append(args, q.Action)
	}
	if q.Before > 0 {
		where, args = append(where, "seq < ?"), append(args, q.Before)
	}
	args = append(args, limit)
	rows, err := s.db.QueryContext(ctx, `SELECT seq, time, actor, action, target, detail, addr FROM audit_log
		WHERE `+strings.Join(where, " AND ")+` ORDER BY seq DESC LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	defer rows.Close()
	var out []store.AuditEntry
	for rows.Next() {
		var e store.AuditEntry
		var t int64
		if err := rows.Scan(&e.Seq, &t, &e.Actor, &e.Action, &e.Target, &e.Detail, &e.Addr); err != nil {
			return nil, fmt.Errorf("audit log: %w", err)
		}
		e.Time = fromUsec(t)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return out, nil
}

// MarkFindings implements store.Analyses.
func (s *Store) MarkFindings(ctx context.Context, marks []store.FindingMark) error {
	if len(marks) == 0 {
		return nil
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO finding_marks (tenant, person, indicator, seen, observed)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant, person, indicator) DO NOTHING`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, m := range marks {
			if _, err := stmt.ExecContext(ctx, s.tenant, m.Person, m.Indicator, usec(m.Seen), usec(m.Observed)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("mark findings: %w", err)
	}
	return nil
}

// FindingMarks implements store.Analyses.
func (s *Store) FindingMarks(ctx context.Context) ([]store.FindingMark, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT person, indicator, seen, observed FROM finding_marks
		WHERE tenant = ? ORDER BY seen, person, indicator`, s.tenant)
	if err != nil {
		return nil, fmt.Errorf("finding marks: %w", err)
	}
	defer rows.Close()
	var out []store.FindingMark
	for rows.Next() {
		var m store.FindingMark
		var seen, observed int64
		if err := rows.Scan(&m.Person, &m.Indicator, &seen, &observed); err != nil {
			return nil, fmt.Errorf("finding marks: %w", err)
		}
		m.Seen, m.Observed = fromUsec(seen), fromUsec(observed)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("finding marks: %w", err)
	}
	return out, nil
}

// SetCoverage implements store.Analyses.
func (s *Store) SetCoverage(ctx context.Context, cov []store.Coverage) error {
	daily := make([]string, len(cov))
	for i, c := range cov {
		b, err := json.Marshal(c.Daily)
		if err != nil {
			return fmt.Errorf("set coverage %q: %w", c.Source, err)
		}
		daily[i] = string(b)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM source_coverage WHERE tenant = ?`, s.tenant); err != nil {
			return err
		}
		for i, c := range cov {
			if _, err := tx.ExecContext(ctx, `INSERT INTO source_coverage (tenant, source, events, files, first, last, daily)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, s.tenant, c.Source, c.Events, c.Files, usec(c.First), usec(c.Last), daily[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("set coverage: %w", err)
	}
	return nil
}

// Coverage implements store.Analyses.
func (s *Store) Coverage(ctx context.Context) ([]store.Coverage, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT source, events, files, first, last, daily FROM source_coverage
		WHERE tenant = ? ORDER BY source`, s.tenant)
	if err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	defer rows.Close()
	var out []store.Coverage
	for rows.Next() {
		var c store.Coverage
		var first, last int64
		var daily []byte
		if err := rows.Scan(&c.Source, &c.Events, &c.Files, &first, &last, &daily); err != nil {
			return nil, fmt.Errorf("coverage: %w", err)
		}
		c.First, c.Last = fromUsec(first), fromUsec(last)
		if err := json.Unmarshal(daily, &c.Daily); err != nil {
			return nil, fmt.Errorf("coverage %q: %w", c.Source, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	return out, nil
}
