package sigma

import (
	"fmt"
	"math"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/rollcall/rollcall/internal/event"
)

// detection is a compiled detection section: its search identifiers and
// the condition over them.
type detection struct {
	names []string     // search identifiers, in the rule's order
	sels  []*selection // by index in names
	cond  node
}

func (d *detection) match(e *event.Event) bool {
	memo := make([]int8, len(d.sels)) // 0 unknown, 1 true, -1 false
	return d.cond.eval(func(i int) bool {
		if memo[i] == 0 {
			memo[i] = -1
			if d.sels[i].match(e) {
				memo[i] = 1
			}
		}
		return memo[i] == 1
	})
}

// selection is one search identifier: a list of maps (any of them), each
// a conjunction of field matchers.
type selection struct {
	anyOf [][]*fieldMatch
}

func (s *selection) match(e *event.Event) bool {
	for _, all := range s.anyOf {
		ok := true
		for _, fm := range all {
			if !fm.match(e) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// fieldMatch is one "field|modifiers: values" entry.
type fieldMatch struct {
	field  *Field
	all    bool      // |all: every value must match
	exists *bool     // |exists
	values []valueFn // any (or all) of them; a nil entry matches an absent field
}

// valueFn reports whether one of the field's values matches.
type valueFn func(vals []string) bool

func (fm *fieldMatch) match(e *event.Event) bool {
	vals := fm.field.get(e) // never holds "" (one): an empty field is absent
	if fm.exists != nil {
		return (len(vals) > 0) == *fm.exists
	}
	for _, v := range fm.values {
		var ok bool
		if v == nil {
			ok = len(vals) == 0
		} else {
			ok = len(vals) > 0 && v(vals)
		}
		if ok && !fm.all {
			return true
		}
		if !ok && fm.all {
			return false
		}
	}
	return fm.all
}

// compileDetection compiles the detection mapping; errors start with the
// field path ("detection.selection.eventType: …").
func compileDetection(n *yaml.Node, ls *Logsource) (*detection, error) {
	if n.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("detection: expected a mapping of search identifiers and a condition")
	}
	d := &detection{}
	var conds []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i].Value, n.Content[i+1]
		path := "detection." + key
		if key == "condition" {
			switch val.Kind {
			case yaml.ScalarNode:
				conds = append(conds, val.Value)
			case yaml.SequenceNode:
				for _, c := range val.Content {
					if c.Kind != yaml.ScalarNode {
						return nil, fmt.Errorf("%s: expected a condition string or a list of them", path)
					}
					conds = append(conds, c.Value)
				}
			default:
				return nil, fmt.Errorf("%s: expected a condition string or a list of them", path)
			}
			continue
		}
		if key == "timeframe" {
			return nil, fmt.Errorf("%s: timeframes belong to aggregations, and rollcall evaluates single-event rules", path)
		}
		sel, err := compileSelection(val, path, ls)
		if err != nil {
			return nil, err
		}
		d.names = append(d.names, key)
		d.sels = append(d.sels, sel)
	}
	if len(conds) == 0 {
		return nil, fmt.Errorf("detection.condition: missing")
	}
	if len(d.sels) == 0 {
		return nil, fmt.Errorf("detection: no search identifier")
	}
	var alts []node
	for _, c := range conds {
		nd, err := parseCondition(c, d.names)
		if err != nil {
			return nil, fmt.Errorf("detection.condition: %q: %w", c, err)
		}
		alts = append(alts, nd)
	}
	d.cond = alts[0]
	if len(alts) > 1 {
		d.cond = orNode(alts)
	}
	return d, nil
}

func compileSelection(n *yaml.Node, path string, ls *Logsource) (*selection, error) {
	s := &selection{}
	switch n.Kind {
	case yaml.MappingNode:
		m, err := compileMap(n, path, ls)
		if err != nil {
			return nil, err
		}
		s.anyOf = append(s.anyOf, m)
	case yaml.SequenceNode:
		for i, c := range n.Content {
			if c.Kind != yaml.MappingNode {
				return nil, fmt.Errorf("%s[%d]: keyword searches (values without a field) are not supported: name the field", path, i)
			}
			m, err := compileMap(c, fmt.Sprintf("%s[%d]", path, i), ls)
			if err != nil {
				return nil, err
			}
			s.anyOf = append(s.anyOf, m)
		}
	default:
		return nil, fmt.Errorf("%s: keyword searches (values without a field) are not supported: name the field", path)
	}
	return s, nil
}

func compileMap(n *yaml.Node, path string, ls *Logsource) ([]*fieldMatch, error) {
	if len(n.Content) == 0 {
		return nil, fmt.Errorf("%s: empty", path)
	}
	var out []*fieldMatch
	for i := 0; i+1 < len(n.Content); i += 2 {
		key := n.Content[i].Value
		fm, err := compileField(key, n.Content[i+1], path+"."+key, ls)
		if err != nil {
			return nil, err
		}
		out = append(out, fm)
	}
	return out, nil
}

// modifiers rollcall evaluates; any other is refused by name.
var supportedModifiers = []string{"contains", "startswith", "endswith", "all", "re", "i", "m", "s", "cidr", "exists", "cased", "lt", "lte", "gt", "gte"}

