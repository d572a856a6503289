package endpoint

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

func TestMultiAccountTooling(t *testing.T) {
	who := rosterRecord(1, "E1", "Jordan Miles", "jmiles", "US")
	mobileDev := withRole(rosterRecord(1, "E1", "Min-jun Kim", "mkim", "US"), "Mobile Engineering", "Senior Android Engineer")
	bluestacks := program("BlueStacks App Player", "5.22.51.1013", "now.gg, Inc.", `C:\Program Files\BlueStacks_nxt`)
	sdkEmulator := proc("qemu-system-x86_64", `C:\Users\mkim\AppData\Local\Android\Sdk\emulator\qemu\windows-x86_64\qemu-system-x86_64.exe`, "")
	gologin := macApp("GoLogin", "com.gologin.app")
	extensions := func(host, user string, n int) *event.Event {
		var rows []map[string]string
		for i := range n {
			rows = append(rows, map[string]string{"name": "uBlock Origin", "identifier": "cjpalhdlnbpafiamejdnhcphjbkeiagm", "version": "1.62.0",
				"browser_type": "chrome", "profile": fmt.Sprintf("Person %d", i+1),
				"profile_path": fmt.Sprintf(`C:\Users\%s\AppData\Local\Google\Chrome\User Data\Profile %d`, user, i+1)})
		}
		return osq(1, host, user, at(0), "", "snapshot", rows...)
	}
	tests := []struct {
		name   string
		pol    *policy.Policy
		events []*event.Event
		want   []outcome
	}{
		{
			name:   "gologin_app",
			events: []*event.Event{who, osq(1, "MBP-1", "jmiles", at(0), tableApps, "added", gologin)},
			want:   []outcome{{Person: "E1", Confidence: 1, Records: []int{1}}},
		},
		{
			name:   "bluestacks_on_a_backend_engineer",
			events: []*event.Event{who, osq(1, "LT-1", "jmiles", at(0), tablePrograms, "snapshot", bluestacks)},
			want:   []outcome{{Person: "E1", Confidence: 0.5, Records: []int{1}}},
		},
		{
			name:   "bluestacks_on_a_mobile_developer_counts_less",
			events: []*event.Event{mobileDev, osq(1, "LT-1", "mkim", at(0), tablePrograms, "snapshot", bluestacks)},
			want:   []outcome{{Person: "E1", Confidence: detect.Round2(0.5 * mobileFactor), Records: []int{1}}},
		},
		{
			name:   "many_chrome_profiles",
			events: []*event.Event{who, extensions("LT-1", "jmiles", 12)},
			want:   []outcome{{Person: "E1", Confidence: confProfiles, Records: []int{1}}},
		},
		// Negative cases.
		{
			name:   "android_developer_with_the_sdk_emulator",
			events: []*event.Event{mobileDev, osq(1, "LT-1", "mkim", at(0), tableProcesses, "added", sdkEmulator)},
		},
		{
			name:   "a_few_chrome_profiles",
			events: []*event.Event{who, extensions("LT-1", "jmiles", 4)},
		},
		{
			name:   "allow_listed_for_the_social_media_team",
			pol:    allowTools("GoLogin"),
			events: []*event.Event{who, osq(1, "MBP-1", "jmiles", at(0), tableApps, "added", gologin)},
		},
		{
			name:   "ordinary_browsers",
			events: []*event.Event{who, osq(1, "MBP-1", "jmiles", at(0), tableApps, "snapshot", macApp("Google Chrome", "com.google.Chrome"), macApp("Firefox", "org.mozilla.firefox"))},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := run(t, &MultiAccountTooling{}, tt.pol, tt.events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}
