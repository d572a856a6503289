package sim

import (
	"math/rand/v2"
	"net/netip"
)

// NetKind says what sort of network an ISP entry is.
type NetKind uint8

// Network kinds.
const (
	Residential   NetKind = iota // home broadband
	Mobile                       // mobile carrier (carrier-grade NAT)
	Business                     // office connectivity
	Hosting                      // data centre / VPS / VPN exits
	SecureGateway                // corporate secure web gateway (Zscaler)
)

// ISP is a network as IP intelligence (and Okta's securityContext) sees it:
// a real autonomous system with plausible public prefixes it announces.
// The prefixes are chosen to belong to the named operator in public routing
// data (ca. 2025); they are not an authoritative list.
type ISP struct {
	Key      string
	ASN      uint32
	ASOrg    string // Okta securityContext.asOrg (lower case, as Okta writes it)
	Name     string // Okta securityContext.isp
	Domain   string // Okta securityContext.domain
	Kind     NetKind
	Country  string
	Prefixes []netip.Prefix
}

func pfx(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

var isps = map[string]*ISP{
	// United States, residential.
	"comcast":     {"comcast", 7922, "comcast cable communications, llc", "comcast cable communications, llc", "comcast.net", Residential, "US", pfx("73.0.0.0/8", "98.192.0.0/10", "24.0.0.0/12", "67.160.0.0/11", "71.192.0.0/12", "50.128.0.0/9")},
	"att":         {"att", 7018, "at&t corp.", "at&t services, inc.", "sbcglobal.net", Residential, "US", pfx("99.0.0.0/10", "76.192.0.0/11", "108.192.0.0/12", "107.192.0.0/12")},
	"verizon":     {"verizon", 701, "verizon business", "verizon fios", "verizon.net", Residential, "US", pfx("96.224.0.0/11", "173.48.0.0/12", "72.64.0.0/12", "100.0.0.0/11")},
	"charter":     {"charter", 20115, "charter communications inc", "charter communications", "charter.com", Residential, "US", pfx("71.80.0.0/13", "97.80.0.0/12", "174.96.0.0/12", "24.240.0.0/13")},
	"spectrum-tx": {"spectrum-tx", 11427, "charter communications inc", "spectrum", "rr.com", Residential, "US", pfx("70.112.0.0/13", "66.68.0.0/16", "72.177.0.0/16")},
	"cox":         {"cox", 22773, "cox communications inc.", "cox communications", "cox.net", Residential, "US", pfx("70.160.0.0/11", "72.192.0.0/11", "98.160.0.0/11")},
	"centurylink": {"centurylink", 209, "centurylink communications, llc", "centurylink", "qwest.net", Residential, "US", pfx("71.208.0.0/12", "97.112.0.0/12", "75.160.0.0/12")},
	"optimum":     {"optimum", 6128, "cablevision systems corp.", "optimum online", "optonline.net", Residential, "US", pfx("24.184.0.0/13", "67.80.0.0/13")},
	"googlefiber": {"googlefiber", 16591, "google fiber inc.", "google fiber inc.", "googlefiber.net", Residential, "US", pfx("136.32.0.0/11")},
	// United States, mobile carriers (carrier-grade NAT: few public addresses, many subscribers).
	"tmobile":          {"tmobile", 21928, "t-mobile usa, inc.", "t-mobile usa, inc.", "t-mobile.com", Mobile, "US", pfx("172.56.0.0/14")},
	"verizon-wireless": {"verizon-wireless", 6167, "cellco partnership dba verizon wireless", "verizon wireless", "myvzw.com", Mobile, "US", pfx("174.192.0.0/10")},
	"att-mobility":     {"att-mobility", 20057, "at&t mobility llc", "at&t mobility", "mycingular.net", Mobile, "US", pfx("166.128.0.0/10", "107.64.0.0/12")},
	// United States, business connectivity for offices.
	"zayo":  {"zayo", 6461, "zayo bandwidth", "zayo bandwidth", "zayo.com", Business, "US", pfx("64.125.0.0/16")},
	"lumen": {"lumen", 3356, "level 3 parent, llc", "lumen technologies", "lumen.com", Business, "US", pfx("4.0.0.0/9")},
	// Corporate secure web gateway: sanctioned, not an anonymiser.
	"zscaler": {"zscaler", 62044, "zscaler switzerland gmbh", "zscaler, inc.", "zscaler.net", SecureGateway, "US", pfx("165.225.0.0/17", "136.226.0.0/16", "147.161.128.0/17")},
	// Hosting and VPN exits.
	"m247":         {"m247", 9009, "m247 europe srl", "m247 ltd", "m247.com", Hosting, "US", pfx("146.70.0.0/16", "37.120.192.0/19")},
	"datacamp":     {"datacamp", 60068, "datacamp limited", "datacamp limited", "cdn77.com", Hosting, "US", pfx("89.187.160.0/19", "156.146.32.0/19", "212.102.32.0/19")},
	"leaseweb":     {"leaseweb", 60781, "leaseweb netherlands b.v.", "leaseweb netherlands b.v.", "leaseweb.com", Hosting, "NL", pfx("85.17.0.0/16", "95.211.0.0/16")},
	"vultr":        {"vultr", 20473, "the constant company, llc", "vultr holdings llc", "vultr.com", Hosting, "US", pfx("45.32.0.0/16", "45.76.0.0/15", "108.61.0.0/16", "149.28.0.0/16", "207.148.0.0/18")},
	"digitalocean": {"digitalocean", 14061, "digitalocean, llc", "digitalocean, llc", "digitalocean.com", Hosting, "US", pfx("104.131.0.0/16", "159.89.0.0/16", "138.197.0.0/16", "167.99.0.0/16", "157.230.0.0/16")},
	"azure":        {"azure", 8075, "microsoft corporation", "microsoft azure", "azure.com", Hosting, "US", pfx("20.0.0.0/11", "52.224.0.0/11", "40.64.0.0/10")},
	"ovh":          {"ovh", 16276, "ovh sas", "ovh us llc", "ovh.net", Hosting, "US", pfx("147.135.0.0/16", "51.81.0.0/16")},
	// Canada.
	"rogers":    {"rogers", 812, "rogers communications canada inc.", "rogers communications canada inc.", "rogers.com", Residential, "CA", pfx("99.224.0.0/11", "174.112.0.0/12")},
	"bell":      {"bell", 577, "bell canada", "bell canada", "sympatico.ca", Residential, "CA", pfx("70.48.0.0/13", "174.88.0.0/13")},
	"videotron": {"videotron", 5769, "videotron telecom ltee", "videotron ltee", "videotron.ca", Residential, "CA", pfx("24.200.0.0/13")},
	"telus":     {"telus", 852, "telus communications inc.", "telus communications inc.", "telus.net", Residential, "CA", pfx("75.152.0.0/13", "108.172.0.0/14")},
	"shaw":      {"shaw", 6327, "shaw communications inc.", "shaw communications inc.", "shawcable.net", Residential, "CA", pfx("24.64.0.0/13", "68.144.0.0/13")},
	// United Kingdom.
	"bt":     {"bt", 2856, "british telecommunications plc", "bt public internet service", "btcentralplus.com", Residential, "GB", pfx("86.128.0.0/10", "81.128.0.0/11")},
	"virgin": {"virgin", 5089, "virgin media limited", "virgin media", "virginm.net", Residential, "GB", pfx("86.0.0.0/11", "82.0.0.0/12")},
	"sky":    {"sky", 5607, "sky uk limited", "sky broadband", "sky.com", Residential, "GB", pfx("90.192.0.0/11", "2.96.0.0/12")},
	"ee":     {"ee", 12576, "ee limited", "ee mobile", "ee.co.uk", Mobile, "GB", pfx("31.94.0.0/16")},
	// Europe.
	"telekom":     {"telekom", 3320, "deutsche telekom ag", "deutsche telekom ag", "t-ipconnect.de", Residential, "DE", pfx("79.192.0.0/10", "87.128.0.0/10", "91.0.0.0/10", "93.192.0.0/10")},
	"vodafone-de": {"vodafone-de", 3209, "vodafone gmbh", "vodafone germany", "vodafone.de", Residential, "DE", pfx("88.64.0.0/12")},
	"orange-pl":   {"orange-pl", 5617, "orange polska spolka akcyjna", "orange polska", "neostrada.pl", Residential, "PL", pfx("83.0.0.0/11", "79.184.0.0/13")},
	"upc-pl":      {"upc-pl", 6830, "liberty global b.v.", "upc polska", "upc.pl", Residential, "PL", pfx("89.64.0.0/13")},
	"meo":         {"meo", 3243, "meo - servicos de comunicacoes e multimedia, s.a.", "meo", "telepac.pt", Residential, "PT", pfx("85.240.0.0/13")},
	"nos":         {"nos", 2860, "nos comunicacoes, s.a.", "nos comunicacoes", "nos.pt", Residential, "PT", pfx("2.80.0.0/13")},
	"movistar":    {"movistar", 3352, "telefonica de espana sau", "telefonica de espana", "rima-tde.net", Residential, "ES", pfx("83.32.0.0/11", "88.0.0.0/11")},
	"kpn":         {"kpn", 1136, "kpn b.v.", "kpn", "kpn.net", Residential, "NL", pfx("77.160.0.0/12")},
	"ziggo":       {"ziggo", 33915, "vodafone libertel b.v.", "ziggo", "ziggo.nl", Residential, "NL", pfx("84.104.0.0/13")},
	"orange-fr":   {"orange-fr", 3215, "orange s.a.", "orange", "wanadoo.fr", Residential, "FR", pfx("90.0.0.0/9", "86.192.0.0/10")},
	"free":        {"free", 12322, "free sas", "free sas", "proxad.net", Residential, "FR", pfx("78.192.0.0/10", "82.224.0.0/11")},
	// Asia-Pacific, Latin America, Middle East.
	"airtel":    {"airtel", 24560, "bharti airtel ltd., telemedia services", "bharti airtel", "airtelbroadband.in", Residential, "IN", pfx("122.160.0.0/12")},
	"jio":       {"jio", 55836, "reliance jio infocomm limited", "reliance jio", "jio.com", Residential, "IN", pfx("49.36.0.0/14", "157.32.0.0/12")},
	"act":       {"act", 24309, "atria convergence technologies pvt. ltd.", "act fibernet", "actcorp.in", Residential, "IN", pfx("106.51.0.0/16")},
	"vivo":      {"vivo", 18881, "telefonica brasil s.a", "vivo", "telesp.net.br", Residential, "BR", pfx("177.68.0.0/14", "189.100.0.0/14")},
	"claro-br":  {"claro-br", 28573, "claro nxt telecomunicacoes ltda", "claro net virtua", "virtua.com.br", Residential, "BR", pfx("177.32.0.0/12")},
	"telmex":    {"telmex", 8151, "uninet s.a. de c.v.", "telmex", "prod-infinitum.com.mx", Residential, "MX", pfx("189.128.0.0/11", "187.128.0.0/11")},
	"totalplay": {"totalplay", 22884, "total play telecomunicaciones sa de cv", "totalplay", "totalplay.net", Residential, "MX", pfx("189.203.0.0/16")},
	"pldt":      {"pldt", 9299, "philippine long distance telephone company", "pldt", "pldt.net", Residential, "PH", pfx("112.200.0.0/13")},
	"globe":     {"globe", 4775, "globe telecoms", "globe telecom", "globe.com.ph", Residential, "PH", pfx("175.176.0.0/14")},
	"ocn":       {"ocn", 4713, "ntt communications corporation", "ntt ocn", "ocn.ne.jp", Residential, "JP", pfx("153.128.0.0/10")},
	"softbank":  {"softbank", 17676, "softbank corp.", "softbank bb", "bbtec.net", Residential, "JP", pfx("126.0.0.0/8")},
	"singtel":   {"singtel", 9506, "singtel fibre broadband", "singnet", "singnet.com.sg", Residential, "SG", pfx("116.86.0.0/15")},
	"telstra":   {"telstra", 1221, "telstra limited", "telstra", "bigpond.net.au", Residential, "AU", pfx("58.160.0.0/12")},
	"etisalat":  {"etisalat", 5384, "emirates telecommunications corporation", "etisalat", "emirates.net.ae", Residential, "AE", pfx("86.96.0.0/13")},
	// Where operatives really are.
	"unicom-ln": {"unicom-ln", 4837, "china unicom china169 backbone", "china unicom liaoning", "chinaunicom.cn", Residential, "CN", pfx("175.160.0.0/12", "113.224.0.0/12")},
	"unicom-jl": {"unicom-jl", 4837, "china unicom china169 backbone", "china unicom jilin", "chinaunicom.cn", Residential, "CN", pfx("175.20.0.0/14")},
	"ttk":       {"ttk", 20485, "jsc transtelecom", "transtelecom", "ttk.ru", Residential, "RU", pfx("188.43.0.0/16")},
}

// ispByKey returns an ISP of the table; unknown keys give nil.
func ispByKey(k string) *ISP { return isps[k] }

// randomIP draws an address in one of the ISP's prefixes, avoiding network
// and broadcast-looking last octets.
func (n *ISP) randomIP(r *rand.Rand) netip.Addr {
	p := n.Prefixes[r.IntN(len(n.Prefixes))]
	a := p.Masked().Addr().As4()
	base := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
	size := uint32(1) << (32 - p.Bits())
	for {
		v := base + uint32(r.Uint64N(uint64(size)))
		last := byte(v)
		if last == 0 || last == 255 || last == 1 {
			continue
		}
		return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), last})
	}
}

