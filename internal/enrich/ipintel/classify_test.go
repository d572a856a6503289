package ipintel

import (
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

func TestClassify(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	allow := &policy.Allow{
		VPNASNs: []policy.ASNEntry{
			{ASN: 64500, Name: "Corp VPN", Entry: policy.Entry{Reason: "corporate GlobalProtect"}},
			{ASN: 8075, Name: "Azure", Entry: policy.Entry{Reason: "Windows 365", Expires: now.Add(-time.Hour)}}, // expired
		},
		Egress: []policy.PrefixEntry{{Prefix: netip.MustParsePrefix("192.0.2.0/28"), Entry: policy.Entry{Reason: "London office"}}},
	}
	ip := netip.MustParseAddr
	tests := []struct {
		name string
		n    event.Network
		want Verdict
	}{
		{
			name: "allow_listed_vpn",
			n:    event.Network{IP: ip("198.51.100.1"), ASN: 64500, ASOrg: "corp", IsProxy: true},
			want: Verdict{Kind: Sanctioned, Name: "corp", Why: "AS64500 is allow-listed: corporate GlobalProtect"},
		},
		{
			name: "corporate_egress",
			n:    event.Network{IP: ip("192.0.2.3"), ASN: 9009},
			want: Verdict{Kind: Sanctioned, Why: "192.0.2.3 is a corporate egress: London office"},
		},
		{
			name: "expired_allow_entry",
			n:    event.Network{IP: ip("198.51.100.1"), ASN: 8075},
			want: Verdict{Kind: Hosting, Name: "Microsoft Corporation (Azure)", Why: "AS8075 on the network list (hosting)"},
		},
		{
			name: "zscaler_flagged_as_proxy_by_okta",
			n:    event.Network{IP: ip("198.51.100.1"), ASN: 62044, IsProxy: true, GeoSource: "okta"},
			want: Verdict{Kind: Gateway, Name: "Zscaler Inc.", Why: "AS62044 on the network list (enterprise_gateway)"},
		},
		{
			name: "listed_vpn_operator",
			n:    event.Network{IP: ip("198.51.100.1"), ASN: 39351},
			want: Verdict{Kind: Anonymiser, Name: "31173 Services AB (Mullvad VPN)", Why: "AS39351 on the network list (vpn)"},
		},
		{
			name: "vendor_proxy_flag",
			n:    event.Network{IP: ip("198.51.100.1"), ASN: 7922, ASOrg: "comcast", IsProxy: true, GeoSource: "okta"},
			want: Verdict{Kind: Anonymiser, Name: "comcast", Why: "okta flags the address as a proxy"},
		},
		{
			name: "vendor_proxy_on_hosting_network",
			n:    event.Network{IP: ip("198.51.100.1"), ASN: 9009, ASOrg: "m247 europe srl", IsProxy: true, GeoSource: "okta"},
			want: Verdict{Kind: Anonymiser, Name: "m247 europe srl", Why: "okta flags the address as a proxy"},
		},
		{
			name: "astrill_by_vendor_domain",
			n:    event.Network{IP: ip("198.51.100.1"), ASN: 9009, ASOrg: "m247 europe srl", Domain: "astrill.com", IsProxy: true, GeoSource: "okta"},
			want: Verdict{Kind: Anonymiser, Name: "m247 europe srl", Why: "okta flags the address as a proxy", Favoured: true},
		},
		{
			name: "astrill_by_enrichment",
			n:    event.Network{IP: ip("198.51.100.1"), Intel: &event.IPIntel{Anonymizer: "Astrill VPN", IsVPN: true}},
			want: Verdict{Kind: Anonymiser, Name: "Astrill VPN", Why: "Astrill VPN on the network list or IP database (anonymiser)", Favoured: true},
		},
		{
			name: "hosting_from_list",
			n:    event.Network{IP: ip("198.51.100.1"), ASN: 14061},
			want: Verdict{Kind: Hosting, Name: "DigitalOcean LLC", Why: "AS14061 on the network list (hosting)"},
		},
		{
			name: "hosting_from_intel_asn",
			n:    event.Network{IP: ip("198.51.100.1"), Intel: &event.IPIntel{ASN: 24940}},
			want: Verdict{Kind: Hosting, Name: "Hetzner Online GmbH", Why: "AS24940 on the network list (hosting)"},
		},
		{
			name: "enriched_gateway",
			n:    event.Network{IP: ip("198.51.100.1"), Intel: &event.IPIntel{Anonymizer: "Our SASE", ASN: 64511}},
			want: Verdict{Kind: Gateway, Name: "Our SASE", Why: "Our SASE on the network list or IP database (gateway)"},
		},
		{
			name: "enriched_mobile",
			n:    event.Network{IP: ip("198.51.100.1"), ASN: 21928, Intel: &event.IPIntel{Anonymizer: "T-Mobile USA Inc."}},
			want: Verdict{Kind: Mobile, Name: "T-Mobile USA Inc.", Why: "T-Mobile USA Inc. on the network list or IP database (mobile)"},
		},
		{
			name: "mobile_carrier",
			n:    event.Network{IP: ip("198.51.100.1"), ASN: 22394},
			want: Verdict{Kind: Mobile, Name: "Cellco Partnership (Verizon Wireless)", Why: "AS22394 on the network list (mobile)"},
		},
		{
			name: "unlisted_vpn_by_name",
			n:    event.Network{IP: ip("198.51.100.1"), ASN: 65001, ASOrg: "Some-VPN"},
			want: Verdict{Kind: Anonymiser, Name: "Some-VPN", Why: `network name "Some-VPN" is a VPN`},
		},
		{
			name: "unlisted_hosting_by_name",
			n:    event.Network{IP: ip("198.51.100.1"), ASN: 65002, ISP: "Acme Hosting Ltd"},
			want: Verdict{Kind: Hosting, Name: "Acme Hosting Ltd", Why: `network name "Acme Hosting Ltd" is a hosting provider`},
		},
		{
			name: "residential_isp",
			n:    event.Network{IP: ip("198.51.100.1"), ASN: 7922, ASOrg: "comcast", ISP: "comcast", Domain: "comcast.net"},
			want: Verdict{},
		},
		{
			name: "serverless_name_is_not_hosting",
			n:    event.Network{IP: ip("198.51.100.1"), ASN: 65003, ASOrg: "Observers of Virginia"},
			want: Verdict{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Classify(&tc.n, allow, now)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Classify mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if got := Classify(nil, nil, now); got.Kind != Ordinary {
		t.Errorf("Classify(nil) = %+v", got)
	}
}

func BenchmarkClassify(b *testing.B) {
	n := event.Network{IP: netip.MustParseAddr("192.0.2.1"), ASN: 7922, ASOrg: "comcast cable communications llc", ISP: "comcast", Domain: "comcast.net", GeoSource: "okta"}
	allow := &policy.Allow{}
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		Classify(&n, allow, now)
	}
}

func TestDescribeAndCountry(t *testing.T) {
	ip := netip.MustParseAddr
	tests := []struct {
		name        string
		n           *event.Network
		describe    string
		wantCountry string
	}{
		{"vendor_fields", &event.Network{IP: ip("198.51.100.7"), ASN: 9009, ASOrg: "m247 europe srl", Country: "nl"}, "198.51.100.7 (AS9009 m247 europe srl, NL)", "NL"},
		{"enrichment_fills_gaps", &event.Network{IP: ip("198.51.100.7"), Intel: &event.IPIntel{ASN: 4837, ASOrg: "CHINA UNICOM", Country: "cn"}}, "198.51.100.7 (AS4837 CHINA UNICOM, CN)", "CN"},
		{"vendor_country_name", &event.Network{IP: ip("2001:db8::1"), CountryName: "United States", ISP: "comcast"}, "2001:db8::1 (comcast, US)", "US"},
		{"unknown_country_name", &event.Network{IP: ip("192.0.2.1"), CountryName: "Atlantis"}, "192.0.2.1 (Atlantis)", ""},
		{"nothing", &event.Network{}, "unknown address", ""},
		{"nil", nil, "unknown network", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Describe(tc.n); got != tc.describe {
				t.Errorf("Describe = %q, want %q", got, tc.describe)
			}
			if got := Country(tc.n); got != tc.wantCountry {
				t.Errorf("Country = %q, want %q", got, tc.wantCountry)
			}
		})
	}
}
