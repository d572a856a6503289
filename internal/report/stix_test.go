package report

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
)

func TestSTIXGolden(t *testing.T) {
	tests := []struct {
		name string
		rep  STIX
	}{
		{name: "report.stix.json", rep: STIX{Time: ocsfTime}},
		{name: "report_pii.stix.json", rep: STIX{Time: ocsfTime, IncludePII: true}},
	}
	for _, tc := range tests {
		t.Run(strings.TrimSuffix(tc.name, ".json"), func(t *testing.T) {
			golden(t, tc.name, render(t, tc.rep, fixture(t)))
		})
	}
}

// The spec's rules the validator applies (STIX 2.1, OASIS Standard):
// §2.7 identifiers, §3.2 timestamps, §3.1/§6 common and SCO properties,
// §4 SDO required properties, §9 pattern grammar (comparison expressions
// only, which is all rollcall writes).
var (
	stixTypeRE      = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,248}[a-z0-9]$`)
	stixTimestampRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$`)
	stixPatternRE   = regexp.MustCompile(`^\[([a-z0-9-]+):([a-z0-9_]+(?:\.[a-z0-9_]+)*) = '((?:[^'\\]|\\['\\])*)'\]$`)
)

var stixRequired = map[string][]string{
	"identity":      {"name"},
	"indicator":     {"pattern", "pattern_type", "valid_from"},
	"observed-data": {"first_observed", "last_observed", "number_observed", "object_refs"},
	"relationship":  {"relationship_type", "source_ref", "target_ref"},
	"grouping":      {"context", "object_refs"},
	"ipv4-addr":     {"value"},
	"ipv6-addr":     {"value"},
	"domain-name":   {"value"},
	"email-addr":    {"value"},
	"url":           {"value"},
}

var stixSCOTypes = []string{"ipv4-addr", "ipv6-addr", "domain-name", "email-addr", "url"}

