package profile

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestTimelineAt(t *testing.T) {
	moved := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	tl := Timeline{Homes: []Home{{Country: "US"}, {From: moved, Country: "CA"}}}
	day := 24 * time.Hour
	tests := []struct {
		name string
		at   time.Time
		want []string
	}{
		{name: "long_before", at: moved.Add(-90 * day), want: []string{"US"}},
		{name: "just_before_both", at: moved.Add(-10 * day), want: []string{"US", "CA"}},
		{name: "just_after_both", at: moved.Add(10 * day), want: []string{"CA", "US"}},
		{name: "long_after", at: moved.Add(90 * day), want: []string{"CA"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, h := range tl.At(tc.at) {
				got = append(got, h.Country)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("homes (-want +got):\n%s", diff)
			}
			if tl.CountryAt("CN", tc.at) {
				t.Error("CN claimed, want not")
			}
		})
	}
	if (&Timeline{}).CountryAt("US", moved) {
		t.Error("no claim: CountryAt true, want false")
	}
}
