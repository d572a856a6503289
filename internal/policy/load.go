package policy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/rollcall/rollcall/internal/sigma"
)

// Load reads a YAML policy file. Keys the file sets replace the defaults
// (Default); weights are merged into the default weights; lists replace the
// default lists. Unknown keys are refused with the file and line. The
// result is validated (Validate); indicator IDs are checked separately by
// ValidateIDs, which needs the indicator registry.
func Load(path string) (*Policy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("policy file: %w", err)
	}
	return Parse(data, path)
}

// Parse is Load over bytes already read; name is used in messages.
func Parse(data []byte, name string) (*Policy, error) {
	p := Default()
	if err := checkScalars(data, name); err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(p); err != nil && !errors.Is(err, io.EOF) {
		var root yaml.Node
		if yaml.Unmarshal(data, &root) != nil {
			root = yaml.Node{}
		}
		return nil, fmt.Errorf("policy file: %w", located(name, err, &root))
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("policy file %q: %w", name, err)
	}
	if len(p.Sigma.Rules) > 0 {
		paths := make([]string, len(p.Sigma.Rules))
		for i, r := range p.Sigma.Rules {
			paths[i] = r
			if !filepath.IsAbs(r) {
				paths[i] = filepath.Join(filepath.Dir(name), r)
			}
		}
		rules, err := sigma.Load(paths...)
		if err != nil {
			return nil, fmt.Errorf("policy file %q: sigma.rules: %w", name, err)
		}
		p.Sigma.Loaded = rules
	}
	return p, nil
}

// yamlLine matches the "line N: " prefix yaml.v3 puts on its messages.
var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// unknownField matches yaml.v3's message for a key no field accepts.
var unknownField = regexp.MustCompile(`^field (\S+) not found in type (\S+)$`)

// wrongType matches yaml.v3's message for a value of the wrong kind.
var wrongType = regexp.MustCompile("^cannot unmarshal !!(\\w+) `(.*)` into (\\S+)$")

// yamlKinds and goKinds name what a YAML tag holds and what a Go type
// wants, in the policy file's terms rather than Go's.
var (
	yamlKinds = map[string]string{"str": "text", "int": "a number", "float": "a number", "bool": "true or false",
		"map": "a section of keys", "seq": "a list", "null": "nothing", "timestamp": "a date"}
	goKinds = map[string]string{"string": "text", "bool": "true or false", "time.Time": "a date (YYYY-MM-DD)",
		"netip.Prefix": "an address range such as 203.0.113.0/24"}
)

// wants says what a Go type expects in the policy file.
func wants(goType string) string {
	switch {
	case goKinds[goType] != "":
		return goKinds[goType]
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	case strings.HasPrefix(goType, "map["), strings.Contains(goType, "."):
		return "a section of keys"
	case strings.HasPrefix(goType, "int"), strings.HasPrefix(goType, "uint"), strings.HasPrefix(goType, "float"):
		return "a number"
	}
	return goType
}

// section returns the dotted path of the mapping holding the key on line,
// such as "allow.tools", or "" at the top level or when there is none.
func section(n *yaml.Node, line int) string {
	var find func(n *yaml.Node, path string) (string, bool)
	find = func(n *yaml.Node, path string) (string, bool) {
		switch n.Kind {
		case yaml.DocumentNode, yaml.SequenceNode:
			for _, c := range n.Content {
				if p, ok := find(c, path); ok {
					return p, true
				}
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				if k.Line == line {
					return path, true
				}
				sub := k.Value
				if path != "" {
					sub = path + "." + k.Value
				}
				if p, ok := find(n.Content[i+1], sub); ok {
					return p, true
				}
			}
		}
		return "", false
	}
	p, _ := find(n, "")
	return p
}

