package signin

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

func TestAnonymizerSignIn(t *testing.T) {
	corpVPN := event.Network{IP: netip.MustParseAddr("203.0.113.90"), Country: "US", ASN: 64500, ASOrg: "example corp vpn", IsProxy: true}
	awsBastion := event.Network{IP: netip.MustParseAddr("203.0.113.100"), Country: "US", ASN: 16509, ASOrg: "amazon.com inc."}
	awsWorkSpaces := event.Network{IP: netip.MustParseAddr("203.0.113.110"), Country: "US", ASN: 14618, ASOrg: "amazon data services nova"}
	nordVPN := event.Network{IP: netip.MustParseAddr("203.0.113.120"), Country: "NL", ASN: 136787, ASOrg: "tefincom s.a.", IsProxy: true}
	astrill := m247VPN
	astrill.Intel = &event.IPIntel{ASN: 9009, Anonymizer: "Astrill VPN", IsVPN: true}
	privateRelay := event.Network{IP: netip.MustParseAddr("203.0.113.130"), Country: "US", ASN: 13335, ASOrg: "cloudflare inc."}
	pol := policy.Default()
	pol.Allow.VPNASNs = []policy.ASNEntry{{ASN: 64500, Name: "Example Corp VPN", Entry: policy.Entry{Reason: "corporate GlobalProtect"}}}
	pol.Allow.Egress = []policy.PrefixEntry{{Prefix: netip.MustParsePrefix("203.0.113.110/32"), Entry: policy.Entry{Reason: "Amazon WorkSpaces NAT gateway"}}}

	tests := []struct {
		name  string
		build func(p *person) []int // returns the records the finding must cite
		want  []outcome             // Records filled from build when nil
	}{
		{
			name:  "operative_daily_through_m247",
			build: func(p *person) []int { return p.Daily(exampleStart, 20, m247VPN) },
			want:  []outcome{{Person: "E1", Confidence: 0.6}},
		},
		{
			// Astrill, persistently: the full weight.
			name:  "astrill_every_day",
			build: func(p *person) []int { return p.Daily(exampleStart, 15, astrill) },
			want:  []outcome{{Person: "E1", Confidence: 1}},
		},
		{
			// Astrill once in 60 days: still more than a generic VPN once.
			name: "astrill_once",
			build: func(p *person) []int {
				p.Daily(exampleStart, 60, homeNY)
				return []int{p.SignIn(exampleStart.AddDate(0, 0, 30).Add(3*60*60e9), astrill)}
			},
			want: []outcome{{Person: "E1", Confidence: 0.39}},
		},
		{
			// Our choice for the privacy-minded: two consumer-VPN days in
			// three months give a finding of low confidence (≈7 points,
			// below the low level alone), not silence — the analyst sees
			// it beside stronger signals.
			name: "privacy_minded_two_vpn_days_in_three_months",
			build: func(p *person) []int {
				p.Weekdays(exampleStart, 13, homeNY)
				return []int{
					p.SignIn(exampleStart.AddDate(0, 0, 12).Add(6*60*60e9), nordVPN),
					p.SignIn(exampleStart.AddDate(0, 0, 47).Add(6*60*60e9), nordVPN),
				}
			},
			want: []outcome{{Person: "E1", Confidence: 0.15}},
		},
		{
			name: "one_hosting_sign_in_in_ninety_days",
			build: func(p *person) []int {
				p.Daily(exampleStart, 60, homeNY)
				return []int{p.SignIn(exampleStart.AddDate(0, 0, 20).Add(60*60e9), awsBastion)}
			},
			want: []outcome{{Person: "E1", Confidence: 0.1}},
		},
		{
			name: "new_hire_all_sign_ins_through_vpn",
			build: func(p *person) []int {
				return p.Daily(exampleStart, 3, m247VPN)
			},
			want: []outcome{{Person: "E1", Confidence: 0.37}},
		},
		{
			name: "evidence_is_capped",
			build: func(p *person) []int {
				p.Daily(exampleStart, 30, m247VPN)
				return records(1, 20)
			},
			want: []outcome{{Person: "E1", Confidence: 0.6}},
		},
		{
			name:  "sanctioned_corporate_vpn",
			build: func(p *person) []int { p.Daily(exampleStart, 30, corpVPN); return nil },
		},
		{
			name:  "zscaler_user",
			build: func(p *person) []int { p.Daily(exampleStart, 30, zscaler); return nil },
		},
		{
			name:  "cloud_desktop_on_allow_listed_egress",
			build: func(p *person) []int { p.Daily(exampleStart, 30, awsWorkSpaces); return nil },
		},
		{
			name:  "icloud_private_relay_on_cloudflare",
			build: func(p *person) []int { p.Daily(exampleStart, 30, privateRelay); return nil },
		},
		{
			name: "failed_sign_ins_from_vpn_do_not_count",
			build: func(p *person) []int {
				p.Daily(exampleStart, 20, homeNY)
				for _, r := range p.Daily(exampleStart, 10, m247VPN) {
					p.Events[r].SignIn.Outcome = event.OutcomeFailure
				}
				return nil
			},
		},
		{
			name:  "home_isp_only",
			build: func(p *person) []int { p.Daily(exampleStart, 30, homeNY); return nil },
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := newPerson("E1", "US")
			recs := tc.build(p)
			for i := range tc.want {
				tc.want[i].Records = recs
			}
			got, _ := run(t, &AnonymizerSignIn{}, pol, p.Events)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAnonymizerSignInSummary(t *testing.T) {
	p := newPerson("E1", "US")
	p.Daily(exampleStart, 10, homeNY)
	p.Daily(exampleStart.AddDate(0, 0, 10), 25, m247VPN)
	_, fs := run(t, &AnonymizerSignIn{}, nil, p.Events)
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1", len(fs))
	}
	for _, want := range []string{"25 of 35 sign-in days (71%)", "m247 europe srl ×25", "first 20 of 25 records cited"} {
		if !strings.Contains(fs[0].Summary, want) {
			t.Errorf("summary %q does not contain %q", fs[0].Summary, want)
		}
	}
	if want := "203.0.113.60 (AS9009 m247 europe srl, US): anonymiser — okta flags the address as a proxy"; !strings.Contains(fs[0].Evidence[0].Summary, want) {
		t.Errorf("evidence %q does not contain %q", fs[0].Evidence[0].Summary, want)
	}
}
