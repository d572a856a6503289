package phone

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, in, region string
		want             event.Phone
	}{
		{"us_national_with_region", "(202) 555-0143", "us",
			event.Phone{Raw: "(202) 555-0143", E164: "+12025550143", Key: "2025550143", Line: "fixed_line_or_mobile"}},
		{"uk_mobile_international", "+44 7700 900123", "",
			event.Phone{Raw: "+44 7700 900123", Key: "7700900123"}}, // Ofcom drama range: invalid on purpose
		{"us_fixed_or_mobile", "+1 415-867-5309", "",
			event.Phone{Raw: "+1 415-867-5309", E164: "+14158675309", Key: "4158675309", Line: "fixed_line_or_mobile"}},
		{"us_national_read_in_region", "415.867.5309", "US",
			event.Phone{Raw: "415.867.5309", E164: "+14158675309", Key: "4158675309", Line: "fixed_line_or_mobile"}},
		{"uk_mobile", "07911 123456", "GB",
			event.Phone{Raw: "07911 123456", E164: "+447911123456", Key: "7911123456", Line: "mobile"}},
		{"national_without_region", "07911 123456", "",
			event.Phone{Raw: "07911 123456", Key: "7911123456"}},
		{"too_short", "x1234", "US", event.Phone{Raw: "x1234"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Parse(tt.in, tt.region)); diff != "" {
				t.Errorf("Parse(%q, %q) (-want +got):\n%s", tt.in, tt.region, diff)
			}
		})
	}
}

func TestKey(t *testing.T) {
	for in, want := range map[string]string{
		"+1 (312) 555-0101": "3125550101",
		"312.555.0101":      "3125550101",
		"+44 20 7946 0958":  "2079460958",
		"12345":             "",
	} {
		if got := Key(in); got != want {
			t.Errorf("Key(%q) = %q, want %q", in, got, want)
		}
	}
}
