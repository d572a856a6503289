package endpoint

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/rollcall/rollcall/internal/detect"
	kb "github.com/rollcall/rollcall/internal/enrich/endpoint"
	"github.com/rollcall/rollcall/internal/event"
)

// SingleBoardComputer is END-06: a single-board computer or an unknown USB
// network adapter attached to the company laptop (a second computer
// bridged to it, or a way in that bypasses the company network), and
// commands that stop the endpoint agent or delete its logs.
type SingleBoardComputer struct {
	// Knowledge overrides the endpoint knowledge in use (kb.Current).
	Knowledge *kb.Knowledge
}

var _ detect.Indicator = (*SingleBoardComputer)(nil)

// ID implements detect.Indicator.
func (*SingleBoardComputer) ID() string { return "END-06" }

// Name implements detect.Indicator.
func (*SingleBoardComputer) Name() string {
	return "Single-board computer or unknown USB network adapter attached; endpoint agent tampering"
}

// Stage implements detect.Indicator.
func (*SingleBoardComputer) Stage() detect.Stage { return detect.StageEndpoint }

// Strength implements detect.Indicator.
func (*SingleBoardComputer) Strength() detect.Strength { return detect.Strong }

// Sources implements detect.Indicator.
func (*SingleBoardComputer) Sources() []string { return []string{"osquery"} }

// Weight implements detect.Indicator.
func (*SingleBoardComputer) Weight() float64 { return 45 }

// Confidences of the forms of the finding: [persistent, now and then].
var (
	confNetworkGadget     = [2]float64{1.0, 0.2}  // a computer posing as a network adapter
	confNetworkGadgetWeak = [2]float64{0.8, 0.15} // the same by a medium-confidence entry
	confBoard             = [2]float64{0.7, 0.15} // a single-board computer by its strings
	confBoardWeak         = [2]float64{0.4, 0.1}  // a microcontroller board by its vendor id only
	confUnknownAdapter    = [2]float64{0.5, 0.1}  // a network adapter from an unknown vendor
)

// confTampering is the confidence of a command that stops the agent.
const confTampering = 0.6

// networkish recognises a USB network adapter by its strings.
var networkish = regexp.MustCompile(`(?i)\b(ethernet|rndis|lan|network|gigabit|nic|ncm|ecm|10/100)\b`)

// Description implements detect.Indicator.
func (*SingleBoardComputer) Description() string {
	return "osquery usb_devices shows a second computer attached to the laptop: a Linux USB network gadget (0525:a4a2 and " +
		"0525:a4a1, the kernel's Ethernet/RNDIS gadget ids, or Linux Foundation ids with an Ethernet/RNDIS/NCM/ECM " +
		"function), a Raspberry Pi or BeagleBone in gadget mode, or a microcontroller board (Raspberry Pi RP2040 vendor " +
		"2e8a, Digispark, Arduino: lower confidence); or a USB network adapter whose vendor is not one of the ordinary " +
		"adapter, dock and tethering-phone makers in rollcall's USB knowledge. Such a device can bridge the laptop to a " +
		"machine the company does not see, or carry tools onto it (an operative loaded malware with a Raspberry Pi in the " +
		"KnowBe4 case). A device that stays attached (a day or more at a stretch, or on at least half of the days the host " +
		"reported) counts fully; one plugged in now and then counts for a fifth or less (hobbyists do that; so did the " +
		"KnowBe4 operative, which is why it still counts). Also counted: process command lines " +
		"that stop or unload the osquery agent or delete its result log (launchctl unload, systemctl stop, sc stop, " +
		"taskkill). Known false positives: embedded and IoT developers and hobbyists with a Pi Zero or Pico (usually " +
		"now and then: low confidence); an unusual but legitimate dock or adapter (add its vendor to the knowledge " +
		"file or allow-list the product); IT restarting the agent during an upgrade."
}

// References implements detect.Indicator.
func (*SingleBoardComputer) References() []string {
	return []string{
		"KnowBe4, How a North Korean fake IT worker tried to infiltrate us, July 2024 (Raspberry Pi used to load malware on the company Mac)",
		"Linux kernel USB gadget drivers: g_ether default ids 0525:a4a1 / 0525:a4a2 (drivers/usb/gadget/legacy/ether.c)",
		"The USB ID Repository, usb.ids (Linux Foundation 1d6b, Raspberry Pi 2e8a, adapter vendors)",
		"osquery documentation: installing and running osqueryd as a service (launchd, systemd, Windows service)",
	}
}

