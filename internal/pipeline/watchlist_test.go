package pipeline

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/detect/hiring"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/store"
	"github.com/rollcall/rollcall/internal/store/sqlite"
)

// TestCrossTenantWatchlist: tenant acme confirms an operative and burns
// the payout account; weeks later tenant globex hires someone paid into
// it. Globex's analysis flags the hire, naming acme's case, only once both
// tenants opted in to sharing; either side alone shares nothing.
func TestCrossTenantWatchlist(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "rollcall.db")
	open := func(tenant string) *sqlite.Store {
		st, err := sqlite.Open(ctx, path, store.Options{Tenant: tenant})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	acme, globex := open("acme"), open("globex")
	burnedAt := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	if _, err := acme.AddBurned(ctx, []policy.Burned{{Kind: policy.BurnedPayout, Value: "5d41402abc4b2a76b9719d911017c592",
		Case: "case 12", Person: "E4410", Added: burnedAt}}); err != nil {
		t.Fatal(err)
	}
	hired := burnedAt.AddDate(0, 0, 45)
	events := []*event.Event{
		detecttest.Roster(1, "G200", "casey.lin@globex.example", "US"),
		{Kind: event.KindPayout, Time: hired, Prov: event.Provenance{Origin: &event.Origin{Source: "payroll", File: "payroll.csv"}, Record: 1},
			Payout: &event.Payout{EmployeeID: "G200", EffectiveDate: hired, Method: "bank", AccountFingerprint: "5D41402ABC4B2A76B9719D911017C592"}},
	}
	flagged := func() []string {
		t.Helper()
		pol, err := WithSuppressions(ctx, nil, globex, hired)
		if err != nil {
			t.Fatal(err)
		}
		fs, err := (&hiring.BurnedIdentifier{}).Detect(context.Background(), detecttest.Input(events, pol, hired.AddDate(0, 1, 0)))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, f := range fs {
			out = append(out, f.Person+": "+f.Summary)
		}
		return out
	}
	share := func(st *sqlite.Store, on bool) {
		t.Helper()
		if err := st.ShareWatchlist(ctx, on); err != nil {
			t.Fatal(err)
		}
	}
	if got := flagged(); len(got) != 0 {
		t.Errorf("nobody opted in: %v", got)
	}
	share(acme, true)
	if got := flagged(); len(got) != 0 {
		t.Errorf("only acme (the giver) opted in: %v", got)
	}
	share(acme, false)
	share(globex, true)
	if got := flagged(); len(got) != 0 {
		t.Errorf("only globex (the receiver) opted in: %v", got)
	}
	share(acme, true)
	want := []string{"G200: payout 5d41402a… is burned (case 12 of tenant acme (operative E4410, burned 2026-03-02))"}
	if diff := cmp.Diff(want, flagged()); diff != "" {
		t.Errorf("both opted in (-want +got):\n%s", diff)
	}
	// Acme's own analysis is unchanged: its list holds no tenant.
	pol, err := WithSuppressions(ctx, nil, acme, hired)
	if err != nil {
		t.Fatal(err)
	}
	if len(pol.Watchlist) != 1 || pol.Watchlist[0].Tenant != "" || !strings.HasPrefix(pol.Watchlist[0].Value, "5d41402a") {
		t.Errorf("acme's watchlist: %+v", pol.Watchlist)
	}
}
