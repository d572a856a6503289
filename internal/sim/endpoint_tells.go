package sim

import (
	"fmt"
	"math/rand/v2"
)

// What the endpoint agent sees installed, running or plugged in on each
// company laptop: a standard kit, the hard negatives of legitimate staff
// (IT support tools, consumer VPN apps, mouse jigglers, hobby USB gadgets,
// replaced hardware) and the operatives' tell-tales as the public record
// describes them (INDICATORS.md END-01…END-09, ONB-06). Product names,
// bundle identifiers and USB ids follow the vendors; serials, GUIDs and the
// hardware jiggler's generic V-USB ids are illustrative.

// kv is one column of an osquery row.
type kv struct{ k, v string }

// itemKind is the osquery table an endpoint item shows in.
type itemKind uint8

const (
	itemApp     itemKind = iota // macOS apps
	itemProgram                 // Windows programs
	itemProcess                 // processes (a watch-list query)
	itemUSB                     // usb_devices
)

// endpointItem is one thing the agent can report about a host.
type endpointItem struct {
	kind  itemKind
	from  int     // first day index it is present; negative: since before the window
	daily float64 // > 0: only now and then, on an online day with this chance (added, then removed)
	brief bool    // runs once for a few minutes on its first day (a setup command)
	cols  []kv    // static columns; times, pids and addresses are filled when reported
}

func macApp(name, bundle, version string) endpointItem {
	return endpointItem{kind: itemApp, cols: []kv{{"bundle_executable", name}, {"bundle_identifier", bundle}, {"bundle_name", name},
		{"bundle_short_version", version}, {"bundle_version", version}, {"name", name + ".app"}, {"path", "/Applications/" + name + ".app"}}}
}

func winProgram(name, version, publisher, location string) endpointItem {
	return endpointItem{kind: itemProgram, cols: []kv{{"install_location", location}, {"install_source", ""}, {"language", ""},
		{"name", name}, {"publisher", publisher}, {"uninstall_string", `"` + location + `\uninstall.exe"`}, {"version", version}}}
}

func process(name, path, cmdline string) endpointItem {
	return endpointItem{kind: itemProcess, cols: []kv{{"cmdline", cmdline}, {"name", name}, {"path", path}}}
}

func usbDevice(vendorID, modelID, vendor, model, serial string) endpointItem {
	return endpointItem{kind: itemUSB, cols: []kv{{"class", "0"}, {"model", model}, {"model_id", modelID}, {"protocol", "0"},
		{"removable", "1"}, {"serial", serial}, {"subclass", "0"}, {"vendor", vendor}, {"vendor_id", vendorID}, {"version", "0100"}}}
}

// The standard kit of a laptop.
var (
	macBase = []endpointItem{
		macApp("Safari", "com.apple.Safari", "18.6"), macApp("Google Chrome", "com.google.Chrome", "141.0.7390.66"),
		macApp("Slack", "com.tinyspeck.slackmacgap", "4.46.101"), macApp("zoom.us", "us.zoom.xos", "6.5.11"),
		macApp("1Password", "com.1password.1password", "8.11.8"), macApp("Microsoft Teams", "com.microsoft.teams2", "25227.203.3806"),
	}
	macDev = []endpointItem{
		macApp("Visual Studio Code", "com.microsoft.VSCode", "1.104.2"), macApp("iTerm", "com.googlecode.iterm2", "3.5.14"),
		macApp("Docker", "com.docker.docker", "4.46.0"),
	}
	winBase = []endpointItem{
		winProgram("Google Chrome", "141.0.7390.66", "Google LLC", `C:\Program Files\Google\Chrome\Application`),
		winProgram("Slack (Machine - MSI)", "4.46.101", "Slack Technologies Inc.", `C:\Program Files\Slack`),
		winProgram("Zoom Workplace (64-bit)", "6.5.11", "Zoom Communications, Inc.", `C:\Program Files\Zoom\bin`),
		winProgram("1Password", "8.11.8", "AgileBits Inc.", `C:\Program Files\1Password`),
		winProgram("Microsoft 365 Apps for enterprise - en-us", "16.0.19127.20264", "Microsoft Corporation", `C:\Program Files\Microsoft Office`),
	}
	winDev = []endpointItem{
		winProgram("Microsoft Visual Studio Code", "1.104.2", "Microsoft Corporation", `C:\Program Files\Microsoft VS Code`),
		winProgram("Git", "2.51.0", "The Git Development Community", `C:\Program Files\Git`),
		winProgram("Docker Desktop", "4.46.0", "Docker Inc.", `C:\Program Files\Docker\Docker`),
	}
)