// ipAllocator hands out addresses that nobody else holds, so that two
// unrelated homes never share an IP by accident.
type ipAllocator struct {
	used map[netip.Addr]struct{}
}

func newIPAllocator() *ipAllocator { return &ipAllocator{used: map[netip.Addr]struct{}{}} }

func (a *ipAllocator) fresh(r *rand.Rand, n *ISP) netip.Addr {
	for {
		ip := n.randomIP(r)
		if _, dup := a.used[ip]; !dup {
			a.used[ip] = struct{}{}
			return ip
		}
	}
}

// Egress is one public address with the geography and network an IP
// intelligence source attributes to it. Activities point at Egresses.
type Egress struct {
	IP     netip.Addr
	ISP    *ISP
	Place  *Place  // where geolocation puts the address
	Lat    float64 // geolocation, jittered around the place
	Lon    float64
	Postal string // postal code of the geolocation ("" when the database has none)
	Proxy  bool   // Okta securityContext.isProxy: a known anonymiser
	Zone   string // Okta network zone the address belongs to ("" = none)
}

// newEgress builds an egress in place p with geolocation jittered a little
// around the city centre (IP geolocation is city-level at best).
func newEgress(r *rand.Rand, ip netip.Addr, n *ISP, p *Place) *Egress {
	e := &Egress{IP: ip, ISP: n, Place: p,
		Lat: p.Lat + (r.Float64()-0.5)*0.08, Lon: p.Lon + (r.Float64()-0.5)*0.08}
	if p.Country == "US" || n.Kind == Residential {
		e.Postal = p.PostalCode(r)
	}
	return e
}
