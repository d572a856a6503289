package signin

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

func TestLocationMismatch(t *testing.T) {
	berlin := event.Network{IP: homeChicago.IP.Next(), Country: "DE", City: "Berlin", Lat: 52.52, Lon: 13.40, HasGeo: true, ASN: 3320, ASOrg: "deutsche telekom ag"}
	abroad := policy.Default()
	abroad.Allow.Travel = []policy.TravelEntry{{Person: "E1", Countries: []string{"CN"}, From: exampleStart, To: exampleStart.AddDate(0, 0, 60),
		Entry: policy.Entry{Reason: "assignment at the Shenyang plant"}}}
	// days makes n days of a clock reading and a sign-in.
	days := func(roster staff, n int, tz func(i int) string, net func(i int) event.Network) []*event.Event {
		events := []*event.Event{roster.event()}
		for i := range n {
			d := exampleStart.AddDate(0, 0, i)
			events = append(events, clockRow(2*i+2, "LT-1", "e1", d, tz(i)), oktaSignIn(2*i+3, "e1@example.com", d.Add(time.Hour), net(i)))
		}
		return events
	}
	always := func(s string) func(int) string { return func(int) string { return s } }
	clock := func(zone string) func(int) string {
		return func(i int) string { return zoneAbbreviation(zone, exampleStart.AddDate(0, 0, i)) }
	}
	from := func(n event.Network) func(int) event.Network { return func(int) event.Network { return n } }
	illinois := staff{record: 1, id: "E1", email: "e1@example.com", country: "US", region: "IL", tz: "America/Chicago"}
	germany := staff{record: 1, id: "E1", email: "e1@example.com", country: "DE", tz: "Europe/Berlin"}
	tests := []struct {
		name   string
		events []*event.Event
		pol    *policy.Policy
		want   []verdict
	}{
		{
			name:   "abroad_with_a_matching_clock",
			events: days(illinois, 35, always("China Standard Time"), from(shenyang)),
			want:   []verdict{{Person: "E1", Confidence: 0.85}},
		},
		{
			// Sign-ins from China, the laptop on Korea time: an hour apart,
			// neighbours — the two agree against HR.
			name:   "china_sign_ins_korea_clock",
			events: days(illinois, 35, always("KST"), from(shenyang)),
			want:   []verdict{{Person: "E1", Confidence: 0.85}},
		},
		{
			name:   "three_way",
			events: days(germany, 35, always("KST"), from(homeChicago)),
			want:   []verdict{{Person: "E1", Confidence: 1}},
		},
		{
			// Sign-ins at home: NET-02 and END-08 have nothing; neither
			// has IAM-08 (only the clock disagrees).
			name:   "clock_alone_disagrees",
			events: days(illinois, 35, always("KST"), from(homeChicago)),
		},
		{
			name:   "sign_ins_alone_disagree",
			events: days(illinois, 35, clock("America/Chicago"), from(shenyang)),
		},
		{
			name: "two_week_trip",
			events: days(illinois, 35, func(i int) string {
				if i >= 10 && i < 24 {
					return clock("Europe/Berlin")(i)
				}
				return clock("America/Chicago")(i)
			}, func(i int) event.Network {
				if i >= 10 && i < 24 {
					return berlin
				}
				return homeChicago
			}),
		},
		{
			// Moved from Illinois to the West Coast without telling HR; the
			// laptop follows: a weak finding.
			name: "moved_within_the_country",
			events: days(illinois, 35, clock("America/Los_Angeles"), from(event.Network{IP: homeChicago.IP.Next(), Country: "US",
				Region: "California", City: "San Francisco", Lat: 37.77, Lon: -122.42, HasGeo: true, ASN: 7018, ASOrg: "at&t"})),
			want: []verdict{{Person: "E1", Confidence: 0.51}},
		},
		{name: "approved_assignment", events: days(illinois, 35, always("KST"), from(shenyang)), pol: abroad},
		{name: "vpn_hides_the_geography", events: days(illinois, 35, always("KST"), from(m247VPN))},
		{name: "no_clock_readings", events: days(illinois, 35, always(""), from(shenyang))},
		{
			name: "a_minority_of_days",
			events: days(illinois, 35, func(i int) string {
				if i%3 == 0 {
					return "KST"
				}
				return clock("America/Chicago")(i)
			}, func(i int) event.Network {
				if i%3 == 0 {
					return shenyang
				}
				return homeChicago
			}),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, fs := detectAll(t, &LocationMismatch{}, tc.pol, tc.events)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				for _, f := range fs {
					t.Log(f.Summary)
				}
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLocationMismatchSummary(t *testing.T) {
	ex := (&LocationMismatch{}).Examples().Positive
	_, fs := detectAll(t, &LocationMismatch{}, nil, ex.Events)
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1", len(fs))
	}
	want := "HR places the person at roster timezone America/Chicago, home IL, US, but on 35 of 35 days with sign-ins and a laptop " +
		"clock reading (100%, in 5 weeks) the sign-ins came from CN (Liaoning) ×35 and the laptop clock was set to KST (UTC+9: KP, KR) ×35; " +
		"sign-ins and laptop clock agree with each other, not with HR (records of the first 9 of 35 days cited)"
	if fs[0].Summary != want {
		t.Errorf("summary\n%q, want\n%q", fs[0].Summary, want)
	}
	if !strings.HasPrefix(fs[0].Evidence[0].Summary, "roster: roster timezone America/Chicago") {
		t.Errorf("first evidence %+v", fs[0].Evidence[0])
	}
}