// sanctionedAgent is the remote-support agent IT installs on every laptop.
func sanctionedAgent(mac bool) endpointItem {
	if mac {
		const p = "/opt/connectwisecontrol-0b4c4bfa1f3e62e1/ConnectWiseControl.app/Contents/MacOS/ConnectWiseControl"
		return process("ConnectWiseControl", p, p)
	}
	const p = `C:\Program Files (x86)\ScreenConnect Client (0b4c4bfa1f3e62e1)\ScreenConnect.ClientService.exe`
	return process("ScreenConnect.ClientService.exe", p, `"`+p+`" "?e=Access&y=Guest&h=support.kestrelsystems.example&p=8041"`)
}

// remoteTool is a remote-control tool: what is installed and what runs.
func remoteTool(name string, mac bool) []endpointItem {
	switch {
	case name == "anydesk" && mac:
		const p = "/Applications/AnyDesk.app/Contents/MacOS/AnyDesk"
		return []endpointItem{macApp("AnyDesk", "com.philandro.anydesk", "9.0.7"), process("AnyDesk", p, p+" --service")}
	case name == "anydesk":
		const p = `C:\Program Files (x86)\AnyDesk\AnyDesk.exe`
		return []endpointItem{winProgram("AnyDesk", "9.0.7", "AnyDesk Software GmbH", `C:\Program Files (x86)\AnyDesk`), process("AnyDesk.exe", p, `"`+p+`" --service`)}
	case name == "teamviewer" && mac:
		const p = "/Applications/TeamViewer.app/Contents/MacOS/TeamViewer"
		return []endpointItem{macApp("TeamViewer", "com.teamviewer.TeamViewer", "15.70.4"), process("TeamViewer", p, p)}
	case name == "teamviewer":
		const p = `C:\Program Files\TeamViewer\TeamViewer_Service.exe`
		return []endpointItem{winProgram("TeamViewer", "15.70.4", "TeamViewer", `C:\Program Files\TeamViewer`), process("TeamViewer_Service.exe", p, `"`+p+`"`)}
	case mac: // Chrome Remote Desktop host
		const p = "/Library/PrivilegedHelperTools/ChromeRemoteDesktopHost.app/Contents/MacOS/remoting_me2me_host"
		return []endpointItem{macApp("Chrome Remote Desktop Host Uninstaller", "com.google.chromeremotedesktop.host-uninstaller", "141.0.7390.4"),
			process("remoting_me2me_host", p, p+" --host-config=/Library/PrivilegedHelperTools/org.chromium.chromoting.json")}
	}
	const dir = `C:\Program Files (x86)\Google\Chrome Remote Desktop\141.0.7390.4`
	return []endpointItem{winProgram("Chrome Remote Desktop Host", "141.0.7390.4", "Google LLC", `C:\Program Files (x86)\Google\Chrome Remote Desktop`),
		process("remoting_host.exe", dir+`\remoting_host.exe`, `"`+dir+`\remoting_host.exe" --type=daemon --host-config="C:\ProgramData\Google\Chrome Remote Desktop\host.json"`)}
}

// crdHeadlessSetup is the one-off command that registers a Chrome Remote
// Desktop host without anyone at the machine (END-02).
func crdHeadlessSetup(r *rand.Rand) endpointItem {
	const p = `C:\Program Files (x86)\Google\Chrome Remote Desktop\141.0.7390.4\remoting_start_host.exe`
	it := process("remoting_start_host.exe", p, fmt.Sprintf(`"%s" --code="4/0AVMBsJ%s" --redirect-url="https://remotedesktop.google.com/_/oauthredirect" --name=%%COMPUTERNAME%% --pin=%06d`, p, randBase62(r, 40), r.IntN(1000000)))
	it.brief = true
	return it
}

