// Package store persists what rollcall reads and concludes: normalized
// events, and the analysis results of the last scan (people, findings,
// clusters, scan statistics, rejected records, skipped files, unresolved
// accounts).
//
// Store is the small interface every backend implements. It speaks the
// store's own types (Results, Person, Cluster… in results.go; rows.go maps
// them to table rows), not the JSON report, which internal/report builds
// from them at the edge (report.FromStore). Backends live in
// sub-packages (sqlite, postgres) and all pass the conformance suite
// in storetest. Every row belongs to one tenant, fixed when the store is
// opened (Options.Tenant); a store never reads or writes another tenant's
// rows.
package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	gojson "github.com/goccy/go-json"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// DefaultTenant is the tenant of a store opened without one.
const DefaultTenant = "default"

// ErrNotFound is wrapped by errors about a person, cluster or report that is
// not stored.
var ErrNotFound = errors.New("not found")

// ErrInvalid is wrapped by errors about arguments a backend refuses (a bad
// sort order, a negative limit, duplicate person ids in results…).
var ErrInvalid = errors.New("invalid argument")

// Options configure a store when it is opened.
type Options struct {
	// Tenant scopes every read and write; empty means DefaultTenant.
	Tenant string
}

// TenantOrDefault returns o.Tenant, or DefaultTenant when it is empty.
func (o Options) TenantOrDefault() string {
	if o.Tenant == "" {
		return DefaultTenant
	}
	return o.Tenant
}

// Store keeps events and analysis results for one tenant. Implementations
// are safe for concurrent use: reads running during a save see either the
// results before it or the results after it, never a mix.
type Store interface {
	// SaveEvents stores events, keyed by their record identity
	// (event.Provenance.Key). An event whose key is already stored is
	// skipped, so re-saving the same events inserts nothing; a record whose
	// bytes changed has a new hash, hence a new key, and is inserted.
	// inserted counts the new rows. Events are written in batches: on error,
	// earlier batches stay saved, and saving again is harmless.
	SaveEvents(ctx context.Context, events []*event.Event) (inserted int, err error)

	// SetEventPeople records which person each event was resolved to,
	// keyed by event.Provenance.Key (see EventPeople). Keys that are not
	// stored are ignored; an empty person id clears the attribution. The
	// accounts (logins, emails) of a person's events become searchable
	// through PeopleQuery.Search.
	SetEventPeople(ctx context.Context, people map[string]string) error

	// SaveResults replaces the stored analysis results with r in one
	// transaction. Saving the same results again leaves the same rows.
	SaveResults(ctx context.Context, r *Results) error

	// People returns one page of the people matching q, in q's order, and
	// how many match in all.
	People(ctx context.Context, q PeopleQuery) (people []Person, total int, err error)
	// Person returns one person; the error wraps ErrNotFound when there is
	// no such person.
	Person(ctx context.Context, id string) (Person, error)
	// Clusters returns every cluster, in the order they were saved.
	Clusters(ctx context.Context) ([]Cluster, error)
	// Cluster returns one cluster; the error wraps ErrNotFound when there is
	// no such cluster.
	Cluster(ctx context.Context, id string) (Cluster, error)
	// Results reassembles the last saved results; the error wraps
	// ErrNotFound when none were saved. Lists saved as nil come back empty.
	Results(ctx context.Context) (*Results, error)

	// EventCount returns how many events are stored.
	EventCount(ctx context.Context) (int, error)
	// Events returns the stored events matching q, ordered by time (events
	// without a time first), ties in the order they were saved.
	Events(ctx context.Context, q EventQuery) ([]*event.Event, error)

	// Close releases the store's resources.
	Close() error
}

// EventFeed is implemented by stores that can hand out the events saved
// after a point, so that a long-running analyser (the stream worker) keeps
// its state and reads only what is new.
type EventFeed interface {
	// EventsSince returns the events saved after cursor (0: every event),
	// in the order they were saved, and the cursor of the last one (cursor
	// itself when there is none). Concurrent writers may commit events
	// with a cursor below one already returned: callers that need every
	// event re-read a little before their cursor and compare counts.
	// When held is not nil, the events whose key (event.Provenance.Key,
	// as stored) it reports true for are left out without being decoded:
	// the caller holds them already.
	EventsSince(ctx context.Context, cursor int64, held func(key string) bool) (events []*event.Event, last int64, err error)
}

