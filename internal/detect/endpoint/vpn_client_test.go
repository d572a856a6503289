package endpoint

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

func TestConsumerVPNClient(t *testing.T) {
	who := rosterRecord(1, "E1", "Jordan Miles", "jmiles", "US")
	astrillMac := macApp("AstrillVPN", "com.astrill.astrillvpn")
	mullvad := macApp("Mullvad VPN", "net.mullvad.vpn")
	proton := program("Proton VPN", "4.2.1", "Proton AG", `C:\Program Files\Proton\VPN`)
	letsvpn := program("LetsVPN", "3.11.2", "LetsGo Network", `C:\Program Files (x86)\letsvpn`)
	astrillExt := map[string]string{"name": "Astrill VPN", "version": "1.4.2", "identifier": "ajhhkmogkbjnljfokjlpeobfjaebkkbp", "browser_type": "chrome"}
	tests := []struct {
		name   string
		pol    *policy.Policy
		events []*event.Event
		want   []outcome
	}{
		{
			name:   "astrill_on_a_mac",
			events: []*event.Event{who, osq(1, "MBP-1", "jmiles", at(0), tableApps, "added", astrillMac)},
			want:   []outcome{{Person: "E1", Confidence: 1, Records: []int{1}}},
		},
		{
			name:   "astrill_chrome_extension",
			events: []*event.Event{who, osq(1, "MBP-1", "jmiles", at(0), "", "snapshot", astrillExt)},
			want:   []outcome{{Person: "E1", Confidence: 1, Records: []int{1}}},
		},
		{
			name:   "circumvention_tool",
			events: []*event.Event{who, osq(1, "LT-1", "jmiles", at(0), tablePrograms, "snapshot", letsvpn)},
			want:   []outcome{{Person: "E1", Confidence: 0.5, Records: []int{1}}},
		},
		{
			name:   "mainstream_consumer_vpn_counts_less",
			events: []*event.Event{who, osq(1, "MBP-1", "jmiles", at(0), tableApps, "snapshot", mullvad)},
			want:   []outcome{{Person: "E1", Confidence: 0.1, Records: []int{1}}},
		},
		{
			name: "astrill_beside_a_consumer_vpn",
			events: []*event.Event{who, osq(1, "MBP-1", "jmiles", at(0), tableApps, "snapshot", mullvad, astrillMac),
				osq(2, "MBP-1", "jmiles", at(3), tableApps, "snapshot", mullvad, astrillMac)},
			want: []outcome{{Person: "E1", Confidence: 1, Records: []int{1, 2, 1, 2}}},
		},
		// Negative cases.
		{
			name:   "allow_listed_company_proton_vpn",
			pol:    allowTools("Proton VPN"),
			events: []*event.Event{who, osq(1, "LT-1", "jmiles", at(0), tablePrograms, "snapshot", proton)},
		},
		{
			name:   "company_wide_proton_vpn_is_fleet_standard",
			events: append(fleetOfHosts(12, 10, tablePrograms, proton), who, osq(1, "LT-1", "jmiles", at(0), tablePrograms, "snapshot", proton)),
		},
		{
			name: "corporate_vpn_clients",
			events: []*event.Event{who, osq(1, "LT-1", "jmiles", at(0), tablePrograms, "snapshot",
				program("NordLayer", "3.3.6", "Nord Security", `C:\Program Files\NordLayer`),
				program("Zscaler", "4.4.0", "Zscaler Inc.", `C:\Program Files\Zscaler`))},
		},
		{
			name:   "mullvad_browser_is_not_a_vpn",
			events: []*event.Event{who, osq(1, "MBP-1", "jmiles", at(0), tableApps, "snapshot", macApp("Mullvad Browser", "net.mullvad.mullvadbrowser"))},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := run(t, &ConsumerVPNClient{}, tt.pol, tt.events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}
