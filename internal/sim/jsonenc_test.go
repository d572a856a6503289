package sim

import (
	"encoding/json"
	"testing"
	"time"
)

func TestAppendStr(t *testing.T) {
	for _, s := range []string{"", "plain", `quote " backslash \`, "tab\tnew\nline\r", "\x01\x1f", "Wójcik Łukasz São", "<&>", "bad \xff utf8"} {
		b := appendStr(nil, s)
		var back string
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("appendStr(%q) = %s: invalid JSON: %v", s, b, err)
		}
		want := s
		if s == "bad \xff utf8" {
			want = "bad \ufffd utf8"
		}
		if back != want {
			t.Errorf("appendStr(%q) round-trips to %q", s, back)
		}
	}
}

func FuzzAppendStr(f *testing.F) {
	f.Add("Freya Wójcik")
	f.Add("\"\\\x00")
	f.Fuzz(func(t *testing.T, s string) {
		b := appendStr(nil, s)
		var back string
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("appendStr(%q) = %s: %v", s, b, err)
		}
		want, _ := json.Marshal(s)
		var ref string
		_ = json.Unmarshal(want, &ref)
		if back != ref {
			t.Errorf("appendStr(%q) decodes to %q, encoding/json to %q", s, back, ref)
		}
	})
}

func TestAppendTimeMillis(t *testing.T) {
	tm := time.Date(2026, 8, 1, 14, 3, 11, 123456789, time.FixedZone("x", -5*3600))
	if got, want := string(appendTimeMillis(nil, tm)), `"2026-08-01T19:03:11.123Z"`; got != want {
		t.Errorf("appendTimeMillis = %s, want %s", got, want)
	}
}

func TestUUID1(t *testing.T) {
	tm := time.Date(2020, 2, 14, 22, 18, 51, 843000000, time.UTC)
	u := string(appendUUID1(nil, tm, 0x17fb, [6]byte{0x59, 0x25, 0xe9, 0x82, 0x28, 0xbd}))
	// Okta's own event at this millisecond has uuid "faf7398a-4f77-11ea-…";
	// its last time digits carry microseconds we do not have.
	if u[:6] != "faf739" || u[8:19] != "-4f77-11ea-" || len(u) != 36 {
		t.Errorf("appendUUID1 = %s, want time fields faf739..-4f77-11ea", u)
	}
}
