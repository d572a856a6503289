// Package ipintel enriches the network context of sign-in and audit events
// from IP databases and from rollcall's list of anonymiser, hosting, VPN,
// gateway and mobile networks.
//
// Two sources, both optional and both local (nothing is fetched at run
// time):
//   - MaxMind-format databases (.mmdb) opened with Open: GeoLite2/GeoIP2
//     City, Country, ASN and Anonymous-IP, DB-IP lite, IPinfo lite and
//     privacy, and the flat @ip-location-db databases that `make ipdb`
//     builds. Each database's layout is learnt from its records.
//   - The network list (data/networks.csv, data/ranges.csv, embedded; a
//     user's --networks file adds to it): AS numbers and ranges with a
//     category (vpn, hosting, proxy, tor, enterprise_gateway, mixed,
//     mobile). It works without any database when the identity provider
//     supplies the AS number, as Okta's securityContext and Entra do.
//
// Enrich records what the databases say in Network.Intel beside the
// vendor's view, never overwriting it; it fills Network.Country and ASN
// only when the vendor gave none. Classify turns a network into the
// verdict the sign-in indicators use (ordinary, sanctioned, gateway,
// mobile, hosting, anonymiser), from enriched or raw events alike.
package ipintel

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/rollcall/rollcall/internal/event"
)

// Enrich fills e's network context (sign-ins and audit actions; other
// events are left alone). Vendor fields are never overwritten: the
// databases' view goes to Net.Intel, and Net.Country, Net.ASN/ASOrg and
// the geography are filled only when the vendor gave none. Net.IsHosting
// is set when the network list or a database says hosting.
//
// Network contexts are shared between events (see event.Network), so the
// enriched context is a new value, itself shared by every event whose
// context was equal: Enrich looks each distinct context up once. It is
// safe for concurrent use.
func (db *DB) Enrich(e *event.Event) {
	n := e.Net()
	if n == nil || (!n.IP.IsValid() && n.ASN == 0) {
		return
	}
	if db == nil {
		e.SetNet(db.enriched(n))
		return
	}
	db.cache.Lock()
	defer db.cache.Unlock()
	out, ok := db.cache.m[*n]
	if !ok {
		out = db.enriched(n)
		if len(db.cache.m) >= enrichCacheSize || db.cache.m == nil {
			db.cache.m = make(map[event.Network]*event.Network)
		}
		db.cache.m[*n] = out
	}
	e.SetNet(out)
}

// enrichCacheSize bounds the enriched contexts a DB remembers; past it the
// cache starts over, so a long-running server's memory stays bounded.
const enrichCacheSize = 1 << 14

// enriched returns n as the databases complete it (a new value), or n
// itself when they know nothing of it.
func (db *DB) enriched(orig *event.Network) *event.Network {
	n := *orig
	intel, a := db.lookup(n.IP, n.ASN)
	if intel == (event.IPIntel{}) {
		return orig
	}
	n.Intel = &intel
	if n.ASN == 0 && intel.ASN != 0 {
		n.ASN = intel.ASN
		if n.ASOrg == "" {
			n.ASOrg = intel.ASOrg
		}
	}
	if n.Country == "" && intel.Country != "" {
		n.Country = intel.Country
		if n.City == "" {
			n.City = intel.City
		}
		if !n.HasGeo && a.hasGeo {
			n.Lat, n.Lon, n.HasGeo = a.lat, a.lon, true
		}
		if n.GeoSource == "" {
			n.GeoSource = "ipdb"
		}
	}
	if intel.IsHosting {
		n.IsHosting = true
	}
	return &n
}

// Lookup returns what the databases and the network list say about ip.
func (db *DB) Lookup(ip netip.Addr) event.IPIntel {
	intel, _ := db.lookup(ip, 0)
	return intel
}

