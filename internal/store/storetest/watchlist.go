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
