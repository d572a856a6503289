package network

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

func TestForeignGeography(t *testing.T) {
	h := time.Hour
	homeDE := event.Network{IP: netip.MustParseAddr("198.51.100.80"), Country: "DE", City: "Munich", Lat: 48.14, Lon: 11.58, HasGeo: true, ASN: 3320, ASOrg: "deutsche telekom ag"}
	homeCA := event.Network{IP: netip.MustParseAddr("198.51.100.90"), Country: "CA", City: "Toronto", Lat: 43.65, Lon: -79.38, HasGeo: true, ASN: 812, ASOrg: "rogers communications canada inc."}
	zscalerNL := event.Network{IP: netip.MustParseAddr("203.0.113.70"), Country: "NL", City: "Amsterdam", Lat: 52.37, Lon: 4.90, HasGeo: true, ASN: 62044, ASOrg: "zscaler inc.", IsProxy: true}
	vpnNL := event.Network{IP: netip.MustParseAddr("203.0.113.61"), Country: "NL", City: "Amsterdam", Lat: 52.37, Lon: 4.90, HasGeo: true, ASN: 9009, ASOrg: "m247 europe srl", IsProxy: true}
	corpVPN := event.Network{IP: netip.MustParseAddr("203.0.113.90"), Country: "US", ASN: 64500, ASOrg: "example corp vpn"}
	corpEgressSG := event.Network{IP: netip.MustParseAddr("203.0.113.140"), Country: "SG", City: "Singapore", Lat: 1.35, Lon: 103.82, HasGeo: true, ASN: 64501, ASOrg: "example corp"}
	pol := policy.Default()
	pol.Allow.VPNASNs = []policy.ASNEntry{{ASN: 64500, Name: "Example Corp VPN", Entry: policy.Entry{Reason: "corporate GlobalProtect"}}}
	pol.Allow.Egress = []policy.PrefixEntry{{Prefix: netip.MustParsePrefix("203.0.113.140/32"), Entry: policy.Entry{Reason: "Singapore office"}}}
	pol.Allow.Travel = []policy.TravelEntry{{
		Person: "E1", Countries: []string{"DE"}, From: exampleStart.AddDate(0, 0, 14), To: exampleStart.AddDate(0, 0, 56),
		Entry: policy.Entry{Reason: "secondment to the Munich office"},
	}}

	tests := []struct {
		name    string
		country string                // roster home country; "US" when empty
		build   func(p *person) []int // returns the records the finding must cite
		conf    float64               // 0: no finding
	}{
		{
			name: "eight_weeks_from_china",
			build: func(p *person) []int {
				return p.Weekdays(exampleStart, 8, shenyang)[:20]
			},
			conf: 1,
		},
		{
			name: "long_stay_five_weeks_of_ten",
			build: func(p *person) []int {
				p.Weekdays(exampleStart, 5, homeUS)
				return p.Weekdays(exampleStart.AddDate(0, 0, 35), 5, shenyang)[:20]
			},
			conf: 0.9,
		},
		{
			// A laptop farm in the US; the operative's own connection
			// shows between farm sign-ins in four different weeks.
			name: "laptop_farm_leaks_in_four_weeks",
			build: func(p *person) []int {
				var leaks []int
				for w := range 8 {
					for d := range 5 {
						t0 := exampleStart.AddDate(0, 0, 7*w+d).Add(-h)
						p.SignIn(t0, homeUS)
						if w%2 == 0 && d == 2 {
							leaks = append(leaks, p.SignIn(t0.Add(2*h), shenyang))
						}
						p.SignIn(t0.Add(4*h), homeUS)
					}
				}
				return leaks
			},
			conf: 0.6,
		},
		{
			// Always on a VPN with a US exit; China shows when it drops.
			name: "vpn_drops_reveal_china",
			build: func(p *person) []int {
				var leaks []int
				for w := range 6 {
					for d := range 5 {
						t0 := exampleStart.AddDate(0, 0, 7*w+d).Add(-h)
						p.SignIn(t0, m247VPN)
						if w%2 == 0 && d == 1 {
							leaks = append(leaks, p.SignIn(t0.Add(2*h), shenyang))
						}
						p.SignIn(t0.Add(4*h), m247VPN)
					}
				}
				return leaks
			},
			conf: 1,
		},
		{
			name: "two_week_trip_over_three_iso_weeks",
			build: func(p *person) []int {
				p.Weekdays(exampleStart, 2, homeUS)
				p.Daily(exampleStart.AddDate(0, 0, 16), 14, homeGB) // Wednesday to Tuesday two weeks later
				p.Weekdays(exampleStart.AddDate(0, 0, 35), 2, homeUS)
				return nil
			},
		},
		{
			name: "two_one_week_trips",
			build: func(p *person) []int {
				p.Weekdays(exampleStart, 2, homeUS)
				p.Weekdays(exampleStart.AddDate(0, 0, 14), 1, homeGB)
				p.Weekdays(exampleStart.AddDate(0, 0, 21), 6, homeUS)
				p.Weekdays(exampleStart.AddDate(0, 0, 63), 1, homeGB)
				p.Weekdays(exampleStart.AddDate(0, 0, 70), 1, homeUS)
				return nil
			},
		},
		{
			name: "traveller_on_corporate_vpn_with_drops",
			build: func(p *person) []int {
				p.Weekdays(exampleStart, 2, homeUS)
				for i := range 14 {
					t0 := exampleStart.AddDate(0, 0, 16+i)
					p.SignIn(t0, corpVPN)
					p.SignIn(t0.Add(2*h), homeGB)
					p.SignIn(t0.Add(4*h), corpVPN)
				}
				p.Weekdays(exampleStart.AddDate(0, 0, 35), 2, homeUS)
				return nil
			},
		},
		{
			name: "three_long_weekends_in_canada",
			build: func(p *person) []int {
				p.Weekdays(exampleStart, 12, homeUS)
				for _, start := range []int{18, 46, 74} {
					p.Daily(exampleStart.AddDate(0, 0, start), 3, homeCA)
				}
				return nil
			},
		},
		{
			name:    "resident_abroad_and_roster_says_so",
			country: "GB",
			build:   func(p *person) []int { p.Weekdays(exampleStart, 8, homeGB); return nil },
		},
		{
			name:    "roster_without_country",
			country: "-",
			build:   func(p *person) []int { p.Weekdays(exampleStart, 8, shenyang); return nil },
		},
		{
			name: "approved_secondment",
			build: func(p *person) []int {
				p.Weekdays(exampleStart, 2, homeUS)
				p.Weekdays(exampleStart.AddDate(0, 0, 14), 6, homeDE)
				p.Weekdays(exampleStart.AddDate(0, 0, 56), 2, homeUS)
				return nil
			},
		},
		{
			name:  "zscaler_egress_in_the_netherlands",
			build: func(p *person) []int { p.Weekdays(exampleStart, 8, zscalerNL); return nil },
		},
		{
			name:  "vpn_exit_in_the_netherlands",
			build: func(p *person) []int { p.Weekdays(exampleStart, 8, vpnNL); return nil },
		},
		{
			name: "corporate_egress_abroad",
			build: func(p *person) []int {
				p.Weekdays(exampleStart, 8, corpEgressSG)
				p.Weekdays(exampleStart, 8, homeUS)
				return nil
			},
		},
		{
			name: "failed_sign_ins_abroad",
			build: func(p *person) []int {
				p.Weekdays(exampleStart, 8, homeUS)
				for _, r := range p.Weekdays(exampleStart, 8, shenyang) {
					p.Events[r].SignIn.Outcome = event.OutcomeFailure
				}
				return nil
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			country := tc.country
			switch country {
			case "":
				country = "US"
			case "-":
				country = ""
			}
			p := newPerson("E1", country)
			recs := tc.build(p)
			var want []outcome
			if tc.conf > 0 {
				want = []outcome{{Person: "E1", Confidence: tc.conf, Records: recs}}
			}
			got, _ := run(t, &ForeignGeography{}, pol, p.Events)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestForeignGeographySummary(t *testing.T) {
	p := newPerson("E1", "US")
	p.Weekdays(exampleStart, 5, homeUS)
	p.Weekdays(exampleStart.AddDate(0, 0, 35), 5, shenyang)
	_, fs := run(t, &ForeignGeography{}, nil, p.Events)
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1", len(fs))
	}
	for _, want := range []string{"claimed residence US", "signed in from CN on 25 days of 50 sign-in days (50%) across 5 weeks", "first 20 of 25 records cited"} {
		if !strings.Contains(fs[0].Summary, want) {
			t.Errorf("summary %q does not contain %q", fs[0].Summary, want)
		}
	}
	if want := "from 198.51.100.40 (AS4837 china unicom china169 backbone, CN): first sign-in of the day from CN; roster home country US"; !strings.Contains(fs[0].Evidence[0].Summary, want) {
		t.Errorf("evidence %q does not contain %q", fs[0].Evidence[0].Summary, want)
	}
}
