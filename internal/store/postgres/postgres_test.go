package postgres

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/store"
	"github.com/rollcall/rollcall/internal/store/storetest"
)

// tables are the tables the store keeps rows in.
var tables = []string{"events", "event_people", "person_accounts", "results", "clusters", "cluster_links", "people", "findings",
	"rejections", "skipped_files", "unresolved"}

func TestConformance(t *testing.T) {
	serverDSN(t)
	t.Parallel()
	var dsns perTest[string]
	storetest.Run(t, func(t *testing.T, tenant string) store.Store {
		return mustOpen(t, dsns.get(t, func() string { return newSchema(t, "") }), tenant)
	})
}

// TestConformanceOrdinaryRole runs the suite as a role that owns its schema
// but is no superuser, so that the row-level-security policies apply to
// every statement the store makes.
func TestConformanceOrdinaryRole(t *testing.T) {
	serverDSN(t)
	t.Parallel()
	role := newRole(t)
	var dsns perTest[string]
	storetest.Run(t, func(t *testing.T, tenant string) store.Store {
		return mustOpen(t, dsns.get(t, func() string { return newSchema(t, role) }), tenant)
	})
}

func testEvents(file string, n int) []*event.Event {
	t0 := time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
	out := make([]*event.Event, n)
	for i := range out {
		login := fmt.Sprintf("user%d@example.com", i%7)
		out[i] = &event.Event{
			Kind:    event.KindSignIn,
			Time:    t0.Add(time.Duration(i) * time.Minute),
			Prov:    event.Provenance{Origin: &event.Origin{Source: "okta", File: file}, Record: i + 1, Line: i + 1, Hash: fmt.Sprintf("%08x", i)},
			Account: &event.Actor{Login: login, Email: login},
			SignIn: &event.SignIn{Action: "user.session.start", Outcome: event.OutcomeSuccess,
				Net: &event.Network{IP: netip.AddrFrom4([4]byte{203, 0, 113, byte(i)})}},
		}
	}
	return out
}

func testReport(person string) *store.Results {
	return &store.Results{
		Version: report.Version,
		Stats:   store.Stats{Events: 3, People: 2, BySource: map[string]int{"okta": 3}},
		People: []store.Person{
			{ID: person, Name: "One", Score: 50, Level: "medium", Cluster: "C1", Indicators: []store.Finding{{ID: "A-1"}, {ID: "B-2"}}},
			{ID: person + "b", Name: "Two", Score: 10, Level: "low", Cluster: "C1", Indicators: []store.Finding{{ID: "A-1"}}},
		},
		Clusters:     []store.Cluster{{ID: "C1", Members: []string{person, person + "b"}, Links: []store.Link{{Kind: "ip", Value: "192.0.2.1"}}}},
		Rejected:     []store.Rejection{{File: "f", Line: 3, Reason: "bad"}},
		SkippedFiles: []store.Skipped{{File: "truth.json", Reason: "format not recognised"}},
		Unresolved: []profile.Unresolved{{Source: "okta", Account: "mallory@example.net", Events: 1,
			First: time.Date(2025, 3, 3, 9, 0, 0, 1, time.UTC), Last: time.Date(2025, 3, 3, 9, 0, 0, 1, time.UTC),
			Example: event.Provenance{Origin: &event.Origin{Source: "okta", File: "okta/a.ndjson"}, Record: 3}}},
	}
}

// dump returns every row of every table with the transaction that wrote
// its current version (xmin), for comparing database states.
func dump(t *testing.T, s *Store) map[string][]string {
	t.Helper()
	out := make(map[string][]string)
	for _, table := range tables {
		rows, err := s.pool.Query(t.Context(), "SELECT t::text || ' xmin=' || t.xmin::text FROM "+table+" t ORDER BY t::text")
		if err != nil {
			t.Fatalf("dump %s: %v", table, err)
		}
		out[table], err = pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatalf("dump %s: %v", table, err)
		}
	}
	return out
}

