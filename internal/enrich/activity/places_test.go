package activity

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

var t0 = time.Date(2025, 3, 3, 14, 0, 0, 0, time.UTC)

func clockEvent(rec int, at time.Time, tz string) *event.Event {
	return &event.Event{Kind: event.KindDevice, Time: at, Prov: event.Provenance{Origin: &event.Origin{Source: "osquery"}, Record: rec},
		Device: &event.Device{HostID: "h1", Table: "time", Action: "snapshot", Rows: event.RowsOf(map[string]string{"local_timezone": tz, "timezone": "UTC"})}}
}

func placeEvent(rec int, at time.Time, n event.Network) *event.Event {
	return &event.Event{Kind: event.KindSignIn, Time: at, Prov: event.Provenance{Origin: &event.Origin{Source: "okta"}, Record: rec},
		SignIn: &event.SignIn{Action: "user.session.start", Outcome: event.OutcomeSuccess, Net: &n}}
}

var (
	seoulNet = event.Network{IP: netip.MustParseAddr("198.51.100.7"), Country: "KR", Lat: 37.57, Lon: 126.98, HasGeo: true, ASN: 4766, ASOrg: "korea telecom"}
	vpnNet   = event.Network{IP: netip.MustParseAddr("203.0.113.60"), Country: "US", ASN: 9009, ASOrg: "m247 europe srl", IsProxy: true}
	chiNet   = event.Network{IP: netip.MustParseAddr("192.0.2.30"), Country: "US", Lat: 41.88, Lon: -87.63, HasGeo: true, ASN: 7922, ASOrg: "comcast"}
)

func TestClocksAndPlaces(t *testing.T) {
	p := stamped(&person{ID: "E1",
		Devices: []*event.Event{clockEvent(1, t0, "KST"), clockEvent(2, t0.AddDate(0, 0, 1), "UTC"), clockEvent(3, t0.AddDate(0, 0, 2), "CST")},
		SignIns: []*event.Event{placeEvent(4, t0, seoulNet), placeEvent(5, t0.Add(time.Hour), vpnNet), placeEvent(6, t0.AddDate(0, 0, 20), chiNet)},
	})
	var clocks []int
	for _, c := range Clocks(p.Devices) {
		clocks = append(clocks, c.Event.Prov.Record)
	}
	if diff := cmp.Diff([]int{1, 3}, clocks); diff != "" {
		t.Errorf("clock records (-want +got):\n%s", diff)
	}
	allow := &policy.Allow{Travel: []policy.TravelEntry{{Person: "E1", Countries: []string{"US"}, From: t0.AddDate(0, 0, 19), To: t0.AddDate(0, 0, 21)}}}
	places := Places(p.ID, p.SignIns, allow, nil)
	if len(places) != 1 || places[0].Country != "KR" || !cmp.Equal(places[0].Offsets(), []int{540}) {
		t.Errorf("places %+v, want the Seoul sign-in only (VPN and travel left out)", places)
	}
	if got := Places(p.ID, p.SignIns, nil, nil); len(got) != 2 || got[1].Country != "US" {
		t.Errorf("places without a travel window: %+v", got)
	}
}

func TestDays(t *testing.T) {
	p := stamped(&person{ID: "E1",
		Devices: []*event.Event{clockEvent(1, t0, "KST")},
		SignIns: []*event.Event{
			placeEvent(2, t0.Add(-24*time.Hour), chiNet), // before any reading
			placeEvent(3, t0.Add(2*time.Hour), chiNet),   // the reading's day
			placeEvent(4, t0.AddDate(0, 0, 3), chiNet),   // within reach
			placeEvent(5, t0.AddDate(0, 0, 9), seoulNet), // too long after
			placeEvent(6, t0.AddDate(0, 0, 3).Add(time.Hour), seoulNet),
		},
	})
	var got [][]int // day, then the records of its places in order
	for _, d := range Days(Clocks(p.Devices), Places(p.ID, p.SignIns, nil, nil)) {
		row := []int{d.Day.Day()}
		for _, pl := range d.Places {
			row = append(row, pl.Event.Prov.Record)
		}
		got = append(got, row)
	}
	if diff := cmp.Diff([][]int{{3, 3}, {6, 4, 6}}, got); diff != "" {
		t.Errorf("days (-want +got):\n%s", diff)
	}
}

