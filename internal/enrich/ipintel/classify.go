package ipintel

import (
	"fmt"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/geo"
	"github.com/rollcall/rollcall/internal/policy"
)

// Kind is what a sign-in's network says about how the person reached us
// (the type lives in internal/event so that stamped facts can carry it).
type Kind = event.NetKind

// Network kinds, from harmless to anonymising (see event.NetKind).
const (
	Ordinary   = event.NetOrdinary
	Sanctioned = event.NetSanctioned
	Gateway    = event.NetGateway
	Mobile     = event.NetMobile
	Hosting    = event.NetHosting
	Anonymiser = event.NetAnonymiser
)

// Verdict is the classification of one network context.
type Verdict = event.NetVerdict

// favouredVPN names the VPNs that advisories name for DPRK IT workers
// (lower case). Astrill is the one cited again and again (Mandiant, Red
// Canary, the greatfire list of Astrill artefacts).
var favouredVPN = []string{"astrill"}

// vpnWords and hostingWords recognise anonymisers and hosting networks by
// the vendor's AS organisation, ISP or domain when the AS is not listed
// (lower case; matched as substrings).
var (
	vpnWords     = []string{"vpn"}
	hostingWords = []string{"hosting", "datacenter", "data center", "data centre", "dedicated server", "vps", "colocation", "server farm"}
)

