package sim

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"
)

// The machines on each laptop's network, as the endpoint agent reports
// them (osquery arp_cache and interface_details; INDICATORS.md END-03's
// network side, rollcall END-11/END-12). A laptop at home sees the home
// router and the household's phones and computers (private, randomised MAC
// addresses); some homes have a Raspberry Pi home server, a few home labs a
// KVM-over-IP switch; the office LAN has the office's gear. A laptop at a
// cell's farm sees the farm's router and the IP-KVMs that drive the farm's
// laptops (PiKVM and TinyPilot on Raspberry Pi boards, NanoKVM, an ATEN
// KVM-over-IP switch). Every device's MAC address is in its maker's real
// IEEE block. Plans come from a stream of their own, so nothing else
// changes; a household's laptops share one home network.

// Scheduled query names.
const (
	osqARP        = "pack_network_arp_cache"
	osqInterfaces = "pack_network_interface_details"
)

// MAC blocks of the simulated machines (IEEE registry).
var (
	homeRouterBlocks = []string{"3c3786", "9c3dcf", "b0be76", "50c7bf", "f4f5d8", "f0b014"} // NETGEAR, TP-Link, Google, AVM
	officeGearBlocks = []string{"001b21", "7cb27d"}                                         // Intel (office PCs and printers' NICs)
	appleBlocks      = []string{"a483e7", "8c8590", "3ca6f6"}
	intelBlocks      = []string{"001b21", "7cb27d", "48a472"}
	piBlocks         = []string{"dca632", "e45f01", "d83add", "2ccf67", "b827eb"} // Raspberry Pi (board of PiKVM, TinyPilot)
	tinyPilotBlock   = "04c98b1"                                                  // TinyPilot, LLC (MA-M)
	sipeedBlock      = "48da356"                                                  // Shenzhen Sipeed (NanoKVM; MA-M)
	atenBlock        = "001074"                                                   // ATEN International
	ipKVMBlocks      = []string{tinyPilotBlock, sipeedBlock, atenBlock}
)

// Hard-negative behaviours of the LAN.
const (
	BehaviourHomePi     = "home_raspberry_pi" // a Raspberry Pi home server on the home network
	BehaviourHomeLabKVM = "home_lab_kvm"      // a KVM-over-IP switch in a home lab
)

// lanNode is one machine on a laptop's LAN.
type lanNode struct{ ip, mac string }

// macIn draws a MAC address in block (6 or 7 hex digits), written as
// osquery does ("dc:a6:32:5e:9a:11").
func macIn(r *rand.Rand, block string) string {
	h := block + fmt.Sprintf("%012x", r.Uint64())[len(block):]
	var b strings.Builder
	for i := 0; i < 12; i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(h[i : i+2])
	}
	return b.String()
}

// privateMAC draws a locally administered (randomised) MAC address, as
// phones and laptops use on Wi-Fi.
func privateMAC(r *rand.Rand) string {
	first := byte(r.IntN(64))<<2 | 0x02
	return macIn(r, fmt.Sprintf("%02x", first))
}

