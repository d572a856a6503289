package endpoint

import (
	"context"
	"fmt"
	"strings"

	"github.com/rollcall/rollcall/internal/detect"
	kb "github.com/rollcall/rollcall/internal/enrich/endpoint"
	"github.com/rollcall/rollcall/internal/event"
)

// IPKVM is END-03: an IP-KVM attached to the company laptop as a USB
// device. A laptop at a laptop farm can be driven from abroad through a
// PiKVM-style box that presents itself as keyboard, mouse and storage.
type IPKVM struct {
	// Knowledge overrides the endpoint knowledge in use (kb.Current).
	Knowledge *kb.Knowledge
}

var _ detect.Indicator = (*IPKVM)(nil)

// ID implements detect.Indicator.
func (*IPKVM) ID() string { return "END-03" }

// Name implements detect.Indicator.
func (*IPKVM) Name() string { return "IP-KVM attached to the company laptop" }

// Stage implements detect.Indicator.
func (*IPKVM) Stage() detect.Stage { return detect.StageEndpoint }

// Strength implements detect.Indicator: strong on the IP-KVM's own strings.
func (*IPKVM) Strength() detect.Strength { return detect.Strong }

// Sources implements detect.Indicator.
func (*IPKVM) Sources() []string { return []string{"osquery"} }

// Weight implements detect.Indicator.
func (*IPKVM) Weight() float64 { return 50 }

// Confidences of the forms of the finding.
const (
	confKVMStrings = 1.0 // the IP-KVM's own default strings, ids or serial
	confKVMMedium  = 0.8 // a medium-confidence IP-KVM entry (e.g. the serial alone)
	confKVMGadget  = 0.6 // bare Linux composite-gadget ids, attached persistently
	confKVMCable   = 0.3 // a KVM-cable keyboard/mouse chip, attached persistently
)

// Description implements detect.Indicator.
func (*IPKVM) Description() string {
	return "osquery usb_devices shows an IP-KVM attached to the laptop. Full confidence on the IP-KVM's own defaults: PiKVM " +
		"(manufacturer \"PiKVM\", product \"PiKVM Composite Device\", serial CAFEBABE on Linux Foundation ids 1d6b:0104), " +
		"TinyPilot (manufacturer \"tinypilot\", serial 6b65796d696d6570690), JetKVM, NanoKVM and the other entries of " +
		"rollcall's USB knowledge (data/usb.csv). The bare Linux Foundation \"Multifunction Composite Gadget\" ids 1d6b:0104 " +
		"without such strings count at medium confidence, and only when the device stays attached (an IP-KVM is the " +
		"laptop's keyboard and mouse for as long as it is used: attached for a day or more at a stretch, or on at least " +
		"half of the days the host reported); a gadget whose strings say it is something else (a network gadget or a " +
		"Raspberry Pi board: END-06's business) does not count here. CH9329 keyboard/mouse-emulator chips of KVM cables " +
		"(1a86:e129, 1a86:e329) count at low confidence when attached persistently. Known false positives: hobbyists and " +
		"embedded developers plugging in Raspberry Pi USB gadgets now and then (quiet unless persistent); data-centre crash " +
		"carts and KVM cables used by IT (allow-list the product in allow.tools). Every identifier can be changed by " +
		"whoever builds the device, so the absence of a finding proves nothing."
}

// References implements detect.Indicator.
func (*IPKVM) References() []string {
	return []string{
		"Mandiant (Google Cloud), Staying a Step Ahead: Mitigating the DPRK IT Worker Threat, Sept 2024 (IP-based KVM devices at laptop farms)",
		"US DOJ, laptop-farm prosecutions 2024-2025 (remote access to company laptops through KVM devices)",
		"PiKVM documentation, USB identifiers (docs.pikvm.org/id) and kvmd default otg configuration (github.com/pikvm/kvmd)",
		"TinyPilot init-usb-gadget script (github.com/tiny-pilot/tinypilot); JetKVM USB gadget configuration (github.com/jetkvm/kvm)",
	}
}

// Detect implements detect.Indicator.
func (d *IPKVM) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	k := knowledge(d.Knowledge)
	keep := func(_ event.Row, ms []kb.USB) bool {
		return hasCategory(ms, kb.IPKVM, kb.CompositeGadget, kb.KVMCable)
	}
	var out []detect.Finding
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("END-03: %w", err)
		}
		devs, hd := usbDevices(p, k, keep)
		var parts []string
		var ev []detect.Evidence
		var conf float64
		for _, dev := range devs {
			m, c := kvmConfidence(dev, hd)
			if c == 0 {
				continue
			}
			if _, ok := allowed(in, m.Product); ok {
				continue
			}
			conf = max(conf, c)
			parts = append(parts, fmt.Sprintf("%s on host %s, %s", usbName(dev, m), dev.host, dev.attached(hd)))
			for _, s := range dev.sightings {
				ev = append(ev, detect.EvidenceOf(s.e, "%s — %s (%s, %s)", describeUSB(s), m.Product, m.Category, m.Origin))
			}
		}
		if len(ev) == 0 {
			continue
		}
		ev, more := detect.CapEvidence(ev)
		out = append(out, detect.Finding{Indicator: d.ID(), Person: p.ID, Confidence: detect.Round2(conf), Evidence: ev,
			Summary: "IP-KVM attached as a USB device: " + strings.Join(parts, "; ") + more})
	}
	return out, nil
}

// kvmConfidence judges one device: the entry that decides and the
// confidence (0: no finding).
func kvmConfidence(dev *usbDevice, hd hostDays) (kb.USB, float64) {
	if m, ok := dev.best(kb.IPKVM); ok {
		if m.Confidence == kb.High {
			return m, confKVMStrings
		}
		return m, confKVMMedium
	}
	if hasCategory(dev.matches, kb.NetworkGadget, kb.SBC) || !dev.persistent(hd) {
		return kb.USB{}, 0
	}
	if m, ok := dev.best(kb.CompositeGadget); ok {
		return m, confKVMGadget
	}
	m, _ := dev.best(kb.KVMCable)
	return m, confKVMCable
}

// Examples implements detect.Indicator: a PiKVM with its default strings;
// and a hobbyist's Raspberry Pi keyboard gadget on the same ids, plugged in
// now and then.
func (*IPKVM) Examples() detect.Examples {
	pikvm := usb("1d6b", "0104", "PiKVM", "PiKVM Composite Device", "CAFEBABE")
	gadget := usb("1d6b", "0104", "USB_GADGET", "Linux USB Gadget/HID", "ONLY00HID1234567")
	neg := []*event.Event{rosterRecord(1, "E200", "Dana Wu", "dwu", "US")}
	for i := range 30 {
		neg = append(neg, osq(2*i+1, "MBP-0420", "dwu", at(i), tableUSB, "snapshot", logitech))
		if i%10 == 3 {
			neg = append(neg, osq(2*i+2, "MBP-0420", "dwu", at(i).Add(3600e9), tableUSB, "added", gadget),
				osq(2*i+2+100, "MBP-0420", "dwu", at(i).Add(7200e9), tableUSB, "removed", gadget))
		}
	}
	return detect.Examples{
		Positive: detect.Example{
			Name: "pikvm_default_strings",
			Events: []*event.Event{
				rosterRecord(1, "E100", "Jordan Miles", "jmiles", "US"),
				osq(1, "MBP-0187", "jmiles", at(0), tableUSB, "added", pikvm),
			},
			Person: "E100",
		},
		Negative: detect.Example{Name: "hobbyist_pi_gadget_now_and_then", Events: neg, Person: "E200"},
	}
}