// TestResaveLeavesIdenticalRows saves events, attributions and results
// twice and checks that the second time writes nothing: not even a new
// version of an unchanged row.
func TestResaveLeavesIdenticalRows(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := mustOpen(t, newSchema(t, ""), "")
	events := testEvents("okta/a.ndjson", 3)
	r := testReport("E1")
	save := func() {
		t.Helper()
		if _, err := s.SaveEvents(ctx, events); err != nil {
			t.Fatal(err)
		}
		if err := s.SetEventPeople(ctx, map[string]string{events[0].Prov.Key(): "E1", events[1].Prov.Key(): "E1b"}); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveResults(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	save()
	first := dump(t, s)
	save()
	if diff := cmp.Diff(first, dump(t, s)); diff != "" {
		t.Errorf("rows after saving again (-first +second):\n%s", diff)
	}
	for table, want := range map[string]int{
		"events": 3, "event_people": 2, "person_accounts": 2, "results": 1, "clusters": 1, "cluster_links": 1, "people": 2, "findings": 3,
		"rejections": 1, "skipped_files": 1, "unresolved": 1,
	} {
		if got := len(first[table]); got != want {
			t.Errorf("%d %s rows, want %d", got, table, want)
		}
	}
}

// TestRowLevelSecurity checks the policies directly, with statements that
// do not filter by tenant, as an ordinary role that owns the tables.
func TestRowLevelSecurity(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	role := newRole(t)
	dsn := newSchema(t, role)
	acme, globex := mustOpen(t, dsn, "acme"), mustOpen(t, dsn, "globex")
	for i, s := range []*Store{acme, globex} {
		events := testEvents("okta/shared.ndjson", 3+i)
		if _, err := s.SaveEvents(ctx, events); err != nil {
			t.Fatal(err)
		}
		if err := s.SetEventPeople(ctx, map[string]string{events[0].Prov.Key(): "E1"}); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveResults(ctx, testReport("E1")); err != nil {
			t.Fatal(err)
		}
	}

	connect := func(t *testing.T, params map[string]string) *pgx.Conn {
		t.Helper()
		conn, err := pgx.Connect(ctx, withParams(t, dsn, params))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close(context.Background()) })
		return conn
	}
	tenants := func(t *testing.T, conn *pgx.Conn, table string) []string {
		t.Helper()
		rows, err := conn.Query(ctx, "SELECT DISTINCT tenant FROM "+table+" ORDER BY tenant")
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		got, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		return got
	}

	t.Run("tenant_sees_its_rows_only", func(t *testing.T) {
		conn := connect(t, map[string]string{TenantSetting: "globex"})
		for _, table := range tables {
			if diff := cmp.Diff([]string{"globex"}, tenants(t, conn, table)); diff != "" {
				t.Errorf("tenants in %s (-want +got):\n%s", table, diff)
			}
		}
		var n int
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM events").Scan(&n); err != nil || n != 4 {
			t.Errorf("count(*) FROM events = %d, %v; want globex's 4", n, err)
		}
	})
	t.Run("no_tenant_sees_nothing", func(t *testing.T) {
		conn := connect(t, nil)
		for _, table := range tables {
			if got := tenants(t, conn, table); len(got) != 0 {
				t.Errorf("without %s, %s shows tenants %v", TenantSetting, table, got)
			}
		}
	})
	t.Run("tenant_cannot_write_another", func(t *testing.T) {
		conn := connect(t, map[string]string{TenantSetting: "globex"})
		_, err := conn.Exec(ctx, `INSERT INTO skipped_files (tenant, position, file, reason) VALUES ('acme', 99, 'x', 'y')`)
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
			t.Errorf("inserting an acme row as globex: %v; want a row-level-security violation (42501)", err)
		}
		tag, err := conn.Exec(ctx, `DELETE FROM people`)
		if err != nil {
			t.Fatal(err)
		}
		if tag.RowsAffected() != 2 {
			t.Errorf("DELETE FROM people as globex deleted %d rows, want globex's 2", tag.RowsAffected())
		}
		if _, err := acme.Person(ctx, "E1"); err != nil {
			t.Errorf("acme Person(E1) after globex deleted its people: %v", err)
		}
	})
}

