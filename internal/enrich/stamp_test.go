package enrich

import (
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

var t0 = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)

func signIn(ip string, asn uint32, org string) *event.Event {
	return &event.Event{Kind: event.KindSignIn, Time: t0, Prov: event.Provenance{Origin: &event.Origin{Source: "okta"}},
		SignIn: &event.SignIn{Action: "user.session.start", Outcome: event.OutcomeSuccess, OS: "Windows 10",
			Net: &event.Network{IP: netip.MustParseAddr(ip), ASN: asn, ASOrg: org, Country: "us"}}}
}

func TestStampNetworkFacts(t *testing.T) {
	pol := policy.Default()
	pol.Allow.VPNASNs = append(pol.Allow.VPNASNs, policy.ASNEntry{ASN: 64500, Name: "corp", Entry: policy.Entry{Reason: "corporate VPN"}})
	pol.Cluster.CarrierASNs = []uint32{14593}
	tests := []struct {
		name string
		e    *event.Event
		want event.NetFacts
	}{
		{"home_broadband_locates", signIn("73.1.2.3", 7922, "comcast"),
			event.NetFacts{Country: "US", Locates: true}},
		{"mobile_carrier_from_the_network_list", signIn("172.56.1.2", 55836, "reliance jio"),
			event.NetFacts{Verdict: event.NetVerdict{Kind: event.NetMobile, Name: "Reliance Jio Infocomm Limited (IN)", Why: "AS55836 on the network list (mobile)"}, Country: "US"}},
		{"cgnat_space_never_locates", signIn("100.64.1.2", 7922, "comcast"),
			event.NetFacts{Country: "US"}},
		{"policy_carrier_never_locates", signIn("73.1.2.3", 14593, "space exploration technologies"),
			event.NetFacts{Country: "US"}},
		{"allow_listed_vpn", signIn("73.1.2.3", 64500, "corp"),
			event.NetFacts{Verdict: event.NetVerdict{Kind: event.NetSanctioned, Name: "corp", Why: "AS64500 is allow-listed: corporate VPN"}, Country: "US"}},
		{"astrill_by_name", signIn("73.1.2.3", 64511, "Astrill VPN"),
			event.NetFacts{Verdict: event.NetVerdict{Kind: event.NetAnonymiser, Name: "Astrill VPN", Why: `network name "Astrill VPN" is a VPN`, Favoured: true}, Country: "US"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			Stamp([]*event.Event{tt.e}, pol)
			if diff := cmp.Diff(tt.want, *tt.e.Facts.Net); diff != "" {
				t.Errorf("network facts (-want +got):\n%s", diff)
			}
			if tt.e.Facts.Device != event.DeviceComputer {
				t.Errorf("device class %b, want a computer sign-in", tt.e.Facts.Device)
			}
		})
	}
}

func TestStampSharesNetworkFacts(t *testing.T) {
	a, b, c := signIn("73.1.2.3", 7922, "comcast"), signIn("73.1.2.3", 7922, "comcast"), signIn("73.1.2.4", 7922, "comcast")
	Stamp([]*event.Event{a, b, c}, nil)
	if a.Facts.Net != b.Facts.Net || a.Facts.Net != c.Facts.Net {
		t.Error("equal network facts are not one shared value")
	}
}

func TestStampContacts(t *testing.T) {
	roster := &event.Event{Kind: event.KindPerson, Person: &event.Person{EmployeeID: "E1", UserName: "Jane.Roe@Example.com",
		Emails: []string{"jane.roe+hr@googlemail.com"}, Phones: []string{"(415) 867-5309"},
		Addresses: []event.Address{{Type: "home", Street: "12 Oak Avenue", Locality: "Springfield", PostalCode: "62701", Country: "US"}}}}
	applicant := &event.Event{Kind: event.KindApplicant, Applicant: &event.Applicant{CandidateID: "7",
		Phones: []string{"07911 123456"}, Addresses: []string{"1 Main St PMB 204, London, United Kingdom"}}}
	ship := &event.Event{Kind: event.KindShipment, Shipment: &event.Shipment{EmployeeID: "E1",
		ShipTo: event.Address{Street: "12 Oak Ave", Locality: "Springfield", PostalCode: "62701-1234", Country: "United States"}}}
	Stamp([]*event.Event{roster, applicant, ship}, nil)

	home := event.AddressFacts{Key: "12 oak ave|62701|springfield|US", Class: "residential"}
	want := &event.Contacts{
		Phones:    []event.Phone{{Raw: "(415) 867-5309", E164: "+14158675309", Key: "4158675309", Line: "fixed_line_or_mobile"}},
		Mailboxes: []string{"janeroe@gmail.com", "jane.roe@example.com"},
		Addresses: []event.AddressFacts{home},
	}
	if diff := cmp.Diff(want, roster.Contacts()); diff != "" {
		t.Errorf("roster contacts (-want +got):\n%s", diff)
	}
	if got := ship.Contacts().Addresses; len(got) != 1 || got[0] != home {
		t.Errorf("ship-to facts %+v, want the roster home's key %+v", got, home)
	}
	ac := applicant.Contacts()
	if len(ac.Phones) != 1 || ac.Phones[0].E164 != "+447911123456" || ac.Phones[0].Line != "mobile" {
		t.Errorf("applicant phone %+v, want a UK mobile read in the country of the address", ac.Phones)
	}
	if len(ac.Addresses) != 1 || ac.Addresses[0].Class != "mail_forwarder" {
		t.Errorf("applicant address %+v, want a mail forwarder", ac.Addresses)
	}
}
