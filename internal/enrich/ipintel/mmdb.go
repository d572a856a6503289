package ipintel

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/oschwald/maxminddb-golang/v2"

	"github.com/rollcall/rollcall/internal/event"
)

// Layout is the record layout of one MaxMind-format database.
type Layout string

// The layouts rollcall reads.
const (
	// LayoutNested is MaxMind's GeoIP2/GeoLite2 City and Country schema
	// (country.iso_code, city.names.en, location.latitude, traits.*), also
	// used by DB-IP's lite databases and GeoIP2 Enterprise.
	LayoutNested Layout = "nested"
	// LayoutFlat is a record of top-level scalars: GeoLite2-ASN and
	// GeoIP2-Anonymous-IP (autonomous_system_number, is_anonymous_vpn…),
	// the @ip-location-db databases (country_code; city, latitude…;
	// autonomous_system_number), IPinfo (country_code, asn "AS123",
	// as_name; privacy: vpn, proxy, tor, hosting, service).
	LayoutFlat Layout = "flat"
)

// Info describes one opened database.
type Info struct {
	Path         string    `json:"path"`
	DatabaseType string    `json:"database_type"` // from the metadata, e.g. "GeoLite2-City"
	Built        time.Time `json:"built"`
	Layout       Layout    `json:"layout"`
	// Provides lists what the database can answer: country, city,
	// location, asn, anonymizer, hosting (GeoIP2 Enterprise answers the
	// last three from its traits).
	Provides []string `json:"provides"`
}

// database is one opened MMDB and how to read it.
type database struct {
	info Info
	r    *maxminddb.Reader
	// asnText / asnNumber: the flat record has an "asn" key holding
	// "AS123" (IPinfo) or a number.
	asnText, asnNumber bool
}

// DB answers IP questions from any number of MaxMind-format databases and
// the network list. Databases are consulted in the order given: for each
// field the first database that answers wins. A DB is safe for concurrent
// use; Close releases the files.
type DB struct {
	dbs  []*database
	nets *Networks
	// cache holds the enriched network contexts by the context as decoded
	// (see Enrich).
	cache struct {
		sync.Mutex
		m map[event.Network]*event.Network
	}
}

// sampleRecords is how many records Open decodes to learn a layout.
const sampleRecords = 64

// Open opens the MaxMind-format databases at paths (none is fine: the DB
// then only applies the network list) and learns each one's layout from
// its records. It uses the embedded network list; see SetNetworks.
func Open(paths ...string) (*DB, error) {
	nets, err := embedded()
	if err != nil {
		return nil, err
	}
	db := &DB{nets: nets}
	for _, p := range paths {
		d, err := openDatabase(p)
		if err != nil {
			db.Close()
			return nil, err
		}
		db.dbs = append(db.dbs, d)
	}
	return db, nil
}

// SetNetworks replaces the network list (e.g. with LoadNetworks of the
// user's --networks file). Call it before the DB is shared.
func (db *DB) SetNetworks(n *Networks) {
	if n == nil {
		n = Default()
	}
	db.nets = n
	db.cache.Lock()
	db.cache.m = nil
	db.cache.Unlock()
}

// Networks returns the network list in use.
func (db *DB) Networks() *Networks {
	if db == nil || db.nets == nil {
		return Default()
	}
	return db.nets
}

// Databases describes the opened databases, in lookup order.
func (db *DB) Databases() []Info {
	if db == nil {
		return nil
	}
	out := make([]Info, len(db.dbs))
	for i, d := range db.dbs {
		out[i] = d.info
	}
	return out
}

// Close closes every database.
func (db *DB) Close() error {
	if db == nil {
		return nil
	}
	var errs []error
	for _, d := range db.dbs {
		if err := d.r.Close(); err != nil {
			errs = append(errs, fmt.Errorf("ip database %q: %w", d.info.Path, err))
		}
	}
	db.dbs = nil
	return errors.Join(errs...)
}

func openDatabase(path string) (*database, error) {
	r, err := maxminddb.Open(path)
	if err != nil {
		return nil, fmt.Errorf("ip database %q: %w", path, err)
	}
	d := &database{r: r, info: Info{
		Path:         path,
		DatabaseType: r.Metadata.DatabaseType,
		Built:        r.Metadata.BuildTime().UTC(),
	}}
	if err := d.learnLayout(); err != nil {
		r.Close()
		return nil, fmt.Errorf("ip database %q (%s): %w", path, r.Metadata.DatabaseType, err)
	}
	return d, nil
}

