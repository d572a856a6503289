package endpoint

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

// MAC addresses of the LAN tests.
var (
	macRouter    = "3c:37:86:5a:01:10" // a consumer router, not in the KVM table
	macPi        = "b8:27:eb:4f:10:2a" // Raspberry Pi Foundation
	macGL        = "94:83:c4:2e:71:0c" // GL Technologies (GL.iNet)
	macTinyPilot = "04:c9:8b:1a:00:07" // TinyPilot, LLC (MA-M block)
	macATEN      = "00:10:74:aa:bb:cc" // ATEN International
	macRandom    = "a6:1f:72:0b:3c:9e" // locally administered (a phone's private address)
)

// lanDays is the host's ARP cache on days 0..n-1, records first….
func lanDays(first int, host, user string, n int, rows ...map[string]string) []*event.Event {
	var out []*event.Event
	for i := range n {
		out = append(out, osq(first+i, host, user, at(i), tableARP, "snapshot", rows...))
	}
	return out
}

// homeRoster is a roster record whose user is user@example.com, at street
// in Austin.
func homeRoster(record int, id, user, street string) *event.Event {
	e := rosterRecord(record, id, "Person "+id, user, "US")
	e.Person.Addresses = []event.Address{{Type: "home", Street: street, Locality: "Austin", Region: "TX", PostalCode: "78701", Country: "US"}}
	return e
}

type lanCase struct {
	name   string
	pol    *policy.Policy
	events []*event.Event
	kvm    []outcome // END-11
	board  []outcome // END-12
}

func TestLAN(t *testing.T) {
	who := rosterRecord(1, "E1", "Jordan Miles", "jmiles", "US")
	with := func(evs ...[]*event.Event) []*event.Event {
		return detecttest.Join(append([][]*event.Event{{who}}, evs...)...)
	}
	var farm []*event.Event
	for i, street := range []string{"1 Oak St", "22 Elm St", "300 Pine Ave"} {
		id, user := fmt.Sprintf("F%d", i), fmt.Sprintf("farm%d", i)
		farm = append(farm, homeRoster(10+i, id, user, street))
		farm = append(farm, lanDays(1+10*i, "LT-"+id, user, 3, arp("10.0.0.1", macRouter), arp("10.0.0.2", macPi))...)
	}
	var household []*event.Event
	for i := range 3 {
		id, user := fmt.Sprintf("H%d", i), fmt.Sprintf("home%d", i)
		household = append(household, homeRoster(10+i, id, user, "9 Birch Rd"))
		household = append(household, lanDays(1+10*i, "LT-"+id, user, 3, arp("10.0.0.2", macPi))...)
	}
	var office []*event.Event
	for i := range lanInfraMin {
		id, user := fmt.Sprintf("O%d", i), fmt.Sprintf("office%d", i)
		office = append(office, rosterRecord(10+i, id, "Person "+id, user, "US"),
			osq(1+i, "LT-"+id, user, at(0), tableARP, "snapshot", arp("10.1.0.5", macATEN)))
	}
	tests := []lanCase{
		{
			name:   "tinypilot_on_two_days",
			events: with(lanDays(1, "MBP-1", "jmiles", 2, arp("192.168.8.1", macGL), arp("192.168.8.52", macTinyPilot))),
			kvm:    []outcome{{Person: "E1", Confidence: confLANKVMHigh, Records: []int{1, 2}}},
			board:  []outcome{{Person: "E1", Confidence: confLANBoard, Records: []int{1, 2}}}, // the GL.iNet router, weak
		},
		{
			name:   "tinypilot_on_one_day",
			events: with([]*event.Event{osq(1, "MBP-1", "jmiles", at(0), tableARP, "added", arp("192.168.8.52", macTinyPilot))}),
			kvm:    []outcome{{Person: "E1", Confidence: confLANKVMHigh * lanOneDayDiscount, Records: []int{1}}},
		},
		{
			name:   "aten_kvm_over_ip_batch_rows",
			events: with(batchARP(1, 4, arp("10.0.0.7", "00-10-74-AA-BB-CC"))),
			kvm:    []outcome{{Person: "E1", Confidence: confLANKVMMedium, Records: []int{1, 4}}},
		},
		{
			name: "pi_named_pikvm_in_the_hosts_file",
			events: with(lanDays(1, "MBP-1", "jmiles", 3, arp("192.168.8.51", macPi)),
				[]*event.Event{osq(9, "MBP-1", "jmiles", at(1), tableEtcHosts, "snapshot",
					map[string]string{"address": "127.0.0.1", "hostnames": "localhost"},
					map[string]string{"address": "192.168.8.51", "hostnames": "pikvm pikvm.local"})}),
			kvm: []outcome{{Person: "E1", Confidence: confLANNamed, Records: []int{1, 3, 9}}},
		},
		{
			name: "kvm_name_in_the_dns_cache_only",
			events: with([]*event.Event{osq(1, "DESKTOP-1", "jmiles", at(0), tableDNSCache, "added",
				map[string]string{"name": "glkvm.local", "type": "1", "flags": "8192"})}),
			kvm: []outcome{{Person: "E1", Confidence: confLANNameOnly, Records: []int{1}}},
		},
		{
			name:   "one_pi_on_the_lans_of_three_people_with_different_homes",
			events: farm,
			kvm: []outcome{
				{Person: "F0", Confidence: confLANBoardFarm, Records: []int{1, 3}},
				{Person: "F1", Confidence: confLANBoardFarm, Records: []int{11, 13}},
				{Person: "F2", Confidence: confLANBoardFarm, Records: []int{21, 23}},
			},
		},
		{
			name: "aten_on_the_lans_of_two_people",
			events: []*event.Event{rosterRecord(1, "E1", "A", "a1", "US"), rosterRecord(2, "E2", "B", "b2", "US"),
				osq(1, "LT-1", "a1", at(0), tableARP, "snapshot", arp("10.0.0.7", macATEN)),
				osq(2, "LT-2", "b2", at(0), tableARP, "snapshot", arp("10.0.0.7", macATEN))},
			kvm: []outcome{{Person: "E1", Confidence: confLANShared, Records: []int{1}}, {Person: "E2", Confidence: confLANShared, Records: []int{2}}},
		},
		{
			name:   "home_pi_for_weeks_is_weak",
			events: with(lanDays(1, "MBP-1", "jmiles", 14, arp("192.168.1.1", macRouter), arp("192.168.1.40", macPi))),
			board:  []outcome{{Person: "E1", Confidence: confLANBoard, Records: []int{1, 14}}},
		},
		// Negative cases.
		{
			name:   "household_laptops_share_the_home_pi",
			events: household,
			board: []outcome{
				{Person: "H0", Confidence: confLANBoard, Records: []int{1, 3}},
				{Person: "H1", Confidence: confLANBoard, Records: []int{11, 13}},
				{Person: "H2", Confidence: confLANBoard, Records: []int{21, 23}},
			},
		},
		{
			name:   "travel_router_on_one_day",
			events: with([]*event.Event{osq(1, "MBP-1", "jmiles", at(0), tableARP, "snapshot", arp("192.168.8.1", macGL))}),
		},
		{
			name: "own_interface_is_not_a_neighbour",
			events: with(lanDays(1, "PI-DESK", "jmiles", 3, arp("10.0.0.9", macPi)),
				[]*event.Event{osq(9, "PI-DESK", "jmiles", at(0), tableInterfaces, "snapshot", map[string]string{"interface": "eth0", "mac": macPi, "type": "6"})}),
		},
		{name: "office_kvm_on_ten_peoples_lans", events: office},
		{
			name:   "it_admin_home_lab_kvm_is_lowered",
			events: append([]*event.Event{withRole(rosterRecord(1, "E1", "Jordan Miles", "jmiles", "US"), "IT", "Systems Administrator")}, lanDays(1, "MBP-1", "jmiles", 3, arp("192.168.1.250", macATEN))...),
			kvm:    []outcome{{Person: "E1", Confidence: confLANKVMMedium * lanITDiscount, Records: []int{1, 3}}},
		},
		{
			name:   "sanctioned_by_mac_address",
			pol:    allowTools("001074AABBCC"),
			events: with(lanDays(1, "MBP-1", "jmiles", 3, arp("10.0.0.7", macATEN))),
		},
		{
			name:   "sanctioned_device",
			pol:    allowTools("ATEN KVM over IP"),
			events: with(lanDays(1, "MBP-1", "jmiles", 3, arp("10.0.0.7", macATEN))),
		},
		{
			name:   "removed_entries_and_private_addresses",
			events: with([]*event.Event{osq(1, "MBP-1", "jmiles", at(0), tableARP, "removed", arp("10.0.0.7", macATEN)), osq(2, "MBP-1", "jmiles", at(1), tableARP, "snapshot", arp("10.0.0.8", macRandom), arp("10.0.0.255", "ff:ff:ff:ff:ff:ff"))}),
		},
		{
			name: "name_that_only_starts_like_a_kvm",
			events: with([]*event.Event{osq(1, "MBP-1", "jmiles", at(0), tableEtcHosts, "snapshot",
				map[string]string{"address": "10.0.0.3", "hostnames": "pikvmfan.example.com tinypilots"})}),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, c := range []struct {
				ind  detect.Indicator
				want []outcome
			}{{&LANKVM{}, tc.kvm}, {&LANBoard{}, tc.board}} {
				got, sums := runSummaries(t, c.ind, tc.pol, tc.events)
				if diff := cmp.Diff(c.want, got); diff != "" {
					t.Errorf("%s findings (-want +got):\n%s\n%s", c.ind.ID(), diff, strings.Join(sums, "\n"))
				}
			}
		})
	}
}

