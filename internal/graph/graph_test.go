package graph

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/rollcall/rollcall/internal/enrich/address"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/profile"
)

var (
	now        = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	noEvidence = cmpopts.IgnoreFields(Link{}, "Evidence")
)

func TestBuild_transitivity(t *testing.T) {
	farm := home("77 Pine Rd", "Dallas", "75201")
	a := payout(employee("A", street(1)), "f00dfeedcafe0001")
	b := shipment(payout(employee("B", street(2)), "f00dfeedcafe0001"), "SN-B", farm)
	c := shipment(employee("C", street(3)), "SN-C", farm)
	d := employee("D", street(4))
	got := build(population(d, c, b, a), policy.Default(), now)
	want := []Cluster{{
		ID:      "C1",
		Members: []string{"A", "B", "C"},
		Links: []Link{
			{Kind: KindBankAccount, Value: "payout account f00dfeed…", Members: []string{"A", "B"}},
			{Kind: KindAddress, Value: addressLabel(address.Key(farm)), Members: []string{"B", "C"}},
		},
	}}
	if diff := cmp.Diff(want, got, noEvidence); diff != "" {
		t.Errorf("Build (-want +got):\n%s", diff)
	}
}

// TestBuild_transitivity_through_late_bridge joins two pairs by a link
// found last: pairwise group merging splits such a group.
func TestBuild_transitivity_through_late_bridge(t *testing.T) {
	a := payout(employee("A", street(1)), "acct-ab")
	b := phone(payout(employee("B", street(2)), "acct-ab"), "+1 555 010 2030")
	c := phone(payout(employee("C", street(3)), "acct-cd"), "(555) 010-2030")
	d := payout(employee("D", street(4)), "acct-cd")
	got := build(population(a, b, c, d), policy.Default(), now)
	if len(got) != 1 {
		t.Fatalf("got %d clusters, want 1: %+v", len(got), got)
	}
	if diff := cmp.Diff([]string{"A", "B", "C", "D"}, got[0].Members); diff != "" {
		t.Errorf("members (-want +got):\n%s", diff)
	}
	if l := got[0].Links[len(got[0].Links)-1]; l.Kind != KindPhone || l.Value != "5550102030" {
		t.Errorf("bridge link = %+v, want phone 5550102030", l)
	}
}

func TestBuild_ip_shared_by_a_crowd_links_nobody(t *testing.T) {
	office := netip.MustParsePrefix("198.51.100.0/24")
	tests := []struct {
		name string
		ip   string
		pol  func(*policy.Policy)
	}{
		{name: "allow_listed_corporate_egress", ip: "198.51.100.10", pol: func(p *policy.Policy) {
			p.Allow.Egress = []policy.PrefixEntry{{Prefix: office, Entry: policy.Entry{Reason: "HQ NAT"}}}
		}},
		{name: "unlisted_ip", ip: "203.0.113.10", pol: func(*policy.Policy) {}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var people []*profile.Person
			for i := range 200 {
				people = append(people, signIns(employee(fmt.Sprintf("E%03d", i), street(i)), tt.ip, 20, event.Network{ASN: 64500}))
			}
			pol := policy.Default()
			tt.pol(pol)
			if got := build(population(people...), pol, now); len(got) != 0 {
				t.Errorf("200 people behind %s formed %d clusters, the first %v", tt.ip, len(got), got[0].Members)
			}
		})
	}
}