func TestTripLikeAndWeeks(t *testing.T) {
	days := func(offsets ...int) []time.Time {
		var out []time.Time
		for _, o := range offsets {
			out = append(out, DayOf(t0.AddDate(0, 0, o)))
		}
		return out
	}
	for _, tc := range []struct {
		days []time.Time
		trip bool
	}{
		{days(0, 1, 2, 3, 10, 12), true},        // one stay of 12 days
		{days(0, 1, 2, 40, 41), true},           // two short stays
		{days(0, 1, 40, 41, 80, 81), false},     // three stays
		{days(0, 5, 10, 15, 20, 25, 30), false}, // one long stay
		{nil, true},
	} {
		if got := TripLike(tc.days); got != tc.trip {
			t.Errorf("TripLike(%v) = %v, want %v", tc.days, got, tc.trip)
		}
	}
	if w := Weeks(days(0, 1, 7, 8, 14)); w != 3 {
		t.Errorf("Weeks = %d, want 3", w)
	}
}

func TestClockFits(t *testing.T) {
	aug := time.Date(2026, 8, 12, 15, 0, 0, 0, time.UTC)
	jan := time.Date(2026, 1, 12, 15, 0, 0, 0, time.UTC)
	texas := event.Network{IP: netip.MustParseAddr("192.0.2.50"), Country: "US", Region: "Texas", City: "Houston", Lat: 29.76, Lon: -95.37, HasGeo: true, ASN: 7922, ASOrg: "comcast"}
	buffalo := event.Network{IP: netip.MustParseAddr("192.0.2.51"), Country: "US", Region: "New York", City: "Buffalo", Lat: 42.89, Lon: -78.88, HasGeo: true, ASN: 7922, ASOrg: "comcast"}
	place := func(n event.Network, at time.Time) Place {
		p := stamped(&person{SignIns: []*event.Event{placeEvent(1, at, n)}})
		return Places(p.ID, p.SignIns, nil, nil)[0]
	}
	setting := func(label string) Setting { s, _ := ParseSetting(label); return s }
	for _, tc := range []struct {
		name  string
		label string
		n     event.Network
		at    time.Time
		fits  bool
	}{
		{"central_daylight_in_texas", "CDT", texas, aug, true},
		{"cst_in_august_is_not_texas", "CST", texas, aug, false},
		{"cst_in_january_may_be_texas", "CST", texas, jan, true},
		{"korea_in_texas", "KST", texas, aug, false},
		{"iana_name_by_offset", "America/Chicago", texas, aug, true},
		{"toronto_clock_in_buffalo", "America/Toronto", buffalo, aug, true},
		{"windows_name_by_offset", "Central Standard Time", texas, jan, true},
		{"seoul_sign_in_with_kst", "KST", seoulNet, aug, true},
	} {
		if got := ClockFitsPlace(setting(tc.label), place(tc.n, tc.at), tc.at, 120); got != tc.fits {
			t.Errorf("%s: ClockFitsPlace = %v, want %v", tc.name, got, tc.fits)
		}
	}
	claim := Claim{Country: "US", Zones: RegionZones("US", "IL")}
	if ClockFitsClaim(setting("CST"), claim, aug, 120) {
		t.Error(`"CST" in August fits an Illinois claim`)
	}
	if !ClockFitsClaim(setting("CDT"), claim, aug, 120) || !ClockFitsClaim(setting("CST"), claim, jan, 120) {
		t.Error("Central time does not fit an Illinois claim")
	}
	if got := setting("CST").Describe(aug); !strings.HasPrefix(got, "CST (UTC−6: ") || !strings.Contains(got, "MX") || !strings.HasSuffix(got, "; UTC+8: CN, MO, TW)") {
		t.Errorf("Describe = %q, want the readings with their zones", got)
	}
	if got := setting("Asia/Seoul").Describe(aug); got != "Asia/Seoul (UTC+9)" {
		t.Errorf("Describe = %q", got)
	}
}
