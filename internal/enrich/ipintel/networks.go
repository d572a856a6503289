package ipintel

import (
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Category says what kind of network a list entry is.
type Category string

// The categories of the network list (data/networks.csv documents them).
const (
	CategoryVPN               Category = "vpn"                // run by a commercial VPN operator
	CategoryHosting           Category = "hosting"            // hosting / cloud / VPS
	CategoryProxy             Category = "proxy"              // anonymising proxy
	CategoryTor               Category = "tor"                // Tor exit
	CategoryEnterpriseGateway Category = "enterprise_gateway" // secure web gateway (Zscaler, Netskope…): never anonymiser use
	CategoryMixed             Category = "mixed"              // privacy relays and zero-trust egress on shared edge networks
	CategoryMobile            Category = "mobile"             // mobile carrier (carrier-grade NAT)
)

var categories = []Category{CategoryVPN, CategoryHosting, CategoryProxy, CategoryTor, CategoryEnterpriseGateway, CategoryMixed, CategoryMobile}

// Anonymising reports whether traffic from the category hides where the
// person is: VPN, proxy and Tor. Hosting is reported separately.
func (c Category) Anonymising() bool {
	return c == CategoryVPN || c == CategoryProxy || c == CategoryTor
}

// Confidence is how sure the list is that an entry is right.
type Confidence string

// Entry confidences.
const (
	High   Confidence = "high"
	Medium Confidence = "medium"
	Low    Confidence = "low"
)

// Network is one entry of the network list: an autonomous system or an
// address range.
type Network struct {
	ASN        uint32       `json:"asn,omitempty"`    // set for AS entries
	Prefix     netip.Prefix `json:"prefix,omitzero"`  // set for range entries
	Name       string       `json:"name"`             // operator, e.g. "M247 Europe SRL"
	Category   Category     `json:"category"`         // what kind of network
	Source     string       `json:"source,omitempty"` // where the entry comes from
	Confidence Confidence   `json:"confidence"`       // high when the column is absent
	Origin     string       `json:"origin"`           // the list file and line, e.g. "networks.csv:42"
}

// Networks is the anonymiser / hosting / VPN / gateway list: AS entries and
// address ranges. The zero value is an empty list. A Networks is read-only
// once loaded and safe for concurrent use.
type Networks struct {
	byASN    map[uint32]Network
	byPrefix map[netip.Prefix]Network
	bits     []int // prefix lengths present, longest first
}

//go:embed data/networks.csv data/ranges.csv
var dataFS embed.FS

// The embedded files, in load order.
var dataFiles = []string{"data/networks.csv", "data/ranges.csv"}

// LoadNetworks returns the embedded list followed by each reader's entries
// (CSV, header asn,name,category,source[,confidence] or
// prefix,name,category,source[,confidence]; lines starting with # are
// comments). A later entry for the same AS or range replaces an earlier
// one, so a user's file can correct the shipped list. Errors name the
// reader by its Name method when it has one (an *os.File does), else by
// its position.
func LoadNetworks(readers ...io.Reader) (*Networks, error) {
	n, err := embedded()
	if err != nil {
		return nil, err
	}
	n = n.clone()
	for i, r := range readers {
		name := fmt.Sprintf("networks input %d", i+1)
		if nr, ok := r.(interface{ Name() string }); ok {
			name = nr.Name()
		}
		if err := n.read(r, name); err != nil {
			return nil, err
		}
	}
	return n, nil
}

var embeddedList = sync.OnceValues(func() (*Networks, error) {
	n := &Networks{}
	for _, name := range dataFiles {
		f, err := dataFS.Open(name)
		if err != nil {
			return nil, fmt.Errorf("embedded network list: %w", err)
		}
		err = n.read(f, strings.TrimPrefix(name, "data/"))
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("embedded network list: %w", err)
		}
	}
	return n, nil
})

// embedded returns the shipped list, parsed once. The returned list must
// not be modified.
func embedded() (*Networks, error) { return embeddedList() }

// Default returns the shipped list, or an empty list if the embedded data
// were malformed (the package tests rule that out; Open and LoadNetworks
// report the error).
func Default() *Networks {
	n, err := embedded()
	if err != nil {
		return &Networks{}
	}
	return n
}

// Len returns the number of entries (AS entries plus ranges).
func (n *Networks) Len() int {
	if n == nil {
		return 0
	}
	return len(n.byASN) + len(n.byPrefix)
}

// Entries returns every entry, AS entries by number and then ranges.
func (n *Networks) Entries() []Network {
	if n == nil {
		return nil
	}
	out := make([]Network, 0, n.Len())
	for _, e := range n.byASN {
		out = append(out, e)
	}
	for _, e := range n.byPrefix {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b Network) int {
		if a.ASN != b.ASN {
			return cmpUint(a.ASN, b.ASN)
		}
		return a.Prefix.Addr().Compare(b.Prefix.Addr())
	})
	return out
}

func cmpUint(a, b uint32) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ASN returns the entry for an autonomous system.
func (n *Networks) ASN(asn uint32) (Network, bool) {
	if n == nil || asn == 0 {
		return Network{}, false
	}
	e, ok := n.byASN[asn]
	return e, ok
}