func astrill(mac bool) []endpointItem {
	if mac {
		return []endpointItem{macApp("AstrillVPN", "com.astrill.astrillvpn", "3.9.0")}
	}
	const dir = `C:\Program Files (x86)\Astrill`
	return []endpointItem{winProgram("Astrill VPN", "3.9.0.2547", "Astrill Systems Corp.", dir), process("AstrillDialer.exe", dir+`\AstrillDialer.exe`, `"`+dir+`\AstrillDialer.exe"`)}
}

func softwareJiggler(mac bool) []endpointItem {
	if mac {
		const p = "/Applications/Jiggler.app/Contents/MacOS/Jiggler"
		return []endpointItem{macApp("Jiggler", "com.sticksoftware.Jiggler", "1.11"), process("Jiggler", p, p)}
	}
	const p = `C:\Program Files\Mouse Jiggler\MouseJiggle.exe`
	return []endpointItem{winProgram("Mouse Jiggler", "3.0.0", "Arkane Systems", `C:\Program Files\Mouse Jiggler`), process("MouseJiggle.exe", p, `"`+p+`" -m`)}
}

// hardwareJiggler is a USB dongle built on the shared V-USB ids.
func hardwareJiggler() endpointItem {
	return usbDevice("16c0", "27da", "USB Jiggler", "Mouse Jiggler", "")
}

func consumerVPN(r *rand.Rand, mac bool) endpointItem {
	i := r.IntN(3)
	if mac {
		return []endpointItem{macApp("Mullvad VPN", "net.mullvad.vpn", "2025.9"), macApp("ProtonVPN", "ch.protonvpn.mac", "5.1.2"), macApp("NordVPN", "com.nordvpn.macos", "9.8.0")}[i]
	}
	return []endpointItem{winProgram("Mullvad VPN", "2025.9.0", "Mullvad VPN AB", `C:\Program Files\Mullvad VPN`),
		winProgram("Proton VPN", "4.2.1", "Proton AG", `C:\Program Files\Proton\VPN`), winProgram("NordVPN", "7.34.1", "nordvpn s.a.", `C:\Program Files\NordVPN`)}[i]
}

// IP-KVM devices (END-03) and hobby gadgets on the same Linux Foundation
// composite-gadget ids.
var (
	pikvm     = usbDevice("1d6b", "0104", "PiKVM", "PiKVM Composite Device", "CAFEBABE")
	tinypilot = usbDevice("1d6b", "0104", "tinypilot", "Multifunction USB Device", "6b65796d696d6570690")
	gadgets   = []endpointItem{
		usbDevice("1d6b", "0104", "USB_GADGET", "Linux USB Gadget/HID", "ONLY00HID1234567"),
		usbDevice("1d6b", "0104", "Linux", "Ethernet/RNDIS gadget", ""),
		usbDevice("1d6b", "0104", "Raspberry Pi", "Pi Zero Keyboard", "fedcba9876543210"),
	}
)

// standardKit gives every laptop its usual apps, the sanctioned agent and
// a few peripherals.
func (o *Org) standardKit(r *rand.Rand, p *Person) {
	s := &p.src
	mac := s.host.platform == "OSX"
	add := func(items ...endpointItem) {
		for _, it := range items {
			it.from = -1
			s.items = append(s.items, it)
		}
	}
	if mac {
		add(macBase...)
		if s.engineer {
			add(macDev...)
		}
		if p.Department == "Design" {
			add(macApp("Figma", "com.figma.Desktop", "125.8.8"))
		}
	} else {
		add(winBase...)
		if s.engineer {
			add(winDev...)
		}
	}
	add(sanctionedAgent(mac))
	if chance(r, 0.5) {
		add(usbDevice("046d", "c52b", "Logitech", "USB Receiver", ""))
	}
	if chance(r, 0.4) {
		add(usbDevice("1050", "0407", "Yubico", "YubiKey OTP+FIDO+CCID", ""))
	}
	if chance(r, 0.3) {
		add(usbDevice("0bda", "8153", "Realtek", "USB 10/100/1000 LAN", fmt.Sprintf("0010%08X", r.Uint32())))
	}
	if ph := p.MFAPhone; ph != nil && chance(r, 0.35) {
		it := usbDevice("05ac", "12a8", "Apple Inc.", "iPhone", fmt.Sprintf("00008%03d-%016X", between(r, 20, 140), r.Uint64()))
		if ph.Platform == "ANDROID" {
			it = usbDevice("04e8", "6860", "SAMSUNG", "SAMSUNG_Android", "R5CT"+randUpperAlnum(r, 7))
		}
		it.from, it.daily = -1, 0.05+r.Float64()*0.1
		s.items = append(s.items, it)
	}
}

