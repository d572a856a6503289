package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/store"
)

// batchSize is how many events one write transaction takes.
const batchSize = 50_000

// rowsPerInsert is how many events one INSERT statement carries.
const rowsPerInsert = 64

// eventCols is how many values one events row takes in insertEvents.
const eventCols = 14

// insertEvents returns an INSERT of n events rows that skips rows already
// stored.
func insertEvents(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO events (tenant, key, kind, source, file, record, line, vendor_id, hash, time,
		actor_id, actor_login, actor_email, data) VALUES `)
	row := "(" + strings.Repeat("?, ", eventCols-1) + "?)"
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	b.WriteString(" ON CONFLICT (tenant, key) DO NOTHING")
	return b.String()
}

// SaveEvents implements store.Store.
func (s *Store) SaveEvents(ctx context.Context, events []*event.Event) (int, error) {
	inserted := 0
	for start := 0; start < len(events); start += batchSize {
		batch := events[start:min(start+batchSize, len(events))]
		n, err := s.saveEventBatch(ctx, batch, start)
		inserted += n
		if err != nil {
			return inserted, fmt.Errorf("save events: %w", err)
		}
	}
	return inserted, nil
}

func (s *Store) saveEventBatch(ctx context.Context, batch []*event.Event, offset int) (int, error) {
	// Encode outside the transaction, so the write lock is held for the
	// inserts alone.
	data := make([]string, len(batch))
	for i, e := range batch {
		if e == nil {
			return 0, fmt.Errorf("event %d is nil: %w", offset+i, store.ErrInvalid)
		}
		b, err := json.Marshal(e)
		if err != nil {
			return 0, fmt.Errorf("event %d (%s): %w", offset+i, e.Prov.Key(), err)
		}
		data[i] = string(b) // TEXT, not BLOB: SQLite reads a JSON blob as JSONB
	}
	inserted := 0
	err := s.write(ctx, func(tx *sql.Tx) error {
		many, err := tx.PrepareContext(ctx, insertEvents(rowsPerInsert))
		if err != nil {
			return fmt.Errorf("prepare insert: %w", err)
		}
		defer many.Close()
		one, err := tx.PrepareContext(ctx, insertEvents(1))
		if err != nil {
			return fmt.Errorf("prepare insert: %w", err)
		}
		defer one.Close()
		args := make([]any, 0, rowsPerInsert*eventCols)
		for start := 0; start < len(batch); {
			if err := ctx.Err(); err != nil {
				return err
			}
			stmt, n := many, rowsPerInsert
			if len(batch)-start < rowsPerInsert {
				stmt, n = one, 1
			}
			args = args[:0]
			for i, e := range batch[start : start+n] {
				p := &e.Prov
				args = append(args, s.tenant, p.Key(), string(e.Kind), p.Source(), p.File(), p.Record, p.Line,
					p.ID, p.Hash, timeCol(e.Time), e.Actor().ID, e.Actor().Login, e.Actor().Email, data[start+i])
			}
			res, err := stmt.ExecContext(ctx, args...)
			if err == nil {
				var rows int64
				rows, err = res.RowsAffected()
				inserted += int(rows)
			}
			if err != nil {
				return fmt.Errorf("events %d to %d: %w", offset+start, offset+start+n-1, err)
			}
			start += n
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return inserted, nil
}

// timeCol is the events.time value of t: unix microseconds, or NULL for
// the zero time.
func timeCol(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

const setEventPerson = `UPDATE events SET person = ? WHERE tenant = ? AND key = ? AND person <> ?`

// rebuildAccounts refills person_accounts from the attributed events: their
// actors' logins and emails, and the emails and user names that roster and
// applicant records list.
var rebuildAccounts = []string{
	`DELETE FROM person_accounts WHERE tenant = ?1`,
	`INSERT OR IGNORE INTO person_accounts (tenant, person, account)
	 SELECT tenant, person, lower(actor_login) FROM events
	  WHERE tenant = ?1 AND person <> '' AND actor_login <> ''
	 UNION
	 SELECT tenant, person, lower(actor_email) FROM events
	  WHERE tenant = ?1 AND person <> '' AND actor_email <> ''
	 UNION
	 SELECT e.tenant, e.person, lower(j.value) FROM events e, json_each(e.data, '$.person.emails') j
	  WHERE e.tenant = ?1 AND e.person <> '' AND e.kind = 'person' AND j.type = 'text'
	 UNION
	 SELECT tenant, person, lower(json_extract(data, '$.person.user_name')) FROM events
	  WHERE tenant = ?1 AND person <> '' AND kind = 'person' AND json_extract(data, '$.person.user_name') <> ''
	 UNION
	 SELECT e.tenant, e.person, lower(j.value) FROM events e, json_each(e.data, '$.applicant.emails') j
	  WHERE e.tenant = ?1 AND e.person <> '' AND e.kind = 'applicant' AND j.type = 'text'`,
}

// SetEventPeople implements store.Store.
func (s *Store) SetEventPeople(ctx context.Context, people map[string]string) error {
	if len(people) == 0 {
		return nil
	}
	// In key order, which is mostly the order events were saved in, the
	// updates of one batch touch neighbouring pages rather than pages all
	// over the table.
	keys := slices.Sorted(maps.Keys(people))
	for start := 0; start < len(keys); start += batchSize {
		batch := keys[start:min(start+batchSize, len(keys))]
		err := s.write(ctx, func(tx *sql.Tx) error {
			stmt, err := tx.PrepareContext(ctx, setEventPerson)
			if err != nil {
				return fmt.Errorf("prepare update: %w", err)
			}
			defer stmt.Close()
			for i, k := range batch {
				if i%1024 == 0 {
					if err := ctx.Err(); err != nil {
						return err
					}
				}
				if _, err := stmt.ExecContext(ctx, people[k], s.tenant, k, people[k]); err != nil {
					return fmt.Errorf("event %s: %w", k, err)
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("set event people: %w", err)
		}
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		for _, q := range rebuildAccounts {
			if _, err := tx.ExecContext(ctx, q, s.tenant); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("set event people: accounts: %w", err)
	}
	return nil
}

// EventCount implements store.Store.
func (s *Store) EventCount(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE tenant = ?`, s.tenant).Scan(&n); err != nil {
		return 0, fmt.Errorf("count events: %w", err)
	}
	return n, nil
}

