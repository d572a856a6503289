// Package sqlite is the embedded store backend: one SQLite file (or an
// in-memory database) through modernc.org/sqlite, pure Go with no cgo.
//
// Open creates the file and its directory when missing and applies the
// schema migrations embedded from migrations/*.sql with goose. File
// databases run in WAL mode, so reads proceed while a save is in progress;
// writes take the database's write lock up front (BEGIN IMMEDIATE) and wait
// up to busyTimeout for another writer, in this process or another.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/rollcall/rollcall/internal/store"
)

// Memory is the dsn of a private in-memory database.
const Memory = ":memory:"

// driverName is the name modernc.org/sqlite registers with database/sql.
const driverName = "sqlite"

// busyTimeout is how long a statement waits for a lock held by another
// connection before failing with SQLITE_BUSY.
const busyTimeout = 30 * time.Second

//go:embed migrations/*.sql
var migrations embed.FS

var _ store.Store = (*Store)(nil)

// Store is a store.Store over one SQLite database.
type Store struct {
	db     *sql.DB
	tenant string
	// writeMu serializes this process's writers, so that they queue in Go
	// rather than polling SQLite's busy handler. Shared with WithTenant views.
	writeMu *sync.Mutex
	// owner is false for a WithTenant view, whose Close leaves the database
	// open.
	owner bool
}

// Open opens (creating when missing) the database at dsn, a file path or
// Memory, and brings its schema up to date. Every read and write of the
// returned store is scoped to opts' tenant.
//
// An in-memory database lives as long as the store and is private to it;
// use WithTenant to look at it as another tenant.
func Open(ctx context.Context, dsn string, opts store.Options) (*Store, error) {
	tenant := opts.TenantOrDefault()
	if dsn == "" {
		return nil, fmt.Errorf("open sqlite store: empty path: %w", store.ErrInvalid)
	}
	params := []string{
		"_busy_timeout=" + fmt.Sprint(busyTimeout.Milliseconds()),
		"_foreign_keys=1",
		"_txlock=immediate", // read-only transactions still begin deferred
	}
	memory := dsn == Memory
	if !memory {
		if strings.ContainsAny(dsn, "?#") || strings.HasPrefix(dsn, "file:") {
			return nil, fmt.Errorf("open sqlite store %q: want a plain file path, without a URI scheme, '?' or '#': %w", dsn, store.ErrInvalid)
		}
		if err := os.MkdirAll(filepath.Dir(dsn), 0o700); err != nil {
			return nil, fmt.Errorf("open sqlite store: create directory: %w", err)
		}
		params = append(params,
			"_journal_mode=WAL",
			"_synchronous=NORMAL",        // a power loss may undo the last commits, never corrupt the file
			"_pragma=page_size(16384)",   // takes effect when the file is created
			"_pragma=cache_size(-65536)", // KiB per connection
		)
	}
	db, err := sql.Open(driverName, dsn+"?"+strings.Join(params, "&"))
	if err != nil {
		return nil, fmt.Errorf("open sqlite store %q: %w", dsn, err)
	}
	if memory {
		// Every connection to ":memory:" is a separate database: keep
		// exactly one, forever.
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		db.SetConnMaxLifetime(0)
		db.SetConnMaxIdleTime(0)
	} else {
		n := max(4, runtime.GOMAXPROCS(0))
		db.SetMaxOpenConns(n)
		db.SetMaxIdleConns(n)
	}
	if err := migrate(ctx, db); err != nil {
		return nil, errors.Join(fmt.Errorf("open sqlite store %q: %w", dsn, err), db.Close())
	}
	return &Store{db: db, tenant: tenant, writeMu: new(sync.Mutex), owner: true}, nil
}

// migrate applies the embedded migrations that the database lacks.
func migrate(ctx context.Context, db *sql.DB) error {
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	return nil
}

// Tenant returns the tenant the store reads and writes.
func (s *Store) Tenant() string { return s.tenant }

// WithTenant returns a store over the same database scoped to another
// tenant (empty means store.DefaultTenant). The view shares s's
// connections: closing the view does nothing, and closing s closes both.
func (s *Store) WithTenant(tenant string) *Store {
	return &Store{db: s.db, tenant: store.Options{Tenant: tenant}.TenantOrDefault(), writeMu: s.writeMu}
}

// Close closes the database, unless s is a WithTenant view.
func (s *Store) Close() error {
	if !s.owner {
		return nil
	}
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close sqlite store: %w", err)
	}
	return nil
}

// write runs fn in a write transaction, committing when fn succeeds.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		return errors.Join(err, ignoreDone(tx.Rollback()))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// read runs fn in a read-only transaction, so that its queries see one
// snapshot of the database.
func (s *Store) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only; nothing to undo
	return fn(tx)
}

// ignoreDone drops the error of rolling back a transaction that database/sql
// already ended (after a cancelled context).
func ignoreDone(err error) error {
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}