// nestedKeys are the top-level keys whose values are maps in MaxMind's
// nested schema.
var nestedKeys = []string{"country", "registered_country", "city", "location", "traits", "continent"}

// learnLayout decodes the first records of the database and decides how to
// read it from the keys they carry and their kinds.
func (d *database) learnLayout() error {
	kinds := map[string]string{} // key → "map", "string", "number", "bool", "other"
	traits := map[string]bool{}  // keys inside a nested "traits" map
	n := 0
	for res := range d.r.Networks() {
		if err := res.Err(); err != nil {
			return fmt.Errorf("reading records: %w", err)
		}
		var rec map[string]any
		if err := res.Decode(&rec); err != nil {
			return fmt.Errorf("decoding a record: %w", err)
		}
		for k, v := range rec {
			if _, seen := kinds[k]; !seen {
				kinds[k] = kindOf(v)
			}
		}
		if t, ok := rec["traits"].(map[string]any); ok {
			for k := range t {
				traits[k] = true
			}
		}
		if n++; n >= sampleRecords {
			break
		}
	}
	if n == 0 {
		return errors.New("the database holds no records")
	}
	nested := false
	for _, k := range nestedKeys {
		if kinds[k] == "map" {
			nested = true
		}
	}
	var provides []string
	has := func(keys ...string) bool {
		for _, k := range keys {
			if _, ok := kinds[k]; ok || traits[k] {
				return true
			}
		}
		return false
	}
	if nested {
		d.info.Layout = LayoutNested
		if has("country", "registered_country") {
			provides = append(provides, "country")
		}
		if has("city") {
			provides = append(provides, "city")
		}
		if has("location") {
			provides = append(provides, "location")
		}
	} else {
		d.info.Layout = LayoutFlat
		if has("country_code") || kinds["country"] == "string" {
			provides = append(provides, "country")
		}
		if kinds["city"] == "string" {
			provides = append(provides, "city")
		}
		if has("latitude") {
			provides = append(provides, "location")
		}
	}
	if has("autonomous_system_number", "asn") {
		provides = append(provides, "asn")
		d.asnText = kinds["asn"] == "string"
		d.asnNumber = kinds["asn"] == "number"
	}
	if has("is_anonymous", "is_anonymous_vpn", "is_anonymous_proxy", "is_public_proxy", "is_tor_exit_node", "is_residential_proxy", "vpn", "proxy", "tor") {
		provides = append(provides, "anonymizer")
	}
	if has("is_hosting_provider", "hosting", "user_type") {
		provides = append(provides, "hosting")
	}
	if len(provides) == 0 {
		keys := make([]string, 0, len(kinds))
		for k := range kinds {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		return fmt.Errorf("unrecognised record layout (keys %s): expected MaxMind GeoIP2/GeoLite2, DB-IP, IPinfo or @ip-location-db fields", strings.Join(keys, ", "))
	}
	d.info.Provides = provides
	return nil
}

func kindOf(v any) string {
	switch v.(type) {
	case map[string]any:
		return "map"
	case string:
		return "string"
	case bool:
		return "bool"
	case uint16, uint32, uint64, int32, int, int64, float32, float64:
		return "number"
	}
	if _, ok := v.(interface{ String() string }); ok { // *big.Int for uint128
		return "number"
	}
	return "other"
}

// anonFlags are the anonymiser flags of GeoIP2-Anonymous-IP (top level)
// and of GeoIP2 Enterprise/Insights (traits).
type anonFlags struct {
	IsAnonymous        bool   `maxminddb:"is_anonymous"`
	IsAnonymousVPN     bool   `maxminddb:"is_anonymous_vpn"`
	IsAnonymousProxy   bool   `maxminddb:"is_anonymous_proxy"` // legacy GeoIP2 City/Country trait
	IsHostingProvider  bool   `maxminddb:"is_hosting_provider"`
	IsPublicProxy      bool   `maxminddb:"is_public_proxy"`
	IsResidentialProxy bool   `maxminddb:"is_residential_proxy"`
	IsTorExitNode      bool   `maxminddb:"is_tor_exit_node"`
	ASN                uint32 `maxminddb:"autonomous_system_number"`
	ASOrg              string `maxminddb:"autonomous_system_organization"`
	ISP                string `maxminddb:"isp"`
	UserType           string `maxminddb:"user_type"`
}

type nestedRecord struct {
	Country struct {
		ISOCode string `maxminddb:"iso_code"`
	} `maxminddb:"country"`
	RegisteredCountry struct {
		ISOCode string `maxminddb:"iso_code"`
	} `maxminddb:"registered_country"`
	City struct {
		Names struct {
			En string `maxminddb:"en"`
		} `maxminddb:"names"`
	} `maxminddb:"city"`
	Location struct {
		Latitude  *float64 `maxminddb:"latitude"`
		Longitude *float64 `maxminddb:"longitude"`
	} `maxminddb:"location"`
	Traits anonFlags `maxminddb:"traits"`
	anonFlags
}

type flatRecord struct {
	CountryCode string   `maxminddb:"country_code"`
	Country     string   `maxminddb:"country"` // IPinfo legacy: alpha-2; IPinfo lite: the name
	City        string   `maxminddb:"city"`
	Latitude    *float64 `maxminddb:"latitude"`
	Longitude   *float64 `maxminddb:"longitude"`
	ASName      string   `maxminddb:"as_name"` // IPinfo
	// IPinfo privacy detection.
	VPN     bool   `maxminddb:"vpn"`
	Proxy   bool   `maxminddb:"proxy"`
	Tor     bool   `maxminddb:"tor"`
	Relay   bool   `maxminddb:"relay"`
	Hosting bool   `maxminddb:"hosting"`
	Service string `maxminddb:"service"`
	anonFlags
}

// answer is what one database says about an address.
type answer struct {
	country, city, asOrg string
	asn                  uint32
	lat, lon             float64
	hasGeo               bool
	anonymous, hosting   bool
	service              string // anonymiser service name, when the database names it
}

func (d *database) lookup(ip netip.Addr) (answer, error) {
	res := d.r.Lookup(ip)
	if err := res.Err(); err != nil || !res.Found() {
		return answer{}, err
	}
	var a answer
	if d.info.Layout == LayoutNested {
		var rec nestedRecord
		if err := res.Decode(&rec); err != nil {
			return answer{}, err
		}
		a.country = firstNonEmpty(rec.Country.ISOCode, rec.RegisteredCountry.ISOCode)
		a.city = rec.City.Names.En
		if rec.Location.Latitude != nil && rec.Location.Longitude != nil {
			a.lat, a.lon, a.hasGeo = *rec.Location.Latitude, *rec.Location.Longitude, true
		}
		a.flags(rec.anonFlags)
		a.flags(rec.Traits)
		return a, nil
	}
	var rec flatRecord
	if err := res.Decode(&rec); err != nil {
		return answer{}, err
	}
	a.country = rec.CountryCode
	if a.country == "" && len(rec.Country) == 2 {
		a.country = rec.Country
	}
	a.city = rec.City
	if rec.Latitude != nil && rec.Longitude != nil {
		a.lat, a.lon, a.hasGeo = *rec.Latitude, *rec.Longitude, true
	}
	a.flags(rec.anonFlags)
	a.asOrg = firstNonEmpty(a.asOrg, rec.ASName)
	switch {
	case a.asn != 0:
	case d.asnText:
		var s string
		if err := res.DecodePath(&s, "asn"); err != nil {
			return answer{}, err
		}
		a.asn = parseASN(s)
	case d.asnNumber:
		if err := res.DecodePath(&a.asn, "asn"); err != nil {
			return answer{}, err
		}
	}
	a.anonymous = a.anonymous || rec.VPN || rec.Proxy || rec.Tor
	a.hosting = a.hosting || rec.Hosting
	a.service = rec.Service
	return a, nil
}

func (a *answer) flags(f anonFlags) {
	a.anonymous = a.anonymous || f.IsAnonymous || f.IsAnonymousVPN || f.IsAnonymousProxy || f.IsPublicProxy || f.IsResidentialProxy || f.IsTorExitNode
	a.hosting = a.hosting || f.IsHostingProvider || f.UserType == "hosting"
	if a.asn == 0 {
		a.asn = f.ASN
	}
	a.asOrg = firstNonEmpty(a.asOrg, f.ASOrg, f.ISP)
}

// parseASN reads "AS15169", "15169" or "" (0).
func parseASN(s string) uint32 {
	s = strings.TrimSpace(s)
	if len(s) > 2 && strings.EqualFold(s[:2], "AS") {
		s = s[2:]
	}
	v, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		return 0
	}
	return uint32(v)
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