// validateSTIX checks a bundle against the spec's rules and returns every
// violation.
func validateSTIX(doc map[string]any) []string {
	var errs []string
	bad := func(f string, a ...any) { errs = append(errs, fmt.Sprintf(f, a...)) }
	checkID := func(where string, v any, wantType string) {
		id, _ := v.(string)
		typ, u, ok := strings.Cut(id, "--")
		if !ok || (wantType != "" && typ != wantType) {
			bad("%s: id %q is not %s--UUID", where, id, wantType)
			return
		}
		if p, err := uuid.Parse(u); err != nil || p.String() != u || p.Variant() != uuid.RFC4122 {
			bad("%s: id %q has no RFC 4122 UUID", where, id)
		}
	}
	if doc["type"] != "bundle" {
		bad("top level type %v, want bundle", doc["type"])
	}
	if _, ok := doc["spec_version"]; ok {
		bad("bundle: spec_version is not a bundle property in 2.1")
	}
	checkID("bundle", doc["id"], "bundle")
	objs, _ := doc["objects"].([]any)
	byID := map[string]map[string]any{}
	for i, o := range objs {
		m, ok := o.(map[string]any)
		if !ok {
			bad("objects[%d] is not an object", i)
			continue
		}
		id, _ := m["id"].(string)
		if byID[id] != nil {
			bad("objects[%d]: duplicate id %s", i, id)
		}
		byID[id] = m
	}
	for i, o := range objs {
		m, _ := o.(map[string]any)
		typ, _ := m["type"].(string)
		where := fmt.Sprintf("objects[%d] (%s)", i, typ)
		if !stixTypeRE.MatchString(typ) {
			bad("%s: type %q is not a valid type name", where, typ)
		}
		checkID(where, m["id"], typ)
		if m["spec_version"] != "2.1" {
			bad("%s: spec_version %v, want \"2.1\"", where, m["spec_version"])
		}
		sco := slices.Contains(stixSCOTypes, typ) || strings.HasPrefix(typ, "x-")
		if _, known := stixRequired[typ]; !known && !strings.HasPrefix(typ, "x-") {
			bad("%s: type is neither a STIX 2.1 type rollcall writes nor a custom x- type", where)
		}
		if sco {
			if u, err := uuid.Parse(strings.TrimPrefix(m["id"].(string), typ+"--")); err == nil && u.Version() != 5 {
				bad("%s: SCO id is UUID version %d, want 5 (§2.9)", where, u.Version())
			}
			for _, p := range []string{"created", "modified", "created_by_ref"} {
				if _, ok := m[p]; ok {
					bad("%s: SCOs have no %s", where, p)
				}
			}
		} else {
			for _, p := range []string{"created", "modified"} {
				if s, _ := m[p].(string); !stixTimestampRE.MatchString(s) {
					bad("%s: %s %q is not a millisecond-precision UTC timestamp", where, p, s)
				}
			}
			if ref, ok := m["created_by_ref"]; ok {
				if r, _ := ref.(string); byID[r] == nil || byID[r]["type"] != "identity" {
					bad("%s: created_by_ref %v is not an identity in the bundle", where, ref)
				}
			}
		}
		for _, p := range stixRequired[typ] {
			if _, ok := m[p]; !ok {
				bad("%s: required property %s missing", where, p)
			}
		}
		for k, v := range m {
			switch {
			case strings.HasSuffix(k, "_ref"):
				if r, _ := v.(string); byID[r] == nil {
					bad("%s: %s %v does not resolve in the bundle", where, k, v)
				}
			case strings.HasSuffix(k, "_refs"):
				refs, _ := v.([]any)
				if len(refs) == 0 {
					bad("%s: %s is empty", where, k)
				}
				for _, r := range refs {
					if s, _ := r.(string); byID[s] == nil {
						bad("%s: %s entry %v does not resolve in the bundle", where, k, r)
					}
				}
			}
		}
		switch typ {
		case "indicator":
			if m["pattern_type"] != "stix" {
				break
			}
			p, _ := m["pattern"].(string)
			sm := stixPatternRE.FindStringSubmatch(p)
			if sm == nil {
				bad("%s: pattern %q is not a STIX comparison expression", where, p)
				break
			}
			if sm[1] != "x-" && !slices.Contains(stixSCOTypes, sm[1]) && !strings.HasPrefix(sm[1], "x-") {
				bad("%s: pattern object type %s is unknown", where, sm[1])
			}
			if s, _ := m["valid_from"].(string); !stixTimestampRE.MatchString(s) {
				bad("%s: valid_from %q is not a timestamp", where, s)
			}
		case "observed-data":
			if n, _ := m["number_observed"].(float64); n < 1 || n > 999999999 || n != float64(int(n)) {
				bad("%s: number_observed %v out of range 1–999,999,999", where, m["number_observed"])
			}
			for _, r := range m["object_refs"].([]any) {
				if o := byID[r.(string)]; o != nil && !slices.Contains(stixSCOTypes, o["type"].(string)) && !strings.HasPrefix(o["type"].(string), "x-") {
					bad("%s: object_refs may name only SCOs, not %v", where, o["type"])
				}
			}
		case "relationship":
			src, tgt := byID[fmt.Sprint(m["source_ref"])], byID[fmt.Sprint(m["target_ref"])]
			if m["relationship_type"] == "based-on" && (src == nil || src["type"] != "indicator" || tgt == nil || tgt["type"] != "observed-data") {
				bad("%s: based-on must go from an indicator to observed-data", where)
			}
		}
	}
	return errs
}

