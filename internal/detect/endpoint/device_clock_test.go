package endpoint

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

func TestDeviceClock(t *testing.T) {
	shanghai := event.Network{IP: netip.MustParseAddr("198.51.100.45"), Country: "CN", City: "Shanghai", Lat: 31.23, Lon: 121.47, HasGeo: true, ASN: 4812, ASOrg: "china telecom"}
	vpn := event.Network{IP: netip.MustParseAddr("203.0.113.60"), Country: "US", ASN: 9009, ASOrg: "m247 europe srl", IsProxy: true}
	longStay := policy.Default()
	longStay.Allow.Travel = []policy.TravelEntry{{Person: "E1", Countries: []string{"GB"}, From: exampleStart, To: exampleStart.AddDate(0, 0, 60),
		Entry: policy.Entry{Reason: "secondment to London"}}}
	// days makes n days of one clock reading and one sign-in from
	// net(i).
	days := func(n int, tz func(i int) string, net func(i int) event.Network) []*event.Event {
		events := []*event.Event{rosterRecord(1, "E1", "Sam Reyes", "sreyes", "US")}
		for i := range n {
			d := exampleStart.AddDate(0, 0, i)
			events = append(events, clockReading(2*i+2, "LT-1", "sreyes", d, tz(i)), clockSignIn(2*i+3, "sreyes@example.com", d.Add(5*time.Hour), net(i)))
		}
		return events
	}
	always := func(s string) func(int) string { return func(int) string { return s } }
	// clock is a laptop clock set to zone: its abbreviation on day i.
	clock := func(zone string) func(int) string {
		return func(i int) string { return zoneAbbreviation(zone, exampleStart.AddDate(0, 0, i)) }
	}
	from := func(n event.Network) func(int) event.Network { return func(int) event.Network { return n } }
	tests := []struct {
		name   string
		events []*event.Event
		pol    *policy.Policy
		want   []outcome
	}{
		{name: "korea_clock_chicago_sign_ins", events: days(30, always("KST"), from(clockChicago)), want: []outcome{{Person: "E1", Confidence: 1}}},
		{name: "windows_china_standard_time", events: days(30, always("China Standard Time"), from(clockChicago)), want: []outcome{{Person: "E1", Confidence: 1}}},
		{
			name: "korea_clock_two_thirds_of_the_time",
			events: days(30, func(i int) string {
				if i%3 == 0 {
					return clock("America/Chicago")(i)
				}
				return "KST"
			}, from(clockChicago)),
			want: []outcome{{Person: "E1", Confidence: 0.83}},
		},
		{name: "central_time_in_chicago", events: days(30, clock("America/Chicago"), from(clockChicago))},
		{name: "ambiguous_cst_in_shanghai", events: days(30, always("CST"), from(shanghai))},
		{
			// "CST" in summer is China's: Chicago then shows CDT.
			name: "cst_in_summer_with_chicago_sign_ins", events: days(30, func(i int) string {
				if i < 7 {
					return clock("America/Chicago")(i) // the first week, still winter time
				}
				return "CST"
			}, from(clockChicago)),
			want: []outcome{{Person: "E1", Confidence: 0.88}},
		},
		{name: "eastern_laptop_in_chicago", events: days(30, clock("America/New_York"), from(clockChicago))},
		{
			name: "two_week_trip_clock_left_at_home",
			events: days(30, clock("America/Chicago"), func(i int) event.Network {
				if i >= 10 && i < 24 {
					return clockLondon
				}
				return clockChicago
			}),
		},
		{name: "approved_long_stay_abroad", events: days(30, clock("America/Chicago"), from(clockLondon)), pol: longStay},
		{name: "clock_on_utc", events: days(30, always("UTC"), from(clockChicago))},
		{name: "vpn_sign_ins_have_no_geography", events: days(30, always("KST"), from(vpn))},
		{name: "three_days", events: days(3, always("KST"), from(clockChicago))},
		{
			name: "mismatch_on_a_minority_of_days",
			events: days(30, func(i int) string {
				if i%5 < 2 {
					return "KST"
				}
				return clock("America/Chicago")(i)
			}, from(clockChicago)),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, fs := run(t, &DeviceClock{}, tc.pol, tc.events)
			if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreFields(outcome{}, "Records")); diff != "" {
				for _, f := range fs {
					t.Log(f.Summary)
				}
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDeviceClockSummary(t *testing.T) {
	ex := (&DeviceClock{}).Examples().Positive
	_, fs := run(t, &DeviceClock{}, nil, ex.Events)
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1", len(fs))
	}
	want := "on 30 of 30 days with both a laptop clock reading and located sign-ins (100%, in 5 weeks) the clock, set to KST (UTC+9: KP, KR) ×30, fits none of the sign-in places: US (UTC−5) ×24, US (UTC−6) ×6"
	if !strings.HasPrefix(fs[0].Summary, want) {
		t.Errorf("summary %q, want prefix %q", fs[0].Summary, want)
	}
	if e := fs[0].Evidence[0]; e.File != exampleOsqueryFile || !strings.Contains(e.Summary, "host LT-720 clock set to KST (UTC+9: KP, KR)") {
		t.Errorf("first evidence %+v", e)
	}
}
