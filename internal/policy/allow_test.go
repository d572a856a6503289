package policy

import (
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestAllow(t *testing.T) {
	day := func(y, m, d, h int) time.Time { return time.Date(y, time.Month(m), d, h, 0, 0, 0, time.UTC) }
	expired := Entry{Reason: "old", Expires: day(2025, 1, 1, 0)}
	a := Allow{
		VPNASNs: []ASNEntry{{ASN: 13335, Entry: Entry{Reason: "zero trust"}}, {ASN: 9009, Entry: expired}},
		Egress:  []PrefixEntry{{Prefix: netip.MustParsePrefix("203.0.113.0/24"), Entry: Entry{Reason: "hq"}}},
		Travel: []TravelEntry{{Person: "E1", Countries: []string{"FR"}, From: day(2025, 3, 1, 0), To: day(2025, 3, 15, 0),
			Entry: Entry{Reason: "visit"}}},
		SharedAddresses: []AddressEntry{{Address: "1 Depot Way", Entry: Entry{Reason: "depot"}}},
		Tools:           []ToolEntry{{Name: "TeamViewer", Entry: Entry{Reason: "helpdesk"}}, {Name: "AnyDesk", Entry: expired}},
		People:          []PersonEntry{{Person: "E1", Indicator: "IAM-01", Entry: Entry{Reason: "reviewed"}}, {Person: "E2", Indicator: "IAM-01", Entry: expired}},
	}
	now := day(2025, 6, 1, 0)
	tests := []struct {
		name string
		got  func() (string, bool)
		want string // "" means not allowed
	}{
		{"asn_allowed", func() (string, bool) { return a.AllowedASN(13335, now) }, "zero trust"},
		{"asn_expired", func() (string, bool) { return a.AllowedASN(9009, now) }, ""},
		{"asn_before_expiry", func() (string, bool) { return a.AllowedASN(9009, day(2024, 12, 1, 0)) }, "old"},
		{"egress_inside", func() (string, bool) { return a.IsEgress(netip.MustParseAddr("203.0.113.9"), now) }, "hq"},
		{"egress_outside", func() (string, bool) { return a.IsEgress(netip.MustParseAddr("203.0.114.9"), now) }, ""},
		{"travel_first_day", func() (string, bool) { return a.TravelApproved("E1", "fr", day(2025, 3, 1, 0)) }, "visit"},
		{"travel_last_day_evening", func() (string, bool) { return a.TravelApproved("E1", "FR", day(2025, 3, 15, 22)) }, "visit"},
		{"travel_after", func() (string, bool) { return a.TravelApproved("E1", "FR", day(2025, 3, 16, 0)) }, ""},
		{"travel_other_country", func() (string, bool) { return a.TravelApproved("E1", "DE", day(2025, 3, 5, 0)) }, ""},
		{"travel_other_person", func() (string, bool) { return a.TravelApproved("E2", "FR", day(2025, 3, 5, 0)) }, ""},
		{"shared_address", func() (string, bool) { return a.SharedAddress("1 depot way", strings.ToLower, now) }, "depot"},
		{"tool_case_insensitive", func() (string, bool) { return a.ToolAllowed("teamviewer", now) }, "helpdesk"},
		{"tool_expired", func() (string, bool) { return a.ToolAllowed("AnyDesk", now) }, ""},
		{"suppressed", func() (string, bool) { return a.Suppressed("E1", "iam-01", now) }, "reviewed"},
		{"suppression_expired", func() (string, bool) { return a.Suppressed("E2", "IAM-01", now) }, ""},
		{"suppression_other_indicator", func() (string, bool) { return a.Suppressed("E1", "IAM-03", now) }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reason, ok := tt.got()
			if ok != (tt.want != "") || reason != tt.want {
				t.Errorf("got (%q, %v), want %q", reason, ok, tt.want)
			}
		})
	}
}
