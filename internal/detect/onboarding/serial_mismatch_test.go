package onboarding

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

func osqRec(n int) string { return fmt.Sprintf("examples/osqueryd.results.log#%d", n) }

func TestSerialMismatch(t *testing.T) {
	tests := []struct {
		name   string
		events []*event.Event
		want   []outcome
	}{
		{
			name: "another_machine_from_the_start",
			events: []*event.Event{
				rosterRecord(1, "E1", "Kevin Tran", austin), shipmentRecord(1, "E1", "A1", days(-3), austin),
				exampleSystemInfo(1, "mbp-1", "e1", days(2), "C02XK9Q7MD6R"), exampleSystemInfo(2, "mbp-1", "e1", days(40), "C02XK9Q7MD6R"),
			},
			want: []outcome{{Person: "E1", Confidence: confFromTheStart, Records: []string{osqRec(1), osqRec(2), ship(1)}}},
		},
		{
			name: "virtual_machine_serial",
			events: []*event.Event{
				rosterRecord(1, "E1", "Kevin Tran", austin), shipmentRecord(1, "E1", "A1", days(-3), austin),
				exampleSystemInfo(1, "win-vm", "e1", days(5), "VMware-56 4d 2c 11 8a 9e 3f 27-1b 6c 55 2d 90 af 01 7e"),
			},
			want: []outcome{{Person: "E1", Confidence: confFromTheStart, Records: []string{osqRec(1), ship(1)}}},
		},
		{
			name: "second_machine_beside_the_shipped_one",
			events: []*event.Event{
				rosterRecord(1, "E1", "Kevin Tran", austin), shipmentRecord(1, "E1", "A1", days(-3), austin),
				exampleSystemInfo(1, "mbp-1", "e1", days(2), "SNA1"), exampleSystemInfo(2, "pc-2", "e1", days(20), "PF3XK2LM"),
				exampleSystemInfo(3, "mbp-1", "e1", days(60), "SNA1"),
			},
			want: []outcome{{Person: "E1", Confidence: confSecondMachine, Records: []string{osqRec(2), ship(1)}}},
		},
		{
			name: "long_after_shipping_counts_less",
			events: []*event.Event{
				rosterRecord(1, "E1", "Kevin Tran", austin), shipmentRecord(1, "E1", "A1", days(-400), austin),
				exampleSystemInfo(1, "mbp-1", "e1", days(10), "C02XK9Q7MD6R"),
			},
			want: []outcome{{Person: "E1", Confidence: confUnknownLongAfter, Records: []string{osqRec(1), ship(1)}}},
		},
		// Negative cases.
		{
			name: "shipped_serial_reported",
			events: []*event.Event{
				rosterRecord(1, "E1", "Kevin Tran", austin), shipmentRecord(1, "E1", "A1", days(-3), austin),
				exampleSystemInfo(1, "mbp-1", "e1", days(2), "snA1 "),
			},
		},
		{
			name: "replacement_shipped_later_carries_the_serial",
			events: []*event.Event{
				rosterRecord(1, "E1", "Kevin Tran", austin), shipmentRecord(1, "E1", "A1", days(-3), austin),
				shipmentRecord(2, "E1", "B2", days(200), austin),
				exampleSystemInfo(1, "mbp-1", "e1", days(2), "SNA1"), exampleSystemInfo(2, "mbp-2", "e1", days(203), "SNB2"),
			},
		},
		{
			name: "replacement_shipped_without_a_recorded_serial",
			events: func() []*event.Event {
				r := shipmentRecord(2, "E1", "B2", days(200), austin)
				r.Shipment.AssetSerial = ""
				return []*event.Event{rosterRecord(1, "E1", "Kevin Tran", austin), shipmentRecord(1, "E1", "A1", days(-3), austin), r,
					exampleSystemInfo(1, "mbp-1", "e1", days(2), "SNA1"), exampleSystemInfo(2, "mbp-2", "e1", days(205), "C02NEW0001")}
			}(),
		},
		{
			name: "handover_from_the_shipped_laptop_to_an_unrecorded_replacement",
			events: []*event.Event{
				rosterRecord(1, "E1", "Kevin Tran", austin), shipmentRecord(1, "E1", "A1", days(-3), austin),
				exampleSystemInfo(1, "mbp-1", "e1", days(2), "SNA1"), exampleSystemInfo(2, "mbp-1", "e1", days(150), "SNA1"),
				exampleSystemInfo(3, "mbp-9", "e1", days(152), "C02NEW0001"), exampleSystemInfo(4, "mbp-9", "e1", days(300), "C02NEW0001"),
			},
		},
		{
			name: "firmware_without_a_serial",
			events: []*event.Event{
				rosterRecord(1, "E1", "Kevin Tran", austin), shipmentRecord(1, "E1", "A1", days(-3), austin),
				exampleSystemInfo(1, "pc-1", "e1", days(2), "To be filled by O.E.M."), exampleSystemInfo(2, "pc-1", "e1", days(3), "0"),
			},
		},
		{
			name: "nothing_shipped_with_a_serial",
			events: []*event.Event{
				rosterRecord(1, "E1", "Kevin Tran", austin),
				exampleSystemInfo(1, "mbp-1", "e1", days(2), "C02XK9Q7MD6R"),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := run(t, &SerialMismatch{}, nil, tt.events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSerialMismatchShippedToAnother: identity resolution gives a host to
// the person its serial was shipped to, so a laptop shipped to someone else
// reaches this person only when resolution has reason to (a later
// resolver, a host reporting two serials); the population is built by hand.
func TestSerialMismatchShippedToAnother(t *testing.T) {
	for _, tt := range []struct {
		name   string
		active bool
		want   float64
	}{{"holder_active", true, confShippedToOther}, {"holder_left", false, confRedeployed}} {
		t.Run(tt.name, func(t *testing.T) {
			p1 := &profile.Person{ID: "E1", Kind: profile.KindEmployee, Name: "Kevin Tran", Roster: rosterRecord(1, "E1", "Kevin Tran", austin),
				Shipments: []*event.Event{shipmentRecord(1, "E1", "A1", days(-3), austin)},
				Devices:   []*event.Event{exampleSystemInfo(1, "mbp-2", "e1", days(2), "SNB2")}}
			q := rosterRecord(2, "E2", "Samuel Okafor", edison)
			q.Person.Active = tt.active
			p2 := &profile.Person{ID: "E2", Kind: profile.KindEmployee, Name: "Samuel Okafor", Roster: q,
				Shipments: []*event.Event{shipmentRecord(2, "E2", "B2", days(-3), edison)}}
			pop := &profile.Population{People: []*profile.Person{p1, p2}, ByID: map[string]*profile.Person{"E1": p1, "E2": p2}}
			fs, err := (&SerialMismatch{}).Detect(context.Background(), &detect.Input{Pop: pop, Now: days(30)})
			if err != nil {
				t.Fatal(err)
			}
			if len(fs) != 1 || fs[0].Person != "E1" || fs[0].Confidence != tt.want || !slices.Equal(fs[0].Related, []string{"E2"}) {
				t.Fatalf("findings = %+v, want one on E1 related to E2 at %v", fs, tt.want)
			}
			if !strings.Contains(fs[0].Summary, "shipped to Samuel Okafor (E2)") {
				t.Errorf("summary %q does not name the holder", fs[0].Summary)
			}
		})
	}
}