// located rewrites yaml.v3 errors as "file:line: message", one per problem,
// in the file's terms (no Go type names), and says how to fix an unknown
// key. root, when parsed, names the section an unknown key is in.
func located(name string, err error, root *yaml.Node) error {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	var out []string
	for _, m := range msgs {
		line := ""
		if sm := yamlLine.FindStringSubmatch(m); sm != nil {
			line, m = sm[1], sm[2]
		}
		if sm := unknownField.FindStringSubmatch(m); sm != nil {
			where := "at the top level"
			if n, err := strconv.Atoi(line); err == nil && root != nil {
				if sec := section(root, n); sec != "" {
					where = "under " + sec
				}
			}
			m = fmt.Sprintf("unknown key %q %s; check its spelling and indentation against configs/policy.yaml", sm[1], where)
		}
		if sm := wrongType.FindStringSubmatch(m); sm != nil {
			got := yamlKinds[sm[1]]
			if got == "" {
				got = "a value"
			}
			m = fmt.Sprintf("%q is %s where %s is expected", sm[2], got, wants(sm[3]))
		}
		if line != "" {
			out = append(out, name+":"+line+": "+m)
		} else {
			out = append(out, name+": "+m)
		}
	}
	return &InvalidError{Problems: out}
}

// checkScalars parses every allow-list prefix and date so that a malformed
// one is reported with its line: yaml.v3 reports errors from
// encoding.TextUnmarshaler (netip.Prefix, time.Time) without one.
func checkScalars(data []byte, name string) error {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return fmt.Errorf("policy file: %w", located(name, err, nil))
	}
	allow := lookup(&root, "allow")
	if allow == nil {
		return nil
	}
	var problems []string
	walk(allow, func(key string, v *yaml.Node) {
		at := name + ":" + strconv.Itoa(v.Line) + ": "
		switch key {
		case "prefix":
			if _, err := netip.ParsePrefix(v.Value); err != nil {
				problems = append(problems, at+"prefix "+strconv.Quote(v.Value)+
					" is not a CIDR range; write it as address/bits, e.g. 203.0.113.0/24 or 2001:db8::/48")
			}
		case "expires", "from", "to":
			if v.ShortTag() == "!!timestamp" {
				return
			}
			if _, err := time.Parse(time.RFC3339, v.Value); err != nil {
				problems = append(problems, at+key+" "+strconv.Quote(v.Value)+
					" is not a date; write it as YYYY-MM-DD, e.g. 2026-12-31")
			}
		}
	})
	if len(problems) > 0 {
		return fmt.Errorf("policy file: %w", &InvalidError{Problems: problems})
	}
	return nil
}

// walk calls fn for every scalar value under a mapping key below n.
func walk(n *yaml.Node, fn func(key string, v *yaml.Node)) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if v.Kind == yaml.ScalarNode {
				fn(k.Value, v)
			} else {
				walk(v, fn)
			}
		}
	case yaml.SequenceNode, yaml.DocumentNode:
		for _, c := range n.Content {
			walk(c, fn)
		}
	}
}

// lookup follows mapping keys from n (a document or mapping node).
func lookup(n *yaml.Node, keys ...string) *yaml.Node {
	if n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = n.Content[0]
	}
	for _, k := range keys {
		if n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				next = n.Content[i+1]
			}
		}
		if next == nil {
			return nil
		}
		n = next
	}
	return n
}

// InvalidError lists every problem found in a policy, each saying what is
// wrong and how to fix it.
type InvalidError struct {
	Problems []string
}

func (e *InvalidError) Error() string {
	if len(e.Problems) == 1 {
		return e.Problems[0]
	}
	return fmt.Sprintf("%d problems:\n  - %s", len(e.Problems), strings.Join(e.Problems, "\n  - "))
}

// LoadChecked is Load followed by ValidateIDs, except that unknown
// indicator IDs are reported together with the file's other problems
// rather than only once those are fixed.
func LoadChecked(path string, known func(id string) bool) (*Policy, error) {
	p, err := Load(path)
	if err == nil {
		if err := p.ValidateIDs(known); err != nil {
			return nil, fmt.Errorf("policy file %q: %w", path, err)
		}
		return p, nil
	}
	var ie *InvalidError
	data, rerr := os.ReadFile(path)
	if !errors.As(err, &ie) || rerr != nil {
		return nil, err
	}
	// Read what can be read, ignoring the errors already reported, for
	// the IDs alone.
	var loose Policy
	_ = yaml.Unmarshal(data, &loose) //nolint:errcheck // its errors are err's
	var idErr *InvalidError
	if !errors.As(loose.ValidateIDs(known), &idErr) {
		return nil, err
	}
	prefix := strings.TrimSuffix(err.Error(), ie.Error()) // "policy file: " or `policy file "…": `
	all := &InvalidError{Problems: append(slices.Clone(ie.Problems), idErr.Problems...)}
	return nil, fmt.Errorf("%s%w", prefix, all)
}
