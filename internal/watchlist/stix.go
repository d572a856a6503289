package watchlist

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/policy"
)

// Imported is what Read or ReadSTIX read: the entries, and what it
// left out and why (one line per reason, with the number of distinct
// values or objects), for the importer to show.
type Imported struct {
	Entries []policy.Burned
	Skipped []string
}

// stixObject is the part of a STIX 2.1 object ReadSTIX reads.
type stixObject struct {
	Type        string   `json:"type"`
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Value       string   `json:"value"`
	Pattern     string   `json:"pattern"`
	PatternType string   `json:"pattern_type"`
	ValidFrom   string   `json:"valid_from"`
	Created     string   `json:"created"`
	CreatedBy   string   `json:"created_by_ref"`
	ObjectRefs  []string `json:"object_refs"`
	Revoked     bool     `json:"revoked"`
}

// stixKinds maps the STIX object types rollcall reads to watchlist kinds:
// the specification's cyber observables and rollcall's own x-rollcall-*
// objects (what scan --stix writes).
var stixKinds = map[string]string{
	"ipv4-addr":                     policy.BurnedIP,
	"ipv6-addr":                     policy.BurnedIP,
	"email-addr":                    policy.BurnedEmail,
	"url":                           policy.BurnedGitHub, // github.com/<handle> only
	"x-rollcall-payout-fingerprint": policy.BurnedPayout,
	"x-rollcall-device-serial":      policy.BurnedDevice,
	"x-rollcall-phone-number":       policy.BurnedPhone,
	"x-rollcall-postal-address":     policy.BurnedAddress,
}

// stixComparison is one "type:value = 'literal'" comparison of a pattern.
var stixComparison = regexp.MustCompile(`([a-z0-9][a-z0-9-]*):value\s*=\s*'((?:[^'\\]|\\.)*)'`)

// stixGlue is what may stand between comparisons of a pattern rollcall
// reads: brackets and OR. AND, FOLLOWEDBY, qualifiers and other operators
// describe more than one identifier and are left out.
var stixGlue = regexp.MustCompile(`^[\s\[\]]*(?:(?i:OR)[\s\[\]]*)*$`)

// ReadSTIX reads a STIX 2.1 bundle (or a single object) as watchlist
// entries: every indicator whose STIX pattern compares observables' value
// with literals (one comparison, or several joined by OR) and every cyber
// observable with a value, of the types in stixKinds. name is the file
// name errors and entries cite. Each entry's case names the producer
// identity and the grouping that holds it ("rollcall cell C1 (STIX bundle
// from rollcall)"); its time is the indicator's valid_from. Types the
// watchlist has no kind for (domain-name, résumé fingerprints, other
// URLs), revoked indicators and patterns of other shapes are counted in
// Skipped, never silently dropped.
func ReadSTIX(r io.Reader, name string) (*Imported, error) {
	var doc struct {
		Type    string       `json:"type"`
		Objects []stixObject `json:"objects"`
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("watchlist %q: %w", name, err)
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("watchlist %q: not a STIX bundle: %w", name, err)
	}
	objects := doc.Objects
	if doc.Type != "bundle" {
		var one stixObject
		if err := json.Unmarshal(data, &one); err != nil || one.Type == "" {
			return nil, fmt.Errorf("watchlist %q: not a STIX bundle: no \"type\": \"bundle\"", name)
		}
		objects = []stixObject{one}
	}
	producers := map[string]string{}
	groupOf := map[string]string{}
	for _, o := range objects {
		switch o.Type {
		case "identity":
			producers[o.ID] = o.Name
		case "grouping":
			for _, ref := range o.ObjectRefs {
				if _, ok := groupOf[ref]; !ok {
					groupOf[ref] = o.Name
				}
			}
		}
	}
	res := &Imported{}
	skipped := map[string]map[string]bool{} // reason → distinct objects or values
	var order []string
	skip := func(why, what string) {
		if skipped[why] == nil {
			skipped[why] = map[string]bool{}
			order = append(order, why)
		}
		skipped[why][what] = true
	}
	seen := map[policy.Burned]bool{}
	add := func(o stixObject, typ, raw string, at time.Time) {
		kind, ok := stixKinds[typ]
		if !ok {
			skip(fmt.Sprintf("%s: the watchlist has no kind for it", typ), raw)
			return
		}
		value, why := stixValue(kind, typ, raw)
		if value == "" {
			skip(fmt.Sprintf("%s: %s", typ, why), raw)
			return
		}
		b := policy.Burned{Kind: kind, Value: value, Case: stixCase(o, producers, groupOf, name), Added: at}
		if !seen[b] {
			seen[b] = true
			res.Entries = append(res.Entries, b)
		}
	}
	for i, o := range objects {
		switch {
		case o.Type == "indicator":
			if o.Revoked {
				skip("indicator: revoked", o.ID)
				continue
			}
			if o.PatternType != "" && o.PatternType != "stix" {
				skip(fmt.Sprintf("indicator: pattern_type %s, not stix", o.PatternType), o.ID)
				continue
			}
			comps := stixComparison.FindAllStringSubmatch(o.Pattern, -1)
			if len(comps) == 0 || !stixGlue.MatchString(stixComparison.ReplaceAllString(o.Pattern, "")) {
				skip("indicator: a pattern other than value comparisons joined by OR", o.ID)
				continue
			}
			at, err := stixTime(o.ValidFrom, o.Created)
			if err != nil {
				return nil, fmt.Errorf("watchlist %q object %d (%s) field valid_from: %w", name, i+1, o.ID, err)
			}
			for _, c := range comps {
				add(o, c[1], unescapeSTIX(c[2]), at)
			}
		case o.Value != "" && (stixKinds[o.Type] != "" || o.Type == "domain-name" || strings.HasPrefix(o.Type, "x-rollcall-")):
			add(o, o.Type, o.Value, time.Time{})
		}
	}
	// An observable and the indicator over it give one entry: keep the
	// indicator's, which carries a time.
	res.Entries = slices.DeleteFunc(res.Entries, func(b policy.Burned) bool {
		if !b.Added.IsZero() {
			return false
		}
		return slices.ContainsFunc(res.Entries, func(o policy.Burned) bool {
			return o.Kind == b.Kind && o.Value == b.Value && !o.Added.IsZero()
		})
	})
	for _, why := range order {
		res.Skipped = append(res.Skipped, fmt.Sprintf("%d × %s", len(skipped[why]), why))
	}
	return res, nil
}