func hash64(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// planLANs decides every laptop's LAN and own MAC address.
func (o *Org) planLANs() {
	farms := map[*Cell][]lanNode{}
	for _, c := range o.Cells {
		farms[c] = o.farmLAN(c)
	}
	for _, p := range o.People {
		s := &p.src
		if s.host == nil {
			continue
		}
		r := newRand(o.cfg.Seed, streamLAN, 1, uint64(p.Index))
		blocks := intelBlocks
		if s.host.platform == "OSX" {
			blocks = appleBlocks
		}
		s.ownMAC = macIn(r, pick(r, blocks))
		switch {
		case p.Op != nil && p.Op.LaptopAt == "farm" && !p.Op.Careful:
			s.lan = farms[p.Op.Cell]
		case p.plan.office:
			s.lan = o.officeLAN()
		default:
			s.lan = o.homeLAN(p)
			if p.Op == nil && chance(r, map[bool]float64{true: 0.04, false: 0.002}[p.Department == "IT"]) {
				s.lan = append(s.lan, lanNode{"192.168.1.250", macIn(r, atenBlock)})
				p.addBehaviour(BehaviourHomeLabKVM)
			}
		}
	}
}

// homeLAN is the network of p's claimed home: shared by everyone claiming
// it.
func (o *Org) homeLAN(p *Person) []lanNode {
	r := newRand(o.cfg.Seed, streamLAN, 2, hash64(p.Home.Key()))
	net := fmt.Sprintf("192.168.%d.", pick(r, []int{0, 1, 1, 86, 50}))
	lan := []lanNode{{net + "1", macIn(r, pick(r, homeRouterBlocks))}}
	for i := range between(r, 1, 4) {
		lan = append(lan, lanNode{fmt.Sprintf("%s%d", net, 100+i*7+r.IntN(7)), privateMAC(r)})
	}
	if chance(r, 0.08) {
		lan = append(lan, lanNode{net + fmt.Sprint(between(r, 20, 60)), macIn(r, pick(r, piBlocks))})
		if p.Op == nil {
			p.addBehaviour(BehaviourHomePi)
		}
	}
	return lan
}

// officeLAN is the office network.
func (o *Org) officeLAN() []lanNode {
	r := newRand(o.cfg.Seed, streamLAN, 3, 0)
	lan := []lanNode{{"10.20.0.1", macIn(r, "00000c")}} // Cisco
	for i := range 4 {
		lan = append(lan, lanNode{fmt.Sprintf("10.20.0.%d", 20+i), macIn(r, pick(r, officeGearBlocks))})
	}
	return lan
}

// farmLAN is the network of a cell's farm: its router and one IP-KVM per
// laptop kept there (some share one KVM switch).
func (o *Org) farmLAN(c *Cell) []lanNode {
	r := newRand(o.cfg.Seed, streamLAN, 4, uint64(fnv32(c.ID)))
	lan := []lanNode{{"192.168.8.1", macIn(r, pick(r, homeRouterBlocks))}}
	for i, m := range c.Members {
		if m.Op.LaptopAt != "farm" || m.Op.Careful || !chance(r, 0.75) {
			continue
		}
		var block string
		switch x := r.Float64(); {
		case x < 0.45:
			block = pick(r, piBlocks) // PiKVM
		case x < 0.7:
			block = tinyPilotBlock
		case x < 0.85:
			block = sipeedBlock
		default:
			block = atenBlock
		}
		lan = append(lan, lanNode{fmt.Sprintf("192.168.8.%d", 50+i), macIn(r, block)})
	}
	return lan
}

// arpRows is the arp_cache snapshot of a LAN seen from one laptop: the
// router (the first node) always, each other machine only when the laptop
// exchanged traffic with it lately (an ARP entry ages out in minutes; an
// IP-KVM talks to its laptop over HDMI and USB, and shows on the network
// only through discovery traffic and the operator's sessions).
func arpRows(r *rand.Rand, lan []lanNode, iface string) [][]kv {
	rows := make([][]kv, 0, len(lan))
	for i, n := range lan {
		if i > 0 && !chance(r, arpPresence) {
			continue
		}
		rows = append(rows, []kv{{"address", n.ip}, {"interface", iface}, {"mac", n.mac}, {"permanent", "0"}})
	}
	return rows
}

// arpPresence is the chance that a machine other than the router is in a
// laptop's ARP cache when the agent takes its snapshot.
const arpPresence = 0.5

// interfaceRows is the interface_details snapshot of a laptop.
func interfaceRows(h *hostInfo, own string) [][]kv {
	iface, typ := "en0", "6"
	if h.platform == "WINDOWS" {
		iface = "Ethernet"
	}
	return [][]kv{{{"interface", iface}, {"mac", own}, {"mtu", "1500"}, {"type", typ}}}
}

// lanTells are END-11 and END-12 by the rules in tells_sources.go, from
// the arp_cache rows of p's records.
func (o *Org) lanTells(p *Person, recs []osqRec) []string {
	days := map[string]map[int]bool{}
	for _, rec := range recs {
		if rec.query != osqARP {
			continue
		}
		for _, row := range rec.rows {
			for _, c := range row {
				if c.k != "mac" {
					continue
				}
				if days[c.v] == nil {
					days[c.v] = map[int]bool{}
				}
				days[c.v][int(rec.t.Unix()/86400)] = true
			}
		}
	}
	var out []string
	for mac, ds := range days {
		h := strings.ReplaceAll(mac, ":", "")
		switch {
		case hasBlock(h, ipKVMBlocks):
			out = append(out, "END-11")
		case hasBlock(h, piBlocks) && o.lanSharers(p, mac) >= 2:
			out = append(out, "END-11")
		case hasBlock(h, piBlocks) && len(ds) >= 2:
			out = append(out, "END-12")
		}
	}
	return out
}

func hasBlock(mac string, blocks []string) bool {
	for _, b := range blocks {
		if strings.HasPrefix(mac, b) {
			return true
		}
	}
	return false
}

// lanSharers counts the other people, claiming other homes, whose laptops
// are on a LAN with the device.
func (o *Org) lanSharers(p *Person, mac string) int {
	n := 0
	for _, q := range o.People {
		if q == p || q.Home.Key() == p.Home.Key() {
			continue
		}
		for _, x := range q.src.lan {
			if x.mac == mac {
				n++
				break
			}
		}
	}
	return n
}
