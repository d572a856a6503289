package ipintel

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rollcall/rollcall/internal/event"
)

func signIn(n event.Network) *event.Event {
	return &event.Event{Kind: event.KindSignIn, SignIn: &event.SignIn{Outcome: event.OutcomeSuccess, Net: &n}}
}

func TestEnrich(t *testing.T) {
	withDBs, err := Open(geoLite2City(t), geoLite2ASN(t), ipinfoPrivacy(t))
	if err != nil {
		t.Fatal(err)
	}
	defer withDBs.Close()
	noDBs, err := Open()
	if err != nil {
		t.Fatal(err)
	}
	ip := netip.MustParseAddr
	tests := []struct {
		name string
		db   *DB
		in   event.Network
		want event.Network
	}{
		{
			name: "vendor_fields_are_kept",
			db:   withDBs,
			in:   event.Network{IP: ip("198.51.100.7"), Country: "US", City: "Dublin", Lat: 37.7, Lon: -121.9, HasGeo: true, ASN: 14618, ASOrg: "amazon data services nova", GeoSource: "okta"},
			want: event.Network{
				IP: ip("198.51.100.7"), Country: "US", City: "Dublin", Lat: 37.7, Lon: -121.9, HasGeo: true, ASN: 14618, ASOrg: "amazon data services nova", GeoSource: "okta",
				// The vendor's AS is listed (AWS) and is consulted before
				// the database's M247.
				IsHosting: true,
				Intel:     &event.IPIntel{Country: "KP", City: "Pyongyang", ASN: 9009, ASOrg: "M247 Europe SRL", Anonymizer: "Amazon.com Inc. (AWS)", IsHosting: true},
			},
		},
		{
			name: "fills_what_the_vendor_lacks",
			db:   withDBs,
			in:   event.Network{IP: ip("198.51.100.7")},
			want: event.Network{
				IP: ip("198.51.100.7"), Country: "KP", City: "Pyongyang", Lat: 39.03, Lon: 125.75, HasGeo: true, ASN: 9009, ASOrg: "M247 Europe SRL", GeoSource: "ipdb", IsHosting: true,
				Intel: &event.IPIntel{Country: "KP", City: "Pyongyang", ASN: 9009, ASOrg: "M247 Europe SRL", Anonymizer: "M247 Europe SRL", IsHosting: true},
			},
		},
		{
			name: "vendor_country_name_only",
			db:   withDBs,
			in:   event.Network{IP: ip("2001:db8::1"), CountryName: "Untied States", GeoSource: "entra"},
			want: event.Network{
				IP: ip("2001:db8::1"), Country: "US", CountryName: "Untied States", Lat: 37.75, Lon: -97.82, HasGeo: true, GeoSource: "entra",
				Intel: &event.IPIntel{Country: "US"},
			},
		},
		{
			name: "list_without_databases_uses_vendor_asn",
			db:   noDBs,
			in:   event.Network{IP: ip("192.0.2.9"), ASN: 39351, ASOrg: "31173 services ab", GeoSource: "okta"},
			want: event.Network{
				IP: ip("192.0.2.9"), ASN: 39351, ASOrg: "31173 services ab", GeoSource: "okta",
				Intel: &event.IPIntel{Anonymizer: "31173 Services AB (Mullvad VPN)", IsVPN: true},
			},
		},
		{
			name: "gateway_is_named_not_flagged",
			db:   noDBs,
			in:   event.Network{IP: ip("192.0.2.10"), ASN: 62044, IsProxy: true, GeoSource: "okta"},
			want: event.Network{
				IP: ip("192.0.2.10"), ASN: 62044, IsProxy: true, GeoSource: "okta",
				Intel: &event.IPIntel{Anonymizer: "Zscaler Inc."},
			},
		},
		{
			name: "nothing_known",
			db:   noDBs,
			in:   event.Network{IP: ip("192.0.2.11"), ASN: 7922},
			want: event.Network{IP: ip("192.0.2.11"), ASN: 7922},
		},
		{
			name: "no_ip_no_asn",
			db:   withDBs,
			in:   event.Network{Country: "US"},
			want: event.Network{Country: "US"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := signIn(tc.in)
			tc.db.Enrich(e)
			if diff := cmp.Diff(tc.want, *e.SignIn.Net, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
				t.Errorf("Enrich mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEnrichIgnoresOtherEvents(t *testing.T) {
	db, err := Open()
	if err != nil {
		t.Fatal(err)
	}
	e := &event.Event{Kind: event.KindPerson, Person: &event.Person{EmployeeID: "E1"}}
	db.Enrich(e) // must not panic
	audit := &event.Event{Kind: event.KindAudit, Audit: &event.Audit{Net: &event.Network{ASN: 9009}}}
	db.Enrich(audit)
	if audit.Net().Intel == nil || !audit.Net().IsHosting {
		t.Errorf("audit event not enriched: %+v", audit.Audit.Net)
	}
}

func TestNote(t *testing.T) {
	noDBs, err := Open()
	if err != nil {
		t.Fatal(err)
	}
	all, err := Open(geoLite2City(t), geoLite2ASN(t), anonymousIP(t))
	if err != nil {
		t.Fatal(err)
	}
	defer all.Close()
	country, err := Open(ipLocationDBCountry(t))
	if err != nil {
		t.Fatal(err)
	}
	defer country.Close()
	tests := []struct {
		name        string
		db          *DB
		mention     []string
		notMentions []string
	}{
		{"no_databases", noDBs, []string{"No IP databases", "IAM-01", "IAM-04", "NET-02", "make ipdb"}, nil},
		{"country_only", country, []string{"Without an ASN database, IAM-01", "Without a city database, IAM-04"}, []string{"Without a country database"}},
		{"everything", all, []string{"GeoLite2-City", "GeoLite2-ASN", "GeoIP2-Anonymous-IP"}, []string{"Without", "No database"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			note := tc.db.Note()
			for _, m := range tc.mention {
				if !strings.Contains(note, m) {
					t.Errorf("Note() = %q, want it to mention %q", note, m)
				}
			}
			for _, m := range tc.notMentions {
				if strings.Contains(note, m) {
					t.Errorf("Note() = %q, want it not to mention %q", note, m)
				}
			}
		})
	}
}

func TestSetNetworks(t *testing.T) {
	db, err := Open()
	if err != nil {
		t.Fatal(err)
	}
	n, err := LoadNetworks(strings.NewReader("prefix,name,category,source\n192.0.2.0/28,Astrill VPN,vpn,feed\n"))
	if err != nil {
		t.Fatal(err)
	}
	db.SetNetworks(n)
	got := db.Lookup(netip.MustParseAddr("192.0.2.3"))
	if diff := cmp.Diff(event.IPIntel{Anonymizer: "Astrill VPN", IsVPN: true}, got); diff != "" {
		t.Errorf("Lookup with user list mismatch (-want +got):\n%s", diff)
	}
}

// TestEnrichSharesContexts: network contexts are shared between events, so
// Enrich never writes into the one it is given; events that shared a
// context share its enriched value, and a context the databases know
// nothing of stays the same value.
func TestEnrichSharesContexts(t *testing.T) {
	db, err := Open()
	if err != nil {
		t.Fatal(err)
	}
	hosting := &event.Network{IP: netip.MustParseAddr("192.0.2.7"), ASN: 9009, GeoSource: "okta"}
	before := *hosting
	plain := &event.Network{IP: netip.MustParseAddr("192.0.2.8"), ASN: 7922}
	a, b := signIn(event.Network{}), signIn(event.Network{})
	a.SignIn.Net, b.SignIn.Net = hosting, hosting
	equal := signIn(before) // an equal context decoded elsewhere
	quiet := signIn(event.Network{})
	quiet.SignIn.Net = plain
	for _, e := range []*event.Event{a, b, equal, quiet} {
		db.Enrich(e)
	}
	if diff := cmp.Diff(before, *hosting, cmp.Comparer(func(x, y netip.Addr) bool { return x == y })); diff != "" {
		t.Errorf("Enrich modified the shared context (-before +after):\n%s", diff)
	}
	if a.Net() == hosting || a.Net().Intel == nil || !a.Net().IsHosting {
		t.Errorf("sign-in not given an enriched copy: %+v", a.Net())
	}
	if b.Net() != a.Net() || equal.Net() != a.Net() {
		t.Errorf("equal contexts enriched into different values: %p %p %p", a.Net(), b.Net(), equal.Net())
	}
	if quiet.Net() != plain {
		t.Errorf("a context nothing is known of was replaced: %+v", quiet.Net())
	}
}
