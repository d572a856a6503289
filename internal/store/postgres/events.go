package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/store"
)

// batchSize is how many events one SaveEvents transaction copies, and how
// many attributions one SetEventPeople statement carries.
const batchSize = 50_000

// stageCols are the columns of events_stage that SaveEvents copies into.
var stageCols = []string{"ord", "key", "kind", "source", "file", "record", "line", "vendor_id", "hash", "time",
	"actor_id", "actor_login", "actor_email", "accounts", "data"}

// insertStaged moves the staged batch into events, skipping keys stored
// meanwhile by another saver. The stage holds the batch in key order and a
// sequential scan reads it in that order, so concurrent savers of
// overlapping batches take the key locks in the same order and do not
// deadlock; batch and ord keep the order the events were saved in.
const insertStaged = `INSERT INTO events (tenant, key, batch, ord, kind, source, file, record, line, vendor_id,
		hash, time, actor_id, actor_login, actor_email, accounts, data)
	SELECT $1, s.key, $2, s.ord, s.kind, s.source, s.file, s.record, s.line, s.vendor_id,
		s.hash, s.time, s.actor_id, s.actor_login, s.actor_email, s.accounts, s.data
	FROM pg_temp.events_stage s
	ON CONFLICT (tenant, key) DO NOTHING`

// storedKeys returns which of a batch's keys are stored already, and a
// new batch number. It probes the primary key key by key, as the
// statements of SetEventPeople do.
const storedKeys = `SELECT nextval('event_batches'), ARRAY(
	SELECT u.key FROM unnest($2::text[]) AS u(key)
	 CROSS JOIN LATERAL (SELECT 1 FROM events e WHERE e.tenant = $1 AND e.key = u.key LIMIT 1) e)`

// SaveEvents implements store.Store. For each batch it looks up which keys
// are stored already, then copies the other events into a temporary table
// and inserts them from there in one statement.
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

// pendingEvent is an event of a batch that SaveEvents may have to insert.
type pendingEvent struct {
	e   *event.Event
	key string // pgText(e.Prov.Key())
	ord int    // position in the batch
}

func (s *Store) saveEventBatch(ctx context.Context, batch []*event.Event, offset int) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	pending := make([]pendingEvent, 0, len(batch))
	keys := make([]string, 0, len(batch))
	seen := make(map[string]bool, len(batch))
	for i, e := range batch {
		if e == nil {
			return 0, fmt.Errorf("event %d is nil: %w", offset+i, store.ErrInvalid)
		}
		k := pgText(e.Prov.Key())
		if seen[k] { // the same record twice in one call is one row
			continue
		}
		seen[k] = true
		pending = append(pending, pendingEvent{e: e, key: k, ord: i})
		keys = append(keys, k)
	}
	var batchNo int64
	var stored []string
	if err := s.pool.QueryRow(ctx, storedKeys, s.tenant, keys).Scan(&batchNo, &stored); err != nil {
		return 0, fmt.Errorf("events %d to %d: look up keys: %w", offset, offset+len(batch)-1, err)
	}
	for _, k := range stored {
		delete(seen, k)
	}
	pending = slices.DeleteFunc(pending, func(p pendingEvent) bool { return !seen[p.key] })
	if len(pending) == 0 {
		return 0, nil
	}
	slices.SortFunc(pending, func(a, b pendingEvent) int { return strings.Compare(a.key, b.key) })

	var inserted int
	err := s.write(ctx, "", func(tx pgx.Tx) error {
		// Events are encoded as the copy streams, so that the server works
		// on the first rows while the client encodes the next.
		next := 0
		rows := pgx.CopyFromFunc(func() ([]any, error) {
			if next == len(pending) {
				return nil, nil
			}
			pe := &pending[next]
			next++
			row, err := stageRow(pe)
			if err != nil {
				return nil, fmt.Errorf("event %d (%s): %w", offset+pe.ord, pe.key, err)
			}
			return row, nil
		})
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"pg_temp", "events_stage"}, stageCols, rows); err != nil {
			return fmt.Errorf("events %d to %d: copy: %w", offset, offset+len(batch)-1, err)
		}
		tag, err := tx.Exec(ctx, insertStaged, s.tenant, batchNo)
		if err != nil {
			return fmt.Errorf("events %d to %d: insert: %w", offset, offset+len(batch)-1, err)
		}
		inserted = int(tag.RowsAffected())
		return nil
	})
	if err != nil {
		return 0, err
	}
	return inserted, nil
}

