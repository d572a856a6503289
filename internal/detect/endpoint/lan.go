package endpoint

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/enrich/oui"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// What END-11 (IP-KVM on the laptop's network) and END-12 (KVM board on
// the laptop's network) share: the machines the laptop's ARP cache shows on
// its LAN, recognised by the maker's MAC block (enrich/oui), and the
// IP-KVM host names the laptop knows (hosts file, Windows DNS cache).

// osquery tables of the laptop's network neighbourhood (internal/source/osquery).
const (
	tableARP        = "arp_cache"
	tableInterfaces = "interface_details"
	tableEtcHosts   = "etc_hosts"
	tableDNSCache   = "dns_cache"
)

// lanInfraMin: a device in the ARP caches of the laptops of this many
// people or more is office infrastructure (a server room's KVM on an office
// LAN), not one person's.
const lanInfraMin = 10

// kvmHostname recognises the host names IP-KVMs announce by default:
// PiKVM "pikvm", TinyPilot "tinypilot", GL.iNet Comet "glkvm", JetKVM
// "jetkvm", Sipeed "nanokvm", BliKVM "blikvm" — as the first label,
// alone or followed by a hyphen or digits ("pikvm.local", "pikvm-2").
var kvmHostname = regexp.MustCompile(`(?i)^(pikvm|tinypilot|glkvm|jetkvm|nanokvm|blikvm)(-[a-z0-9-]*|\d*)(\.|$)`)

// lanDevice is one machine (by MAC address) on the LAN of a person's
// laptops.
type lanDevice struct {
	mac       string // normalised, 12 hex digits
	shown     string // as osquery wrote it
	entry     oui.Entry
	ips       []string
	hosts     []string
	names     []string // KVM host names the laptop maps to one of its IPs
	days      map[time.Time]bool
	first     time.Time
	sightings []sighting // the first, then the latest
}

// kvmName is a KVM host name the laptop knows, from a hosts file or the DNS
// cache.
type kvmName struct {
	name string
	ip   string // "" from the DNS cache
	s    sighting
}

// lanView is what one person's laptops show of their networks.
type lanView struct {
	devices []*lanDevice // of the makers enrich/oui lists, in order of first sighting
	names   []kvmName
}

// lanOf reads the person's arp_cache, interface_details, etc_hosts and
// dns_cache rows. The laptops' own MAC addresses (interface_details) are
// not neighbours.
func lanOf(p *profile.Person) lanView {
	own := map[string]bool{}
	sightings(p, func(e *event.Event, _ event.Row) bool { return e.Device.Table == tableInterfaces }, func(s sighting) {
		if m, ok := oui.Normalize(s.row.Get("mac")); ok {
			own[m] = true
		}
	})
	var v lanView
	byMAC := map[string]*lanDevice{}
	seenName := map[string]bool{}
	sightings(p, func(e *event.Event, _ event.Row) bool {
		t := e.Device.Table
		return t == tableARP || t == tableEtcHosts || t == tableDNSCache
	}, func(s sighting) {
		switch s.e.Device.Table {
		case tableEtcHosts, tableDNSCache:
			for _, n := range hostNames(s) {
				if kvmHostname.MatchString(n) && !seenName[n+"\x00"+s.row.Get("address")] {
					seenName[n+"\x00"+s.row.Get("address")] = true
					v.names = append(v.names, kvmName{name: strings.ToLower(n), ip: s.row.Get("address"), s: s})
				}
			}
			return
		}
		if s.action() == "removed" {
			return // an entry aging out of the cache says nothing new
		}
		e, ok := oui.Lookup(s.row.Get("mac"))
		if !ok {
			return
		}
		m, _ := oui.Normalize(s.row.Get("mac"))
		if own[m] {
			return
		}
		d := byMAC[m]
		if d == nil {
			d = &lanDevice{mac: m, shown: s.row.Get("mac"), entry: e, days: map[time.Time]bool{}, first: s.e.Time}
			byMAC[m] = d
			v.devices = append(v.devices, d)
		}
		if ip := s.row.Get("address"); ip != "" && !slices.Contains(d.ips, ip) {
			d.ips = append(d.ips, ip)
		}
		if !slices.Contains(d.hosts, s.host()) {
			d.hosts = append(d.hosts, s.host())
		}
		d.days[detect.Day(s.e.Time)] = true
		if len(d.sightings) < 2 {
			d.sightings = append(d.sightings, s)
		} else {
			d.sightings[1] = s
		}
	})
	for _, d := range v.devices {
		for _, n := range v.names {
			if n.ip != "" && slices.Contains(d.ips, n.ip) && !slices.Contains(d.names, n.name) {
				d.names = append(d.names, n.name)
			}
		}
	}
	return v
}

