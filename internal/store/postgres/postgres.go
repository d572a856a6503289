// Package postgres is the shared store backend: a PostgreSQL database
// through github.com/jackc/pgx/v5, for several rollcall processes (serve
// replicas, ingestion workers) over one state.
//
// Open connects a pool, then applies the schema migrations embedded from
// migrations/*.sql with goose while holding a session advisory lock, so
// that replicas starting together migrate once. The tables live in the
// first schema of the connection's search_path (add search_path=NAME to the
// DSN to choose one).
//
// Every row carries its tenant and every statement filters by the store's
// tenant, which is fixed for the store's connection pool (there is no
// WithTenant view: open one store per tenant). As a second line of
// defence, each connection names the tenant in the rollcall.tenant setting
// and a row-level-security policy on every table hides the rows of other
// tenants. The policies bind every role without superuser or BYPASSRLS,
// the tables' owner included.
//
// SaveEvents copies each batch into a per-connection temporary table and
// inserts it from there (COPY cannot write to a table under row-level
// security), so the role needs the TEMPORARY privilege on the database,
// which PostgreSQL grants to everyone by default. Attributions
// (SetEventPeople) live in a narrow table of their own rather than in a
// column of the wide events rows, which PostgreSQL would rewrite whole.
//
// Writes that must not interleave for one tenant (saving results,
// attributing events, replacing the source coverage) take a
// transaction-scoped advisory lock, so they serialize across processes;
// reads that span several statements run in one read-only repeatable-read
// transaction and so see one snapshot.
//
// Store also implements store.Workbench, for rollcall serve: accounts,
// sessions, API tokens, failed sign-ins, cases, suppressions and the audit
// log are tables like the others, so several serve replicas over one
// database share them, and a trigger makes the audit log append-only in
// the database itself.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/rollcall/rollcall/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// TenantSetting is the run-time setting that names the connection's tenant
// to the row-level-security policies.
const TenantSetting = "rollcall.tenant"

var _ store.Store = (*Store)(nil)

// Store is a store.Store over one PostgreSQL schema.
type Store struct {
	pool   *pgxpool.Pool
	schema string // where the tables are
	tenant string
}

// Open connects to the database at dsn (a postgres:// URL or key=value
// connection string, as pgx accepts, including pool_max_conns and
// search_path) and brings its schema up to date. Every read and write of
// the returned store is scoped to opts' tenant.
func Open(ctx context.Context, dsn string, opts store.Options) (*Store, error) {
	tenant := opts.TenantOrDefault()
	if dsn == "" {
		return nil, fmt.Errorf("open postgres store: empty dsn: %w", store.ErrInvalid)
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgx redacts the password from its parse errors.
		return nil, fmt.Errorf("open postgres store: %w: %w", store.ErrInvalid, err)
	}
	rt := cfg.ConnConfig.RuntimeParams
	rt[TenantSetting] = tenant
	if rt["application_name"] == "" {
		rt["application_name"] = "rollcall"
	}
	if rt["jit"] == "" {
		// The store's statements are short: compiling them costs more
		// than it saves.
		rt["jit"] = "off"
	}
	cfg.AfterConnect = createStage
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open postgres store: %w", err)
	}
	schema, err := migrate(ctx, pool)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("open postgres store: %w", err)
	}
	return &Store{pool: pool, schema: schema, tenant: tenant}, nil
}

// migrate applies the embedded migrations that the schema lacks, holding a
// session advisory lock on a connection of its own for the schema, so that
// concurrent openers wait for the first rather than racing it. It returns
// the schema.
func migrate(ctx context.Context, pool *pgxpool.Pool) (string, error) {
	conn, err := pgx.ConnectConfig(ctx, pool.Config().ConnConfig)
	if err != nil {
		return "", fmt.Errorf("connect: %w", err)
	}
	// Closing the connection releases the lock, however migrating ended.
	defer conn.Close(context.WithoutCancel(ctx))
	var schema *string
	if err := conn.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return "", fmt.Errorf("current schema: %w", err)
	}
	if schema == nil {
		return "", fmt.Errorf("no schema to migrate: the search_path names no existing schema (create it, or fix search_path): %w", store.ErrInvalid)
	}
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, lockKey("migrate", *schema)); err != nil {
		return "", fmt.Errorf("migration lock: %w", err)
	}

	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	if err := runGoose(ctx, db); err != nil {
		return "", fmt.Errorf("migrations in schema %q: %w", *schema, err)
	}
	return *schema, nil
}

func runGoose(ctx context.Context, db *sql.DB) error {
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return err
	}
	_, err = p.Up(ctx)
	return err
}

// createStage creates, once per connection, the temporary table SaveEvents
// copies batches into. Its rows go at every commit.
func createStage(ctx context.Context, conn *pgx.Conn) error {
	_, err := conn.Exec(ctx, `CREATE TEMPORARY TABLE events_stage (
		ord         integer NOT NULL,
		key         text COLLATE "C" NOT NULL,
		kind        text NOT NULL,
		source      text NOT NULL,
		file        text NOT NULL,
		record      bigint NOT NULL,
		line        bigint NOT NULL,
		vendor_id   text NOT NULL,
		hash        text NOT NULL,
		time        timestamptz,
		actor_id    text NOT NULL,
		actor_login text NOT NULL,
		actor_email text NOT NULL,
		accounts    text[] NOT NULL,
		data        json NOT NULL
	) ON COMMIT DELETE ROWS`)
	if err != nil {
		return fmt.Errorf("create staging table: %w", err)
	}
	return nil
}

// lockKey is the advisory lock key of a kind of work on some scope (a
// schema, a tenant). Advisory locks are per database.
func lockKey(kind string, scope ...string) int64 {
	h := fnv.New64a()
	h.Write([]byte("rollcall"))
	for _, s := range append([]string{kind}, scope...) {
		h.Write([]byte{0})
		h.Write([]byte(s))
	}
	return int64(h.Sum64())
}

// Tenant returns the tenant the store reads and writes.
func (s *Store) Tenant() string { return s.tenant }

// Close closes the store's connections.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// write runs fn in a read-write transaction, committing when fn succeeds.
// With a non-empty lock it first takes the transaction-scoped advisory lock
// of that kind of work for the store's schema and tenant.
func (s *Store) write(ctx context.Context, lock string, fn func(tx pgx.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		if lock != "" {
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lockKey(lock, s.schema, s.tenant)); err != nil {
				return fmt.Errorf("%s lock: %w", lock, err)
			}
		}
		return fn(tx)
	})
}

// read runs fn in a read-only repeatable-read transaction, so that its
// queries see one snapshot of the database.
func (s *Store) read(ctx context.Context, fn func(tx pgx.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	opts := pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	return pgx.BeginTxFunc(ctx, s.pool, opts, fn)
}

// notFound turns pgx.ErrNoRows into an error wrapping store.ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return store.ErrNotFound
	}
	return err
}
