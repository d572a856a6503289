package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/internal/policy"
)

var burnedAt = time.Date(2026, 5, 20, 0, 0, 0, 0, time.UTC)

func burnedList() []policy.Burned {
	return []policy.Burned{
		{Kind: policy.BurnedPayout, Value: "5d41402abc4b2a76b9719d911017c592", Case: "case 12", Person: "E4410", Added: burnedAt},
		{Kind: policy.BurnedDevice, Value: "C02XK1ZJHV2T", Case: "case 12", Person: "E4410", Added: burnedAt},
		{Kind: policy.BurnedIP, Value: "2001:db8::7", Case: "case 12", Person: "E4410", Added: burnedAt},
		{Kind: policy.BurnedGitHub, Value: "dev-kestrel", Case: "case 12", Person: "E4410", Added: burnedAt},
		{Kind: policy.BurnedPhone, Value: "+12535550143", Case: "case 12", Person: "E4410", Added: burnedAt},
		{Kind: policy.BurnedEmail, Value: "o'neil@example.net", Case: "case 13", Person: "E5000"},
		{Kind: policy.BurnedAddress, Value: "1207 harbor view dr unit 4||tacoma|US", Case: "case 13", Person: "E5000"},
		{Kind: policy.BurnedIP, Value: "198.51.100.7", Case: "case 9", Tenant: "globex"}, // another tenant's: never re-shared
	}
}

// TestSTIXWatchlistSpec validates the watchlist bundle against the same
// rules as the cell bundle and checks what it leaves out.
func TestSTIXWatchlistSpec(t *testing.T) {
	for _, pii := range []bool{false, true} {
		var buf bytes.Buffer
		if err := (STIXWatchlist{Time: burnedAt, IncludePII: pii}).Write(&buf, burnedList()); err != nil {
			t.Fatal(err)
		}
		doc := decodeSTIX(t, buf.Bytes())
		for _, e := range validateSTIX(doc) {
			t.Errorf("include_pii=%v: %s", pii, e)
		}
		text := buf.String()
		for _, s := range []string{"[x-rollcall-payout-fingerprint:value = '5d41402a…']", "[ipv6-addr:value = '2001:db8::7']",
			"[url:value = 'https://github.com/dev-kestrel']", "[x-rollcall-device-serial:value = 'C02XK1ZJHV2T']", `"name": "case 12"`} {
			if !strings.Contains(text, s) {
				t.Errorf("include_pii=%v: bundle lacks %s", pii, s)
			}
		}
		for _, s := range []string{"5d41402abc4b", "E4410", "198.51.100.7"} {
			if strings.Contains(text, s) {
				t.Errorf("include_pii=%v: bundle holds %s", pii, s)
			}
		}
		for _, s := range []string{`o\\'neil@example.net`, "+12535550143", "1207 harbor view dr unit 4, , tacoma, US"} {
			if got := strings.Contains(text, s); got != pii {
				t.Errorf("personal data %s in the bundle: %v, want %v", s, got, pii)
			}
		}
	}
}