// Events implements store.Store.
func (s *Store) Events(ctx context.Context, q store.EventQuery) ([]*event.Event, error) {
	if err := q.Validate(); err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	where := []string{"tenant = ?"}
	args := []any{s.tenant}
	if q.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, string(q.Kind))
	}
	if q.Source != "" {
		where, args = append(where, "source = ?"), append(args, q.Source)
	}
	if q.Person != "" {
		// person <> '' lets SQLite use the partial index events_person_time.
		where, args = append(where, "person = ?", "person <> ''"), append(args, q.Person)
	}
	if !q.Since.IsZero() {
		where, args = append(where, "time >= ?"), append(args, q.Since.UnixMicro())
	}
	if !q.Until.IsZero() {
		where, args = append(where, "time < ?"), append(args, q.Until.UnixMicro())
	}
	query := "SELECT data FROM events WHERE " + strings.Join(where, " AND ") + " ORDER BY time NULLS FIRST, seq"
	if q.Limit > 0 {
		query, args = query+" LIMIT ?", append(args, q.Limit)
	}
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	defer rows.Close()
	var out []*event.Event
	var data []byte
	for rows.Next() {
		if err := rows.Scan(&data); err != nil {
			return nil, fmt.Errorf("events: %w", err)
		}
		e := new(event.Event)
		if err := json.Unmarshal(data, e); err != nil {
			return nil, fmt.Errorf("events: decode: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	return out, nil
}

var _ store.EventFeed = (*Store)(nil)

// EventsSince implements store.EventFeed: the cursor is the row's seq.
func (s *Store) EventsSince(ctx context.Context, cursor int64, held func(key string) bool) ([]*event.Event, int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT seq, key, data FROM events WHERE tenant = ? AND seq > ? ORDER BY seq`, s.tenant, cursor)
	if err != nil {
		return nil, cursor, fmt.Errorf("events since %d: %w", cursor, err)
	}
	defer rows.Close()
	return store.FeedRows(rows, cursor, held)
}
