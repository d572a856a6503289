package open

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/rollcall/rollcall/internal/store"
	"github.com/rollcall/rollcall/internal/store/postgres"
	"github.com/rollcall/rollcall/internal/store/sqlite"
)

func TestStore(t *testing.T) {
	ctx := context.Background()
	st, err := Store(ctx, filepath.Join(t.TempDir(), "r.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, ok := st.(*sqlite.Store); !ok {
		t.Errorf("a file path opened %T, want *sqlite.Store", st)
	}
	dsn := os.Getenv("ROLLCALL_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("ROLLCALL_TEST_POSTGRES is not set: PostgreSQL opening not tested")
	}
	pg, err := Store(ctx, dsn, store.Options{Tenant: "open-test"})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	if _, ok := pg.(*postgres.Store); !ok {
		t.Errorf("%q opened %T, want *postgres.Store", dsn, pg)
	}
}

func TestIsPostgres(t *testing.T) {
	for dsn, want := range map[string]bool{
		"postgres://u@h/db":   true,
		"postgresql://u@h/db": true,
		"host=/tmp dbname=x":  true,
		"rollcall.db":         false,
		":memory:":            false,
		"./postgres.db":       false,
	} {
		if got := IsPostgres(dsn); got != want {
			t.Errorf("IsPostgres(%q) = %v, want %v", dsn, got, want)
		}
	}
}