// lookup merges the databases' answers (first answer per field wins) and
// applies the network list to ip and to the AS numbers known for it
// (vendorASN first).
func (db *DB) lookup(ip netip.Addr, vendorASN uint32) (event.IPIntel, answer) {
	var intel event.IPIntel
	var merged answer
	if db != nil && ip.IsValid() {
		ip = ip.Unmap()
		for _, d := range db.dbs {
			a, err := d.lookup(ip)
			if err != nil {
				continue // a record this database cannot decode: the others may answer
			}
			merged.merge(a)
		}
	}
	intel.Country = strings.ToUpper(merged.country)
	intel.City = merged.city
	intel.ASN = merged.asn
	intel.ASOrg = merged.asOrg
	if e, ok := db.Networks().Lookup(ip, vendorASN, intel.ASN); ok {
		// The curated list decides: a gateway stays a gateway even when a
		// database calls its addresses anonymous.
		intel.Anonymizer = e.Name
		intel.IsVPN = e.Category.Anonymising()
		intel.IsHosting = e.Category == CategoryHosting
		return intel, merged
	}
	if merged.anonymous {
		intel.IsVPN = true
		intel.Anonymizer = firstNonEmpty(merged.service, "anonymising network (IP database)")
	}
	intel.IsHosting = merged.hosting
	return intel, merged
}

func (a *answer) merge(b answer) {
	if a.country == "" {
		a.country = b.country
	}
	if a.city == "" {
		a.city = b.city
	}
	if !a.hasGeo && b.hasGeo {
		a.lat, a.lon, a.hasGeo = b.lat, b.lon, true
	}
	if a.asn == 0 {
		a.asn = b.asn
	}
	if a.asOrg == "" {
		a.asOrg = b.asOrg
	}
	if a.service == "" {
		a.service = b.service
	}
	a.anonymous = a.anonymous || b.anonymous
	a.hosting = a.hosting || b.hosting
}

// Note says, for the scan log and the report, which databases are in use
// and which indicators are weaker for what is missing.
func (db *DB) Note() string {
	var have struct{ country, location, asn, anon bool }
	var names []string
	for _, i := range db.Databases() {
		names = append(names, fmt.Sprintf("%s (%s)", i.Path, firstNonEmpty(i.DatabaseType, string(i.Layout))))
		for _, p := range i.Provides {
			switch p {
			case "country":
				have.country = true
			case "location":
				have.location = true
			case "asn":
				have.asn = true
			case "anonymizer":
				have.anon = true
			}
		}
	}
	var b strings.Builder
	if len(names) == 0 {
		fmt.Fprintf(&b, "No IP databases: rollcall uses the identity provider's own network context and its built-in list of %d networks.", db.Networks().Len())
	} else {
		fmt.Fprintf(&b, "IP databases: %s; network list: %d entries.", strings.Join(names, ", "), db.Networks().Len())
	}
	if !have.asn {
		b.WriteString(" Without an ASN database, IAM-01 (VPN/hosting sign-ins) sees only the vendor's proxy flag and AS number (Okta securityContext, Entra): Google Workspace and GitHub events carry neither, so VPN and hosting use there goes unseen; Zoom and Teams meeting records have no AS number at all, so APP-09 sees only an interview's country.")
	}
	if !have.country {
		b.WriteString(" Without a country database, IAM-04 (impossible travel) and NET-02 (foreign sign-in geography) use only the geography the vendor supplies (Okta, Entra): Google Workspace and GitHub events add nothing to them.")
	} else if !have.location {
		b.WriteString(" Without a city database, IAM-04 measures distances between country centroids where the vendor gives no coordinates, so it misses travel within large countries.")
	}
	if !have.anon {
		b.WriteString(" No database with anonymiser flags (GeoIP2 Anonymous IP, IPinfo privacy): IAM-01 recognises VPNs by AS number and name only and misses VPN exits rented on ordinary networks.")
	}
	if len(names) == 0 {
		b.WriteString(" Run `make ipdb` and pass the files with --ipdb to close these gaps.")
	}
	return b.String()
}
