package main

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rollcall/rollcall/internal/enrich/ipintel"
	"github.com/rollcall/rollcall/internal/event"
)

func TestBuild(t *testing.T) {
	dir := t.TempDir()
	v4 := filepath.Join(dir, "asn-ipv4.csv")
	v6 := filepath.Join(dir, "asn-ipv6.csv")
	// Rows as @ip-location-db/asn ships them (no header; quoted names
	// with commas).
	if err := os.WriteFile(v4, []byte(`1.0.0.0,1.0.0.255,13335,"Cloudflare, Inc."
5.1.0.0,5.1.63.255,9009,M247 Europe SRL
8.8.8.0,8.8.8.255,15169,Google LLC
`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(v6, []byte("2a03:2880::,2a03:2880:ffff:ffff:ffff:ffff:ffff:ffff,32934,Facebook\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "asn.mmdb")
	st, err := build(out, []string{v4, v6})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(stats{rows: 4, inserted: 4}, st, cmp.AllowUnexported(stats{})); diff != "" {
		t.Errorf("stats mismatch (-want +got):\n%s", diff)
	}
	db, err := ipintel.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := db.Databases()[0]; got.Layout != ipintel.LayoutFlat || strings.Join(got.Provides, ",") != "asn" {
		t.Errorf("database info = %+v, want a flat ASN database", got)
	}
	tests := []struct {
		ip   string
		want event.IPIntel
	}{
		{"1.0.0.1", event.IPIntel{ASN: 13335, ASOrg: "Cloudflare, Inc.", Anonymizer: "Cloudflare Inc."}},
		{"5.1.10.20", event.IPIntel{ASN: 9009, ASOrg: "M247 Europe SRL", Anonymizer: "M247 Europe SRL", IsHosting: true}},
		{"2a03:2880::1", event.IPIntel{ASN: 32934, ASOrg: "Facebook"}},
		{"9.9.9.9", event.IPIntel{}},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, db.Lookup(netip.MustParseAddr(tc.ip))); diff != "" {
			t.Errorf("Lookup(%s) mismatch (-want +got):\n%s", tc.ip, diff)
		}
	}
}

func TestBuildRejectsOtherFiles(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "country.csv")
	if err := os.WriteFile(in, []byte("1.0.0.0,1.0.0.255,AU\n1.0.1.0,1.0.3.255,CN\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := build(filepath.Join(dir, "asn.mmdb"), []string{in})
	if err == nil || !strings.Contains(err.Error(), "no ranges read") {
		t.Errorf("error = %v, want a refusal", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "asn.mmdb")); !os.IsNotExist(err) {
		t.Errorf("output written for a refused input (stat: %v)", err)
	}
}
