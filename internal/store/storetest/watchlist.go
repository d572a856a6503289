package storetest

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/store"
)

// RunWatchlist runs the conformance suite of store.Watchlist against the
// backend open opens (open with the same t returns stores over the same
// database, for the tenant given).
func RunWatchlist(t *testing.T, open func(t *testing.T, tenant string) store.Watchlist) {
	ctx := t.Context()
	w := open(t, "")
	entries := []policy.Burned{
		{Kind: policy.BurnedPayout, Value: "5d41402abc4b2a76b9719d911017c592", Case: "case 12", Person: "E4410", Added: t0},
		{Kind: policy.BurnedPhone, Value: "+12535550143", Case: "case 12", Person: "E4410", Added: t0},
		{Kind: policy.BurnedPhone, Value: "+12535550143", Case: "ISAC 2025-17"}, // same phone, another case; no time
		{Kind: policy.BurnedEmail, Value: "odd'quote\"bytes@example.com", Case: "case 12", Person: "E4410", Added: t0},
	}
	n, err := w.AddBurned(ctx, entries)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(entries) {
		t.Errorf("AddBurned added %d, want %d", n, len(entries))
	}
	again := append(entries[:1:1], policy.Burned{Kind: policy.BurnedIP, Value: "198.51.100.7", Case: "case 13", Person: "E5000", Added: t0})
	if n, err = w.AddBurned(ctx, again); err != nil || n != 1 {
		t.Errorf("AddBurned(one old, one new) = %d, %v; want 1, nil", n, err)
	}
	got, err := w.Burned(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []policy.Burned{entries[3], again[1], entries[0], entries[2], entries[1]} // by kind, value, case
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Burned (-want +got):\n%s", diff)
	}
	other, err := open(t, "other").Burned(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(other) != 0 {
		t.Errorf("tenant other sees %d watchlist entries of the default tenant", len(other))
	}
}

// RunWatchlistSharing runs the conformance suite of
// store.WatchlistSharing: tenants read each other's entries only when both
// opted in, and their own lists never change.
func RunWatchlistSharing(t *testing.T, open func(t *testing.T, tenant string) store.Watchlist) {
	ctx := t.Context()
	sharing := func(tenant string) (store.Watchlist, store.WatchlistSharing) {
		w := open(t, tenant)
		s, ok := w.(store.WatchlistSharing)
		if !ok {
			t.Fatalf("%T does not implement store.WatchlistSharing", w)
		}
		return w, s
	}
	a, as := sharing("acme")
	b, bs := sharing("globex")
	c, cs := sharing("initech")
	payout := policy.Burned{Kind: policy.BurnedPayout, Value: "5d41402abc4b2a76b9719d911017c592", Case: "case 12", Person: "E4410", Added: t0}
	phone := policy.Burned{Kind: policy.BurnedPhone, Value: "+12535550143", Case: "case 3", Person: "G77", Added: t0}
	ip := policy.Burned{Kind: policy.BurnedIP, Value: "198.51.100.7", Case: "case 9", Person: "I5"}
	for _, x := range []struct {
		w store.Watchlist
		b policy.Burned
	}{{a, payout}, {b, phone}, {c, ip}} {
		if _, err := x.w.AddBurned(ctx, []policy.Burned{x.b}); err != nil {
			t.Fatal(err)
		}
	}
	shared := func(s store.WatchlistSharing) []policy.Burned {
		t.Helper()
		got, err := s.SharedBurned(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	optIn := func(s store.WatchlistSharing, on bool) {
		t.Helper()
		if err := s.ShareWatchlist(ctx, on); err != nil {
			t.Fatal(err)
		}
		if got, err := s.SharesWatchlist(ctx); err != nil || got != on {
			t.Fatalf("SharesWatchlist = %v, %v after ShareWatchlist(%v)", got, err, on)
		}
	}
	fromAcme, fromGlobex := payout, phone
	fromAcme.Tenant, fromGlobex.Tenant = "acme", "globex"

	if got := shared(bs); len(got) != 0 {
		t.Errorf("nobody opted in, globex reads %v", got)
	}
	optIn(as, true)
	if got := shared(bs); len(got) != 0 {
		t.Errorf("only acme opted in, globex reads %v", got)
	}
	if got := shared(as); len(got) != 0 {
		t.Errorf("only acme opted in, acme reads %v", got)
	}
	optIn(bs, true)
	optIn(bs, true) // twice is once
	if diff := cmp.Diff([]policy.Burned{fromAcme}, shared(bs)); diff != "" {
		t.Errorf("both opted in, globex reads (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]policy.Burned{fromGlobex}, shared(as)); diff != "" {
		t.Errorf("both opted in, acme reads (-want +got):\n%s", diff)
	}
	if got := shared(cs); len(got) != 0 {
		t.Errorf("initech did not opt in and reads %v", got)
	}
	if own, err := b.Burned(ctx); err != nil || len(own) != 1 || own[0].Tenant != "" {
		t.Errorf("globex's own list is %v, %v; want its one entry, without a tenant", own, err)
	}
	optIn(as, false)
	if got := shared(bs); len(got) != 0 {
		t.Errorf("acme opted out, globex still reads %v", got)
	}
}
