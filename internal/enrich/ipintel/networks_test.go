package ipintel

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEmbeddedList(t *testing.T) {
	n := Default()
	if n.Len() < 50 {
		t.Fatalf("embedded list has %d entries, want at least 50", n.Len())
	}
	seen := map[uint32]bool{}
	for _, e := range n.Entries() {
		if e.Source == "" {
			t.Errorf("%s: entry %q has no source", e.Origin, e.Name)
		}
		if e.ASN != 0 {
			if seen[e.ASN] {
				t.Errorf("%s: AS%d listed twice", e.Origin, e.ASN)
			}
			seen[e.ASN] = true
		}
	}
	tests := []struct {
		asn  uint32
		want Category
	}{
		{9009, CategoryHosting},            // M247
		{39351, CategoryVPN},               // Mullvad
		{136787, CategoryVPN},              // NordVPN
		{62044, CategoryEnterpriseGateway}, // Zscaler
		{55256, CategoryEnterpriseGateway}, // Netskope
		{13335, CategoryMixed},             // Cloudflare
		{21928, CategoryMobile},            // T-Mobile USA
	}
	for _, tc := range tests {
		e, ok := n.ASN(tc.asn)
		if !ok || e.Category != tc.want {
			t.Errorf("ASN(%d) = %+v, %v; want category %s", tc.asn, e, ok, tc.want)
		}
	}
}

func TestLoadNetworks(t *testing.T) {
	user := `# our additions
asn,name,category,source
AS64500,Corp relay,enterprise_gateway,our network team
9009,M247 (reviewed),vpn,our review
`
	ranges := `prefix,name,category,source,confidence
198.51.100.0/24,Astrill VPN,vpn,feed export,high
198.51.100.128/25,Tor exits,tor,Tor bulk exit list,medium
2001:db8::1,Single host,proxy,incident 42,low
`
	n, err := LoadNetworks(strings.NewReader(user), strings.NewReader(ranges))
	if err != nil {
		t.Fatal(err)
	}
	if got := n.Len(); got != Default().Len()+4 {
		t.Errorf("Len = %d, want embedded %d + 4 (one replaces an entry)", got, Default().Len())
	}
	type got struct {
		Name     string
		Category Category
		Conf     Confidence
	}
	tests := []struct {
		name string
		ip   string
		asns []uint32
		want got
		ok   bool
	}{
		{name: "user_asn_entry", asns: []uint32{64500}, want: got{"Corp relay", CategoryEnterpriseGateway, High}, ok: true},
		{name: "user_replaces_embedded", asns: []uint32{9009}, want: got{"M247 (reviewed)", CategoryVPN, High}, ok: true},
		{name: "longest_range_wins", ip: "198.51.100.200", want: got{"Tor exits", CategoryTor, Medium}, ok: true},
		{name: "shorter_range", ip: "198.51.100.7", asns: []uint32{9009}, want: got{"Astrill VPN", CategoryVPN, High}, ok: true},
		{name: "host_prefix_v6", ip: "2001:db8::1", want: got{"Single host", CategoryProxy, Low}, ok: true},
		{name: "mapped_v4", ip: "::ffff:198.51.100.7", want: got{"Astrill VPN", CategoryVPN, High}, ok: true},
		{name: "first_listed_asn", ip: "192.0.2.1", asns: []uint32{0, 7922, 14061}, want: got{"DigitalOcean LLC", CategoryHosting, High}, ok: true},
		{name: "unlisted", ip: "192.0.2.1", asns: []uint32{7922}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ip netip.Addr
			if tc.ip != "" {
				ip = netip.MustParseAddr(tc.ip)
			}
			e, ok := n.Lookup(ip, tc.asns...)
			if ok != tc.ok {
				t.Fatalf("Lookup ok = %v, want %v (%+v)", ok, tc.ok, e)
			}
			if diff := cmp.Diff(tc.want, got{e.Name, e.Category, e.Confidence}); ok && diff != "" {
				t.Errorf("Lookup mismatch (-want +got):\n%s", diff)
			}
		})
	}
	// The embedded list is not changed by loading a user's file.
	if e, _ := Default().ASN(9009); e.Category != CategoryHosting {
		t.Errorf("embedded AS9009 changed to %s", e.Category)
	}
}

type namedReader struct {
	*strings.Reader
	name string
}

func (r namedReader) Name() string { return r.name }

func TestLoadNetworksErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"no_key_column", "name,category\nx,vpn\n", "neither an asn nor a prefix column"},
		{"no_category", "asn,name\n1,x\n", "needs name and category"},
		{"bad_asn", "asn,name,category,source\nASX,x,vpn,s\n", `nets.csv:2: asn "ASX"`},
		{"bad_category", "asn,name,category,source\n1,x,residential,s\n", `category "residential" is not one of`},
		{"bad_prefix", "prefix,name,category,source\n10.0.0/8,x,vpn,s\n", `prefix "10.0.0/8"`},
		{"bad_confidence", "asn,name,category,source,confidence\n1,x,vpn,s,certain\n", `confidence "certain"`},
		{"empty_name", "asn,name,category,source\n1,,vpn,s\n", "name is empty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadNetworks(namedReader{strings.NewReader(tc.in), "nets.csv"})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestLoadNetworksEmptyInput(t *testing.T) {
	n, err := LoadNetworks(strings.NewReader(""))
	if err != nil {
		t.Fatal(err)
	}
	if n.Len() != Default().Len() {
		t.Errorf("Len = %d, want %d", n.Len(), Default().Len())
	}
}
