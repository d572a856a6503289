package endpoint

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

func TestSingleBoardComputer(t *testing.T) {
	who := rosterRecord(1, "E1", "Jordan Miles", "jmiles", "US")
	rndis := usb("0525", "a4a2", "Netchip Technology, Inc.", "Linux-USB Ethernet/RNDIS Gadget", "")
	piGadget := usb("1d6b", "0104", "Raspberry Pi", "Pi Zero Keyboard", "fedcba9876543210")
	pico := usb("2e8a", "000a", "", "", "E6614103E72B8A2A")
	oddNIC := usb("1234", "abcd", "Generic", "USB2.0 Ethernet Adapter", "")
	always := func(row map[string]string) func(int) []map[string]string {
		return func(int) []map[string]string { return []map[string]string{row} }
	}
	sometimes := func(row map[string]string) func(int) []map[string]string {
		return func(d int) []map[string]string {
			if d%10 == 4 {
				return []map[string]string{row}
			}
			return nil
		}
	}
	tests := []struct {
		name   string
		pol    *policy.Policy
		events []*event.Event
		want   []outcome
	}{
		{
			name:   "rndis_gadget_persistent",
			events: append([]*event.Event{who}, daily(1, "MBP-1", "jmiles", 8, always(rndis))...),
			want:   []outcome{{Person: "E1", Confidence: confNetworkGadget[0], Records: []int{1, 8}}},
		},
		{
			name:   "rndis_gadget_now_and_then",
			events: append([]*event.Event{who}, daily(1, "MBP-1", "jmiles", 30, sometimes(rndis))...),
			want:   []outcome{{Person: "E1", Confidence: confNetworkGadget[1], Records: []int{5, 25}}},
		},
		{
			name:   "pi_zero_gadget_persistent",
			events: append([]*event.Event{who}, daily(1, "MBP-1", "jmiles", 8, always(piGadget))...),
			want:   []outcome{{Person: "E1", Confidence: confBoard[0], Records: []int{1, 8}}},
		},
		{
			name:   "unknown_ethernet_adapter_persistent",
			events: append([]*event.Event{who}, daily(1, "MBP-1", "jmiles", 8, always(oddNIC))...),
			want:   []outcome{{Person: "E1", Confidence: confUnknownAdapter[0], Records: []int{1, 8}}},
		},
		{
			name: "agent_unloaded",
			events: []*event.Event{who, osq(1, "MBP-1", "jmiles", at(3), tableProcesses, "added",
				proc("launchctl", "/bin/launchctl", "launchctl unload -w /Library/LaunchDaemons/io.osquery.agent.plist"))},
			want: []outcome{{Person: "E1", Confidence: confTampering, Records: []int{1}}},
		},
		// Negative cases.
		{
			name:   "hobbyist_pico_now_and_then_is_low",
			events: append([]*event.Event{who}, daily(1, "MBP-1", "jmiles", 30, sometimes(pico))...),
			want:   []outcome{{Person: "E1", Confidence: confBoardWeak[1], Records: []int{5, 25}}},
		},
		{
			name:   "realtek_and_apple_adapters",
			events: append([]*event.Event{who}, daily(1, "MBP-1", "jmiles", 8, always(usb("05ac", "1402", "Apple Inc.", "USB Ethernet Adapter", "")))...),
		},
		{
			name:   "allow_listed_dev_board",
			pol:    allowTools("Raspberry Pi in USB gadget mode"),
			events: append([]*event.Event{who}, daily(1, "MBP-1", "jmiles", 8, always(piGadget))...),
		},
		{
			name: "osqueryd_restart_is_not_tampering",
			events: []*event.Event{who, osq(1, "MBP-1", "jmiles", at(3), tableProcesses, "added",
				proc("osqueryd", "/opt/osquery/lib/osquery.app/Contents/MacOS/osqueryd", "/opt/osquery/lib/osquery.app/Contents/MacOS/osqueryd --flagfile /var/osquery/osquery.flags"))},
		},
		{
			name:   "yubikey_and_mouse",
			events: append([]*event.Event{who}, daily(1, "MBP-1", "jmiles", 8, always(usb("1050", "0407", "Yubico", "YubiKey OTP+FIDO+CCID", "")))...),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := run(t, &SingleBoardComputer{}, tt.pol, tt.events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}