// hostNames are the names a hosts-file row (hostnames, space-separated) or
// a DNS-cache row (name) gives.
func hostNames(s sighting) []string {
	if s.e.Device.Table == tableDNSCache {
		return []string{strings.TrimSuffix(strings.TrimSpace(s.row.Get("name")), ".")}
	}
	return strings.Fields(s.row.Get("hostnames"))
}

// lanViews reads every person's network neighbourhood once, and maps each
// device MAC (of the makers enrich/oui lists) to the people whose laptops
// saw it on their LAN.
func lanViews(pop *profile.Population) (map[*profile.Person]lanView, map[string][]string) {
	views := make(map[*profile.Person]lanView, len(pop.People))
	holders := map[string][]string{}
	for _, p := range pop.People {
		v := lanOf(p)
		if len(v.devices) == 0 && len(v.names) == 0 {
			continue
		}
		views[p] = v
		for _, d := range v.devices {
			holders[d.mac] = append(holders[d.mac], p.ID)
		}
	}
	return views, holders
}

// sharers returns the people other than p whose laptops saw d, leaving out
// people who claim the same home (a household's laptops share its LAN), and
// whether d is office infrastructure (seen by lanInfraMin people or more).
func sharers(pop *profile.Population, holders map[string][]string, p *profile.Person, d *lanDevice) ([]string, bool) {
	all := holders[d.mac]
	if len(all) >= lanInfraMin {
		return nil, true
	}
	home := p.HomeKey()
	var out []string
	for _, id := range all {
		if id == p.ID {
			continue
		}
		if q := pop.Person(id); q != nil && home != "" && q.HomeKey() == home {
			continue
		}
		out = append(out, id)
	}
	return out, false
}

// describe says what a device's sightings show.
func (d *lanDevice) describe() string {
	s := fmt.Sprintf("%s %s at %s on the LAN of host %s, seen on %d days from %s", d.entry.Product, d.shown,
		strings.Join(d.ips, ", "), strings.Join(d.hosts, ", "), len(d.days), detect.Date(d.first))
	if len(d.names) > 0 {
		s += fmt.Sprintf(", named %s", strings.Join(d.names, ", "))
	}
	return s
}

// describeARP says what an arp_cache row shows.
func describeARP(s sighting, e oui.Entry) string {
	return fmt.Sprintf("%s: ARP cache of host %s lists %s at %s on %s — MAC block %s of %s (%s)", detect.Stamp(s.e.Time),
		hostLabel(s), s.row.Get("mac"), s.row.Get("address"), s.row.Get("interface"), e.Prefix, e.Organisation, e.Product)
}

// describeName says what a hosts-file or DNS-cache row shows.
func describeName(n kvmName) string {
	if n.s.e.Device.Table == tableDNSCache {
		return fmt.Sprintf("%s: DNS cache of host %s holds %s, an IP-KVM's default host name", detect.Stamp(n.s.e.Time), hostLabel(n.s), n.name)
	}
	return fmt.Sprintf("%s: hosts file of host %s maps %s to %s, an IP-KVM's default host name", detect.Stamp(n.s.e.Time), hostLabel(n.s), n.name, n.ip)
}