// stixValue puts a STIX value in the form rollcall compares, or returns ""
// and why it cannot.
func stixValue(kind, typ, v string) (string, string) {
	v = strings.TrimSpace(v)
	switch kind {
	case policy.BurnedIP, policy.BurnedEmail, policy.BurnedDevice, policy.BurnedPhone:
		if c := Canonical(kind, v); c != "" {
			return c, ""
		}
		return "", fmt.Sprintf("%q is no %s rollcall can compare", v, kind)
	case policy.BurnedGitHub:
		u, err := url.Parse(v)
		if err != nil || !strings.EqualFold(strings.TrimPrefix(u.Hostname(), "www."), "github.com") {
			return "", "only github.com profile URLs name a code-host handle"
		}
		handle := strings.Trim(u.Path, "/")
		if handle == "" || strings.Contains(handle, "/") {
			return "", "only github.com profile URLs name a code-host handle"
		}
		return strings.ToLower(handle), ""
	case policy.BurnedPayout:
		// scan --stix shares the start of the salted fingerprint
		// ("1a2b3c4d…"); APP-20 matches it as a prefix.
		return strings.ToLower(v), ""
	case policy.BurnedAddress:
		// scan --stix writes rollcall's address key as its four parts
		// (street, postal code, locality, country) joined by ", "; with
		// a part missing the key cannot be rebuilt.
		parts := strings.Split(v, ", ")
		if len(parts) != 4 {
			return "", "an address without all four parts of rollcall's address key (street, postal code, locality, country)"
		}
		return strings.Join(parts, "|"), ""
	}
	return "", "unknown kind " + typ
}

func stixCase(o stixObject, producers, groupOf map[string]string, name string) string {
	from := producers[o.CreatedBy]
	if from == "" {
		from = name
	}
	c := "STIX bundle from " + from
	if g := groupOf[o.ID]; g != "" {
		c = g + " (" + c + ")"
	}
	return c
}

func stixTime(times ...string) (time.Time, error) {
	for _, s := range times {
		if s == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time", s)
		}
		return t.UTC(), nil
	}
	return time.Time{}, nil
}

// unescapeSTIX undoes a pattern string literal's escapes (\' and \\).
func unescapeSTIX(s string) string {
	return strings.NewReplacer(`\\`, `\`, `\'`, `'`).Replace(s)
}