func TestOpenConcurrently(t *testing.T) {
	t.Parallel()
	dsn := newSchema(t, "")
	const openers = 4
	var wg sync.WaitGroup
	errs := make([]error, openers)
	stores := make([]*Store, openers)
	for i := range openers {
		wg.Go(func() {
			stores[i], errs[i] = Open(t.Context(), dsn, store.Options{Tenant: fmt.Sprint("t", i)})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Open %d: %v", i, err)
			continue
		}
		defer stores[i].Close()
	}
	if t.Failed() {
		return
	}
	var applied int
	err := stores[0].pool.QueryRow(t.Context(), `SELECT count(*) FROM goose_db_version WHERE version_id > 0`).Scan(&applied)
	if err != nil {
		t.Fatal(err)
	}
	files, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	if want := len(files); applied != want {
		t.Errorf("%d migrations recorded, want %d (each once)", applied, want)
	}
}

func TestOpenKeepsData(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dsn := newSchema(t, "")
	s, err := Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if _, err := s.SaveEvents(ctx, testEvents("x", 2)); err != nil {
		t.Fatalf("SaveEvents: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	s = mustOpen(t, dsn, "")
	if n, err := s.EventCount(ctx); err != nil || n != 2 {
		t.Errorf("EventCount after reopening = %d, %v; want 2", n, err)
	}
	if got := s.Tenant(); got != store.DefaultTenant {
		t.Errorf("Tenant() = %q, want %q", got, store.DefaultTenant)
	}
}

func TestOpenRefuses(t *testing.T) {
	for _, tc := range []struct {
		name    string
		dsn     func(t *testing.T) string
		invalid bool
	}{
		{"empty", func(*testing.T) string { return "" }, true},
		{"malformed", func(*testing.T) string { return "postgres://%zz" }, true},
		{"unknown_parameter_value", func(*testing.T) string { return "postgres://localhost/x?sslmode=sometimes" }, true},
		{"missing_schema", func(t *testing.T) string {
			return withParams(t, serverDSN(t), map[string]string{"search_path": uniqueName(t, "rollcall_missing_")})
		}, true},
		{"missing_database", func(t *testing.T) string {
			return withParams(t, serverDSN(t), map[string]string{"dbname": uniqueName(t, "rollcall_missing_")})
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dsn := tc.dsn(t)
			s, err := Open(t.Context(), dsn, store.Options{})
			if err == nil {
				s.Close()
				t.Fatalf("Open(%q) succeeded", dsn)
			}
			if got := errors.Is(err, store.ErrInvalid); got != tc.invalid {
				t.Errorf("Open(%q) = %v; wraps ErrInvalid = %v, want %v", dsn, err, got, tc.invalid)
			}
		})
	}
}

// TestSaveEventsConcurrently has several stores of one tenant, as several
// workers would, save overlapping slices of the same events at once: every
// event is inserted exactly once, and nobody deadlocks.
func TestSaveEventsConcurrently(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dsn := newSchema(t, "")
	events := testEvents("okta/overlap.ndjson", 3000)
	const savers = 4
	var wg sync.WaitGroup
	inserted := make([]int, savers)
	errs := make([]error, savers)
	for i := range savers {
		s := mustOpen(t, dsn, "acme")
		wg.Go(func() {
			// Saver i saves from a different starting point, in chunks,
			// wrapping round, so that every pair overlaps.
			const chunk = 700
			for n := 0; n < len(events); n += chunk {
				var part []*event.Event
				for j := n; j < min(n+chunk, len(events)); j++ {
					part = append(part, events[(j+i*len(events)/savers)%len(events)])
				}
				k, err := s.SaveEvents(ctx, part)
				inserted[i] += k
				if err != nil {
					errs[i] = err
					return
				}
			}
		})
	}
	wg.Wait()
	total := 0
	for i := range savers {
		if errs[i] != nil {
			t.Errorf("saver %d: %v", i, errs[i])
		}
		total += inserted[i]
	}
	if total != len(events) {
		t.Errorf("savers inserted %d events in all, want %d", total, len(events))
	}
	s := mustOpen(t, dsn, "acme")
	if n, err := s.EventCount(ctx); err != nil || n != len(events) {
		t.Errorf("EventCount = %d, %v; want %d", n, err, len(events))
	}
}

// TestSaveEventsOddBytes saves records whose provenance holds bytes that
// PostgreSQL text refuses (invalid UTF-8, NUL): they are stored, found by
// their keys, and read back as their JSON encoding has them.
func TestSaveEventsOddBytes(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := mustOpen(t, newSchema(t, ""), "")
	events := testEvents("okta/caf\xe9\x00.ndjson", 2)
	who := events[1].Actor()
	who.Login = "Dev\x00\xff@Example.com"
	events[1].SetActor(who)
	if n, err := s.SaveEvents(ctx, events); err != nil || n != 2 {
		t.Fatalf("SaveEvents = %d, %v; want 2 inserted", n, err)
	}
	if n, err := s.SaveEvents(ctx, events); err != nil || n != 0 {
		t.Fatalf("SaveEvents again = %d, %v; want 0 inserted", n, err)
	}
	if err := s.SetEventPeople(ctx, map[string]string{events[1].Prov.Key(): "E1"}); err != nil {
		t.Fatalf("SetEventPeople: %v", err)
	}
	got, err := s.Events(ctx, store.EventQuery{Person: "E1"})
	if err != nil {
		t.Fatalf("Events: %v", err)
	}
	if len(got) != 1 || got[0].Prov.Record != 2 || got[0].Prov.File() != "okta/caf\ufffd\x00.ndjson" {
		t.Errorf("Events(E1) = %+v; want record 2 with the file name as JSON encodes it", got)
	}
	if err := s.SaveResults(ctx, testReport("E1")); err != nil {
		t.Fatalf("SaveResults: %v", err)
	}
	people, _, err := s.People(ctx, store.PeopleQuery{Search: "dev"})
	if err != nil {
		t.Fatalf("People: %v", err)
	}
	if diff := cmp.Diff([]string{"E1"}, personIDs(people)); diff != "" {
		t.Errorf("people found by their odd login (-want +got):\n%s", diff)
	}
}

func personIDs(people []store.Person) []string {
	out := make([]string, len(people))
	for i, p := range people {
		out[i] = p.ID
	}
	return out
}
