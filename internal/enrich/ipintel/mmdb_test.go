package ipintel

import (
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
	"github.com/rollcall/rollcall/internal/event"
)

// writeDB builds a small MaxMind-format database in a temporary directory
// and returns its path. Documentation prefixes (RFC 5737, RFC 3849) are
// allowed so that tests never use real people's addresses.
func writeDB(t *testing.T, dbType string, records map[string]mmdbtype.Map) string {
	t.Helper()
	w, err := mmdbwriter.New(mmdbwriter.Options{DatabaseType: dbType, IncludeReservedNetworks: true, BuildEpoch: 1735689600})
	if err != nil {
		t.Fatal(err)
	}
	for cidr, rec := range records {
		_, network, err := net.ParseCIDR(cidr)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Insert(network, rec); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), strings.ToLower(dbType)+".mmdb")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := w.WriteTo(f); err != nil {
		t.Fatal(err)
	}
	return path
}

func names(en string) mmdbtype.Map {
	return mmdbtype.Map{"names": mmdbtype.Map{"en": mmdbtype.String(en)}}
}

// The record shapes of the databases rollcall reads, as their vendors
// document them.
func geoLite2City(t *testing.T) string {
	return writeDB(t, "GeoLite2-City", map[string]mmdbtype.Map{
		"198.51.100.0/24": {
			"city":               names("Pyongyang"),
			"continent":          mmdbtype.Map{"code": mmdbtype.String("AS")},
			"country":            mmdbtype.Map{"iso_code": mmdbtype.String("KP"), "names": mmdbtype.Map{"en": mmdbtype.String("North Korea")}},
			"location":           mmdbtype.Map{"latitude": mmdbtype.Float64(39.03), "longitude": mmdbtype.Float64(125.75), "accuracy_radius": mmdbtype.Uint16(50)},
			"registered_country": mmdbtype.Map{"iso_code": mmdbtype.String("KP")},
		},
		"2001:db8::/32": {
			"country":  mmdbtype.Map{"iso_code": mmdbtype.String("US")},
			"location": mmdbtype.Map{"latitude": mmdbtype.Float64(37.75), "longitude": mmdbtype.Float64(-97.82)},
		},
	})
}

func geoIP2Enterprise(t *testing.T) string {
	return writeDB(t, "GeoIP2-Enterprise", map[string]mmdbtype.Map{
		"203.0.113.0/25": {
			"country":  mmdbtype.Map{"iso_code": mmdbtype.String("NL")},
			"location": mmdbtype.Map{"latitude": mmdbtype.Float64(52.38), "longitude": mmdbtype.Float64(4.9)},
			"traits": mmdbtype.Map{
				"autonomous_system_number": mmdbtype.Uint32(64496), "autonomous_system_organization": mmdbtype.String("Example Hosting BV"),
				"is_anonymous": mmdbtype.Bool(true), "is_hosting_provider": mmdbtype.Bool(true), "user_type": mmdbtype.String("hosting"),
			},
		},
	})
}

func geoLite2ASN(t *testing.T) string {
	return writeDB(t, "GeoLite2-ASN", map[string]mmdbtype.Map{
		"198.51.100.0/24": {"autonomous_system_number": mmdbtype.Uint32(9009), "autonomous_system_organization": mmdbtype.String("M247 Europe SRL")},
		"192.0.2.0/24":    {"autonomous_system_number": mmdbtype.Uint32(7922), "autonomous_system_organization": mmdbtype.String("COMCAST-7922")},
	})
}

func anonymousIP(t *testing.T) string {
	return writeDB(t, "GeoIP2-Anonymous-IP", map[string]mmdbtype.Map{
		"192.0.2.128/25": {"is_anonymous": mmdbtype.Bool(true), "is_anonymous_vpn": mmdbtype.Bool(true)},
	})
}

func ipLocationDBCountry(t *testing.T) string {
	return writeDB(t, "geo-whois-asn-country", map[string]mmdbtype.Map{
		"192.0.2.0/24":    {"country_code": mmdbtype.String("US")},
		"198.51.100.0/24": {"country_code": mmdbtype.String("CN")},
	})
}

func ipLocationDBCity(t *testing.T) string {
	return writeDB(t, "dbip-city", map[string]mmdbtype.Map{
		"203.0.113.0/24": {
			"country_code": mmdbtype.String("RU"), "city": mmdbtype.String("Vladivostok"), "state1": mmdbtype.String("Primorsky Krai"),
			"latitude": mmdbtype.Float32(43.1), "longitude": mmdbtype.Float32(131.9), "timezone": mmdbtype.String("Asia/Vladivostok"),
		},
	})
}

func ipinfoLite(t *testing.T) string {
	return writeDB(t, "ipinfo lite.mmdb", map[string]mmdbtype.Map{
		"203.0.113.0/24": {
			"asn": mmdbtype.String("AS20473"), "as_name": mmdbtype.String("The Constant Company, LLC"), "as_domain": mmdbtype.String("vultr.com"),
			"country": mmdbtype.String("Russia"), "country_code": mmdbtype.String("RU"), "continent": mmdbtype.String("Europe"), "continent_code": mmdbtype.String("EU"),
		},
	})
}

func ipinfoPrivacy(t *testing.T) string {
	return writeDB(t, "ipinfo privacy.mmdb", map[string]mmdbtype.Map{
		"192.0.2.64/26": {"vpn": mmdbtype.Bool(true), "proxy": mmdbtype.Bool(false), "tor": mmdbtype.Bool(false), "relay": mmdbtype.Bool(false), "hosting": mmdbtype.Bool(true), "service": mmdbtype.String("Astrill VPN")},
	})
}

