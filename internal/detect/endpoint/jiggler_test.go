package endpoint

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

func TestMouseJiggler(t *testing.T) {
	who := rosterRecord(1, "E1", "Jordan Miles", "jmiles", "US")
	mouseJiggle := proc("MouseJiggle.exe", `C:\Program Files\Mouse Jiggler\MouseJiggle.exe`, `"C:\Program Files\Mouse Jiggler\MouseJiggle.exe" -m`)
	dongle := usb("16c0", "27da", "USB Jiggler", "Mouse Jiggler", "")
	vusb := usb("16c0", "27da", "obdev.at", "Mouse", "")
	tests := []struct {
		name   string
		pol    *policy.Policy
		events []*event.Event
		want   []outcome
	}{
		{
			name:   "windows_mouse_jiggler",
			events: []*event.Event{who, osq(1, "LT-1", "jmiles", at(0), tableProcesses, "added", mouseJiggle)},
			want:   []outcome{{Person: "E1", Confidence: confJiggler, Records: []int{1}}},
		},
		{
			name: "jiggler_dongle",
			events: []*event.Event{who, osq(1, "LT-1", "jmiles", at(0), tableUSB, "added", dongle),
				osq(2, "LT-1", "jmiles", at(4), tableUSB, "removed", dongle)},
			want: []outcome{{Person: "E1", Confidence: confJiggler, Records: []int{1, 2}}},
		},
		{
			name:   "shared_vusb_mouse_id_counts_less",
			events: []*event.Event{who, osq(1, "LT-1", "jmiles", at(0), tableUSB, "added", vusb)},
			want:   []outcome{{Person: "E1", Confidence: confJigglerLow, Records: []int{1}}},
		},
		{
			name: "zhorn_caffeine_presses_f15",
			events: []*event.Event{who, osq(1, "LT-1", "jmiles", at(0), tableProcesses, "snapshot",
				proc("caffeine64.exe", `C:\Tools\caffeine\caffeine64.exe`, `caffeine64.exe -noicon`))},
			want: []outcome{{Person: "E1", Confidence: confJiggler, Records: []int{1}}},
		},
		// Negative cases.
		{
			name: "macos_caffeine_and_powertoys_awake_keep_awake_only",
			events: []*event.Event{who,
				osq(1, "MBP-1", "jmiles", at(0), tableApps, "snapshot", macApp("Caffeine", "com.intelliscapesolutions.caffeine")),
				osq(2, "LT-1", "jmiles", at(0), tableProcesses, "snapshot", proc("PowerToys.Awake.exe", `C:\Program Files\PowerToys\PowerToys.Awake.exe`, ""))},
		},
		{
			name:   "allow_listed_for_the_demo_team",
			pol:    allowTools("Mouse Jiggler"),
			events: []*event.Event{who, osq(1, "LT-1", "jmiles", at(0), tablePrograms, "snapshot", program("Mouse Jiggler", "3.0.0", "Arkane Systems", `C:\Program Files\Mouse Jiggler`))},
		},
		{
			name:   "ordinary_mouse",
			events: []*event.Event{who, osq(1, "LT-1", "jmiles", at(0), tableUSB, "snapshot", logitech, usb("046d", "c077", "Logitech", "USB Optical Mouse", ""))},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := run(t, &MouseJiggler{}, tt.pol, tt.events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}
