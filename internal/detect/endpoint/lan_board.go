package endpoint

import (
	"context"
	"fmt"
	"strings"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/event"
)

// LANBoard is END-12: a Raspberry Pi or GL.iNet box — the boards PiKVM,
// TinyPilot, BliKVM and GL.iNet's Comet run on — on the company laptop's
// network, with nothing that says it is an IP-KVM. Weak: most of them are
// hobby computers and travel routers.
type LANBoard struct{}

var _ detect.Indicator = (*LANBoard)(nil)

// ID implements detect.Indicator.
func (*LANBoard) ID() string { return "END-12" }

// Name implements detect.Indicator.
func (*LANBoard) Name() string { return "Board that IP-KVMs run on, on the company laptop's network" }

// Stage implements detect.Indicator.
func (*LANBoard) Stage() detect.Stage { return detect.StageEndpoint }

// Strength implements detect.Indicator: weak, it never flags anyone alone.
func (*LANBoard) Strength() detect.Strength { return detect.Weak }

// Sources implements detect.Indicator.
func (*LANBoard) Sources() []string { return []string{"osquery"} }

// Weight implements detect.Indicator.
func (*LANBoard) Weight() float64 { return 3 }

// Description implements detect.Indicator.
func (*LANBoard) Description() string {
	return "The laptop's ARP cache (osquery arp_cache) lists, on at least two days, a machine whose MAC address is in a " +
		"Raspberry Pi or GL.iNet block (rollcall's embedded table, built by make oui from the IEEE registry), and nothing " +
		"says it is an IP-KVM: no IP-KVM host name for its address, not on the LAN of other people's laptops (both are " +
		"END-11's). PiKVM, TinyPilot and BliKVM run on Raspberry Pi boards and GL.iNet makes the Comet KVM, so such a box is " +
		"where a laptop farm's KVM would show; but a Raspberry Pi is a common home server, ad blocker or media box and " +
		"GL.iNet sells mostly travel routers, so this is weak: it never raises anyone above low alone and only adds weight " +
		"to stronger signals. A box seen on one day only (a hotel, a friend's home) does not count. Known false positives: " +
		"home servers (Pi-hole, Home Assistant, media boxes), GL.iNet travel routers. Its default weight is 3 because such " +
		"boxes are on many home networks: measured on the simulator, a larger weight tipped privacy-minded staff already near " +
		"medium (a consumer VPN and its client) over the line."
}

// References implements detect.Indicator.
func (*LANBoard) References() []string {
	return []string{
		"PiKVM (pikvm.org) and TinyPilot (tinypilotkvm.com) hardware: Raspberry Pi 4 / CM4 boards; GL.iNet Comet GL-RM1",
		"Mandiant (Google Cloud), Staying a Step Ahead: Mitigating the DPRK IT Worker Threat, Sept 2024 (IP-based KVM devices at laptop farms)",
		"IEEE Registration Authority MA-L/MA-M/MA-S registry (npm oui-data)",
	}
}

// Detect implements detect.Indicator.
func (d *LANBoard) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	views, holders := lanViews(in.Pop)
	var out []detect.Finding
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("END-12: %w", err)
		}
		view, ok := views[p]
		if !ok || len(view.devices) == 0 {
			continue
		}
		var js []lanJudgement
		var parts []string
		for _, j := range judgeLAN(in, holders, p, view) {
			if !j.kvm {
				js = append(js, j)
				parts = append(parts, j.d.describe())
			}
		}
		if len(js) == 0 {
			continue
		}
		ev, more := detect.CapEvidence(lanEvidence(js))
		out = append(out, detect.Finding{Indicator: d.ID(), Person: p.ID, Confidence: confLANBoard, Evidence: ev,
			Summary: "board that IP-KVMs run on, on the laptop's network: " + strings.Join(parts, "; ") + more})
	}
	return out, nil
}

// Examples implements detect.Indicator: a Raspberry Pi on the laptop's LAN
// for weeks; and a GL.iNet travel router seen in one hotel stay.
func (*LANBoard) Examples() detect.Examples {
	pos := []*event.Event{rosterRecord(1, "E300", "Riley Chen", "rchen", "US")}
	for i := range 10 {
		pos = append(pos, osq(i+1, "MBP-0311", "rchen", at(i), tableARP, "snapshot",
			arp("192.168.0.1", "3c:37:86:5a:01:10"), arp("192.168.0.23", "b8:27:eb:4f:10:2a")))
	}
	return detect.Examples{
		Positive: detect.Example{Name: "raspberry_pi_on_the_lan_for_weeks", Events: pos, Person: "E300"},
		Negative: detect.Example{
			Name: "travel_router_in_one_hotel_stay",
			Events: []*event.Event{
				rosterRecord(1, "E301", "Sam Okoro", "sokoro", "US"),
				osq(1, "MBP-0312", "sokoro", at(3), tableARP, "snapshot", arp("192.168.8.1", "94:83:c4:2e:71:0c")),
				osq(2, "MBP-0312", "sokoro", at(3).Add(3600e9), tableARP, "snapshot", arp("192.168.8.1", "94:83:c4:2e:71:0c")),
			},
			Person: "E301",
		},
	}
}