func compileField(key string, val *yaml.Node, path string, ls *Logsource) (*fieldMatch, error) {
	parts := strings.Split(key, "|")
	name, mods := parts[0], parts[1:]
	if name == "" {
		return nil, fmt.Errorf("%s: keyword searches (values without a field) are not supported: name the field", path)
	}
	f := ls.field(name)
	if f == nil {
		return nil, fmt.Errorf("%s: field %q is not kept by rollcall's %s adapter (fields it maps: %s)", path, name, ls.Source, strings.Join(ls.names(), ", "))
	}
	has := map[string]bool{}
	for _, m := range mods {
		m = strings.ToLower(m)
		if !slices.Contains(supportedModifiers, m) {
			return nil, fmt.Errorf("%s: modifier %q is not supported (supported: %s)", path, m, strings.Join(supportedModifiers, ", "))
		}
		has[m] = true
	}
	var raws []*yaml.Node
	switch val.Kind {
	case yaml.ScalarNode, yaml.AliasNode:
		raws = []*yaml.Node{val}
	case yaml.SequenceNode:
		raws = val.Content
	default:
		return nil, fmt.Errorf("%s: expected a value or a list of values", path)
	}
	if len(raws) == 0 {
		return nil, fmt.Errorf("%s: empty list of values", path)
	}
	fm := &fieldMatch{field: f, all: has["all"]}
	if has["exists"] {
		if len(mods) != 1 || len(raws) != 1 {
			return nil, fmt.Errorf("%s: exists takes no other modifier and one value, true or false", path)
		}
		b, err := strconv.ParseBool(raws[0].Value)
		if err != nil {
			return nil, fmt.Errorf("%s: exists wants true or false, not %q", path, raws[0].Value)
		}
		fm.exists = &b
		return fm, nil
	}
	if f.values != nil && len(mods) > 0 {
		return nil, fmt.Errorf("%s: rollcall keeps only the values %s of %s: compare them exactly, without modifiers", path, strings.Join(f.values, ", "), f.Name)
	}
	for i, r := range raws {
		if r.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("%s[%d]: expected a scalar value", path, i)
		}
		if r.Tag == "!!null" || (r.Value == "" && len(mods) == 0) {
			// Normalized events keep no difference between an empty
			// and an absent field: '' and null both match either.
			fm.values = append(fm.values, nil)
			continue
		}
		if f.values != nil && !slices.ContainsFunc(f.values, func(v string) bool { return strings.EqualFold(v, r.Value) }) {
			return nil, fmt.Errorf("%s: %q: rollcall keeps only the values %s of %s, so the rule could never match as written", path, r.Value, strings.Join(f.values, ", "), f.Name)
		}
		v, err := compileValue(r.Value, has)
		if err != nil {
			return nil, fmt.Errorf("%s: %q: %w", path, r.Value, err)
		}
		fm.values = append(fm.values, v)
	}
	return fm, nil
}

// anyVal reports whether ok holds for one of vals.
func anyVal(ok func(string) bool) valueFn {
	return func(vals []string) bool { return slices.ContainsFunc(vals, ok) }
}

func compileValue(s string, has map[string]bool) (valueFn, error) {
	switch {
	case has["re"]:
		flags := ""
		for _, f := range []string{"i", "m", "s"} {
			if has[f] {
				flags += f
			}
		}
		if flags != "" {
			s = "(?" + flags + ")" + s
		}
		re, err := regexp.Compile(s)
		if err != nil {
			return nil, fmt.Errorf("not a regular expression rollcall can evaluate (Go RE2 syntax): %w", err)
		}
		return anyVal(re.MatchString), nil
	case has["cidr"]:
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return nil, fmt.Errorf("not a CIDR prefix: %w", err)
		}
		p = p.Masked()
		return anyVal(func(v string) bool {
			a, err := netip.ParseAddr(v)
			return err == nil && p.Contains(a.Unmap())
		}), nil
	case has["lt"], has["lte"], has["gt"], has["gte"]:
		want, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(want) {
			return nil, fmt.Errorf("a numeric comparison wants a number")
		}
		return anyVal(func(v string) bool {
			got, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return false
			}
			return has["lt"] && got < want || has["lte"] && got <= want || has["gt"] && got > want || has["gte"] && got >= want
		}), nil
	}
	if has["i"] || has["m"] || has["s"] {
		return nil, fmt.Errorf("the i, m and s modifiers apply to re only")
	}
	pat := s
	switch {
	case has["contains"]:
		pat = "*" + pat + "*"
	case has["startswith"]:
		pat += "*"
	case has["endswith"]:
		pat = "*" + pat
	}
	return globMatcher(pat, has["cased"]), nil
}

// globMatcher matches Sigma's wildcard strings: * any run, ? one
// character, \* \? \\ literal; case-insensitive unless cased.
func globMatcher(pat string, cased bool) valueFn {
	var b strings.Builder
	literal := true
	var lit strings.Builder
	for i := 0; i < len(pat); i++ {
		c := pat[i]
		switch {
		case c == '\\' && i+1 < len(pat) && (pat[i+1] == '*' || pat[i+1] == '?' || pat[i+1] == '\\'):
			b.WriteString(regexp.QuoteMeta(pat[i+1 : i+2]))
			lit.WriteByte(pat[i+1])
			i++
		case c == '*':
			b.WriteString(".*")
			literal = false
		case c == '?':
			b.WriteString(".")
			literal = false
		default:
			b.WriteString(regexp.QuoteMeta(pat[i : i+1]))
			lit.WriteByte(c)
		}
	}
	if literal {
		want := lit.String()
		if cased {
			return anyVal(func(v string) bool { return v == want })
		}
		return anyVal(func(v string) bool { return strings.EqualFold(v, want) })
	}
	prefix := "(?s)"
	if !cased {
		prefix = "(?is)"
	}
	re := regexp.MustCompile(prefix + "^" + b.String() + "$")
	return anyVal(re.MatchString)
}
