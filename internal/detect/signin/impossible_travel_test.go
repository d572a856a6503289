package signin

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

func TestImpossibleTravel(t *testing.T) {
	h := time.Hour
	countryOnly := func(c string) event.Network {
		return event.Network{IP: netip.MustParseAddr("192.0.2.200"), Country: c, ASN: 64496, ASOrg: "regional isp"}
	}
	at := func(city string, lat, lon float64, country string) event.Network {
		return event.Network{IP: netip.MustParseAddr("192.0.2.210"), Country: country, City: city, Lat: lat, Lon: lon, HasGeo: true, ASN: 64497, ASOrg: "regional isp"}
	}
	frankfurt, paris, brussels := at("Frankfurt", 50.11, 8.68, "DE"), at("Paris", 48.86, 2.35, "FR"), at("Brussels", 50.85, 4.35, "BE")
	delhi := at("New Delhi", 28.61, 77.21, "IN")
	corpEgressDE := at("Frankfurt", 50.11, 8.68, "DE")
	corpEgressDE.IP = netip.MustParseAddr("203.0.113.140")
	tmobileSeattle := event.Network{IP: netip.MustParseAddr("203.0.113.150"), Country: "US", City: "Seattle", Lat: 47.61, Lon: -122.33, HasGeo: true, ASN: 21928, ASOrg: "t-mobile usa inc."}
	pol := policy.Default()
	pol.Allow.Egress = []policy.PrefixEntry{{Prefix: netip.MustParsePrefix("203.0.113.140/31"), Entry: policy.Entry{Reason: "corporate VPN concentrator, Frankfurt"}}}

	tests := []struct {
		name  string
		build func(p *person) []int // returns the records the finding must cite
		conf  float64               // 0: no finding
	}{
		{
			name: "new_york_and_shenyang_forty_minutes_apart_every_day",
			build: func(p *person) []int {
				var recs []int
				for i := range 5 {
					t0 := exampleStart.AddDate(0, 0, i)
					recs = append(recs, p.SignIn(t0, homeNY), p.SignIn(t0.Add(40*time.Minute), shenyang))
				}
				return recs
			},
			conf: 1,
		},
		{
			name: "one_jump_to_vladivostok",
			build: func(p *person) []int {
				p.Daily(exampleStart, 10, homeNY)
				a := p.SignIn(exampleStart.AddDate(0, 0, 10), homeNY)
				b := p.SignIn(exampleStart.AddDate(0, 0, 10).Add(2*h), vladivostok)
				return []int{a, b}
			},
			conf: 0.45,
		},
		{
			name: "country_centroids_only_us_then_china",
			build: func(p *person) []int {
				return []int{p.SignIn(exampleStart, countryOnly("US")), p.SignIn(exampleStart.Add(h), countryOnly("CN"))}
			},
			conf: 0.45,
		},
		{
			name: "coast_to_coast_within_an_hour",
			build: func(p *person) []int {
				return []int{p.SignIn(exampleStart, homeNY), p.SignIn(exampleStart.Add(h), homeSF)}
			},
			conf: 0.45,
		},
		{
			name: "hopping_between_three_countries_in_a_day",
			build: func(p *person) []int {
				return []int{
					p.SignIn(exampleStart, frankfurt), p.SignIn(exampleStart.Add(5*h), paris),
					p.SignIn(exampleStart.Add(10*h), brussels), p.SignIn(exampleStart.Add(15*h), frankfurt),
				}
			},
			conf: 0.45,
		},
		{
			name: "flight_new_york_to_london",
			build: func(p *person) []int {
				p.Daily(exampleStart, 5, homeNY)
				p.SignIn(exampleStart.AddDate(0, 0, 5), homeNY)
				p.SignIn(exampleStart.AddDate(0, 0, 5).Add(8*h), hotelLondon)
				p.Daily(exampleStart.AddDate(0, 0, 6), 5, hotelLondon)
				return nil
			},
		},
		{
			name: "flight_with_layover_new_york_frankfurt_delhi",
			build: func(p *person) []int {
				p.SignIn(exampleStart, homeNY)
				p.SignIn(exampleStart.Add(9*h), frankfurt)
				p.SignIn(exampleStart.Add(19*h), delhi)
				return nil
			},
		},
		{
			name: "coast_to_coast_flight",
			build: func(p *person) []int {
				p.SignIn(exampleStart, homeNY)
				p.SignIn(exampleStart.Add(7*h), homeSF)
				return nil
			},
		},
		{
			name: "corporate_vpn_egress_in_germany_split_tunnel",
			build: func(p *person) []int {
				for i := range 20 {
					p.SignIn(exampleStart.Add(time.Duration(i)*30*time.Minute), []event.Network{homeNY, corpEgressDE}[i%2])
				}
				return nil
			},
		},
		{
			name: "zscaler_egress_in_germany",
			build: func(p *person) []int {
				for i := range 20 {
					p.SignIn(exampleStart.Add(time.Duration(i)*30*time.Minute), []event.Network{homeNY, zscaler}[i%2])
				}
				return nil
			},
		},
		{
			name: "vpn_exits_are_iam_01_business",
			build: func(p *person) []int {
				p.SignIn(exampleStart, homeNY)
				p.SignIn(exampleStart.Add(10*time.Minute), m247VPN)
				p.SignIn(exampleStart.Add(20*time.Minute), homeNY)
				return nil
			},
		},
		{
			name: "mobile_carrier_geolocated_to_seattle",
			build: func(p *person) []int {
				p.SignIn(exampleStart, homeNY)
				p.SignIn(exampleStart.Add(20*time.Minute), tmobileSeattle)
				p.SignIn(exampleStart.Add(40*time.Minute), homeNY)
				return nil
			},
		},
		{
			name: "border_commuter_country_only",
			build: func(p *person) []int {
				p.SignIn(exampleStart, countryOnly("DE"))
				p.SignIn(exampleStart.Add(30*time.Minute), countryOnly("AT"))
				p.SignIn(exampleStart.Add(60*time.Minute), countryOnly("DE"))
				return nil
			},
		},
		{
			name: "same_country_without_coordinates",
			build: func(p *person) []int {
				p.SignIn(exampleStart, countryOnly("US"))
				p.SignIn(exampleStart.Add(time.Minute), homeSF)
				return nil
			},
		},
		{
			name: "failed_sign_in_abroad",
			build: func(p *person) []int {
				p.SignIn(exampleStart, homeNY)
				r := p.SignIn(exampleStart.Add(30*time.Minute), shenyang)
				p.Events[r].SignIn.Outcome = event.OutcomeFailure
				p.SignIn(exampleStart.Add(60*time.Minute), homeNY)
				return nil
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := newPerson("E1", "US")
			recs := tc.build(p)
			var want []outcome
			if tc.conf > 0 {
				want = []outcome{{Person: "E1", Confidence: tc.conf, Records: recs}}
			}
			got, _ := run(t, &ImpossibleTravel{}, pol, p.Events)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestImpossibleTravelSummary(t *testing.T) {
	p := newPerson("E1", "US")
	p.SignIn(exampleStart, homeNY)
	p.SignIn(exampleStart.Add(40*time.Minute), shenyang)
	_, fs := run(t, &ImpossibleTravel{}, nil, p.Events)
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1", len(fs))
	}
	if want := "1 impossible jump on 1 day (fastest US→CN at"; !strings.Contains(fs[0].Summary, want) {
		t.Errorf("summary %q does not contain %q", fs[0].Summary, want)
	}
	if want := "from 198.51.100.40 (AS4837 china unicom china169 backbone, CN): 10"; !strings.Contains(fs[0].Evidence[1].Summary, want) {
		t.Errorf("evidence %q does not contain %q", fs[0].Evidence[1].Summary, want)
	}
	if want := "km from the previous sign-in 40 min earlier"; !strings.Contains(fs[0].Evidence[1].Summary, want) {
		t.Errorf("evidence %q does not contain %q", fs[0].Evidence[1].Summary, want)
	}
}
