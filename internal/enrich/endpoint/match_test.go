package endpoint

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

// product is what a match test compares: category/product (confidence).
func products(ms []SoftwareMatch) []string {
	var out []string
	for _, m := range ms {
		out = append(out, string(m.Category)+"/"+m.Product+" ("+string(m.Confidence)+", "+m.Column+")")
	}
	return out
}

func TestMatchSoftware(t *testing.T) {
	k := Default()
	tests := []struct {
		name string
		row  map[string]string
		want []string
	}{
		{"anydesk_windows_process", map[string]string{"name": "AnyDesk.exe", "path": `C:\Program Files (x86)\AnyDesk\AnyDesk.exe`,
			"cmdline": `"C:\Program Files (x86)\AnyDesk\AnyDesk.exe" --service`}, []string{"remote_control/AnyDesk (high, name)"}},
		{"anydesk_mac_app", map[string]string{"name": "AnyDesk.app", "bundle_identifier": "com.philandro.anydesk", "path": "/Applications/AnyDesk.app"},
			[]string{"remote_control/AnyDesk (high, bundle_identifier)"}},
		{"teamviewer_program", map[string]string{"name": "TeamViewer", "publisher": "TeamViewer", "install_location": `C:\Program Files\TeamViewer`},
			[]string{"remote_control/TeamViewer (high, name)"}},
		{"crd_mac_host_process", map[string]string{"name": "remoting_me2me_host",
			"path": "/Library/PrivilegedHelperTools/ChromeRemoteDesktopHost.app/Contents/MacOS/remoting_me2me_host"},
			[]string{"remote_control/Chrome Remote Desktop (high, name)"}},
		{"crd_uninstaller_app", map[string]string{"name": "Chrome Remote Desktop Host Uninstaller.app",
			"bundle_identifier": "com.google.chromeremotedesktop.host-uninstaller"},
			[]string{"remote_control/Chrome Remote Desktop (high, bundle_identifier)"}},
		{"screenconnect_service", map[string]string{"name": "ScreenConnect.ClientService.exe",
			"path": `C:\Program Files (x86)\ScreenConnect Client (0b4c4bfa1f3e62e1)\ScreenConnect.ClientService.exe`},
			[]string{"remote_control/ConnectWise ScreenConnect (high, name)"}},
		{"astrill_program", map[string]string{"name": "Astrill VPN", "publisher": "Astrill Systems Corp.", "install_location": `C:\Program Files (x86)\Astrill\`},
			[]string{"vpn/Astrill VPN (high, name)"}},
		{"astrill_mac", map[string]string{"name": "AstrillVPN.app", "bundle_identifier": "com.astrill.astrillvpn"}, []string{"vpn/Astrill VPN (high, bundle_identifier)"}},
		{"mullvad_vpn_not_browser", map[string]string{"name": "Mullvad VPN", "publisher": "Mullvad VPN AB"}, []string{"vpn/Mullvad VPN (low, name)"}},
		{"mullvad_browser_is_no_vpn", map[string]string{"name": "Mullvad Browser"}, nil},
		{"jiggler_mac", map[string]string{"name": "Jiggler.app", "bundle_identifier": "com.sticksoftware.Jiggler"},
			[]string{"jiggler/Jiggler (Stick Software) (high, bundle_identifier)", "jiggler/Mouse Jiggler (medium, name)"}},
		{"mousejiggle_windows", map[string]string{"name": "MouseJiggle.exe", "path": `C:\Program Files\Mouse Jiggler\MouseJiggle.exe`},
			[]string{"jiggler/Mouse Jiggler (Arkane Systems) (high, name)"}},
		{"amphetamine_is_keep_awake", map[string]string{"name": "Amphetamine.app", "bundle_identifier": "com.if.Amphetamine"}, nil},
		{"caffeinate_is_keep_awake", map[string]string{"name": "caffeinate", "cmdline": "/usr/bin/caffeinate -d -i"}, nil},
		{"mac_caffeine_app_is_keep_awake", map[string]string{"name": "Caffeine.app", "bundle_identifier": "com.intelliscapesolutions.caffeine"}, nil},
		{"bluestacks", map[string]string{"name": "HD-Player.exe"}, []string{"android_emulator/BlueStacks (high, name)"}},
		{"memurai_is_not_memu", map[string]string{"name": "Memurai.exe"}, nil},
		{"android_studio_emulator", map[string]string{"name": "qemu-system-x86_64",
			"path": "/Users/dev/Library/Android/sdk/emulator/qemu/darwin-x86_64/qemu-system-x86_64"}, []string{"android_emulator/Android SDK emulator (low, path)"}},
		{"dolphin_anty", map[string]string{"name": "Dolphin Anty.exe"}, []string{"antidetect_browser/Dolphin Anty (high, name)"}},
		{"agent_unloaded", map[string]string{"name": "launchctl", "cmdline": "launchctl unload /Library/LaunchDaemons/io.osquery.agent.plist"},
			[]string{"agent_tampering/osquery agent stopped (medium, cmdline)"}},
		{"ordinary_apps", map[string]string{"name": "Slack.app", "bundle_identifier": "com.tinyspeck.slackmacgap"}, nil},
		{"microsoft_rdp_client", map[string]string{"name": "mstsc.exe"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, products(k.MatchSoftware(event.NewRow(tt.row)))); diff != "" {
				t.Errorf("matches (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMatchUSB(t *testing.T) {
	k := Default()
	type got struct {
		Category Category
		Product  string
	}
	first := func(row map[string]string) got {
		ms := k.MatchUSB(event.NewRow(row))
		if len(ms) == 0 {
			return got{}
		}
		return got{ms[0].Category, ms[0].Product}
	}
	tests := []struct {
		name string
		row  map[string]string
		want got
	}{
		{"pikvm_defaults", map[string]string{"vendor_id": "1d6b", "model_id": "0104", "vendor": "PiKVM", "model": "PiKVM Composite Device", "serial": "CAFEBABE"},
			got{IPKVM, "PiKVM"}},
		{"pikvm_changed_ids_kept_strings", map[string]string{"vendor_id": "046d", "model_id": "c52b", "vendor": "PiKVM", "model": "Keyboard"}, got{IPKVM, "PiKVM"}},
		{"tinypilot", map[string]string{"vendor_id": "0x1D6B", "model_id": "0x104", "vendor": "tinypilot", "model": "Multifunction USB Device",
			"serial": "6b65796d696d6570690"}, got{IPKVM, "TinyPilot"}},
		{"jetkvm", map[string]string{"vendor_id": "1d6b", "model_id": "0104", "vendor": "JetKVM", "model": "JetKVM USB Emulation Device"}, got{IPKVM, "JetKVM"}},
		{"bare_gadget", map[string]string{"vendor_id": "1d6b", "model_id": "0104", "vendor": "Linux Foundation", "model": "USB Multifunction Composite Gadget"},
			got{CompositeGadget, "Linux Foundation Multifunction Composite Gadget"}},
		{"ch9329", map[string]string{"vendor_id": "1a86", "model_id": "e129", "vendor": "QinHeng Electronics", "model": "CH9329"},
			got{KVMCable, "WCH CH9329 keyboard/mouse emulator"}},
		{"rndis_gadget", map[string]string{"vendor_id": "0525", "model_id": "a4a2", "vendor": "Netchip Technology, Inc.", "model": "Linux-USB Ethernet/RNDIS Gadget"},
			got{NetworkGadget, "Linux USB Ethernet/RNDIS gadget"}},
		{"pico", map[string]string{"vendor_id": "2e8a", "model_id": "000a", "vendor": "Raspberry Pi", "model": "Pico"}, got{SBC, "Raspberry Pi in USB gadget mode"}},
		{"realtek_lan", map[string]string{"vendor_id": "0bda", "model_id": "8153", "vendor": "Realtek", "model": "USB 10/100/1000 LAN"}, got{NetworkAdapter, "Realtek"}},
		{"jiggler_dongle", map[string]string{"vendor_id": "16c0", "model_id": "27da", "vendor": "USB Jiggler", "model": "Mouse Jiggler"}, got{Jiggler, "USB mouse jiggler"}},
		{"logitech_receiver", map[string]string{"vendor_id": "046d", "model_id": "c52b", "vendor": "Logitech", "model": "USB Receiver"}, got{}},
		{"linux_root_hub", map[string]string{"vendor_id": "1d6b", "model_id": "0002", "vendor": "Linux Foundation", "model": "2.0 root hub"}, got{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, first(tt.row)); diff != "" {
				t.Errorf("first match (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLookupLayout(t *testing.T) {
	k := Default()
	tests := []struct {
		id, language string
		ok           bool
	}{
		{"00000412", "ko", true},
		{"E0010412", "ko", true},
		{"00000409", "en", true},
		{"00020409", "en", true}, // US-International
		{"00000809", "en", true}, // UK
		{"00000804", "zh", true},
		{"0419", "ru", true},
		{"com.apple.inputmethod.Korean.2SetKorean", "ko", true},
		{"com.apple.keylayout.US", "en", true},
		{"com.apple.keylayout.ABC", "*", true},
		{"U.S.", "en", true},
		{"2-Set Korean", "ko", true},
		{"com.example.unknown", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		l, ok := k.LookupLayout(tt.id)
		if ok != tt.ok || l.Language != tt.language {
			t.Errorf("LookupLayout(%q) = %q, %v; want %q, %v", tt.id, l.Language, ok, tt.language, tt.ok)
		}
	}
}

func TestLocaleLanguage(t *testing.T) {
	for in, want := range map[string]string{"ko-KR": "ko", "ko_KR.UTF-8": "ko", "zh-Hans-CN": "zh", "en": "en", "C": "", "": ""} {
		if got := LocaleLanguage(in); got != want {
			t.Errorf("LocaleLanguage(%q) = %q, want %q", in, got, want)
		}
	}
}

func BenchmarkMatchSoftware(b *testing.B) {
	k := Default()
	rows := event.RowsOf(
		map[string]string{"name": "Slack.app", "bundle_identifier": "com.tinyspeck.slackmacgap", "path": "/Applications/Slack.app"},
		map[string]string{"name": "chrome.exe", "path": `C:\Program Files\Google\Chrome\Application\chrome.exe`, "cmdline": `"C:\Program Files\Google\Chrome\Application\chrome.exe" --type=renderer`},
		map[string]string{"name": "AnyDesk.exe", "path": `C:\Program Files (x86)\AnyDesk\AnyDesk.exe`, "cmdline": `"C:\Program Files (x86)\AnyDesk\AnyDesk.exe" --service`},
	)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		k.MatchSoftware(rows[i%len(rows)])
	}
}

func BenchmarkMatchUSB(b *testing.B) {
	k := Default()
	row := event.NewRow(map[string]string{"vendor_id": "046d", "model_id": "c52b", "vendor": "Logitech", "model": "USB Receiver"})
	b.ReportAllocs()
	for b.Loop() {
		k.MatchUSB(row)
	}
}
