package endpoint

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/event"
)

// LANKVM is END-11: an IP-KVM on the company laptop's network — seen in
// the laptop's ARP cache by the maker's MAC block, or by the host name it
// announces — rather than plugged into it over USB (END-03).
type LANKVM struct{}

var _ detect.Indicator = (*LANKVM)(nil)

// ID implements detect.Indicator.
func (*LANKVM) ID() string { return "END-11" }

// Name implements detect.Indicator.
func (*LANKVM) Name() string { return "IP-KVM on the company laptop's network" }

// Stage implements detect.Indicator.
func (*LANKVM) Stage() detect.Stage { return detect.StageEndpoint }

// Strength implements detect.Indicator.
func (*LANKVM) Strength() detect.Strength { return detect.Medium }

// Sources implements detect.Indicator.
func (*LANKVM) Sources() []string { return []string{"osquery"} }

// Weight implements detect.Indicator.
func (*LANKVM) Weight() float64 { return 35 }

// Description implements detect.Indicator.
func (*LANKVM) Description() string {
	return "The laptop's ARP cache (osquery arp_cache) lists a machine on its LAN whose MAC address is in the IEEE block " +
		"of an IP-KVM maker (rollcall's embedded table, built by make oui from the IEEE registry and kvm_vendors.csv): " +
		"TinyPilot (0.9), or a maker of KVM and other gear — ATEN, Raritan, Adder, Avocent, Cyclades, Lantronix, Sipeed's " +
		"NanoKVM (0.6); halved for IT staff (roster title or department: home labs, on-call kits) or when seen on one day " +
		"only, unless named or shared as below; or a box answers to an IP-KVM's default host name (pikvm, " +
		"tinypilot, glkvm, jetkvm, nanokvm, blikvm) in the laptop's hosts file (etc_hosts) or Windows DNS cache (dns_cache) " +
		"(0.9 when the name's address is a Raspberry Pi or GL.iNet box in the ARP cache, else 0.7); or the same " +
		"Raspberry Pi or GL.iNet box is on the LAN of the laptops of two or more other people who claim other homes (0.5: " +
		"a laptop farm's KVM network). An IP-KVM seen by other people's laptops too counts fully and names them. A laptop at " +
		"a farm is driven through an IP-KVM on the farm's network. The laptop's own interfaces (interface_details) are not " +
		"neighbours; locally administered (randomised) MAC addresses carry no maker. A device on the LAN of ten or more " +
		"people's laptops is taken to be office infrastructure and ignored (a blind spot for very large farms); sanctioned " +
		"devices are allow-listed by product or MAC address in allow.tools. A Raspberry Pi or GL.iNet box alone is END-12's " +
		"(weak). Known false positives: IT and home-lab enthusiasts with a KVM-over-IP switch at home, an ATEN or Lantronix " +
		"device on a small office's LAN, a co-working space's gear, a small office's Raspberry Pi wall dashboard on a few " +
		"colleagues' LANs (allow-list its MAC address). An ARP cache lists only machines the laptop exchanged traffic with " +
		"in the last minutes (an IP-KVM drives its laptop over HDMI and USB, and shows on the network through discovery " +
		"traffic and sessions), and every MAC address can be changed, so the absence of a finding proves nothing."
}

// References implements detect.Indicator.
func (*LANKVM) References() []string {
	return []string{
		"Mandiant (Google Cloud), Staying a Step Ahead: Mitigating the DPRK IT Worker Threat, Sept 2024 (IP-based KVM devices at laptop farms)",
		"US DOJ, laptop-farm prosecutions 2024-2025 (remote access to company laptops through KVM devices)",
		"IEEE Registration Authority MA-L/MA-M/MA-S registry (npm oui-data); osquery schema: arp_cache, interface_details, etc_hosts, dns_cache",
		"PiKVM, TinyPilot, GL.iNet Comet, JetKVM, Sipeed NanoKVM and BliKVM documentation (default host names)",
	}
}

// Detect implements detect.Indicator.
func (d *LANKVM) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	views, holders := lanViews(in.Pop)
	var out []detect.Finding
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("END-11: %w", err)
		}
		view, ok := views[p]
		if !ok {
			continue
		}
		var js []lanJudgement
		var conf float64
		var parts, related []string
		for _, j := range judgeLAN(in, holders, p, view) {
			if !j.kvm {
				continue
			}
			js = append(js, j)
			conf = max(conf, j.conf)
			parts = append(parts, j.d.describe()+" ("+j.why+")")
			for _, r := range j.related {
				if !slices.Contains(related, r) {
					related = append(related, r)
				}
			}
		}
		ev := lanEvidence(js)
		for _, n := range namesOnly(view) {
			if _, ok := allowed(in, n.name); ok {
				continue
			}
			conf = max(conf, confLANNameOnly)
			parts = append(parts, fmt.Sprintf("host name %s known to host %s", n.name, hostLabel(n.s)))
			ev = append(ev, detect.EvidenceOf(n.s.e, "%s", describeName(n)))
		}
		cited := map[*event.Event]bool{}
		for _, j := range js {
			for _, n := range view.names {
				if !cited[n.s.e] && slices.Contains(j.d.names, n.name) && n.ip != "" && slices.Contains(j.d.ips, n.ip) {
					cited[n.s.e] = true
					ev = append(ev, detect.EvidenceOf(n.s.e, "%s", describeName(n)))
				}
			}
		}
		if len(ev) == 0 {
			continue
		}
		slices.Sort(related)
		ev, more := detect.CapEvidence(ev)
		out = append(out, detect.Finding{Indicator: d.ID(), Person: p.ID, Confidence: detect.Round2(conf), Evidence: ev, Related: related,
			Summary: "IP-KVM on the laptop's network: " + strings.Join(parts, "; ") + more})
	}
	return out, nil
}

func arp(ip, mac string) map[string]string {
	return map[string]string{"address": ip, "mac": mac, "interface": "en0", "permanent": "0"}
}

// Examples implements detect.Indicator: a TinyPilot on the laptop's LAN;
// and a home network with a Raspberry Pi media server, a router and a
// phone with a randomised MAC address.
func (*LANKVM) Examples() detect.Examples {
	router := arp("192.168.1.1", "3c:37:86:5a:01:10") // NETGEAR
	pi := arp("192.168.1.40", "dc:a6:32:5e:9a:11")
	phone := arp("192.168.1.77", "a6:1f:72:0b:3c:9e")
	neg := []*event.Event{rosterRecord(1, "E200", "Dana Wu", "dwu", "US")}
	for i := range 20 {
		neg = append(neg, osq(i+1, "MBP-0420", "dwu", at(i), tableARP, "snapshot", router, pi, phone))
	}
	return detect.Examples{
		Positive: detect.Example{
			Name: "tinypilot_on_the_lan",
			Events: []*event.Event{
				rosterRecord(1, "E100", "Jordan Miles", "jmiles", "US"),
				osq(1, "MBP-0187", "jmiles", at(0), tableARP, "snapshot", arp("192.168.8.1", "94:83:c4:2e:71:0c"), arp("192.168.8.52", "04:c9:8b:1a:00:07")),
				osq(2, "MBP-0187", "jmiles", at(1), tableARP, "snapshot", arp("192.168.8.52", "04:c9:8b:1a:00:07")),
			},
			Person: "E100",
		},
		Negative: detect.Example{Name: "home_lan_with_a_raspberry_pi", Events: neg, Person: "E200"},
	}
}
