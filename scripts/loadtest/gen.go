package main

import (
	"math/rand/v2"
	"strconv"
	"time"
)

// person is one simulated employee: a roster entry and the place and
// device they usually sign in from.
type person struct {
	n       int
	login   string
	name    string
	oktaID  string
	country place
	ip      [4]byte
	device  string
}

type place struct {
	country, alpha2, city, state string
	lat, lon                     float64
	asn                          int
	asOrg, isp, domain           string
	net                          byte // first octet of the home addresses
}

var places = []place{
	{"United States", "US", "Chicago", "Illinois", 41.88, -87.63, 7922, "comcast", "comcast cable communications llc", "comcast.net", 73},
	{"United States", "US", "Austin", "Texas", 30.27, -97.74, 11427, "charter", "charter communications", "rr.com", 70},
	{"United Kingdom", "GB", "London", "England", 51.51, -0.13, 2856, "british telecommunications", "bt", "bt.com", 86},
	{"Germany", "DE", "Berlin", "Berlin", 52.52, 13.40, 3320, "deutsche telekom", "deutsche telekom ag", "t-online.de", 91},
	{"Canada", "CA", "Toronto", "Ontario", 43.65, -79.38, 812, "rogers", "rogers communications", "rogers.com", 99},
	{"Poland", "PL", "Warsaw", "Mazovia", 52.23, 21.01, 5617, "orange polska", "orange polska", "orange.pl", 83},
}

// vpn is where a few sign-ins come from instead of home: a hosting
// network, which some indicators look at.
var vpn = place{"Netherlands", "NL", "Amsterdam", "North Holland", 52.37, 4.90, 60781, "leaseweb", "leaseweb netherlands b.v.", "leaseweb.com", 95}

var first = []string{"ann", "bo", "chen", "dara", "eli", "fatima", "gus", "hana", "ivan", "jo", "kai", "lena", "mo", "nia", "omar", "pia"}
var last = []string{"smith", "nguyen", "garcia", "kowalski", "müller", "okafor", "tanaka", "silva", "ivanova", "haddad"}

const domain = "loadtest.example"

func newPeople(n int, seed uint64) []person {
	r := rand.New(rand.NewPCG(seed, 1))
	out := make([]person, n)
	for i := range out {
		f, l := first[r.IntN(len(first))], last[r.IntN(len(last))]
		p := &out[i]
		p.n = i
		p.login = f + "." + l + strconv.Itoa(i) + "@" + domain
		p.name = f + " " + l
		p.oktaID = "00u" + strconv.FormatUint(r.Uint64(), 36)
		p.country = places[r.IntN(len(places))]
		p.ip = [4]byte{p.country.net, byte(r.IntN(256)), byte(r.IntN(256)), byte(1 + r.IntN(254))}
		p.device = "guo" + strconv.FormatUint(r.Uint64(), 36)
	}
	return out
}

// scimUser is one roster record (a SCIM User resource).
func scimUser(p *person) []byte {
	b := make([]byte, 0, 700)
	emp := "E" + strconv.Itoa(100000+p.n)
	b = append(b, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],"id":"scim-`...)
	b = strconv.AppendInt(b, int64(p.n), 10)
	b = append(b, `","userName":"`...)
	b = append(b, p.login...)
	b = append(b, `","name":{"formatted":"`...)
	b = append(b, p.name...)
	b = append(b, `"},"displayName":"`...)
	b = append(b, p.name...)
	b = append(b, `","emails":[{"value":"`...)
	b = append(b, p.login...)
	b = append(b, `","type":"work","primary":true}],"addresses":[{"type":"home","locality":"`...)
	b = append(b, p.country.city...)
	b = append(b, `","country":"`...)
	b = append(b, p.country.alpha2...)
	b = append(b, `","primary":true}],"active":true,"meta":{"resourceType":"User","created":"2024-01-15T09:00:00Z"},"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"`...)
	b = append(b, emp...)
	b = append(b, `"}}`...)
	return b
}

var eventTypes = []string{"user.session.start", "user.session.start", "policy.evaluate_sign_on", "user.authentication.auth_via_mfa"}

const userAgent = `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36`

// signIn appends one Okta System Log sign-in event of p at t to b. About
// one in fifty comes through the hosting network.
func signIn(b []byte, r *rand.Rand, p *person, seq int, t time.Time) []byte {
	pl, ip := p.country, p.ip
	if r.IntN(50) == 0 {
		pl = vpn
		ip = [4]byte{vpn.net, 132, byte(r.IntN(256)), byte(1 + r.IntN(254))}
	}
	b = append(b, `{"uuid":"lt-`...)
	b = strconv.AppendInt(b, int64(seq), 36)
	b = append(b, `","published":"`...)
	b = t.UTC().AppendFormat(b, "2006-01-02T15:04:05.000Z")
	b = append(b, `","eventType":"`...)
	b = append(b, eventTypes[r.IntN(len(eventTypes))]...)
	b = append(b, `","displayMessage":"User login to Okta","severity":"INFO","actor":{"id":"`...)
	b = append(b, p.oktaID...)
	b = append(b, `","type":"User","alternateId":"`...)
	b = append(b, p.login...)
	b = append(b, `","displayName":"`...)
	b = append(b, p.name...)
	b = append(b, `"},"client":{"userAgent":{"rawUserAgent":"`...)
	b = append(b, userAgent...)
	b = append(b, `","os":"Mac OS X","browser":"CHROME"},"zone":"null","device":"Computer","ipAddress":"`...)
	for i, o := range ip {
		if i > 0 {
			b = append(b, '.')
		}
		b = strconv.AppendInt(b, int64(o), 10)
	}
	b = append(b, `","geographicalContext":{"city":"`...)
	b = append(b, pl.city...)
	b = append(b, `","state":"`...)
	b = append(b, pl.state...)
	b = append(b, `","country":"`...)
	b = append(b, pl.country...)
	b = append(b, `","geolocation":{"lat":`...)
	b = strconv.AppendFloat(b, pl.lat, 'f', 4, 64)
	b = append(b, `,"lon":`...)
	b = strconv.AppendFloat(b, pl.lon, 'f', 4, 64)
	b = append(b, `}}},"device":{"id":"`...)
	b = append(b, p.device...)
	b = append(b, `","name":"MacBookPro18,3","os_platform":"OSX","managed":true,"registered":true},"authenticationContext":{"externalSessionId":"s`...)
	b = strconv.AppendInt(b, int64(seq/3), 36)
	b = append(b, `"},"outcome":{"result":"SUCCESS","reason":null},"securityContext":{"asNumber":`...)
	b = strconv.AppendInt(b, int64(pl.asn), 10)
	b = append(b, `,"asOrg":"`...)
	b = append(b, pl.asOrg...)
	b = append(b, `","isp":"`...)
	b = append(b, pl.isp...)
	b = append(b, `","domain":"`...)
	b = append(b, pl.domain...)
	b = append(b, `","isProxy":false}}`...)
	return b
}
