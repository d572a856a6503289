package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/rollcall/rollcall/internal/store"
)

// defaultAuditLimit is AuditQuery's limit when it gives none.
const defaultAuditLimit = 100

// AppendAudit implements store.Audit. The database refuses to change or
// remove the entry afterwards (see migrations/00002_workbench.sql). Its
// text is stored with pgText, so an entry is never refused for the bytes
// an adversary put in a user name or an address.
func (s *Store) AppendAudit(ctx context.Context, e store.AuditEntry) error {
	if e.Action == "" {
		return fmt.Errorf("audit: no action: %w", store.ErrInvalid)
	}
	_, err := s.exec(ctx, `INSERT INTO audit_log (tenant, time, actor, action, target, detail, addr)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		s.tenant, e.Time, pgText(e.Actor), pgText(e.Action), pgText(e.Target), pgText(e.Detail), pgText(e.Addr))
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
	w := newWhere("tenant", s.tenant)
	if q.Actor != "" {
		w.add("actor = %s", pgText(q.Actor))
	}
	if q.Target != "" {
		w.add("target = %s", pgText(q.Target))
	}
	switch {
	case strings.HasSuffix(q.Action, "."):
		w.add("starts_with(action, %s)", pgText(q.Action))
	case q.Action != "":
		w.add("action = %s", pgText(q.Action))
	}
	if q.Before > 0 {
		w.add("seq < %s", q.Before)
	}
	rows, err := s.pool.Query(ctx, `SELECT seq, time, actor, action, target, detail, addr FROM audit_log
		WHERE `+w.String()+` ORDER BY seq DESC LIMIT `+w.arg(limit), w.args...)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.AuditEntry, error) {
		var e store.AuditEntry
		err := row.Scan(&e.Seq, timeOf(&e.Time), &e.Actor, &e.Action, &e.Target, &e.Detail, &e.Addr)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return out, nil
}
