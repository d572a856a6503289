package email

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"slices"
	"sort"
	"strings"
	"sync"
)

// disposableList is the npm package disposable-email-domains, regenerated
// by `make disposable` (scripts/npmdata) and committed: one domain a line,
// "*.domain" when every subdomain is disposable too, "#" comments.
//
//go:embed disposable.txt.gz
var disposableList []byte

var disposable = sync.OnceValue(func() disposableSet {
	s, err := parseDisposable(disposableList)
	if err != nil {
		panic("email: embedded disposable.txt.gz is corrupt: " + err.Error()) // a build defect, caught by the package's tests
	}
	return s
})

// disposableSet holds the exact domains and the wildcard parents.
type disposableSet struct {
	exact, wildcard domainSet
	version         string // the header's first line
}

func parseDisposable(gz []byte) (disposableSet, error) {
	var s disposableSet
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return s, err
	}
	var exact, wildcard []string
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "":
		case strings.HasPrefix(line, "#"):
			if s.version == "" {
				s.version = strings.TrimSpace(strings.TrimPrefix(line, "#"))
			}
		case strings.HasPrefix(line, "*."):
			wildcard = append(wildcard, line[2:])
		default:
			exact = append(exact, line)
		}
	}
	if err := sc.Err(); err != nil {
		return s, err
	}
	s.exact, s.wildcard = newDomainSet(exact), newDomainSet(wildcard)
	return s, zr.Close()
}

// domainSet is a sorted set of domains held as one string and the offset
// of each entry: about a quarter of the memory of a map[string]bool of the
// list's 100,000-odd domains, looked up by binary search.
type domainSet struct {
	text   string   // the entries in order, each followed by a newline
	starts []uint32 // where each entry starts in text
}

func newDomainSet(domains []string) domainSet {
	slices.Sort(domains)
	domains = slices.Compact(domains)
	var b strings.Builder
	starts := make([]uint32, len(domains))
	for i, d := range domains {
		starts[i] = uint32(b.Len())
		b.WriteString(d)
		b.WriteByte('\n')
	}
	return domainSet{text: b.String(), starts: starts}
}

func (d domainSet) len() int { return len(d.starts) }

func (d domainSet) at(i int) string {
	end := len(d.text) - 1
	if i+1 < len(d.starts) {
		end = int(d.starts[i+1]) - 1
	}
	return d.text[d.starts[i]:end]
}

func (d domainSet) has(domain string) bool {
	_, ok := sort.Find(len(d.starts), func(i int) int { return strings.Compare(domain, d.at(i)) })
	return ok
}

// DisposableMatch is the list entry a mailbox matched.
type DisposableMatch struct {
	Domain string // the mailbox's own domain, or the parent a wildcard entry names
	// Wildcard: matched through a wildcard entry, the mailbox being on a
	// subdomain of it (services that give each user a subdomain of their
	// own: 33mail, AnonAddy, Mailinator's private domains…).
	Wildcard bool
}

// Disposable reports whether a mailbox (canonical or as written) is on a
// disposable-mail domain — a throw-away inbox service such as
// mailinator.com — and which entry matched. Privacy-minded providers
// that keep a mailbox for good (Proton, Tutanota, iCloud relays) are not on
// the list. The list says nothing about when a domain was registered: a
// "newly registered" domain needs WHOIS/RDAP, which rollcall does not query.
func Disposable(mailbox string) (DisposableMatch, bool) {
	at := strings.LastIndexByte(mailbox, '@')
	domain := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(mailbox[at+1:])), ".")
	if domain == "" || !strings.Contains(domain, ".") {
		return DisposableMatch{}, false
	}
	s := disposable()
	if s.exact.has(domain) {
		return DisposableMatch{Domain: domain}, true
	}
	for d := domain; ; {
		if s.wildcard.has(d) {
			return DisposableMatch{Domain: d, Wildcard: true}, true
		}
		i := strings.IndexByte(d, '.')
		if i < 0 || !strings.Contains(d[i+1:], ".") {
			return DisposableMatch{}, false
		}
		d = d[i+1:]
	}
}

// DisposableListVersion names the embedded list's package and version.
func DisposableListVersion() string { return disposable().version }
