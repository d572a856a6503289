package sigma

import (
	"fmt"
	"path"
	"strings"
)

// node is a compiled condition; eval asks sel whether a search identifier
// (by index) matches.
type node interface {
	eval(sel func(int) bool) bool
}

type identNode int

func (n identNode) eval(sel func(int) bool) bool { return sel(int(n)) }

type notNode struct{ x node }

func (n notNode) eval(sel func(int) bool) bool { return !n.x.eval(sel) }

type andNode []node

func (n andNode) eval(sel func(int) bool) bool {
	for _, x := range n {
		if !x.eval(sel) {
			return false
		}
	}
	return true
}

type orNode []node

func (n orNode) eval(sel func(int) bool) bool {
	for _, x := range n {
		if x.eval(sel) {
			return true
		}
	}
	return false
}

// parseCondition parses Sigma's condition language (and, or, not,
// parentheses, "1 of", "any of" and "all of" a pattern or "them"), with
// not binding tighter than and, and than or. Pipes (aggregations) are
// refused.
func parseCondition(s string, names []string) (node, error) {
	if strings.Contains(s, "|") {
		return nil, fmt.Errorf("aggregations (\"| count() …\") are not supported: rollcall evaluates single-event rules")
	}
	p := &condParser{toks: tokenize(s), names: names}
	if len(p.toks) == 0 {
		return nil, fmt.Errorf("empty")
	}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.i < len(p.toks) {
		return nil, fmt.Errorf("unexpected %q", p.toks[p.i])
	}
	return n, nil
}

func tokenize(s string) []string {
	s = strings.NewReplacer("(", " ( ", ")", " ) ").Replace(s)
	return strings.Fields(s)
}

type condParser struct {
	toks  []string
	i     int
	names []string
}

func (p *condParser) peek() string {
	if p.i < len(p.toks) {
		return strings.ToLower(p.toks[p.i])
	}
	return ""
}

func (p *condParser) or() (node, error) {
	return p.chain("or", p.and, func(xs []node) node { return orNode(xs) })
}

func (p *condParser) and() (node, error) {
	return p.chain("and", p.unary, func(xs []node) node { return andNode(xs) })
}

// chain parses operands joined by op (one operand is itself).
func (p *condParser) chain(op string, operand func() (node, error), join func([]node) node) (node, error) {
	var xs []node
	for {
		n, err := operand()
		if err != nil {
			return nil, err
		}
		xs = append(xs, n)
		if p.peek() != op {
			break
		}
		p.i++
	}
	if len(xs) == 1 {
		return xs[0], nil
	}
	return join(xs), nil
}

func (p *condParser) unary() (node, error) {
	switch t := p.peek(); t {
	case "":
		return nil, fmt.Errorf("ends where a search identifier was expected")
	case "not":
		p.i++
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return notNode{x}, nil
	case "(":
		p.i++
		x, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.peek() != ")" {
			return nil, fmt.Errorf("missing )")
		}
		p.i++
		return x, nil
	case ")", "and", "or", "of":
		return nil, fmt.Errorf("unexpected %q", p.toks[p.i])
	case "1", "any", "all":
		if p.i+2 < len(p.toks) && strings.EqualFold(p.toks[p.i+1], "of") {
			pattern := p.toks[p.i+2]
			p.i += 3
			idx, err := p.matching(pattern)
			if err != nil {
				return nil, err
			}
			var xs []node
			for _, i := range idx {
				xs = append(xs, identNode(i))
			}
			if t == "all" {
				return andNode(xs), nil
			}
			return orNode(xs), nil
		}
	}
	name := p.toks[p.i]
	p.i++
	for i, n := range p.names {
		if n == name {
			return identNode(i), nil
		}
	}
	return nil, fmt.Errorf("search identifier %q is not defined in the detection", name)
}

// matching returns the identifiers a "… of" pattern names: "them" is
// every identifier not starting with an underscore.
func (p *condParser) matching(pattern string) ([]int, error) {
	var out []int
	for i, n := range p.names {
		if pattern == "them" {
			if !strings.HasPrefix(n, "_") {
				out = append(out, i)
			}
			continue
		}
		if ok, err := path.Match(pattern, n); err != nil {
			return nil, fmt.Errorf("pattern %q: %w", pattern, err)
		} else if ok {
			out = append(out, i)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%q names no search identifier", pattern)
	}
	return out, nil
}
