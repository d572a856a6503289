package ipintel

import (
	"net/netip"
	"slices"
	"time"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

// SharedAddressSpace is RFC 6598 carrier-grade NAT space (100.64.0.0/10):
// addresses there are shared by a carrier's unrelated subscribers. It is
// the one definition of CGNAT space in rollcall.
var SharedAddressSpace = netip.MustParsePrefix("100.64.0.0/10")

// Facts classifies a network context at time t under the policy (pol may
// be nil): its verdict, its country, and whether it locates a person (see
// event.NetFacts.Locates).
func Facts(n *event.Network, pol *policy.Policy, t time.Time) event.NetFacts {
	var allow *policy.Allow
	var carriers []uint32
	if pol != nil {
		allow, carriers = &pol.Allow, pol.Cluster.CarrierASNs
	}
	v := Classify(n, allow, t)
	return event.NetFacts{Verdict: v, Country: Country(n), Locates: locates(n, v, carriers)}
}

// locates reports whether an address can show where a person is: public,
// outside carrier-grade NAT space, an ordinary network, and not on the
// policy's extra carrier list.
func locates(n *event.Network, v Verdict, carriers []uint32) bool {
	ip := n.IP.Unmap()
	if !ip.IsValid() || !ip.IsGlobalUnicast() || ip.IsPrivate() || SharedAddressSpace.Contains(ip) || v.Kind != Ordinary {
		return false
	}
	asn := n.ASN
	if asn == 0 && n.Intel != nil {
		asn = n.Intel.ASN
	}
	return asn == 0 || !slices.Contains(carriers, asn)
}
