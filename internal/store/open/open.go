// Package open opens a store from a DSN: postgres:// or postgresql:// URLs
// (and key=value connection strings starting with "host=") open the
// PostgreSQL backend; anything else is an SQLite file path or ":memory:".
package open

import (
	"context"
	"strings"

	"github.com/rollcall/rollcall/internal/store"
	"github.com/rollcall/rollcall/internal/store/postgres"
	"github.com/rollcall/rollcall/internal/store/sqlite"
)

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") || strings.HasPrefix(dsn, "host=")
}

// Store opens the backend dsn names.
func Store(ctx context.Context, dsn string, opts store.Options) (store.Store, error) {
	if IsPostgres(dsn) {
		return postgres.Open(ctx, dsn, opts)
	}
	return sqlite.Open(ctx, dsn, opts)
}
