package endpoint

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/rollcall/rollcall/internal/event"
)

// globKind is how a compiled glob is tested.
type globKind uint8

const (
	globExact globKind = iota
	globPrefix
	globSuffix
	globContains
	globRegexp
)

// bucketLen is the length of the literal prefix/suffix keys of the buckets.
const bucketLen = 3

type glob struct {
	kind globKind
	lit  string
	re   *regexp.Regexp
	need []string // literal pieces a regexp glob's value must contain (a cheap pre-test)
	val  int      // index of the entry
}

func (g glob) match(v string) bool {
	switch g.kind {
	case globExact:
		return v == g.lit
	case globPrefix:
		return strings.HasPrefix(v, g.lit)
	case globSuffix:
		return strings.HasSuffix(v, g.lit)
	case globContains:
		return strings.Contains(v, g.lit)
	}
	for _, n := range g.need {
		if !strings.Contains(v, n) {
			return false
		}
	}
	return g.re.MatchString(v)
}

// globSet matches a value against many globs without trying them all:
// exact globs are a map; prefix and suffix globs with at least bucketLen
// literal characters are bucketed by them; the rest are tried in turn.
type globSet struct {
	exact  map[string][]int
	prefix map[string][]glob
	suffix map[string][]glob
	other  []glob
}

func newGlobSet() *globSet {
	return &globSet{exact: map[string][]int{}, prefix: map[string][]glob{}, suffix: map[string][]glob{}}
}

// add compiles a normalised (lower-case) glob for entry val.
func (s *globSet) add(pattern string, val int) error {
	g, err := compileGlob(pattern)
	if err != nil {
		return err
	}
	g.val = val
	switch {
	case g.kind == globExact:
		s.exact[g.lit] = append(s.exact[g.lit], val)
	case g.kind == globPrefix && len(g.lit) >= bucketLen:
		k := g.lit[:bucketLen]
		s.prefix[k] = append(s.prefix[k], g)
	case g.kind == globSuffix && len(g.lit) >= bucketLen:
		k := g.lit[len(g.lit)-bucketLen:]
		s.suffix[k] = append(s.suffix[k], g)
	default:
		s.other = append(s.other, g)
	}
	return nil
}

// match appends the entries whose glob matches the normalised value v.
func (s *globSet) match(v string, out []int) []int {
	out = append(out, s.exact[v]...)
	if len(v) >= bucketLen {
		for _, g := range s.prefix[v[:bucketLen]] {
			if g.match(v) {
				out = append(out, g.val)
			}
		}
		for _, g := range s.suffix[v[len(v)-bucketLen:]] {
			if g.match(v) {
				out = append(out, g.val)
			}
		}
	}
	for _, g := range s.other {
		if g.match(v) {
			out = append(out, g.val)
		}
	}
	return out
}

// compileGlob turns a glob (* any run, ? one character) into the cheapest
// test that implements it.
func compileGlob(p string) (glob, error) {
	if !strings.ContainsAny(p, "*?") {
		return glob{kind: globExact, lit: p}, nil
	}
	if !strings.Contains(p, "?") {
		inner := strings.Trim(p, "*")
		if !strings.Contains(inner, "*") {
			lead, trail := strings.HasPrefix(p, "*"), strings.HasSuffix(p, "*")
			switch {
			case lead && trail:
				return glob{kind: globContains, lit: inner}, nil
			case trail:
				return glob{kind: globPrefix, lit: inner}, nil
			case lead:
				return glob{kind: globSuffix, lit: inner}, nil
			}
		}
	}
	var b strings.Builder
	b.WriteString(`(?s)^`)
	for _, r := range p {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return glob{}, fmt.Errorf("glob %q: %w", p, err)
	}
	var need []string
	for _, piece := range strings.FieldsFunc(p, func(r rune) bool { return r == '*' || r == '?' }) {
		need = append(need, piece)
	}
	return glob{kind: globRegexp, re: re, need: need}, nil
}