func decodeSTIX(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestSTIXSpec validates both bundles against the spec's rules, checks
// every pattern's value is an observable in the bundle, and that personal
// data stays out unless asked for.
func TestSTIXSpec(t *testing.T) {
	r := fixture(t)
	for _, pii := range []bool{false, true} {
		t.Run(fmt.Sprintf("pii_%v", pii), func(t *testing.T) {
			out := render(t, STIX{Time: ocsfTime, IncludePII: pii}, r)
			doc := decodeSTIX(t, out)
			for _, e := range validateSTIX(doc) {
				t.Error(e)
			}
			types := map[string]int{}
			values := map[string]bool{}
			for _, o := range doc["objects"].([]any) {
				m := o.(map[string]any)
				types[m["type"].(string)]++
				if v, ok := m["value"].(string); ok {
					values[m["type"].(string)+"|"+v] = true
				}
			}
			for _, o := range doc["objects"].([]any) {
				m := o.(map[string]any)
				if m["type"] != "indicator" {
					continue
				}
				sm := stixPatternRE.FindStringSubmatch(m["pattern"].(string))
				if sm != nil && !values[sm[1]+"|"+strings.NewReplacer(`\'`, `'`, `\\`, `\`).Replace(sm[3])] {
					t.Errorf("pattern %s names no observable in the bundle", m["pattern"])
				}
			}
			for _, typ := range []string{"identity", "indicator", "observed-data", "relationship", "grouping", "x-rollcall-payout-fingerprint"} {
				if types[typ] == 0 {
					t.Errorf("no %s object; types %v", typ, types)
				}
			}
			text := string(out)
			for _, p := range r.People {
				if p.Name != "" && strings.Contains(text, p.Name) {
					t.Errorf("name %q in the bundle", p.Name)
				}
			}
			var phones []string
			for _, c := range r.Clusters {
				for _, l := range c.Links {
					if l.Kind == "phone" || l.Kind == "email" || l.Kind == "address" {
						phones = append(phones, l.Value)
					}
				}
			}
			if len(phones) == 0 {
				t.Fatal("fixture has no personal identifiers to check")
			}
			for _, v := range phones {
				if got := strings.Contains(text, v); got != pii {
					t.Errorf("personal identifier %q in bundle: %v, want %v", v, got, pii)
				}
			}
		})
	}
}

// TestSTIXValidatorRejects makes sure the validator can fail.
func TestSTIXValidatorRejects(t *testing.T) {
	out := render(t, STIX{Time: ocsfTime}, fixture(t))
	find := func(doc map[string]any, typ string) map[string]any {
		for _, o := range doc["objects"].([]any) {
			if m := o.(map[string]any); m["type"] == typ {
				return m
			}
		}
		t.Fatalf("no %s", typ)
		return nil
	}
	tests := []struct {
		name   string
		mutate func(doc map[string]any)
		want   string
	}{
		{name: "bad_id", mutate: func(d map[string]any) { find(d, "indicator")["id"] = "indicator--1234" }, want: "has no RFC 4122 UUID"},
		{name: "id_type_mismatch", mutate: func(d map[string]any) {
			m := find(d, "grouping")
			m["id"] = strings.Replace(m["id"].(string), "grouping", "report", 1)
		}, want: "is not grouping--UUID"},
		{name: "spec_version_2_0", mutate: func(d map[string]any) { find(d, "identity")["spec_version"] = "2.0" }, want: `want "2.1"`},
		{name: "second_precision", mutate: func(d map[string]any) { find(d, "indicator")["created"] = "2025-07-01T00:00:00Z" }, want: "millisecond-precision"},
		{name: "missing_pattern", mutate: func(d map[string]any) { delete(find(d, "indicator"), "pattern") }, want: "required property pattern missing"},
		{name: "bad_pattern", mutate: func(d map[string]any) { find(d, "indicator")["pattern"] = "ipv4-addr:value = 1.2.3.4" }, want: "not a STIX comparison expression"},
		{name: "dangling_ref", mutate: func(d map[string]any) { find(d, "relationship")["target_ref"] = "observed-data--" + uuid.NewString() }, want: "does not resolve"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := decodeSTIX(t, out)
			if errs := validateSTIX(doc); len(errs) != 0 {
				t.Fatalf("unmodified bundle invalid: %v", errs)
			}
			tc.mutate(doc)
			errs := validateSTIX(doc)
			if !slices.ContainsFunc(errs, func(e string) bool { return strings.Contains(e, tc.want) }) {
				t.Errorf("errors %v lack %q", errs, tc.want)
			}
		})
	}
}

// TestSTIXDeterministicIDs checks the spec's SCO id (§2.9: UUIDv5 in the
// STIX namespace over canonical JSON of the id-contributing properties),
// computed here independently of stixID's canonicalisation.
func TestSTIXDeterministicIDs(t *testing.T) {
	tests := []struct {
		name    string
		typ     string
		content map[string]string
		want    string
	}{
		{name: "spec_email_example", typ: "email-addr", content: map[string]string{"value": "john@example.com"}, want: "email-addr--"},
		{name: "ipv4", typ: "ipv4-addr", content: map[string]string{"value": "203.0.113.9"}, want: "ipv4-addr--"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := stixID(tc.typ, stixSCONamespace, tc.content)
			b := stixID(tc.typ, stixSCONamespace, tc.content)
			if a != b || !strings.HasPrefix(a, tc.want) {
				t.Errorf("ids %s, %s", a, b)
			}
			want := tc.typ + "--" + uuid.NewSHA1(stixSCONamespace, []byte(`{"value":"`+tc.content["value"]+`"}`)).String()
			if diff := cmp.Diff(want, a); diff != "" {
				t.Errorf("id (-want +got):\n%s", diff)
			}
		})
	}
	if d := stixTime(time.Date(2025, 7, 1, 2, 3, 4, 5e6, time.FixedZone("x", 3600))); d != "2025-07-01T01:03:04.005Z" {
		t.Errorf("stixTime = %s", d)
	}
}

// TestSTIXObservables maps each kind of shared identifier, with and
// without personal data, and validates a bundle holding all of them.
func TestSTIXObservables(t *testing.T) {
	tests := []struct {
		name        string
		link        Link
		pii         bool
		wantType    string
		wantPattern string
	}{
		{name: "ipv4", link: Link{Kind: "ip", Value: "203.0.113.9"}, wantType: "ipv4-addr", wantPattern: "[ipv4-addr:value = '203.0.113.9']"},
		{name: "ipv6", link: Link{Kind: "ip", Value: "2001:db8::7"}, wantType: "ipv6-addr", wantPattern: "[ipv6-addr:value = '2001:db8::7']"},
		{name: "not_an_ip", link: Link{Kind: "ip", Value: "n/a"}},
		{name: "payout", link: Link{Kind: "bank_account", Value: "payout account 1a2b3c4d…"}, wantType: "x-rollcall-payout-fingerprint", wantPattern: "[x-rollcall-payout-fingerprint:value = '1a2b3c4d…']"},
		{name: "device", link: Link{Kind: "device", Value: "C02XK1ZJHV2T"}, wantType: "x-rollcall-device-serial", wantPattern: "[x-rollcall-device-serial:value = 'C02XK1ZJHV2T']"},
		{name: "url_gets_scheme", link: Link{Kind: "url", Value: "github.com/jdoe-dev"}, wantType: "url", wantPattern: "[url:value = 'https://github.com/jdoe-dev']"},
		{name: "quote_escaped", link: Link{Kind: "device", Value: `O'BRIEN\1`}, wantType: "x-rollcall-device-serial", wantPattern: `[x-rollcall-device-serial:value = 'O\'BRIEN\\1']`},
		{name: "email_without_pii", link: Link{Kind: "email", Value: "a.b@mail.example"}},
		{name: "email_with_pii", link: Link{Kind: "email", Value: "a.b@mail.example"}, pii: true, wantType: "email-addr", wantPattern: "[email-addr:value = 'a.b@mail.example']"},
		{name: "phone_without_pii", link: Link{Kind: "phone", Value: "+12535550143"}},
		{name: "phone_with_pii", link: Link{Kind: "phone", Value: "+12535550143"}, pii: true, wantType: "x-rollcall-phone-number", wantPattern: "[x-rollcall-phone-number:value = '+12535550143']"},
		{name: "address_without_pii", link: Link{Kind: "address", Value: "1 main st"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			typ, _, pattern, ok := STIX{IncludePII: tc.pii}.stixObservable(tc.link)
			if diff := cmp.Diff([]any{tc.wantType, tc.wantPattern, tc.wantType != ""}, []any{typ, pattern, ok}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	var links []Link
	for _, tc := range tests {
		l := tc.link
		l.Members = []string{"E1", "E2"}
		links = append(links, l)
	}
	r := &Report{
		People:   []Person{{ID: "E1", Level: "high", Flagged: true}, {ID: "E2", Level: "low"}, {ID: "E3", Level: "low"}, {ID: "E4", Level: "low"}},
		Clusters: []Cluster{{ID: "C1", Members: []string{"E1", "E2"}, Links: links}, {ID: "C2", Members: []string{"E3", "E4"}, Links: []Link{{Kind: "ip", Value: "198.51.100.1", Members: []string{"E3", "E4"}}}}},
	}
	for _, pii := range []bool{false, true} {
		out := render(t, STIX{Time: ocsfTime, IncludePII: pii}, r)
		for _, e := range validateSTIX(decodeSTIX(t, out)) {
			t.Errorf("pii=%v: %s", pii, e)
		}
		if !strings.Contains(string(out), `"value": "mail.example"`) {
			t.Errorf("pii=%v: the mailbox's domain is missing", pii)
		}
		if strings.Contains(string(out), "198.51.100.1") {
			t.Errorf("pii=%v: cell C2 has no flagged member but was shared", pii)
		}
	}
}