// ErrStale is wrapped by errors about a patch made against results other
// than those stored (ResultsPatcher).
var ErrStale = errors.New("stored results changed meanwhile")

// ResultsPatcher is implemented by stores that can save a report by
// writing only what changed since the report saved before it, which the
// caller saved itself: Store.SaveResults writes (or compares) every row.
type ResultsPatcher interface {
	// PatchResults saves r, whose people and clusters differ from the
	// last saved report's only as p says. When the store can tell that its
	// results are not the ones p was made against, it writes nothing and
	// the error wraps ErrStale: save the whole report instead.
	PatchResults(ctx context.Context, r *Results, p ResultsPatch) error
}

// ResultsPatch is how a report differs from the one saved before it.
type ResultsPatch struct {
	// People and Clusters are the positions, in the report, of the people
	// (with their findings) and clusters (with their links) that are new
	// or changed, position included.
	People, Clusters []int
	// GonePeople and GoneClusters are the ids of those the report no
	// longer has.
	GonePeople, GoneClusters []string
}

// Rows is what both backends' query results offer (database/sql and pgx).
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// FeedRows reads rows of (cursor, key, event JSON), as EventFeed
// implementations select them, into events and the last cursor (cursor
// when there are no rows), decoding only the events that held (when not
// nil) does not report as held.
func FeedRows(rows Rows, cursor int64, held func(key string) bool) ([]*event.Event, int64, error) {
	var out []*event.Event
	last := cursor
	var key string
	var data []byte
	for rows.Next() {
		var at int64
		if err := rows.Scan(&at, &key, &data); err != nil {
			return nil, cursor, fmt.Errorf("events since %d: %w", cursor, err)
		}
		last = max(last, at)
		if held != nil && held(key) {
			continue
		}
		e := new(event.Event)
		// goccy/go-json: a stream worker reads events by the hundred
		// thousand (BenchmarkDecodeStoredEvent).
		if err := gojson.Unmarshal(data, e); err != nil {
			return nil, cursor, fmt.Errorf("events since %d: decode: %w", cursor, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, cursor, fmt.Errorf("events since %d: %w", cursor, err)
	}
	return out, last, nil
}

// Sort orders for PeopleQuery.Sort. A leading "-" means descending.
const (
	SortScoreDesc = "-score" // highest score first, ties in report order (the default)
	SortScore     = "score"  // lowest score first, ties in reverse report order
	SortID        = "id"
	SortIDDesc    = "-id"
	SortName      = "name" // ties by id
	SortNameDesc  = "-name"
)

// PeopleQuery selects people. Zero values select everything.
type PeopleQuery struct {
	Level     string // exact risk level, e.g. "high"
	MinScore  int    // score at least this
	Indicator string // an indicator id that fired on the person, e.g. "IAM-01"
	// Search is a case-insensitive substring of the person's id, employee
	// id, candidate ids, name, or of a login or email of an account
	// resolved to the person (see Store.SetEventPeople).
	Search string
	Limit  int    // at most this many people; 0 means no limit
	Offset int    // skip this many matching people
	Sort   string // one of the Sort constants; empty means SortScoreDesc. Names and ids compare byte-wise.
}

// SortOrder parses q.Sort into a field ("score", "id" or "name") and a
// direction. The error wraps ErrInvalid.
func (q PeopleQuery) SortOrder() (field string, desc bool, err error) {
	s := q.Sort
	if s == "" {
		s = SortScoreDesc
	}
	field, desc = strings.TrimPrefix(s, "-"), strings.HasPrefix(s, "-")
	switch field {
	case "score", "id", "name":
		return field, desc, nil
	}
	return "", false, fmt.Errorf("people sort %q (want score, id or name, with an optional leading -): %w", q.Sort, ErrInvalid)
}

// peopleOrder is the ORDER BY of each sort field and direction, for the
// people table aliased p. Names and ids are compared byte-wise (both
// backends declare those columns so).
var peopleOrder = map[string][2]string{ // field → {ascending, descending}
	"score": {"p.score, p.position DESC", "p.score DESC, p.position"},
	"id":    {"p.id", "p.id DESC"},
	"name":  {"p.name, p.id", "p.name DESC, p.id DESC"},
}

// OrderBy returns the SQL ORDER BY terms of q's sort, for the people table
// aliased p. The error wraps ErrInvalid.
func (q PeopleQuery) OrderBy() (string, error) {
	field, desc, err := q.SortOrder()
	if err != nil {
		return "", err
	}
	if desc {
		return peopleOrder[field][1], nil
	}
	return peopleOrder[field][0], nil
}

// Validate reports a query a backend must refuse; the error wraps
// ErrInvalid.
func (q PeopleQuery) Validate() error {
	if q.Limit < 0 {
		return fmt.Errorf("people limit %d is negative: %w", q.Limit, ErrInvalid)
	}
	if q.Offset < 0 {
		return fmt.Errorf("people offset %d is negative: %w", q.Offset, ErrInvalid)
	}
	_, _, err := q.SortOrder()
	return err
}

// EventQuery selects events. Zero values select everything.
type EventQuery struct {
	Kind   event.Kind
	Source string // format id, e.g. "okta"
	Person string // person id the events were resolved to
	Since  time.Time
	Until  time.Time // exclusive; events without a time never match Since or Until
	Limit  int       // at most this many events; 0 means no limit
}

// Validate reports a query a backend must refuse; the error wraps
// ErrInvalid.
func (q EventQuery) Validate() error {
	if q.Limit < 0 {
		return fmt.Errorf("event limit %d is negative: %w", q.Limit, ErrInvalid)
	}
	return nil
}

// SearchText is the text PeopleQuery.Search looks in for a person's own
// fields (id, employee id, candidate ids, name): lower-cased, one field per
// line. Backends store it beside the person.
func SearchText(p *Person) string {
	parts := make([]string, 0, 3+len(p.CandidateIDs))
	parts = append(parts, p.ID, p.EmployeeID, p.Name)
	parts = append(parts, p.CandidateIDs...)
	return strings.ToLower(strings.Join(parts, "\n"))
}

// SearchTerm normalizes PeopleQuery.Search for matching against SearchText
// and stored accounts.
func SearchTerm(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// CheckResults reports results SaveResults must refuse: nil, a person or
// cluster without an id, or an id used twice. The error wraps ErrInvalid.
func CheckResults(r *Results) error {
	if r == nil {
		return fmt.Errorf("results are nil: %w", ErrInvalid)
	}
	if err := uniqueIDs("person", r.People, func(p *Person) string { return p.ID }); err != nil {
		return err
	}
	return uniqueIDs("cluster", r.Clusters, func(c *Cluster) string { return c.ID })
}

// uniqueIDs reports an item (a what) of items without an id, or whose id
// an earlier one has. The error wraps ErrInvalid.
func uniqueIDs[T any](what string, items []T, id func(*T) string) error {
	seen := make(map[string]bool, len(items))
	for i := range items {
		v := id(&items[i])
		if v == "" {
			return fmt.Errorf("%s %d has no id: %w", what, i, ErrInvalid)
		}
		if seen[v] {
			return fmt.Errorf("%s %q appears twice: %w", what, v, ErrInvalid)
		}
		seen[v] = true
	}
	return nil
}

// EventPeople maps the key of every event the population resolved to a
// person onto that person's id, ready for Store.SetEventPeople.
func EventPeople(pop *profile.Population) map[string]string {
	m := make(map[string]string)
	if pop == nil {
		return m
	}
	for _, p := range pop.People {
		p.EachEvent(func(e *event.Event) { m[e.Prov.Key()] = p.ID })
	}
	return m
}