func runSummaries(t *testing.T, ind detect.Indicator, pol *policy.Policy, events []*event.Event) ([]outcome, []string) {
	t.Helper()
	got, fs := run(t, ind, pol, events)
	var sums []string
	for _, f := range fs {
		sums = append(sums, f.Summary)
	}
	return got, sums
}

// batchARP is the batch form: the device added on days 0..n-1.
func batchARP(first, n int, row map[string]string) []*event.Event {
	var out []*event.Event
	for i := range n {
		r := map[string]string{"diffResults": "added"}
		for k, v := range row {
			r[k] = v
		}
		out = append(out, osq(first+i, "DESKTOP-1", "jmiles", at(i), tableARP, "batch", r))
	}
	return out
}

func TestLANEvidenceNamesTheRows(t *testing.T) {
	events := []*event.Event{rosterRecord(1, "E1", "Jordan Miles", "jmiles", "US"),
		osq(1, "MBP-1", "jmiles", at(0), tableARP, "snapshot", arp("192.168.8.52", macTinyPilot)),
		osq(2, "MBP-1", "jmiles", at(1), tableARP, "snapshot", arp("192.168.8.52", macTinyPilot))}
	_, fs := run(t, &LANKVM{}, nil, events)
	if len(fs) != 1 {
		t.Fatalf("%d findings, want 1", len(fs))
	}
	for _, want := range []string{"04:c9:8b:1a:00:07", "192.168.8.52", "MBP-1", "TinyPilot, LLC", "04C98B1"} {
		if !strings.Contains(fs[0].Evidence[0].Summary, want) {
			t.Errorf("evidence %q lacks %q", fs[0].Evidence[0].Summary, want)
		}
	}
}