// Range returns the longest range entry that contains ip.
func (n *Networks) Range(ip netip.Addr) (Network, bool) {
	if n == nil || !ip.IsValid() || len(n.byPrefix) == 0 {
		return Network{}, false
	}
	ip = ip.Unmap()
	for _, b := range n.bits {
		if b > ip.BitLen() {
			continue
		}
		p, err := ip.Prefix(b)
		if err != nil {
			continue
		}
		if e, ok := n.byPrefix[p]; ok {
			return e, true
		}
	}
	return Network{}, false
}

// Lookup returns the entry that describes a network: the longest range
// containing ip, else the first of asns that is listed. Zero ASNs and an
// invalid ip are skipped.
func (n *Networks) Lookup(ip netip.Addr, asns ...uint32) (Network, bool) {
	if e, ok := n.Range(ip); ok {
		return e, true
	}
	for _, a := range asns {
		if e, ok := n.ASN(a); ok {
			return e, true
		}
	}
	return Network{}, false
}

func (n *Networks) clone() *Networks {
	c := &Networks{
		byASN:    make(map[uint32]Network, len(n.byASN)),
		byPrefix: make(map[netip.Prefix]Network, len(n.byPrefix)),
		bits:     slices.Clone(n.bits),
	}
	for k, v := range n.byASN {
		c.byASN[k] = v
	}
	for k, v := range n.byPrefix {
		c.byPrefix[k] = v
	}
	return c
}

func (n *Networks) add(e Network) {
	if e.Prefix.IsValid() {
		if n.byPrefix == nil {
			n.byPrefix = map[netip.Prefix]Network{}
		}
		n.byPrefix[e.Prefix] = e
		if b := e.Prefix.Bits(); !slices.Contains(n.bits, b) {
			n.bits = append(n.bits, b)
			slices.SortFunc(n.bits, func(a, b int) int { return b - a })
		}
		return
	}
	if n.byASN == nil {
		n.byASN = map[uint32]Network{}
	}
	n.byASN[e.ASN] = e
}

// read adds the entries of one CSV list. name is used in errors and in
// each entry's Origin.
func (n *Networks) read(r io.Reader, name string) error {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil // an empty file adds nothing
	}
	if err != nil {
		return fmt.Errorf("network list %s: %w", name, err)
	}
	cols, err := listColumns(header)
	if err != nil {
		line, _ := cr.FieldPos(0)
		return fmt.Errorf("network list %s:%d: %w", name, line, err)
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("network list %s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		e, err := cols.entry(rec)
		if err != nil {
			return fmt.Errorf("network list %s:%d: %w", name, line, err)
		}
		e.Origin = name + ":" + strconv.Itoa(line)
		n.add(e)
	}
}

// columns maps the list's column names to positions (-1: absent).
type columns struct {
	key                                    string // "asn" or "prefix"
	keyCol, name, category, source, confid int
}

func listColumns(header []string) (columns, error) {
	c := columns{keyCol: -1, name: -1, category: -1, source: -1, confid: -1}
	for i, h := range header {
		switch strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))) {
		case "asn":
			c.key, c.keyCol = "asn", i
		case "prefix", "cidr", "network":
			c.key, c.keyCol = "prefix", i
		case "name":
			c.name = i
		case "category":
			c.category = i
		case "source":
			c.source = i
		case "confidence":
			c.confid = i
		}
	}
	switch {
	case c.keyCol < 0:
		return c, fmt.Errorf("header %q has neither an asn nor a prefix column", strings.Join(header, ","))
	case c.name < 0 || c.category < 0:
		return c, fmt.Errorf("header %q needs name and category columns (asn|prefix,name,category,source[,confidence])", strings.Join(header, ","))
	}
	return c, nil
}

func (c columns) entry(rec []string) (Network, error) {
	get := func(i int) string {
		if i < 0 || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	e := Network{Name: get(c.name), Source: get(c.source), Category: Category(strings.ToLower(get(c.category)))}
	key := get(c.keyCol)
	if c.key == "asn" {
		v, err := strconv.ParseUint(strings.TrimPrefix(strings.ToUpper(key), "AS"), 10, 32)
		if err != nil || v == 0 {
			return e, fmt.Errorf("asn %q is not an AS number (e.g. 9009 or AS9009)", key)
		}
		e.ASN = uint32(v)
	} else {
		p, err := parsePrefix(key)
		if err != nil {
			return e, err
		}
		e.Prefix = p
	}
	if e.Name == "" {
		return e, errors.New("name is empty")
	}
	if !slices.Contains(categories, e.Category) {
		return e, fmt.Errorf("category %q is not one of %s", get(c.category), categoryNames())
	}
	switch conf := Confidence(strings.ToLower(get(c.confid))); conf {
	case "":
		e.Confidence = High
	case High, Medium, Low:
		e.Confidence = conf
	default:
		return e, fmt.Errorf("confidence %q is not high, medium or low", get(c.confid))
	}
	return e, nil
}

// parsePrefix reads a CIDR prefix or a single address (a host prefix).
func parsePrefix(s string) (netip.Prefix, error) {
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("prefix %q is not a CIDR range or an address", s)
		}
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("prefix %q is not a CIDR range or an address", s)
	}
	if p.Addr().Is4In6() {
		if p.Bits() < 96 {
			return netip.Prefix{}, fmt.Errorf("prefix %q maps IPv4 with fewer than 96 bits", s)
		}
		p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
	}
	return p.Masked(), nil
}

func categoryNames() string {
	s := make([]string, len(categories))
	for i, c := range categories {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}
