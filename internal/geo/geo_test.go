package geo

import (
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLookup(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"alpha2_upper", "US", "US"},
		{"alpha2_lower", "kp", "KP"},
		{"alpha3", "PRK", "KP"},
		{"okta_name", "United States", "US"},
		{"long_name", "United States of America", "US"},
		{"iso_inverted_name", "Korea, Republic of", "KR"},
		{"iso_inverted_dprk", "Korea, Democratic People's Republic of", "KP"},
		{"common_name", "Russia", "RU"},
		{"iso_name", "Russian Federation", "RU"},
		{"accent", "Côte d'Ivoire", "CI"},
		{"no_accent", "Cote d'Ivoire", "CI"},
		{"alias_ivory_coast", "Ivory Coast", "CI"},
		{"curly_apostrophe", "Côte d’Ivoire", "CI"},
		{"ampersand", "Bosnia & Herzegovina", "BA"},
		{"saint_abbrev", "St. Kitts and Nevis", "KN"},
		{"saint_inner", "Sint Maarten", "SX"},
		{"leading_the", "The Netherlands", "NL"},
		{"extra_spaces", "  united   kingdom ", "GB"},
		{"uk", "UK", "GB"},
		{"dotted", "U.S.A.", "US"},
		{"kosovo", "Kosovo", "XK"},
		{"turkiye", "Türkiye", "TR"},
		{"vietnam", "Viet Nam", "VN"},
		{"hyphen", "Timor-Leste", "TL"},
		{"brackets", "Falkland Islands (Malvinas)", "FK"},
		{"unknown", "Atlantis", ""},
		{"empty", "", ""},
		{"invalid_utf8", "\xff\xfe", ""},
		{"punctuation_only", "...", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Alpha2(tc.in); got != tc.want {
				t.Errorf("Alpha2(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestTableIsConsistent(t *testing.T) {
	seen := map[string]string{}
	for i, c := range countries {
		if len(c.Alpha2) != 2 || strings.ToUpper(c.Alpha2) != c.Alpha2 {
			t.Errorf("%q: bad alpha-2", c.Alpha2)
		}
		if len(c.Alpha3) != 3 || strings.ToUpper(c.Alpha3) != c.Alpha3 {
			t.Errorf("%q: bad alpha-3 %q", c.Alpha2, c.Alpha3)
		}
		if i > 0 && countries[i-1].Alpha2 >= c.Alpha2 {
			t.Errorf("%q: table not sorted by alpha-2", c.Alpha2)
		}
		if c.Lat < -90 || c.Lat > 90 || c.Lon < -180 || c.Lon > 180 {
			t.Errorf("%q: centroid %v,%v out of range", c.Alpha2, c.Lat, c.Lon)
		}
		if c.Name == "" {
			t.Errorf("%q: no name", c.Alpha2)
		}
		// No name may point at two countries.
		for _, n := range append([]string{c.Alpha2, c.Alpha3, c.Name}, c.aliases...) {
			k := normalize(n)
			if k == "" {
				t.Errorf("%q: name %q normalizes to nothing", c.Alpha2, n)
			}
			if prev, ok := seen[k]; ok && prev != c.Alpha2 {
				t.Errorf("name %q (key %q) used by both %s and %s", n, k, prev, c.Alpha2)
			}
			seen[k] = c.Alpha2
			if got := Alpha2(n); got != c.Alpha2 {
				t.Errorf("Alpha2(%q) = %q, want %q", n, got, c.Alpha2)
			}
		}
	}
	if n := len(countries); n != 250 {
		t.Errorf("table has %d countries, want 249 ISO 3166-1 entries + XK", n)
	}
}

func TestByAlpha2(t *testing.T) {
	got, ok := ByAlpha2("kp")
	want := Country{Alpha2: "KP", Alpha3: "PRK", Name: "North Korea", Lat: 40.339852, Lon: 127.510093}
	if !ok {
		t.Fatal("ByAlpha2(\"kp\") not found")
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ByAlpha2 (-want +got):\n%s", diff)
	}
	for _, code := range []string{"", "K", "ZZ", "USA", "United States"} {
		if _, ok := ByAlpha2(code); ok {
			t.Errorf("ByAlpha2(%q) found a country", code)
		}
	}
	if got := len(Countries()); got != len(countries) {
		t.Errorf("Countries() returned %d, want %d", got, len(countries))
	}
}

func TestDistanceKm(t *testing.T) {
	tests := []struct {
		name                   string
		lat1, lon1, lat2, lon2 float64
		want, tolerance        float64
	}{
		{"same_point", 51.5, -0.12, 51.5, -0.12, 0, 0.001},
		{"london_new_york", 51.5074, -0.1278, 40.7128, -74.0060, 5570, 15},
		{"pyongyang_seoul", 39.0392, 125.7625, 37.5665, 126.9780, 195, 5},
		{"antipodes", 0, 0, 0, 180, math.Pi * earthRadiusKm, 0.5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := DistanceKm(tc.lat1, tc.lon1, tc.lat2, tc.lon2)
			if math.Abs(got-tc.want) > tc.tolerance {
				t.Errorf("DistanceKm = %.1f, want %.1f ± %.1f", got, tc.want, tc.tolerance)
			}
		})
	}
}