// Detect implements detect.Indicator.
func (d *SingleBoardComputer) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	k := knowledge(d.Knowledge)
	var out []detect.Finding
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("END-06: %w", err)
		}
		var parts []string
		var ev []detect.Evidence
		var conf float64
		devs, hd := usbDevices(p, k, keepBoardOrAdapter)
		for _, dev := range devs {
			what, m, c := boardConfidence(dev)
			if _, ok := allowed(in, m.Product); ok {
				continue
			}
			i := 1
			if dev.persistent(hd) {
				i = 0
			}
			conf = max(conf, c[i])
			parts = append(parts, fmt.Sprintf("%s %s on host %s, %s", what, usbName(dev, m), dev.host, dev.attached(hd)))
			for _, s := range dev.sightings {
				ev = append(ev, detect.EvidenceOf(s.e, "%s — %s (%s)", describeUSB(s), what, m.Origin))
			}
		}
		for _, h := range hitsOnly(p, k, kb.AgentTampering) {
			conf = max(conf, confTampering)
			parts = append(parts, fmt.Sprintf("%s: command seen on %d %s from %s", h.match.Product, len(h.days),
				detect.Plural(len(h.days), "day", "days"), detect.Date(h.first)))
			for _, s := range h.events {
				ev = append(ev, detect.EvidenceOf(s.e, "%s — %s (%s)", describeSoftware(s), h.match.Product, h.match.Origin))
			}
		}
		if len(ev) == 0 {
			continue
		}
		ev, more := detect.CapEvidence(ev)
		out = append(out, detect.Finding{Indicator: d.ID(), Person: p.ID, Confidence: detect.Round2(conf), Evidence: ev,
			Summary: strings.Join(parts, "; ") + more})
	}
	return out, nil
}

// keepBoardOrAdapter selects single-board computers, network gadgets and
// network adapters that no knowledge entry explains.
func keepBoardOrAdapter(row event.Row, ms []kb.USB) bool {
	if hasCategory(ms, kb.NetworkGadget, kb.SBC) {
		return true
	}
	return len(ms) == 0 && networkish.MatchString(row.Get("vendor")+" "+row.Get("model"))
}

// boardConfidence names what a device is and its confidences.
func boardConfidence(dev *usbDevice) (string, kb.USB, [2]float64) {
	if m, ok := dev.best(kb.NetworkGadget); ok {
		if m.Confidence == kb.High {
			return "computer posing as a USB network adapter:", m, confNetworkGadget
		}
		return "computer posing as a USB network adapter:", m, confNetworkGadgetWeak
	}
	if m, ok := dev.best(kb.SBC); ok {
		if m.Confidence == kb.Low {
			return "microcontroller/single-board computer:", m, confBoardWeak
		}
		return "single-board computer:", m, confBoard
	}
	return "USB network adapter from an unknown vendor:", kb.USB{Product: "unknown network adapter", Origin: "no knowledge entry"}, confUnknownAdapter
}

// Examples implements detect.Indicator: a Linux RNDIS gadget left attached;
// and the everyday Realtek USB Ethernet dongle.
func (*SingleBoardComputer) Examples() detect.Examples {
	rndis := usb("0525", "a4a2", "Linux 6.6.31+rpt-rpi-v8 with 3f980000.usb", "RNDIS/Ethernet Gadget", "")
	realtek := usb("0bda", "8153", "Realtek", "USB 10/100/1000 LAN", "001000001")
	return detect.Examples{
		Positive: detect.Example{
			Name: "raspberry_pi_rndis_gadget_left_attached",
			Events: []*event.Event{
				rosterRecord(1, "E100", "Jordan Miles", "jmiles", "US"),
				osq(1, "MBP-0187", "jmiles", at(0), tableUSB, "added", rndis),
				osq(2, "MBP-0187", "jmiles", at(6), tableUSB, "snapshot", logitech, rndis),
			},
			Person: "E100",
		},
		Negative: detect.Example{
			Name: "realtek_usb_ethernet_dongle",
			Events: []*event.Event{
				rosterRecord(1, "E200", "Dana Wu", "dwu", "US"),
				osq(1, "MBP-0420", "dwu", at(0), tableUSB, "snapshot", logitech, realtek),
				osq(2, "MBP-0420", "dwu", at(6), tableUSB, "snapshot", logitech, realtek),
			},
			Person: "E200",
		},
	}
}
