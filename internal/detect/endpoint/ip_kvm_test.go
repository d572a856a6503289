package endpoint

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

// daily is a usb_devices snapshot of the host on each of days 0..n-1,
// records first.., with extra rows on the days extra says.
func daily(first int, host, user string, n int, extra func(day int) []map[string]string) []*event.Event {
	var out []*event.Event
	for i := range n {
		rows := append([]map[string]string{logitech}, extra(i)...)
		out = append(out, osq(first+i, host, user, at(i), tableUSB, "snapshot", rows...))
	}
	return out
}

func TestIPKVM(t *testing.T) {
	pikvm := usb("1d6b", "0104", "PiKVM", "PiKVM Composite Device", "CAFEBABE")
	tinypilot := usb("1d6b", "0104", "tinypilot", "Multifunction USB Device", "6b65796d696d6570690")
	bare := usb("1d6b", "0104", "Linux Foundation", "USB Multifunction Composite Gadget", "")
	keyboardGadget := usb("1d6b", "0104", "Raspberry Pi", "Pi Zero Keyboard", "fedcba9876543210")
	rndis := usb("1d6b", "0104", "Linux", "Ethernet/RNDIS gadget", "")
	ch9329 := usb("1a86", "e129", "QinHeng Electronics", "CH9329", "")
	always := func(row map[string]string) func(int) []map[string]string {
		return func(int) []map[string]string { return []map[string]string{row} }
	}
	sometimes := func(row map[string]string) func(int) []map[string]string {
		return func(d int) []map[string]string {
			if d%9 == 4 {
				return []map[string]string{row}
			}
			return nil
		}
	}
	who := rosterRecord(1, "E1", "Jordan Miles", "jmiles", "US")
	tests := []struct {
		name   string
		pol    *policy.Policy
		events []*event.Event
		want   []outcome
	}{
		{
			name:   "pikvm_strings_once",
			events: []*event.Event{who, osq(1, "MBP-1", "jmiles", at(0), tableUSB, "added", pikvm)},
			want:   []outcome{{Person: "E1", Confidence: confKVMStrings, Records: []int{1}}},
		},
		{
			name:   "tinypilot_persistent",
			events: append([]*event.Event{who}, daily(1, "MBP-1", "jmiles", 10, always(tinypilot))...),
			want:   []outcome{{Person: "E1", Confidence: confKVMStrings, Records: []int{1, 10}}},
		},
		{
			name: "pikvm_serial_with_changed_ids",
			events: []*event.Event{who, osq(1, "MBP-1", "jmiles", at(0), tableUSB, "added",
				usb("046d", "c31c", "Logitech", "USB Keyboard", "CAFEBABE"))},
			want: []outcome{{Person: "E1", Confidence: confKVMMedium, Records: []int{1}}},
		},
		{
			name: "bare_gadget_added_and_left_attached",
			events: []*event.Event{who, osq(1, "LT-1", "jmiles", at(0), tableUSB, "added", bare),
				osq(2, "LT-1", "jmiles", at(3), tableProcesses, "snapshot", screenConnect)},
			want: []outcome{{Person: "E1", Confidence: confKVMGadget, Records: []int{1}}},
		},
		{
			name:   "ch9329_persistent",
			events: append([]*event.Event{who}, daily(1, "LT-1", "jmiles", 6, always(ch9329))...),
			want:   []outcome{{Person: "E1", Confidence: confKVMCable, Records: []int{1, 6}}},
		},
		// Negative cases.
		{
			name:   "hobbyist_keyboard_gadget_persistent_is_an_sbc_not_a_kvm",
			events: append([]*event.Event{who}, daily(1, "MBP-1", "jmiles", 10, always(keyboardGadget))...),
		},
		{
			name:   "hobbyist_bare_gadget_now_and_then",
			events: append([]*event.Event{who}, daily(1, "MBP-1", "jmiles", 30, sometimes(bare))...),
		},
		{
			name:   "rndis_gadget_is_end_06s",
			events: append([]*event.Event{who}, daily(1, "MBP-1", "jmiles", 10, always(rndis))...),
		},
		{
			name:   "ch9329_once",
			events: append([]*event.Event{who}, daily(1, "MBP-1", "jmiles", 30, sometimes(ch9329))...),
		},
		{
			name:   "allow_listed_lab_kvm",
			pol:    allowTools("PiKVM"),
			events: []*event.Event{who, osq(1, "MBP-1", "jmiles", at(0), tableUSB, "added", pikvm)},
		},
		{
			name:   "ordinary_peripherals",
			events: append([]*event.Event{who}, daily(1, "MBP-1", "jmiles", 5, always(usb("1050", "0407", "Yubico", "YubiKey OTP+FIDO+CCID", "")))...),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := run(t, &IPKVM{}, tt.pol, tt.events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIPKVMSummary(t *testing.T) {
	_, fs := run(t, &IPKVM{}, nil, (&IPKVM{}).Examples().Positive.Events)
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1", len(fs))
	}
	want := `IP-KVM attached as a USB device: PiKVM (1d6b:0104 "PiKVM" "PiKVM Composite Device" serial CAFEBABE) on host MBP-0187, first seen 2025-03-03`
	if !strings.HasPrefix(fs[0].Summary, want) {
		t.Errorf("summary = %q, want prefix %q", fs[0].Summary, want)
	}
}
