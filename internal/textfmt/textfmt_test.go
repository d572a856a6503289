package textfmt

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestFormats(t *testing.T) {
	at := time.Date(2025, 3, 3, 23, 5, 0, 0, time.FixedZone("UTC-5", -5*3600))
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"date_in_utc", Date(at, "—"), "2025-03-04"},
		{"date_zero", Date(time.Time{}, "an unknown date"), "an unknown date"},
		{"stamp_in_utc", Stamp(at), "2025-03-04 04:05 UTC"},
		{"plural_one", Plural(1, "day", "days"), "day"},
		{"plural_zero", Plural(0, "day", "days"), "days"},
		{"count_one", Count(1, "person", "people"), "1 person"},
		{"count_many", Count(1234, "person", "people"), "1234 people"},
		{"quantity_many", Quantity(1234567, "record", "records"), "1,234,567 records"},
		{"quantity_one", Quantity(1, "record", "records"), "1 record"},
		{"thousands_small", Thousands(999), "999"},
		{"thousands_negative", Thousands(-123456), "-123,456"},
		{"thousands_exact", Thousands(100000), "100,000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestRound2(t *testing.T) {
	for _, tt := range []struct{ in, want float64 }{
		{0.125, 0.13}, {0.124, 0.12}, {1, 1}, {0.999, 1}, {-0.125, -0.13},
	} {
		if got := Round2(tt.in); got != tt.want {
			t.Errorf("Round2(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