// legitEndpoint draws the endpoint hard negatives of a legitimate person.
func (o *Org) legitEndpoint(r *rand.Rand, p *Person) {
	s := &p.src
	mac := s.host.platform == "OSX"
	add := func(from int, items ...endpointItem) {
		for _, it := range items {
			it.from = from
			s.items = append(s.items, it)
		}
	}
	if p.Department == "IT" && chance(r, 0.6) || chance(r, 0.01) {
		items := remoteTool("teamviewer", mac)
		items[1].daily = 0.1 + r.Float64()*0.2 // started for support sessions
		add(-1, items...)
		p.addBehaviour(BehaviourRemoteSupport)
	}
	if p.plan.vpnShare > 0 && chance(r, 0.7) {
		add(-1, consumerVPN(r, mac))
		p.addBehaviour(BehaviourVPNClient)
	}
	if chance(r, 0.03) {
		from := o.inWindowOrBefore(r)
		if chance(r, 0.6) {
			add(from, softwareJiggler(mac)...)
		} else {
			add(from, hardwareJiggler())
		}
		p.addBehaviour(BehaviourMouseJiggler)
	}
	if s.engineer && chance(r, 0.03) || chance(r, 0.003) {
		g := pick(r, gadgets)
		g.daily = 0.05 + r.Float64()*0.15
		add(-1, g)
		p.addBehaviour(BehaviourUSBGadget)
	}
	if p.Hired.Before(o.start) && chance(r, 0.01) {
		s.host.serial = serialLike(r, p.Laptop.Serial)
		p.addBehaviour(BehaviourReplacementLaptop)
	}
}

// inWindowOrBefore draws a day: before the window half the time, else in it.
func (o *Org) inWindowOrBefore(r *rand.Rand) int {
	if chance(r, 0.5) {
		return -1
	}
	return r.IntN(o.cfg.Days)
}

// operativeEndpoint draws the endpoint tells of a non-careful operative,
// each with its own chance: a laptop kept at a farm is driven remotely
// (remote-control tools, an IP-KVM), and many operators keep a mouse
// jiggler, the Astrill VPN client or a machine other than the one shipped.
func (o *Org) operativeEndpoint(r *rand.Rand, p *Person) {
	op, s := p.Op, &p.src
	mac := s.host.platform == "OSX"
	hire := o.dayOf(p.Hired, p.Loc())
	add := func(from int, items ...endpointItem) {
		for _, it := range items {
			it.from = from
			s.items = append(s.items, it)
		}
	}
	remote := map[string]float64{"farm": 0.7, "forwarder": 0.3, "home": 0.4}[op.LaptopAt]
	if chance(r, remote) {
		from := hire + between(r, 0, 10)
		switch x := r.Float64(); {
		case x < 0.45:
			add(from, remoteTool("anydesk", mac)...)
		case x < 0.65:
			add(from, remoteTool("teamviewer", mac)...)
		default:
			if !mac {
				add(from, crdHeadlessSetup(r))
			}
			add(from, remoteTool("crd", mac)...)
		}
	}
	if op.LaptopAt == "farm" && chance(r, 0.4) {
		kvm := pikvm
		if chance(r, 0.35) {
			kvm = tinypilot
		}
		add(hire+between(r, 0, 3), kvm)
	}
	if chance(r, 0.3) {
		if chance(r, 0.6) {
			add(hire+between(r, 0, 20), softwareJiggler(mac)...)
		} else {
			add(hire+between(r, 0, 20), hardwareJiggler())
		}
	}
	if chance(r, 0.35) {
		add(hire+between(r, 0, 15), astrill(mac)...)
	}
	if chance(r, 0.15) {
		s.host.serial = serialLike(r, p.Laptop.Serial) // the agent runs on another machine
	}
}