// normalize prepares a value or a pattern of a field for matching: lower
// case, trimmed; paths and command lines read "\" as "/"; names lose a
// trailing ".app".
func normalize(f Field, s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	switch f {
	case FieldPath, FieldCmdline:
		s = strings.ReplaceAll(s, `\`, "/")
	case FieldName:
		s = strings.TrimSuffix(s, ".app")
	}
	return s
}

// usbGlobs are the compiled string columns of one USB entry.
type usbGlobs struct {
	vendor, model, serial *glob
}

// compile builds the matchers; called once after all lists are read.
func (k *Knowledge) compile() error {
	k.sw = map[Field]*globSet{}
	for _, f := range fields {
		k.sw[f] = newGlobSet()
	}
	for i, s := range k.software {
		if err := k.sw[s.Field].add(normalize(s.Field, s.Pattern), i); err != nil {
			return fmt.Errorf("%s: %w", s.Origin, err)
		}
	}
	k.usbIDs = map[string][]int{}
	k.usbOther = nil
	k.usbGlobs = make([]usbGlobs, len(k.usb))
	for i, u := range k.usb {
		if u.VendorID != "" {
			key := u.VendorID + ":" + u.ProductID
			k.usbIDs[key] = append(k.usbIDs[key], i)
		} else {
			k.usbOther = append(k.usbOther, i)
		}
		for _, c := range []struct {
			pat string
			dst **glob
		}{{u.Vendor, &k.usbGlobs[i].vendor}, {u.Model, &k.usbGlobs[i].model}, {u.Serial, &k.usbGlobs[i].serial}} {
			if c.pat == "" {
				continue
			}
			g, err := compileGlob(strings.ToLower(strings.TrimSpace(c.pat)))
			if err != nil {
				return fmt.Errorf("%s: %w", u.Origin, err)
			}
			*c.dst = &g
		}
	}
	k.lay = newGlobSet()
	k.layExact = map[string]int{}
	for i, l := range k.layouts {
		if strings.HasPrefix(l.Layout, "win:") || strings.HasPrefix(l.Layout, "name:") {
			k.layExact[l.Layout] = i
			continue
		}
		if err := k.lay.add(l.Layout, i); err != nil {
			return fmt.Errorf("%s: %w", l.Origin, err)
		}
	}
	return nil
}

// softwareColumns are the osquery columns read for each field, in order.
var softwareColumns = []struct {
	field   Field
	columns []string
}{
	{FieldBundle, []string{"bundle_identifier"}},
	{FieldName, []string{"name", "bundle_name", "bundle_executable", "display_name"}},
	{FieldPath, []string{"path", "install_location"}},
	{FieldCmdline, []string{"cmdline"}},
	{FieldPublisher, []string{"publisher"}},
}

// SoftwareMatch is a software entry matching an osquery row.
type SoftwareMatch struct {
	Software
	Column string // the row column that matched, e.g. "bundle_identifier"
	Value  string // its value as the row gives it
}

// MatchSoftware returns the software entries that match an osquery row of
// a process, app, program or package table: at most one per category and
// product (the most confident; on a tie, the first column tried: bundle id,
// name, path, command line, publisher), ordered by category and product.
func (k *Knowledge) MatchSoftware(row event.Row) []SoftwareMatch {
	if k == nil || len(k.software) == 0 {
		return nil
	}
	// Rows repeat (the same apps on every host, the same processes in every
	// snapshot): answers are cached by the columns matching reads.
	var key strings.Builder
	for _, fc := range softwareColumns {
		for _, col := range fc.columns {
			key.WriteString(row.Get(col))
			key.WriteByte(0)
		}
	}
	if v, ok := k.cache.Load(key.String()); ok {
		return slices.Clone(v.([]SoftwareMatch))
	}
	out := k.matchSoftware(row)
	if k.cached.Add(1) <= maxCached {
		k.cache.Store(key.String(), slices.Clone(out))
	}
	return out
}

// maxCached bounds the software match cache of one Knowledge.
const maxCached = 1 << 17

func (k *Knowledge) matchSoftware(row event.Row) []SoftwareMatch {
	var out []SoftwareMatch
	var hits []int
	for _, fc := range softwareColumns {
		set := k.sw[fc.field]
		for _, col := range fc.columns {
			raw := row.Get(col)
			if raw == "" {
				continue
			}
			hits = set.match(normalize(fc.field, raw), hits[:0])
			for _, i := range hits {
				s := k.software[i]
				j := slices.IndexFunc(out, func(m SoftwareMatch) bool { return m.Category == s.Category && m.Product == s.Product })
				switch {
				case j < 0:
					out = append(out, SoftwareMatch{Software: s, Column: col, Value: raw})
				case s.Confidence.Rank() > out[j].Confidence.Rank():
					out[j] = SoftwareMatch{Software: s, Column: col, Value: raw}
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b SoftwareMatch) int {
		if c := strings.Compare(string(a.Category), string(b.Category)); c != 0 {
			return c
		}
		return strings.Compare(a.Product, b.Product)
	})
	return out
}

// MatchUSB returns the USB entries that match an osquery usb_devices row
// (vendor_id, model_id, vendor, model, serial), most confident first, then
// in list order.
func (k *Knowledge) MatchUSB(row event.Row) []USB {
	if k == nil || len(k.usb) == 0 {
		return nil
	}
	vid, _ := NormalizeUSBID(row.Get("vendor_id"))
	pid, _ := NormalizeUSBID(row.Get("model_id"))
	vendor := strings.ToLower(strings.TrimSpace(row.Get("vendor")))
	model := strings.ToLower(strings.TrimSpace(row.Get("model")))
	serial := strings.ToLower(strings.TrimSpace(row.Get("serial")))
	var cand []int
	if vid != "" {
		cand = append(cand, k.usbIDs[vid+":"]...)
		if pid != "" {
			cand = append(cand, k.usbIDs[vid+":"+pid]...)
		}
	}
	cand = append(cand, k.usbOther...)
	slices.Sort(cand)
	var out []USB
	for _, i := range cand {
		g := k.usbGlobs[i]
		if g.vendor != nil && !g.vendor.match(vendor) || g.model != nil && !g.model.match(model) ||
			g.serial != nil && !g.serial.match(serial) {
			continue
		}
		out = append(out, k.usb[i])
	}
	slices.SortStableFunc(out, func(a, b USB) int { return b.Confidence.Rank() - a.Confidence.Rank() })
	return out
}

// LookupLayout returns the keyboard layout entry for an identifier as the
// endpoint reports it: a Windows keyboard layout id (KLID, 8 hex digits
// such as 00000412 or E0010412, or a 4-digit language id), a macOS input
// source id (com.apple.inputmethod.Korean.2SetKorean) or a layout display
// name (U.S.).
func (k *Knowledge) LookupLayout(id string) (Layout, bool) {
	if k == nil {
		return Layout{}, false
	}
	s := strings.ToLower(strings.TrimSpace(id))
	if s == "" {
		return Layout{}, false
	}
	if len(s) == 8 || len(s) == 4 {
		if v, ok := parseHex16(s[len(s)-4:]); ok && (len(s) == 4 || isHex(s[:4])) {
			if i, ok := k.layExact[fmt.Sprintf("win:%02x", v&0x3ff)]; ok {
				return k.layouts[i], true
			}
			return Layout{}, false
		}
	}
	if hits := k.lay.match(s, nil); len(hits) > 0 {
		return k.layouts[slices.Min(hits)], true
	}
	if i, ok := k.layExact["name:"+s]; ok {
		return k.layouts[i], true
	}
	return Layout{}, false
}

func isHex(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}