// Confidences of the forms of the LAN findings.
const (
	confLANKVMHigh    = 0.9 // an IP-KVM maker's MAC block that makes nothing else (TinyPilot)
	confLANKVMMedium  = 0.6 // a KVM maker that also makes other gear (ATEN, Raritan, Lantronix…)
	confLANNamed      = 0.9 // a board answering to an IP-KVM's default host name
	confLANNameOnly   = 0.7 // an IP-KVM host name in the hosts file or DNS cache
	confLANBoardFarm  = 0.5 // a KVM board on the LAN of the laptops of people claiming different homes
	confLANShared     = 1.0 // an IP-KVM on the LAN of the laptops of people claiming different homes
	confLANBoard      = 0.5 // END-12: a KVM board on the LAN on several days
	lanFarmOthers     = 2   // other people whose laptops share a KVM board, for confLANBoardFarm
	lanOneDayDiscount = 0.5 // an IP-KVM seen on one day only (a hotel, a co-working space)
	lanITDiscount     = 0.5 // an IP-KVM on the LAN of IT staff (a home lab), neither named nor shared
)

// lanJudgement is the verdict on one device on a person's LAN.
type lanJudgement struct {
	d       *lanDevice
	kvm     bool // END-11's; else END-12's
	conf    float64
	related []string
	why     string
}

// judgeLAN decides, for each device of view, whether it is END-11's (an
// IP-KVM), END-12's (a KVM board and nothing more) or nobody's (office
// infrastructure, allow-listed, a board seen on one day).
func judgeLAN(in *detect.Input, holders map[string][]string, p *profile.Person, view lanView) []lanJudgement {
	role, it := hasRole(p, itSupportRole)
	var out []lanJudgement
	for _, d := range view.devices {
		others, infra := sharers(in.Pop, holders, p, d)
		if infra {
			continue
		}
		if _, ok := allowed(in, d.entry.Product, d.shown, d.mac); ok {
			continue
		}
		j := lanJudgement{d: d, related: others}
		switch {
		case d.entry.Class == oui.IPKVM:
			j.kvm, j.conf, j.why = true, confLANKVMMedium, "an IP-KVM maker's MAC block"
			if d.entry.Confidence == "high" {
				j.conf = confLANKVMHigh
			}
			if len(d.names) > 0 {
				j.conf, j.why = max(j.conf, confLANNamed), "an IP-KVM maker's MAC block answering to an IP-KVM host name"
			}
			switch {
			case len(others) > 0:
				j.conf, j.why = confLANShared, j.why+", on the LAN of other people's laptops too"
			case len(d.names) > 0:
			case it:
				j.conf = detect.Round2(j.conf * lanITDiscount)
				j.why += fmt.Sprintf("; lowered: IT role (%s), whose home labs and on-call kits hold such gear", role)
			case len(d.days) < 2:
				j.conf = detect.Round2(j.conf * lanOneDayDiscount)
			}
		case len(d.names) > 0:
			j.kvm, j.conf, j.why = true, confLANNamed, "a board answering to an IP-KVM's default host name"
		case len(others) >= lanFarmOthers:
			j.kvm, j.conf, j.why = true, confLANBoardFarm, fmt.Sprintf("a board on the LAN of the laptops of %d other people claiming other homes", len(others))
		case len(d.days) >= 2:
			j.conf, j.why, j.related = confLANBoard, "a board that IP-KVMs run on, on several days", nil
		default:
			continue
		}
		out = append(out, j)
	}
	return out
}

// namesOnly are the KVM host names that name no device of the view.
func namesOnly(view lanView) []kvmName {
	var out []kvmName
	for _, n := range view.names {
		named := false
		for _, d := range view.devices {
			named = named || n.ip != "" && slices.Contains(d.ips, n.ip)
		}
		if !named {
			out = append(out, n)
		}
	}
	return out
}

// lanEvidence cites the first and latest ARP rows of each judged device.
func lanEvidence(js []lanJudgement) []detect.Evidence {
	var ev []detect.Evidence
	for _, j := range js {
		for _, s := range j.d.sightings {
			ev = append(ev, detect.EvidenceOf(s.e, "%s", describeARP(s, j.d.entry)))
		}
	}
	return ev
}