func TestOpenLearnsLayouts(t *testing.T) {
	tests := []struct {
		name string
		path func(*testing.T) string
		want Info
	}{
		{"geolite2_city", geoLite2City, Info{DatabaseType: "GeoLite2-City", Layout: LayoutNested, Provides: []string{"country", "city", "location"}}},
		{"geoip2_enterprise_traits", geoIP2Enterprise, Info{DatabaseType: "GeoIP2-Enterprise", Layout: LayoutNested, Provides: []string{"country", "location", "asn", "anonymizer", "hosting"}}},
		{"geolite2_asn", geoLite2ASN, Info{DatabaseType: "GeoLite2-ASN", Layout: LayoutFlat, Provides: []string{"asn"}}},
		{"geoip2_anonymous_ip", anonymousIP, Info{DatabaseType: "GeoIP2-Anonymous-IP", Layout: LayoutFlat, Provides: []string{"anonymizer"}}},
		{"ip_location_db_country", ipLocationDBCountry, Info{DatabaseType: "geo-whois-asn-country", Layout: LayoutFlat, Provides: []string{"country"}}},
		{"ip_location_db_city", ipLocationDBCity, Info{DatabaseType: "dbip-city", Layout: LayoutFlat, Provides: []string{"country", "city", "location"}}},
		{"ipinfo_lite", ipinfoLite, Info{DatabaseType: "ipinfo lite.mmdb", Layout: LayoutFlat, Provides: []string{"country", "asn"}}},
		{"ipinfo_privacy", ipinfoPrivacy, Info{DatabaseType: "ipinfo privacy.mmdb", Layout: LayoutFlat, Provides: []string{"anonymizer", "hosting"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path(t)
			db, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			tc.want.Path = path
			tc.want.Built = db.Databases()[0].Built
			if diff := cmp.Diff([]Info{tc.want}, db.Databases()); diff != "" {
				t.Errorf("Databases mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	notMMDB := filepath.Join(dir, "roster.csv")
	if err := os.WriteFile(notMMDB, []byte("id,name\n1,x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	unknown := writeDB(t, "Other", map[string]mmdbtype.Map{"192.0.2.0/24": {"colour": mmdbtype.String("blue")}})
	tests := []struct {
		name, path, want string
	}{
		{"missing_file", filepath.Join(dir, "nope.mmdb"), "nope.mmdb"},
		{"not_an_mmdb", notMMDB, "roster.csv"},
		{"unknown_layout", unknown, "unrecognised record layout (keys colour)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db, err := Open(tc.path)
			if err == nil {
				db.Close()
				t.Fatal("Open succeeded")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	db, err := Open(geoLite2City(t), geoLite2ASN(t), anonymousIP(t), ipLocationDBCity(t), ipinfoLite(t), ipinfoPrivacy(t), ipLocationDBCountry(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tests := []struct {
		name string
		ip   string
		want event.IPIntel
	}{
		{
			name: "city_and_listed_asn",
			ip:   "198.51.100.7",
			// The City database answers first, so its country wins over
			// the country database's CN.
			want: event.IPIntel{Country: "KP", City: "Pyongyang", ASN: 9009, ASOrg: "M247 Europe SRL", Anonymizer: "M247 Europe SRL", IsHosting: true},
		},
		{
			name: "anonymous_ip_flags_unlisted_network",
			ip:   "192.0.2.200",
			want: event.IPIntel{Country: "US", ASN: 7922, ASOrg: "COMCAST-7922", Anonymizer: "anonymising network (IP database)", IsVPN: true},
		},
		{
			name: "ipinfo_privacy_names_the_service",
			ip:   "192.0.2.70",
			want: event.IPIntel{Country: "US", ASN: 7922, ASOrg: "COMCAST-7922", Anonymizer: "Astrill VPN", IsVPN: true, IsHosting: true},
		},
		{
			name: "ordinary_isp",
			ip:   "192.0.2.7",
			want: event.IPIntel{Country: "US", ASN: 7922, ASOrg: "COMCAST-7922"},
		},
		{
			name: "flat_city_and_ipinfo_text_asn",
			ip:   "203.0.113.9",
			want: event.IPIntel{Country: "RU", City: "Vladivostok", ASN: 20473, ASOrg: "The Constant Company, LLC", Anonymizer: "The Constant Company LLC (Vultr / Choopa)", IsHosting: true},
		},
		{
			name: "ipv6",
			ip:   "2001:db8::5",
			want: event.IPIntel{Country: "US"},
		},
		{
			name: "not_in_any_database",
			ip:   "100.64.0.1",
			want: event.IPIntel{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := db.Lookup(netip.MustParseAddr(tc.ip))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Lookup(%s) mismatch (-want +got):\n%s", tc.ip, diff)
			}
		})
	}
}

func TestLookupEnterpriseTraits(t *testing.T) {
	db, err := Open(geoIP2Enterprise(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	want := event.IPIntel{Country: "NL", ASN: 64496, ASOrg: "Example Hosting BV", Anonymizer: "anonymising network (IP database)", IsVPN: true, IsHosting: true}
	if diff := cmp.Diff(want, db.Lookup(netip.MustParseAddr("203.0.113.5"))); diff != "" {
		t.Errorf("Lookup mismatch (-want +got):\n%s", diff)
	}
}

func TestLookupWithoutDatabases(t *testing.T) {
	db, err := Open()
	if err != nil {
		t.Fatal(err)
	}
	if got := db.Lookup(netip.MustParseAddr("198.51.100.7")); got != (event.IPIntel{}) {
		t.Errorf("Lookup without databases = %+v, want nothing", got)
	}
	var nilDB *DB
	if got := nilDB.Lookup(netip.MustParseAddr("198.51.100.7")); got != (event.IPIntel{}) {
		t.Errorf("nil DB Lookup = %+v, want nothing", got)
	}
}