// stageRow returns the events_stage row of an event, in stageCols order.
func stageRow(pe *pendingEvent) ([]any, error) {
	e := pe.e
	data, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	p := &e.Prov
	var at any
	if !e.Time.IsZero() {
		at = e.Time
	}
	return []any{pe.ord, pe.key, pgText(string(e.Kind)), pgText(p.Source()), pgText(p.File()), p.Record, p.Line,
		pgText(p.ID), pgText(p.Hash), at, pgText(e.Actor().ID), pgText(e.Actor().Login), pgText(e.Actor().Email),
		accounts(e), data}, nil
}

// accounts returns the lower-cased logins and emails an event names, which
// people search finds the event's person by once it is attributed: the
// actor's login and email, and the emails and user names of roster and
// applicant records. Lower-casing here, with Go's rules, matches
// store.SearchTerm whatever the server's locale.
func accounts(e *event.Event) []string {
	out := make([]string, 0, 2)
	add := func(s string) {
		if s == "" {
			return
		}
		s = pgText(strings.ToLower(s))
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	add(e.Actor().Login)
	add(e.Actor().Email)
	if e.Kind == event.KindPerson && e.Person != nil {
		for _, m := range e.Person.Emails {
			add(m)
		}
		add(e.Person.UserName)
	}
	if e.Kind == event.KindApplicant && e.Applicant != nil {
		for _, m := range e.Applicant.Emails {
			add(m)
		}
	}
	return out
}

// pgText returns s as PostgreSQL text accepts it: valid UTF-8 without NUL
// bytes. Other bytes become U+FFFD, as encoding/json does in the event's
// JSON, so that a record with a mangled file name is stored rather than
// refused.
func pgText(s string) string {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

// Statements of SetEventPeople. Each looks events and attributions up
// key by key through a LATERAL … LIMIT 1 subquery, which the planner cannot
// turn into a hash join over all of the tenant's rows, whatever its
// statistics say.
const (
	// attributionLosers returns the people a batch of attributions takes
	// events from.
	attributionLosers = `SELECT DISTINCT p.person
	  FROM unnest($2::text[], $3::text[]) AS u(key, person)
	  CROSS JOIN LATERAL (SELECT person FROM event_people p
	                       WHERE p.tenant = $1 AND p.key = u.key LIMIT 1) p
	 WHERE p.person <> u.person`
	// clearAttributions deletes the attributions of some keys.
	clearAttributions = `DELETE FROM event_people WHERE tenant = $1 AND key = ANY($2::text[])`
	// setAttributions attributes stored events to people and returns the
	// person of each attribution it added or changed.
	setAttributions = `INSERT INTO event_people AS t (tenant, key, person, accounts)
	SELECT $1, u.key, u.person, e.accounts
	  FROM unnest($2::text[], $3::text[]) AS u(key, person)
	  CROSS JOIN LATERAL (SELECT accounts FROM events e
	                       WHERE e.tenant = $1 AND e.key = u.key LIMIT 1) e
	ON CONFLICT (tenant, key) DO UPDATE SET person = excluded.person
	WHERE t.person <> excluded.person
	RETURNING t.person`
)

// rebuildAccounts refills person_accounts for some people from their
// attributed events.
var rebuildAccounts = []string{
	`DELETE FROM person_accounts WHERE tenant = $1 AND person = ANY($2::text[])`,
	`INSERT INTO person_accounts (tenant, person, account)
	 SELECT DISTINCT p.tenant, p.person, a.account
	   FROM event_people p CROSS JOIN LATERAL unnest(p.accounts) AS a(account)
	  WHERE p.tenant = $1 AND p.person = ANY($2::text[])`,
}

// SetEventPeople implements store.Store. It runs in one transaction, under
// the tenant's attribution lock; only the people who gained or lost events
// have their searchable accounts rebuilt.
func (s *Store) SetEventPeople(ctx context.Context, people map[string]string) error {
	if len(people) == 0 {
		return nil
	}
	// In key order: the statements of one batch touch neighbouring index
	// pages.
	keys := slices.Sorted(maps.Keys(people))
	err := s.write(ctx, "attribution", func(tx pgx.Tx) error {
		changed := make(map[string]bool)
		odd := make(map[string]bool)
		collect := func(query string, args ...any) error {
			rows, err := tx.Query(ctx, query, args...)
			if err != nil {
				return err
			}
			var person string
			_, err = pgx.ForEachRow(rows, []any{&person}, func() error {
				changed[person] = true
				return nil
			})
			return err
		}
		for start := 0; start < len(keys); start += batchSize {
			if err := ctx.Err(); err != nil {
				return err
			}
			var setKeys, setPeople, clearKeys []string
			for _, k := range keys[start:min(start+batchSize, len(keys))] {
				pk := pgText(k)
				if pk != k { // an odd key, stored as pk: one attribution per stored key
					if _, clash := people[pk]; clash || odd[pk] {
						continue
					}
					odd[pk] = true
				}
				if p := people[k]; p == "" {
					clearKeys = append(clearKeys, pk)
				} else {
					setKeys, setPeople = append(setKeys, pk), append(setPeople, pgText(p))
				}
			}
			allKeys := append(slices.Clone(setKeys), clearKeys...)
			allPeople := append(slices.Clone(setPeople), make([]string, len(clearKeys))...)
			if err := collect(attributionLosers, s.tenant, allKeys, allPeople); err != nil {
				return fmt.Errorf("previous attributions: %w", err)
			}
			if len(clearKeys) > 0 {
				if _, err := tx.Exec(ctx, clearAttributions, s.tenant, clearKeys); err != nil {
					return fmt.Errorf("clear attributions: %w", err)
				}
			}
			if len(setKeys) > 0 {
				if err := collect(setAttributions, s.tenant, setKeys, setPeople); err != nil {
					return fmt.Errorf("attributions: %w", err)
				}
			}
		}
		if len(changed) == 0 {
			return nil
		}
		ids := slices.Sorted(maps.Keys(changed))
		for _, q := range rebuildAccounts {
			if _, err := tx.Exec(ctx, q, s.tenant, ids); err != nil {
				return fmt.Errorf("accounts: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("set event people: %w", err)
	}
	return nil
}

// EventCount implements store.Store.
func (s *Store) EventCount(ctx context.Context) (int, error) {
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM events WHERE tenant = $1`, s.tenant).Scan(&n); err != nil {
		return 0, fmt.Errorf("count events: %w", err)
	}
	return n, nil
}

// Events implements store.Store.
func (s *Store) Events(ctx context.Context, q store.EventQuery) ([]*event.Event, error) {
	if err := q.Validate(); err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	from := "events e"
	w := newWhere("e.tenant", s.tenant)
	if q.Kind != "" {
		w.add("e.kind = %s", string(q.Kind))
	}
	if q.Source != "" {
		w.add("e.source = %s", q.Source)
	}
	if q.Person != "" {
		from += " JOIN event_people p ON p.tenant = e.tenant AND p.key = e.key"
		w.add("p.person = %s", q.Person)
	}
	if !q.Since.IsZero() {
		w.add("e.time >= %s", q.Since)
	}
	if !q.Until.IsZero() {
		w.add("e.time < %s", q.Until)
	}
	query := "SELECT e.data FROM " + from + " WHERE " + w.String() + " ORDER BY e.time NULLS FIRST, e.batch, e.ord"
	if q.Limit > 0 {
		query += " LIMIT " + w.arg(q.Limit)
	}
	rows, err := s.pool.Query(ctx, query, w.args...)
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	defer rows.Close()
	var out []*event.Event
	for rows.Next() {
		e := new(event.Event)
		if err := json.Unmarshal(rows.RawValues()[0], e); err != nil {
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

// EventsSince implements store.EventFeed: the cursor is the save batch.
func (s *Store) EventsSince(ctx context.Context, cursor int64, held func(key string) bool) ([]*event.Event, int64, error) {
	rows, err := s.pool.Query(ctx, `SELECT batch, key, data FROM events WHERE tenant = $1 AND batch > $2 ORDER BY batch, ord`, s.tenant, cursor)
	if err != nil {
		return nil, cursor, fmt.Errorf("events since %d: %w", cursor, err)
	}
	defer rows.Close()
	return store.FeedRows(rows, cursor, held)
}

// where builds a WHERE clause with numbered parameters.
type where struct {
	conds []string
	args  []any
}

// newWhere starts a clause with col = tenant.
func newWhere(col, tenant string) *where {
	w := &where{}
	w.add(col+" = %s", tenant)
	return w
}

// arg adds a parameter and returns its placeholder.
func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return fmt.Sprintf("$%d", len(w.args))
}

// add adds a condition whose %s verbs are replaced by placeholders for
// vals, in order.
func (w *where) add(cond string, vals ...any) {
	ph := make([]any, len(vals))
	for i, v := range vals {
		ph[i] = w.arg(v)
	}
	w.conds = append(w.conds, fmt.Sprintf(cond, ph...))
}

func (w *where) String() string { return strings.Join(w.conds, " AND ") }