func TestBuild_ip_rules(t *testing.T) {
	residential := event.Network{ASN: 7922, ASOrg: "Comcast"}
	three := func(ip string, net event.Network, days ...int) []*profile.Person {
		var out []*profile.Person
		for i, d := range days {
			out = append(out, signIns(employee(fmt.Sprintf("E%d", i+1), street(i)), ip, d, net))
		}
		return out
	}
	tests := []struct {
		name   string
		people []*profile.Person
		pol    func(*policy.Policy)
		want   []string // members of the one IP link, nil: no link
	}{
		{name: "strangers_on_a_home_ip_link", people: three("73.1.2.3", residential, 3, 3, 3), want: []string{"E1", "E2", "E3"}},
		{name: "one_day_visitor_is_left_out", people: three("73.1.2.3", residential, 3, 1, 3), want: []string{"E1", "E3"}},
		{name: "single_days_link_nobody", people: three("73.1.2.3", residential, 1, 1, 5)},
		{name: "mobile_carrier_cgnat_asn", people: three("172.56.1.2", event.Network{ASN: 21928, ASOrg: "T-Mobile USA"}, 9, 9, 9)},
		{name: "carrier_asn_from_ip_database", people: three("172.56.1.2", event.Network{Intel: &event.IPIntel{ASN: 20057}}, 9, 9, 9)},
		{name: "policy_carrier_asn", people: three("98.97.1.2", event.Network{ASN: 14593}, 9, 9, 9),
			pol: func(p *policy.Policy) { p.Cluster.CarrierASNs = []uint32{14593} }},
		{name: "shared_address_space", people: three("100.72.1.2", residential, 9, 9, 9)},
		{name: "private_address", people: three("192.168.1.10", residential, 9, 9, 9)},
		{name: "vendor_flags_proxy", people: three("45.1.2.3", event.Network{ASN: 9009, IsProxy: true}, 9, 9, 9)},
		{name: "hosting_network", people: three("45.1.2.3", event.Network{ASN: 16509, IsHosting: true}, 9, 9, 9)},
		{name: "anonymiser_from_ip_database", people: three("45.1.2.3", event.Network{ASN: 9009, Intel: &event.IPIntel{Anonymizer: "Astrill"}}, 9, 9, 9)},
		{name: "sanctioned_vpn_asn", people: three("104.28.1.2", event.Network{ASN: 13335}, 9, 9, 9),
			pol: func(p *policy.Policy) {
				p.Allow.VPNASNs = []policy.ASNEntry{{ASN: 13335, Entry: policy.Entry{Reason: "WARP"}}}
			}},
		{name: "expired_egress_entry_still_links", people: three("73.1.2.3", residential, 3, 3, 3),
			pol: func(p *policy.Policy) {
				p.Allow.Egress = []policy.PrefixEntry{{Prefix: netip.MustParsePrefix("73.1.2.0/24"),
					Entry: policy.Entry{Reason: "old office", Expires: t0.AddDate(0, 0, -1)}}}
			}, want: []string{"E1", "E2", "E3"}},
		{name: "more_sharers_than_allowed", people: three("73.1.2.3", residential, 3, 3, 3, 3, 3)},
		{name: "max_sharers_lowered", people: three("73.1.2.3", residential, 3, 3, 3),
			pol: func(p *policy.Policy) { p.Cluster.MaxIPSharers = 2 }},
		{name: "ip_links_off", people: three("73.1.2.3", residential, 3, 3),
			pol: func(p *policy.Policy) { p.Cluster.MaxIPSharers = 0 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pol := policy.Default()
			if tt.pol != nil {
				tt.pol(pol)
			}
			var got []string
			for _, c := range build(population(tt.people...), pol, now) {
				for _, l := range c.Links {
					if l.Kind == KindIP {
						got = l.Members
					}
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("IP link members (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBuild_couple_sharing_a_home(t *testing.T) {
	flat := home("12 Elm St Apt 4", "Chicago", "60601")
	residential := event.Network{ASN: 7922}
	a := signIns(employee("A", flat), "73.9.9.9", 30, residential)
	b := signIns(employee("B", home("12 Elm Street, Apartment 4", "Chicago", "60601-1234")), "73.9.9.9", 30, residential)
	got := build(population(a, b), policy.Default(), now)
	want := []Cluster{{ID: "C1", Members: []string{"A", "B"}, Links: []Link{
		{Kind: KindAddress, Value: addressLabel(address.Key(flat)), Members: []string{"A", "B"}, Household: true},
	}}}
	if diff := cmp.Diff(want, got, noEvidence); diff != "" {
		t.Errorf("Build (-want +got):\n%s", diff)
	}
}

func TestBuild_household_with_a_joint_account(t *testing.T) {
	flat := home("12 Elm St", "Chicago", "60601")
	a := payout(employee("A", flat), "joint")
	b := payout(employee("B", flat), "joint")
	got := build(population(a, b), policy.Default(), now)
	if len(got) != 1 || len(got[0].Links) != 2 {
		t.Fatalf("got %+v, want one cluster with two links", got)
	}
	for _, l := range got[0].Links {
		if l.Kind == KindAddress && !l.Household {
			t.Errorf("home %s of a pair paid into one joint account not marked household", l.Value)
		}
	}
}

func TestBuild_household_needs_nothing_else_shared(t *testing.T) {
	flat := home("12 Elm St", "Chicago", "60601")
	a := payout(employee("A", flat), "joint")
	b := payout(employee("B", flat), "joint")
	c := payout(employee("C", home("9 Oak Ave", "Chicago", "60602")), "joint")
	got := build(population(a, b, c), policy.Default(), now)
	if len(got) != 1 {
		t.Fatalf("got %+v, want one cluster", got)
	}
	for _, l := range got[0].Links {
		if l.Household {
			t.Errorf("link %s %s marked household although the pair's payout account also pays a third person", l.Kind, l.Value)
		}
	}
}

func TestBuild_address_rules(t *testing.T) {
	depot := home("500 Market St", "San Francisco", "94105")
	shippedTo := func(n int) []*profile.Person {
		var out []*profile.Person
		for i := range n {
			out = append(out, shipment(employee(fmt.Sprintf("E%d", i+1), street(i)), fmt.Sprintf("SN%d", i), depot))
		}
		return out
	}
	allow := func(addr string, expires time.Time) func(*policy.Policy) {
		return func(p *policy.Policy) {
			p.Allow.SharedAddresses = []policy.AddressEntry{{Address: addr, Entry: policy.Entry{Reason: "IT depot", Expires: expires}}}
		}
	}
	tests := []struct {
		name   string
		people []*profile.Person
		pol    func(*policy.Policy)
		want   int // members of the address link; 0: no link
	}{
		{name: "laptop_farm_links", people: shippedTo(6), want: 6},
		{name: "business_address_links_nobody", people: shippedTo(7)},
		{name: "allow_listed_one_line", people: shippedTo(3), pol: allow("500 Market Street, San Francisco, CA 94105, US", time.Time{})},
		{name: "allow_listed_street_only", people: shippedTo(3), pol: allow("500 market st", time.Time{})},
		{name: "allow_listed_label", people: shippedTo(3), pol: allow(addressLabel(address.Key(depot)), time.Time{})},
		{name: "allow_list_other_city", people: shippedTo(3), pol: allow("500 Market St, Dallas, TX 75201, US", time.Time{}), want: 3},
		{name: "allow_list_expired", people: shippedTo(3), pol: allow("500 Market St, San Francisco, CA 94105, US", now.AddDate(0, 0, -1)), want: 3},
		{name: "address_links_off", people: shippedTo(3), pol: func(p *policy.Policy) { p.Cluster.MaxAddressSharers = 0 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pol := policy.Default()
			if tt.pol != nil {
				tt.pol(pol)
			}
			got := 0
			for _, c := range build(population(tt.people...), pol, now) {
				for _, l := range c.Links {
					if l.Kind == KindAddress {
						got = len(l.Members)
					}
				}
			}
			if got != tt.want {
				t.Errorf("address link members = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestBuild_devices(t *testing.T) {
	system := func(p *profile.Person, serial string) *profile.Person {
		p.Devices = append(p.Devices, &event.Event{Kind: event.KindDevice, Time: t0, Prov: prov("osquery"),
			Device: &event.Device{HostID: "host-" + p.ID, Query: "pack_it_system_info", Table: "system_info", Action: "snapshot",
				Rows: event.RowsOf(map[string]string{"hardware_serial": serial})}})
		return p
	}
	leaver := func(p *profile.Person) *profile.Person { p.HR().Active = false; return p }
	later := func(p *profile.Person) *profile.Person {
		p.Shipments[len(p.Shipments)-1].Shipment.ShippedOn = t0.AddDate(0, 2, 0)
		return p
	}
	tests := []struct {
		name   string
		people []*profile.Person
		want   []string
	}{
		{name: "endpoint_serial_matches_anothers_shipment",
			people: []*profile.Person{shipment(employee("A", street(1)), "C02XK1", street(1)), system(employee("B", street(2)), "c02xk1")},
			want:   []string{"A", "B"}},
		{name: "reissued_after_leaver_returned_it",
			people: []*profile.Person{leaver(shipment(employee("A", street(1)), "C02XK1", street(1))), later(shipment(employee("B", street(2)), "C02XK1", street(2)))}},
		{name: "same_serial_to_two_active_people",
			people: []*profile.Person{shipment(employee("A", street(1)), "C02XK1", street(1)), later(shipment(employee("B", street(2)), "C02XK1", street(2)))},
			want:   []string{"A", "B"}},
		{name: "placeholder_serial",
			people: []*profile.Person{system(employee("A", street(1)), "To Be Filled By O.E.M."), system(employee("B", street(2)), "To be filled by O.E.M.")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, c := range build(population(tt.people...), policy.Default(), now) {
				for _, l := range c.Links {
					if l.Kind == KindDevice {
						got = l.Members
					}
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("device link members (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBuild_contacts_and_urls(t *testing.T) {
	a := applicant("101", "https://www.GitHub.com/jdoe-dev/", "https://github.com")
	b := applicant("102", "github.com/jdoe-dev?tab=repositories", "http://github.com/")
	c := employee("E1", street(1))
	c.HR().Emails = append(c.HR().Emails, "Shared.Contact@Mail.example ")
	d := applicant("103")
	d.Applicants[0].Applicant.Emails = []string{"shared.contact@mail.example"}
	got := build(population(a, b, c, d), policy.Default(), now)
	want := []Cluster{
		{ID: "C1", Members: []string{"E1", "cand-103"}, Links: []Link{{Kind: KindEmail, Value: "shared.contact@mail.example", Members: []string{"E1", "cand-103"}}}},
		{ID: "C2", Members: []string{"cand-101", "cand-102"}, Links: []Link{{Kind: KindURL, Value: "github.com/jdoe-dev", Members: []string{"cand-101", "cand-102"}}}},
	}
	if diff := cmp.Diff(want, got, noEvidence); diff != "" {
		t.Errorf("Build (-want +got):\n%s", diff)
	}
}

func TestBuild_order_and_evidence(t *testing.T) {
	people := []*profile.Person{
		payout(employee("Z1", street(1)), "acct-1"), payout(employee("Z2", street(2)), "acct-1"),
		payout(employee("B1", street(3)), "acct-2"), payout(employee("B2", street(4)), "acct-2"),
		payout(employee("M1", street(5)), "acct-3"), payout(employee("M2", street(6)), "acct-3"), payout(employee("M3", street(7)), "acct-3"),
	}
	first := build(population(people...), policy.Default(), now)
	var ids []string
	for _, c := range first {
		ids = append(ids, c.ID+":"+strings.Join(c.Members, ","))
	}
	want := []string{"C1:M1,M2,M3", "C2:B1,B2", "C3:Z1,Z2"}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("cluster order (-want +got):\n%s", diff)
	}
	for range 5 {
		if diff := cmp.Diff(first, build(population(people...), policy.Default(), now)); diff != "" {
			t.Fatalf("Build is not deterministic:\n%s", diff)
		}
	}
	ev := first[0].Links[0].Evidence
	if len(ev) != 3 || ev[0].Source != "payroll" || !strings.Contains(ev[0].Summary, "M1 is paid to payout account acct-3 (bank)") {
		t.Errorf("evidence = %+v, want one payroll record per member naming the person and account", ev)
	}
}

func TestBuild_empty(t *testing.T) {
	if got := Build(&profile.Population{}, policy.Default(), now); got != nil {
		t.Errorf("Build(empty) = %v, want nil", got)
	}
	if got := build(population(employee("A", street(1))), nil, now); got != nil {
		t.Errorf("Build(one person, nil policy) = %v, want nil", got)
	}
}

func TestBuild_switchboard_phone_links_nobody(t *testing.T) {
	sharing := func(n int) []*profile.Person {
		var out []*profile.Person
		for i := range n {
			out = append(out, phone(employee(fmt.Sprintf("E%d", i+1), street(i)), "+1 800 555 0100"))
		}
		return out
	}
	tests := []struct {
		name   string
		people []*profile.Person
		pol    func(*policy.Policy)
		want   int
	}{
		{name: "six_share_a_phone", people: sharing(6), want: 6},
		{name: "seven_share_a_phone", people: sharing(7)},
		{name: "limit_raised", people: sharing(7), pol: func(p *policy.Policy) { p.Cluster.MaxIdentifierSharers = 10 }, want: 7},
		{name: "identifier_links_off", people: sharing(2), pol: func(p *policy.Policy) { p.Cluster.MaxIdentifierSharers = 0 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pol := policy.Default()
			if tt.pol != nil {
				tt.pol(pol)
			}
			got := 0
			for _, c := range build(population(tt.people...), pol, now) {
				got = len(c.Members)
			}
			if got != tt.want {
				t.Errorf("cluster size %d, want %d", got, tt.want)
			}
		})
	}
}

// BenchmarkBuild: 5,000 people with 60 sign-ins each, half from home IPs
// and half through one office egress.
func BenchmarkBuild(b *testing.B) {
	var people []*profile.Person
	for i := range 5000 {
		p := payout(employee(fmt.Sprintf("E%05d", i), street(i)), fmt.Sprintf("acct-%d", i/2000))
		signIns(p, fmt.Sprintf("73.%d.%d.%d", i/65536, (i/256)%256, i%256), 30, event.Network{ASN: 7922})
		signIns(p, "198.51.100.1", 30, event.Network{ASN: 64500})
		people = append(people, p)
	}
	pop := population(people...)
	pol := policy.Default()
	build(pop, pol, now) // derives the records' facts once, as a scan does
	b.ResetTimer()
	for b.Loop() {
		Build(pop, pol, now)
	}
}
