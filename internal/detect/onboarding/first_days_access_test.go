package onboarding

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

func TestFirstDaysAccess(t *testing.T) {
	home := event.Address{Street: "1 Main St", Locality: "Austin", Region: "TX", PostalCode: "78701", Country: "US"}
	nord := event.Network{IP: netip.MustParseAddr("203.0.113.120"), Country: "NL", ASN: 136787, ASOrg: "tefincom s.a.", IsProxy: true}
	astrill := event.Network{IP: netip.MustParseAddr("203.0.113.121"), Country: "US", ASN: 9009, ASOrg: "M247 Europe SRL", ISP: "Astrill VPN", IsProxy: true}
	corpVPN := event.Network{IP: netip.MustParseAddr("203.0.113.90"), Country: "US", ASN: 64500, ASOrg: "example corp vpn", IsProxy: true}
	shenyang := event.Network{IP: netip.MustParseAddr("198.51.100.40"), Country: "CN", City: "Shenyang", Lat: 41.8, Lon: 123.43, HasGeo: true, ASN: 4837, ASOrg: "china unicom"}
	sanctioned := policy.Default()
	sanctioned.Allow.VPNASNs = []policy.ASNEntry{{ASN: 64500, Entry: policy.Entry{Reason: "corporate VPN"}}}
	travel := policy.Default()
	travel.Allow.Travel = []policy.TravelEntry{{Person: "E1", Countries: []string{"CN"}, From: days(0), To: days(5), Entry: policy.Entry{Reason: "finishing a trip"}}}
	type signIn struct {
		day     int
		n       event.Network
		os      string
		managed string
	}
	build := func(hired time.Time, ss ...signIn) []*event.Event {
		r := rosterRecord(1, "E1", "Lena Ortiz", home)
		r.Time, r.Person.Created = hired, hired
		events := []*event.Event{r}
		for i, s := range ss {
			os := s.os
			if os == "" {
				os = "Windows10"
			}
			events = append(events, firstDaysSignIn(i+1, "E1@example.com", hired.AddDate(0, 0, s.day).Add(5*time.Hour), s.n, os, s.managed))
		}
		return events
	}
	laptop := func(day int) signIn { return signIn{day: day, n: firstDaysAustin, managed: "managed"} }
	tests := []struct {
		name   string
		events []*event.Event
		pol    *policy.Policy
		want   []outcome
	}{
		{name: "one_vpn_sign_in_on_day_ten", events: build(exampleHired, laptop(1), laptop(2), signIn{day: 9, n: nord, managed: "managed"}), want: []outcome{{Person: "E1", Confidence: 0.3}}},
		{name: "astrill_on_two_days", events: build(exampleHired, signIn{day: 1, n: astrill}, signIn{day: 2, n: astrill}), want: []outcome{{Person: "E1", Confidence: 1}}},
		{name: "vpn_on_three_days", events: build(exampleHired, signIn{day: 1, n: nord}, signIn{day: 2, n: nord}, signIn{day: 3, n: nord}), want: []outcome{{Person: "E1", Confidence: 0.3}}},
		{name: "from_china", events: build(exampleHired, signIn{day: 0, n: shenyang}, signIn{day: 1, n: shenyang}), want: []outcome{{Person: "E1", Confidence: 0.8}}},
		{
			name:   "unmanaged_and_vpn",
			events: build(exampleHired, signIn{day: 1, n: nord, managed: "unmanaged"}, signIn{day: 2, n: firstDaysAustin, managed: "unmanaged"}),
			want:   []outcome{{Person: "E1", Confidence: 0.5}},
		},
		{name: "unmanaged_without_a_shipment", events: build(exampleHired, signIn{day: 1, n: firstDaysAustin, managed: "unmanaged"}, signIn{day: 2, n: firstDaysAustin, managed: "unmanaged"}), want: []outcome{{Person: "E1", Confidence: 0.3}}},
		{
			// A privacy VPN from day one and ever after: IAM-01's business;
			// here a generic VPN counts 0.3, halved because it goes on.
			name: "vpn_every_day_from_the_start",
			events: build(exampleHired, func() []signIn {
				var ss []signIn
				for d := range 45 {
					ss = append(ss, signIn{day: d, n: nord, managed: "managed"})
				}
				return ss
			}()...),
			want: []outcome{{Person: "E1", Confidence: 0.15}},
		},
		{name: "sanctioned_vpn", events: build(exampleHired, signIn{day: 1, n: corpVPN}, signIn{day: 2, n: corpVPN}), pol: sanctioned},
		{name: "approved_trip_before_starting", events: build(exampleHired, signIn{day: 0, n: shenyang}, signIn{day: 1, n: shenyang}, laptop(8)), pol: travel},
		{name: "phone_on_day_one", events: build(exampleHired, signIn{day: 0, n: firstDaysAustin, os: "iOS 17", managed: "unmanaged"}, signIn{day: 1, n: firstDaysAustin, os: "Android 14", managed: "unmanaged"})},
		{name: "vpn_after_the_first_two_weeks", events: build(exampleHired, laptop(1), laptop(2), signIn{day: 20, n: nord})},
		{name: "clean_start", events: build(exampleHired, laptop(0), laptop(1), laptop(2))},
		{
			// Other people's activity shows the data covers the hire date.
			name: "account_created_a_month_ahead",
			events: append(build(exampleHired, signIn{day: 30, n: firstDaysAustin, managed: "managed"}, signIn{day: 33, n: nord}),
				rosterRecord(2, "E2", "Ann Colleague", event.Address{Street: "2 Oak St", Country: "US"}),
				firstDaysSignIn(50, "E2@example.com", exampleHired, firstDaysAustin, "Windows10", "managed")),
			want: []outcome{{Person: "E1", Confidence: 0.3}},
		},
		{
			// Hired long before the data begins: these are not the first days.
			name:   "long_tenured",
			events: append(build(exampleHired.AddDate(-1, 0, 0)), firstDaysSignIn(9, "E1@example.com", days(1), nord, "Windows10", "")),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pol := tc.pol
			if pol == nil {
				pol = policy.Default()
			}
			got, fs := run(t, &FirstDaysAccess{}, pol, tc.events)
			if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreFields(outcome{}, "Records")); diff != "" {
				for _, f := range fs {
					t.Log(f.Summary)
				}
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFirstDaysAccessSummary(t *testing.T) {
	ex := (&FirstDaysAccess{}).Examples().Positive
	_, fs := run(t, &FirstDaysAccess{}, policy.Default(), ex.Events)
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1", len(fs))
	}
	want := "in the first 14 days from 2025-02-03: 10 sign-ins through a VPN, proxy or hosting network on 10 days"
	if fs[0].Summary != want {
		t.Errorf("summary %q, want %q", fs[0].Summary, want)
	}
	if e := fs[0].Evidence[0]; !strings.Contains(e.Summary, "day 1 of the account: anonymiser") {
		t.Errorf("evidence %+v", e)
	}
}
