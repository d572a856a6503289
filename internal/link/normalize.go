package link

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"

	"github.com/rollcall/rollcall/internal/enrich/address"
	"github.com/rollcall/rollcall/internal/enrich/email"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/identity"
)

// prepared is a record's fields in canonical form, computed once.
type prepared struct {
	given, family string // folded
	formal        string // the given name with a nickname resolved ("bob" → "robert")
	gsx, fsx      string // Soundex codes of the formal given name and the family name
	dob           string // YYYYMMDD, or "" when unknown or unreadable
	mailboxes     []string
	locals        []string // the mailboxes' local parts
	phones        []string // E.164
	streetNo      string
	street        string // folded street without number
	address2      string
	city          string
	postcode      string
	region        string // region, or country when no region is given
	nid           string // digits and letters only
	urls          []string
	payouts       []string
	resume        int32 // index into the résumé texts, -1 without one
}

// prepare normalises r. region is the default region for phone numbers
// written without a country code (ISO 3166-1 alpha-2).
func prepare(r *Record, defaultRegion string) prepared {
	p := prepared{resume: -1}
	p.given = foldName(r.GivenName)
	p.family = foldName(r.FamilyName)
	p.formal = p.given
	if f := identity.FormalGivenNames(p.given); len(f) > 0 {
		p.formal = f[0]
	}
	p.gsx, p.fsx = soundex(p.formal), soundex(p.family)
	p.dob = canonicalDate(r.BirthDate)
	for _, e := range r.Emails {
		if mb, local := canonicalMailbox(e); mb != "" {
			p.mailboxes = appendNew(p.mailboxes, mb)
			if distinctiveLocal(local, p.given, p.formal, p.family) {
				p.locals = appendNew(p.locals, local)
			}
		}
	}
	phoneRegion := defaultRegion
	if c := address.CountryCode(r.Country); len(c) == 2 {
		phoneRegion = c
	}
	for _, ph := range r.Phones {
		if e := canonicalPhone(ph, phoneRegion); e != "" {
			p.phones = appendNew(p.phones, e)
		}
	}
	p.streetNo, p.street, p.city, p.postcode = addressParts(r)
	p.address2 = foldName(r.Address2)
	p.region = foldName(r.Region)
	if p.region == "" {
		p.region = strings.ToLower(address.CountryCode(r.Country))
	}
	p.nid = alnum(r.NationalID)
	for _, u := range r.URLs {
		if c := canonicalURL(u); c != "" {
			p.urls = appendNew(p.urls, c)
		}
	}
	for _, a := range r.Payouts {
		if a = strings.TrimSpace(a); a != "" {
			p.payouts = appendNew(p.payouts, a)
		}
	}
	return p
}

func appendNew(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// foldName lower-cases, removes diacritics and punctuation, and collapses
// spaces, as identity.NormalizeName does; plain ASCII takes a fast path.
func foldName(s string) string {
	b := make([]byte, 0, len(s))
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf:
			return identity.NormalizeName(s)
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
			fallthrough
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			if space && len(b) > 0 {
				b = append(b, ' ')
			}
			space = false
			b = append(b, c)
		default:
			space = true
		}
	}
	return string(b)
}

// soundex is the American Soundex code of a folded name (letters only;
// names of several words are coded as one), "" for a name without letters.
func soundex(s string) string {
	var out [4]byte
	n := 0
	var last byte
	for i := 0; i < len(s) && n < 4; i++ {
		c := s[i]
		if c < 'a' || c > 'z' {
			continue
		}
		code := soundexCodes[c-'a']
		if n == 0 {
			out[0] = c - 'a' + 'A'
			n, last = 1, code
			continue
		}
		switch {
		case code == '0':
			if c != 'h' && c != 'w' {
				last = 0 // a vowel separates two letters with the same code
			}
		case code != last:
			out[n] = code
			n++
			last = code
		}
	}
	if n == 0 {
		return ""
	}
	for ; n < 4; n++ {
		out[n] = '0'
	}
	return string(out[:])
}

// soundexCodes are the Soundex digits of a–z ('0' for letters not coded).
const soundexCodes = "01230120022455012623010202"

// canonicalDate reads YYYYMMDD, YYYY-MM-DD, YYYY/MM/DD or DD/MM/YYYY into
// YYYYMMDD (dates are compared as strings, so a digit typo is still close).
func canonicalDate(s string) string {
	s = strings.TrimSpace(s)
	d := make([]byte, 0, 8)
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			d = append(d, s[i])
		}
	}
	if len(d) != 8 {
		return ""
	}
	if len(s) == 10 && (s[2] == '/' || s[2] == '.' || s[2] == '-') { // DD/MM/YYYY
		return string(d[4:8]) + string(d[2:4]) + string(d[0:2])
	}
	return string(d)
}

