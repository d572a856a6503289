package activity

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestCountryZones(t *testing.T) {
	if n := len(CountryZones("US")); n < 20 {
		t.Errorf("US has %d zones, want the tz database's ~29", n)
	}
	if zs := CountryZones("Korea, Republic of"); len(zs) != 1 || zs[0].Name != "Asia/Seoul" {
		t.Errorf("CountryZones(South Korea by name) = %+v", zs)
	}
	if zs := CountryZones("ZZ"); zs != nil {
		t.Errorf("unknown country has zones %+v", zs)
	}
	if c := ZoneCountry("America/Chicago"); c != "US" {
		t.Errorf("ZoneCountry(America/Chicago) = %q", c)
	}
}

func TestZonesNear(t *testing.T) {
	jan := time.Date(2025, 1, 15, 12, 0, 0, 0, time.UTC)
	// Dallas without a state: the zones whose principal cities lie within
	// reach (Denver, Chicago, Indiana…), not Honolulu.
	offs := ZoneOffsets(ZonesNear("US", "", 32.78, -96.80, true), jan)
	if !slices.Contains(offs, -360) || slices.Contains(offs, -600) {
		t.Errorf("offsets near Dallas %v, want Central and its neighbours only", offs)
	}
	// Seattle with its state: Pacific (Los Angeles is 1,500 km away).
	jul := time.Date(2025, 7, 15, 12, 0, 0, 0, time.UTC)
	if offs := ZoneOffsets(ZonesNear("US", "Washington", 47.61, -122.33, true), jul); !slices.Contains(offs, -420) {
		t.Errorf("offsets near Seattle %v, want Pacific", offs)
	}
	// Seoul: the only zone.
	if offs := ZoneOffsets(ZonesNear("KR", "", 37.57, 126.98, true), jan); !slices.Equal(offs, []int{540}) {
		t.Errorf("offsets near Seoul %v", offs)
	}
	// No coordinates: the state, else the whole country.
	if offs := ZoneOffsets(ZonesNear("US", "IL", 0, 0, false), jan); !slices.Equal(offs, []int{-360}) {
		t.Errorf("Illinois offsets %v", offs)
	}
	all := ZoneOffsets(ZonesNear("US", "", 0, 0, false), jan)
	if !slices.Contains(all, -600) || !slices.Contains(all, -300) {
		t.Errorf("US offsets %v, want Hawaii to Eastern", all)
	}
}

func TestGapAndFormat(t *testing.T) {
	if g := Gap([]int{-360, -300}, []int{540}); g != 840 {
		t.Errorf("Gap = %d, want 840", g)
	}
	if g := Gap(nil, []int{0}); g != -1 {
		t.Errorf("Gap(nil) = %d, want -1", g)
	}
	got := []string{FormatOffset(540), FormatOffset(-300), FormatOffset(330), FormatOffsets([]int{-360, -300}), FormatOffsets(nil)}
	want := []string{"UTC+9", "UTC−5", "UTC+5:30", "UTC−6/−5", "unknown"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("formatting (-want +got):\n%s", diff)
	}
}