// mentions reports whether s contains one of words, ignoring case. It does
// not allocate for the lower-case names identity providers mostly send.
func mentions(s string, words []string) bool {
	if s == "" {
		return false
	}
	s = strings.ToLower(s)
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// Classify says what kind of network n is at time t. It reads the
// allow-list (allow may be nil), the vendor's view (proxy flag, AS number,
// AS organisation), the enrichment (Net.Intel) and, for events that were
// not enriched, the embedded network list. The order of precedence is:
// sanctioned, gateway, anonymiser, hosting, mobile, ordinary — so a
// gateway the vendor flags as a proxy (Okta does that for Zscaler) stays a
// gateway.
func Classify(n *event.Network, allow *policy.Allow, t time.Time) Verdict {
	if n == nil {
		return Verdict{}
	}
	var intelASN uint32
	if n.Intel != nil {
		intelASN = n.Intel.ASN
	}
	if allow != nil {
		for _, asn := range []uint32{n.ASN, intelASN} {
			if asn == 0 {
				continue
			}
			if reason, ok := allow.AllowedASN(asn, t); ok {
				return Verdict{Kind: Sanctioned, Name: n.ASOrg, Why: fmt.Sprintf("AS%d is allow-listed: %s", asn, reason)}
			}
		}
		if n.IP.IsValid() {
			if reason, ok := allow.IsEgress(n.IP, t); ok {
				return Verdict{Kind: Sanctioned, Why: fmt.Sprintf("%s is a corporate egress: %s", n.IP, reason)}
			}
		}
	}
	v := listVerdict(n, intelASN)
	if v.Kind == Gateway || v.Kind == Anonymiser {
		v.Favoured = v.Kind == Anonymiser && favoured(n, v.Name)
		return v
	}
	if n.IsProxy {
		name := firstNonEmpty(n.ASOrg, n.ISP, "anonymising proxy")
		return Verdict{Kind: Anonymiser, Name: name, Why: sourceName(n) + " flags the address as a proxy", Favoured: favoured(n, name)}
	}
	if v.Kind != Ordinary {
		return v
	}
	if n.IsHosting {
		return Verdict{Kind: Hosting, Name: n.ASOrg, Why: sourceName(n) + " marks the network as hosting"}
	}
	// Not listed: fall back to the names the vendor gives.
	for _, s := range []string{n.ASOrg, n.ISP, n.Domain} {
		switch {
		case s == "":
		case mentions(s, favouredVPN):
			return Verdict{Kind: Anonymiser, Name: s, Why: fmt.Sprintf("network name %q is a VPN", s), Favoured: true}
		case mentions(s, vpnWords):
			return Verdict{Kind: Anonymiser, Name: s, Why: fmt.Sprintf("network name %q is a VPN", s)}
		case mentions(s, hostingWords):
			return Verdict{Kind: Hosting, Name: s, Why: fmt.Sprintf("network name %q is a hosting provider", s)}
		}
	}
	return Verdict{}
}

// listVerdict applies the network list: the enrichment's verdict when the
// event was enriched, else the embedded list.
func listVerdict(n *event.Network, intelASN uint32) Verdict {
	e, listed := Default().Lookup(n.IP, n.ASN, intelASN)
	if in := n.Intel; in != nil && in.Anonymizer != "" {
		why := fmt.Sprintf("%s on the network list or IP database", in.Anonymizer)
		switch {
		case in.IsVPN:
			return Verdict{Kind: Anonymiser, Name: in.Anonymizer, Why: why + " (anonymiser)"}
		case in.IsHosting:
			return Verdict{Kind: Hosting, Name: in.Anonymizer, Why: why + " (hosting)"}
		case listed && e.Category == CategoryMobile:
			return Verdict{Kind: Mobile, Name: in.Anonymizer, Why: why + " (mobile)"}
		default:
			// A listed network that is neither anonymiser nor hosting: a
			// gateway or relay (the user's list may add its own).
			return Verdict{Kind: Gateway, Name: in.Anonymizer, Why: why + " (gateway)"}
		}
	}
	if !listed {
		return Verdict{}
	}
	v := Verdict{Name: e.Name, Why: entryWhy(e)}
	switch e.Category {
	case CategoryVPN, CategoryProxy, CategoryTor:
		v.Kind = Anonymiser
	case CategoryHosting:
		v.Kind = Hosting
	case CategoryEnterpriseGateway, CategoryMixed:
		v.Kind = Gateway
	case CategoryMobile:
		v.Kind = Mobile
	}
	return v
}

func entryWhy(e Network) string {
	if e.Prefix.IsValid() {
		return fmt.Sprintf("%s on the network list (%s)", e.Prefix, e.Category)
	}
	return fmt.Sprintf("AS%d on the network list (%s)", e.ASN, e.Category)
}

func favoured(n *event.Network, name string) bool {
	for _, s := range []string{name, n.ASOrg, n.ISP, n.Domain} {
		if mentions(s, favouredVPN) {
			return true
		}
	}
	return n.Intel != nil && mentions(n.Intel.Anonymizer, favouredVPN)
}

func sourceName(n *event.Network) string {
	return firstNonEmpty(n.GeoSource, "the identity provider")
}

// Country returns the network's country (ISO alpha-2, upper case): the
// vendor's code, else the vendor's country name converted, else the IP
// databases'. It returns "" when nobody knows.
func Country(n *event.Network) string {
	if n == nil {
		return ""
	}
	if n.Country != "" {
		return strings.ToUpper(n.Country)
	}
	if c := geo.Alpha2(n.CountryName); c != "" {
		return c
	}
	if n.Intel != nil {
		return strings.ToUpper(n.Intel.Country)
	}
	return ""
}

// Describe names a network for evidence: "198.51.100.7 (AS9009 M247 Europe
// SRL, NL)". Vendor fields come first, the enrichment fills the gaps.
func Describe(n *event.Network) string {
	if n == nil {
		return "unknown network"
	}
	asn, org, country := n.ASN, n.ASOrg, Country(n)
	if in := n.Intel; in != nil && asn == 0 {
		asn, org = in.ASN, firstNonEmpty(org, in.ASOrg)
	}
	org = firstNonEmpty(org, n.ISP)
	var parts []string
	if asn != 0 {
		parts = append(parts, strings.TrimSpace(fmt.Sprintf("AS%d %s", asn, org)))
	} else if org != "" {
		parts = append(parts, org)
	}
	if country = firstNonEmpty(country, n.CountryName); country != "" {
		parts = append(parts, country)
	}
	ip := "unknown address"
	if n.IP.IsValid() {
		ip = n.IP.String()
	}
	if len(parts) == 0 {
		return ip
	}
	return ip + " (" + strings.Join(parts, ", ") + ")"
}