// canonicalMailbox folds an email address to the mailbox it delivers to:
// email.Canonical (case, Gmail's dots and tags, googlemail.com), and then
// a "+tag" dropped at any provider, since matching applicants across
// platforms wants the looser fold (most large providers deliver
// local+tag to local). It returns the mailbox and its local part, or ""
// for a string that is not an address.
func canonicalMailbox(s string) (mailbox, local string) {
	local, domain, ok := strings.Cut(email.Canonical(s), "@")
	if !ok || strings.Contains(domain, "@") {
		return "", ""
	}
	if i := strings.IndexByte(local, '+'); i > 0 {
		local = local[:i]
	}
	return local + "@" + domain, local
}

// distinctiveLocal reports whether an email local part says more than the
// name it is made of: "william.chen" at two providers may be two William
// Chens, "wchen1987" or "darkstar" is one person's handle. A local part
// close to a form of the name (allowing the typos and nicknames of the
// record itself) is not distinctive.
func distinctiveLocal(local string, names ...string) bool {
	letters := make([]byte, 0, len(local))
	for i := 0; i < len(local); i++ {
		if c := local[i]; c >= 'a' && c <= 'z' {
			letters = append(letters, c)
		} else if c >= '0' && c <= '9' {
			return true
		}
	}
	l := string(letters)
	if len(names) < 2 {
		return len(l) >= 6
	}
	family := strings.ReplaceAll(names[len(names)-1], " ", "")
	for _, given := range names[:len(names)-1] {
		g := strings.ReplaceAll(given, " ", "")
		if l == "" || g == "" || family == "" {
			if len(l) < 6 {
				return false
			}
			continue
		}
		for _, form := range []string{g + family, family + g, g[:1] + family, family + g[:1], g + family[:1], g, family} {
			if l == form || len(form) >= 6 && jaroWinkler.Compare(l, form) >= 0.93 {
				return false
			}
		}
	}
	return true
}

// canonicalPhone returns a phone number in E.164, parsed with
// libphonenumber (numbers without a country code are read in region).
// A number already written as "+" and digits only is taken as it is,
// which skips the parser for the common case.
func canonicalPhone(s, region string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 8 && len(s) <= 16 && s[0] == '+' && s[1] != '0' && allDigits(s[1:]) {
		return s
	}
	n, err := phonenumbers.Parse(s, region)
	if err != nil || !phonenumbers.IsPossibleNumber(n) {
		return ""
	}
	return phonenumbers.Format(n, phonenumbers.E164)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// canonicalURL folds a profile or portfolio URL to its host (without
// "www." or port) and path (without trailing slash), lower-cased:
// https://www.GitHub.com/Foo/ and github.com/foo agree. Scheme, user,
// query and fragment are dropped; "" when there is no dotted host, and
// for the bare home page of a shared platform (github.com, linkedin.com…),
// which identifies nobody. It is rollcall's one URL key: the linker's,
// the graph's and APP-01's (through Identifiers).
func canonicalURL(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || !strings.Contains(u.Hostname(), ".") {
		return ""
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	path := strings.ToLower(strings.TrimRight(u.EscapedPath(), "/"))
	if path == "" && sharedPlatforms[host] {
		return ""
	}
	return host + path
}

// sharedPlatforms are hosts whose bare home page is no one's portfolio.
var sharedPlatforms = map[string]bool{
	"github.com": true, "gitlab.com": true, "bitbucket.org": true, "linkedin.com": true, "twitter.com": true,
	"x.com": true, "facebook.com": true, "medium.com": true, "stackoverflow.com": true, "google.com": true,
	"behance.net": true, "dribbble.com": true, "upwork.com": true, "github.io": true,
}

// alnum keeps the letters and digits of s, upper-cased.
func alnum(s string) string {
	var b strings.Builder
	for _, c := range strings.ToUpper(s) {
		if c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// addressParts returns the house number, the folded street (USPS
// abbreviations, as internal/enrich/address keys it), the locality and the
// postal code. A street line holding the whole address as free text is
// parsed, and a leading house number is split from the street.
func addressParts(r *Record) (number, street, city, postcode string) {
	a := event.Address{Street: r.Address, Locality: r.City, Region: r.Region, PostalCode: r.Postcode, Country: r.Country}
	if r.City == "" && r.Postcode == "" && strings.Contains(r.Address, ",") {
		a = address.Parse(r.Address)
	}
	key := address.Key(a)
	parts := strings.SplitN(key, "|", 4)
	if len(parts) == 4 {
		street, postcode, city = parts[0], parts[1], parts[2]
	} else {
		city = foldName(r.City)
		postcode = alnum(r.Postcode)
	}
	number = alnum(r.StreetNumber)
	if n, rest, ok := strings.Cut(street, " "); ok && allDigits(n) {
		if number == "" {
			number = n
		}
		street = rest
	}
	return number, street, city, postcode
}
