package activity

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

func TestParseSetting(t *testing.T) {
	winter := time.Date(2025, 1, 15, 12, 0, 0, 0, time.UTC)
	summer := time.Date(2025, 7, 15, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		label        string
		ok, utc      bool
		winter, summ []int
	}{
		{label: "Asia/Seoul", ok: true, winter: []int{540}, summ: []int{540}},
		{label: "America/Chicago", ok: true, winter: []int{-360}, summ: []int{-300}},
		{label: "KST", ok: true, winter: []int{540}, summ: []int{540}},
		// In summer Chicago and Havana are on CDT: "CST" is China's, Mexico
		// City's or Central America's.
		{label: "CST", ok: true, winter: []int{-360, -300, 480}, summ: []int{-360, 480}},
		{label: "ChST", ok: true, winter: []int{600}, summ: []int{600}},
		{label: "PDT", ok: true, winter: []int{-420}, summ: []int{-420}},
		{label: "IST", ok: true, winter: []int{120, 330}, summ: []int{60, 330}},
		{label: "BST", ok: true, winter: []int{360}, summ: []int{60, 360}},
		{label: "Korea Standard Time", ok: true, winter: []int{540}, summ: []int{540}},
		{label: "Pacific Daylight Time", ok: true, winter: []int{-420}, summ: []int{-420}},
		{label: "china standard time", ok: true, winter: []int{480}, summ: []int{480}},
		{label: "+08", ok: true, winter: []int{480}, summ: []int{480}},
		{label: "+0530", ok: true, winter: []int{330}, summ: []int{330}},
		{label: "GMT-05:00", ok: true, winter: []int{-300}, summ: []int{-300}},
		{label: "UTC+9", ok: true, winter: []int{540}, summ: []int{540}},
		{label: "GMT", ok: true, winter: []int{0}, summ: []int{0}},
		{label: "Europe/London", ok: true, winter: []int{0}, summ: []int{60}},
		{label: "UTC", ok: true, utc: true, winter: []int{0}, summ: []int{0}},
		{label: "Etc/UTC", ok: true, utc: true, winter: []int{0}, summ: []int{0}},
		{label: "Coordinated Universal Time", ok: true, utc: true, winter: []int{0}, summ: []int{0}},
		{label: ""},
		{label: "Mars/Olympus_Mons"},
		{label: "XYZT"},
		{label: "+19"},
	}
	for _, tc := range tests {
		t.Run(tc.label, func(t *testing.T) {
			s, ok := ParseSetting(tc.label)
			if ok != tc.ok || s.UTC != tc.utc {
				t.Fatalf("ParseSetting(%q) ok=%v utc=%v, want ok=%v utc=%v", tc.label, ok, s.UTC, tc.ok, tc.utc)
			}
			if !ok {
				return
			}
			if diff := cmp.Diff(tc.winter, s.Offsets(winter)); diff != "" {
				t.Errorf("winter offsets (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.summ, s.Offsets(summer)); diff != "" {
				t.Errorf("summer offsets (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDeviceSetting(t *testing.T) {
	at := time.Date(2025, 3, 4, 0, 0, 5, 0, time.UTC)
	tests := []struct {
		name  string
		row   map[string]string
		ok    bool
		utc   bool
		offs  []int
		label string
	}{
		{
			name: "macos_abbreviation",
			row:  map[string]string{"local_timezone": "KST", "timezone": "UTC", "unix_time": "1741046405", "hour": "0"},
			ok:   true, offs: []int{540}, label: "KST",
		},
		{
			name: "windows_name",
			row:  map[string]string{"local_timezone": "China Standard Time", "timezone": "UTC", "unix_time": "1741046405"},
			ok:   true, offs: []int{480}, label: "China Standard Time",
		},
		{
			name: "custom_zone_name_column_wins",
			row:  map[string]string{"zone_name": "America/Denver", "local_timezone": "MST", "timezone": "UTC"},
			ok:   true, offs: []int{-420}, label: "America/Denver",
		},
		{
			name: "legacy_agent_local_time",
			row:  map[string]string{"local_time": "1741078805", "unix_time": "1741046405", "timezone": "UTC"},
			ok:   true, offs: []int{540}, label: "local_time UTC+9",
		},
		{
			name: "legacy_timezone_column",
			row:  map[string]string{"timezone": "JST", "unix_time": "1741046405"},
			ok:   true, offs: []int{540}, label: "JST",
		},
		{
			name: "clock_on_utc",
			row:  map[string]string{"local_timezone": "UTC", "timezone": "UTC", "unix_time": "1741046405"},
			ok:   true, utc: true, offs: []int{0}, label: "UTC",
		},
		{
			name: "modern_osquery_without_local_timezone",
			row:  map[string]string{"timezone": "UTC", "unix_time": "1741046405"},
		},
		{
			name: "not_a_clock_row",
			row:  map[string]string{"name": "AnyDesk", "pid": "42"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, ok := DeviceSetting(event.NewRow(tc.row))
			if ok != tc.ok || s.UTC != tc.utc {
				t.Fatalf("DeviceSetting ok=%v utc=%v, want ok=%v utc=%v (%+v)", ok, s.UTC, tc.ok, tc.utc, s)
			}
			if !ok {
				return
			}
			if s.Label != tc.label {
				t.Errorf("label %q, want %q", s.Label, tc.label)
			}
			if diff := cmp.Diff(tc.offs, s.Offsets(at)); diff != "" {
				t.Errorf("offsets (-want +got):\n%s", diff)
			}
		})
	}
}
