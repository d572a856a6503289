package payroll

import (
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
)

// TestUnusualPayoutRelocation judges each payout against the home claimed
// at its effective date (profile.Timeline): a move from Chicago to Kraków
// that the roster recorded, or that payroll and sign-ins followed
// together, is quiet; a payroll-only "relocation" soon after hire, and an
// HR change the sign-ins never followed, still fire.
func TestUnusualPayoutRelocation(t *testing.T) {
	netUS := event.Network{IP: netip.MustParseAddr("198.51.100.10"), Country: "US", City: "Chicago", HasGeo: true, ASN: 7922, ASOrg: "comcast cable communications, llc"}
	netPL := event.Network{IP: netip.MustParseAddr("198.51.100.20"), Country: "PL", City: "Kraków", HasGeo: true, ASN: 5617, ASOrg: "orange polska spolka akcyjna"}
	moved := days(120)
	// roster is the roster as exported after a move to Kraków on moved;
	// before is the snapshot taken before it.
	roster := func(home event.Address) *event.Event {
		e := rosterRecord(2, "E1", "Ada Nowak", home)
		e.Person.Modified = moved.Add(3 * 24 * time.Hour)
		return e
	}
	before := rosterRecord(1, "E1", "Ada Nowak", chicago)
	payouts := []*event.Event{
		payoutRecord(1, "E1", days(0), "bank", fpA, "US"),
		payoutRecord(2, "E1", moved.Add(-5*24*time.Hour), "bank", fpB, "PL"),
	}
	shipped := detecttest.ShipmentRecord(1, event.Shipment{EmployeeID: "E1", AssetSerial: "C02XK1", ShippedOn: days(-5), ShipTo: chicago})
	signIns := func(after event.Network) []*event.Event {
		var out []*event.Event
		for i := range 60 {
			n, t := netUS, days(60+2*i)
			if t.After(moved) {
				n = after
			}
			out = append(out, detecttest.OktaSignIn(i+1, "E1@example.com", t, n, "Mac OS X"))
		}
		return out
	}
	tests := []struct {
		name   string
		events []*event.Event
		want   []outcome
	}{
		{name: "recorded_move_payroll_followed", events: detecttest.Join([]*event.Event{roster(krakow), before}, payouts)},
		{name: "inferred_move_payroll_and_sign_ins_followed",
			events: detecttest.Join([]*event.Event{roster(krakow), shipped}, payouts, signIns(netPL))},
		{name: "inferred_move_sign_ins_stayed",
			events: detecttest.Join([]*event.Event{roster(krakow), shipped}, payouts, signIns(netUS)),
			want:   []outcome{{Person: "E1", Confidence: confForeignBank, Records: []string{pay(1)}}}},
		{name: "payroll_only_relocation_after_hire",
			events: detecttest.Join([]*event.Event{rosterRecord(1, "E1", "Ada Nowak", chicago)}, payouts, signIns(netUS)),
			want:   []outcome{{Person: "E1", Confidence: confForeignBank, Records: []string{pay(2)}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := run(t, &UnusualPayout{}, tc.events)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
