package report

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// STIX 2.1 namespaces for deterministic ids. SCOs use the namespace the
// specification fixes (§2.9), so the same IP gets the same id in every
// producer's bundle; rollcall's own objects use rollcall's namespace.
var (
	stixSCONamespace      = uuid.MustParse("00abedb4-aa42-466c-9c01-fed23315a9b7")
	stixRollcallNamespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/rollcall/rollcall/stix"))
)

// STIX writes the shared infrastructure of every cell that has a flagged
// member as a STIX 2.1 bundle an ISAC or a peer company can import: the
// identifiers as cyber observables (ipv4-addr, ipv6-addr, domain-name, url,
// and x-rollcall-* custom objects for payout fingerprints, device serials,
// résumé fingerprints, phones and postal addresses), one observed-data and
// one grouping per cell, an indicator with a STIX pattern per identifier
// related to the observed-data by "based-on", all created by an identity
// for the producer. Names never appear; mailboxes, phones and addresses
// (personal data) only with IncludePII. Ids are UUIDv5 over content, so
// the same scan gives the same bundle.
type STIX struct {
	// Time is the scan's evaluation time: created, modified, valid_from
	// and the observation window.
	Time time.Time
	// Producer names the identity that created the objects (default
	// "rollcall").
	Producer string
	// IncludePII adds mailboxes, phone numbers and postal addresses.
	IncludePII bool
}

var _ Reporter = STIX{}

// stixObject is one STIX object; properties are kept as a map so that
// each object type carries exactly its own.
type stixObject map[string]any

func (o stixObject) id() string { return o["id"].(string) }

// stixID builds "type--uuidv5(namespace, content)", content being the
// canonical JSON (RFC 8785: sorted keys, no HTML escaping) of the
// id-contributing properties, as STIX 2.1 §2.9 asks for SCOs.
func stixID(typ string, ns uuid.UUID, content map[string]string) string {
	keys := slices.Sorted(maps.Keys(content))
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(jcsString(k))
		b.WriteByte(':')
		b.WriteString(jcsString(content[k]))
	}
	b.WriteByte('}')
	return typ + "--" + uuid.NewSHA1(ns, []byte(b.String())).String()
}

// jcsString is s as an RFC 8785 JSON string: only quote, backslash and
// control characters escaped.
func jcsString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// stixTime is the STIX timestamp form (RFC 3339, UTC, millisecond
// precision as created/modified require).
func stixTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// Write implements Reporter.
func (s STIX) Write(w io.Writer, r *Report) error {
	return writeSTIX(w, s.bundle(normalized(r)))
}

// writeSTIX writes a bundle as indented JSON.
func writeSTIX(w io.Writer, bundle stixObject) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(bundle); err != nil {
		return fmt.Errorf("stix bundle: %w", err)
	}
	return nil
}

// stixIdentity is the identity object of the producer ("rollcall" when
// empty).
func stixIdentity(producer, now string) stixObject {
	if producer == "" {
		producer = "rollcall"
	}
	return stixObject{
		"type": "identity", "spec_version": "2.1",
		"id":      stixID("identity", stixRollcallNamespace, map[string]string{"name": producer}),
		"created": now, "modified": now,
		"name": producer, "identity_class": "system",
		"description": "rollcall: detection of covert remote IT workers from HR, identity, payroll, device and code exports",
	}
}

// stixBundle wraps objects in a bundle whose id is a UUIDv5 over theirs.
func stixBundle(objects []stixObject) stixObject {
	ids := make([]string, len(objects))
	for i, o := range objects {
		ids[i] = o.id()
	}
	return stixObject{"type": "bundle", "id": stixID("bundle", stixRollcallNamespace, map[string]string{"objects": strings.Join(ids, ",")}), "objects": objects}
}

// stixObservable maps one link to a cyber observable (type and
// properties) and its pattern, or ok=false when it is left out.
func (s STIX) stixObservable(l Link) (typ string, props map[string]string, pattern string, ok bool) {
	v := strings.TrimSpace(l.Value)
	if v == "" {
		return "", nil, "", false
	}
	custom := func(t string) (string, map[string]string, string, bool) {
		return t, map[string]string{"value": v}, fmt.Sprintf("[%s:value = '%s']", t, stixEscape(v)), true
	}
	switch l.Kind {
	case "ip":
		a, err := netip.ParseAddr(v)
		if err != nil {
			return "", nil, "", false
		}
		t := "ipv4-addr"
		if a.Is6() && !a.Is4In6() {
			t = "ipv6-addr"
		}
		return custom(t)
	case "url":
		if !strings.Contains(v, "://") {
			v = "https://" + v
		}
		return custom("url")
	case "bank_account":
		// The report names the account "payout account 1a2b3c4d…" (the
		// start of the salted fingerprint, never the whole of it).
		v = strings.TrimSpace(strings.TrimPrefix(v, "payout account "))
		return custom("x-rollcall-payout-fingerprint")
	case "device":
		return custom("x-rollcall-device-serial")
	case "resume":
		return custom("x-rollcall-resume-fingerprint")
	case "email":
		if s.IncludePII {
			return custom("email-addr")
		}
	case "phone":
		if s.IncludePII {
			return custom("x-rollcall-phone-number")
		}
	case "address":
		if s.IncludePII {
			return custom("x-rollcall-postal-address")
		}
	}
	return "", nil, "", false
}

// stixEscape escapes a string literal for a STIX pattern (§9.5: backslash
// and single quote).
func stixEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s)
}

func (s STIX) bundle(r *Report) stixObject {
	now := stixTime(s.Time)
	identity := stixIdentity(s.Producer, now)
	objects := []stixObject{identity}
	sdo := func(typ string, key map[string]string, props stixObject) stixObject {
		props["type"], props["spec_version"] = typ, "2.1"
		props["id"] = stixID(typ, stixRollcallNamespace, key)
		props["created"], props["modified"] = now, now
		props["created_by_ref"] = identity.id()
		return props
	}
	level := map[string]string{}
	for _, p := range r.People {
		level[p.ID] = p.Level
	}
	seenSCO := map[string]bool{}
	for _, c := range r.Clusters {
		worst := "none"
		for _, m := range c.Members {
			if levelRank(level[m]) > levelRank(worst) {
				worst = level[m]
			}
		}
		if levelRank(worst) < levelRank("medium") {
			continue // no flagged member: nothing worth sharing
		}
		indicatorType := "anomalous-activity"
		if levelRank(worst) >= levelRank("high") {
			indicatorType = "malicious-activity"
		}
		var scos, cellRefs []string
		seenPattern := map[string]bool{}
		var indicators []stixObject
		for _, l := range c.Links {
			if domain := emailDomain(l); domain != "" {
				dn := stixObject{"type": "domain-name", "spec_version": "2.1", "value": domain,
					"id": stixID("domain-name", stixSCONamespace, map[string]string{"value": domain})}
				if !seenSCO[dn.id()] {
					seenSCO[dn.id()] = true
					objects = append(objects, dn)
				}
				if !slices.Contains(scos, dn.id()) {
					scos = append(scos, dn.id())
				}
			}
			typ, props, pattern, ok := s.stixObservable(l)
			if !ok || seenPattern[pattern] {
				continue
			}
			seenPattern[pattern] = true
			sco := stixObject{"type": typ, "spec_version": "2.1", "id": stixID(typ, stixSCONamespace, props)}
			for k, v := range props {
				sco[k] = v
			}
			if !seenSCO[sco.id()] {
				seenSCO[sco.id()] = true
				objects = append(objects, sco)
			}
			scos = append(scos, sco.id())
			indicators = append(indicators, sdo("indicator", map[string]string{"cell": c.ID, "pattern": pattern}, stixObject{
				"name":            fmt.Sprintf("%s shared by %d people of one cell", strings.ReplaceAll(l.Kind, "_", " "), len(l.Members)),
				"description":     fmt.Sprintf("Identifier shared inside a cell of %d people that rollcall flagged as possible covert remote IT workers (%s).", len(c.Members), worst),
				"indicator_types": []string{indicatorType},
				"pattern":         pattern, "pattern_type": "stix", "pattern_version": "2.1",
				"valid_from": now,
			}))
		}
		if len(scos) == 0 {
			continue
		}
		observed := sdo("observed-data", map[string]string{"cell": c.ID}, stixObject{
			"first_observed": now, "last_observed": now, "number_observed": 1,
			"object_refs": scos,
		})
		objects = append(objects, observed)
		cellRefs = append(cellRefs, observed.id())
		for _, ind := range indicators {
			rel := sdo("relationship", map[string]string{"source": ind.id(), "target": observed.id(), "type": "based-on"}, stixObject{
				"relationship_type": "based-on", "source_ref": ind.id(), "target_ref": observed.id(),
			})
			objects = append(objects, ind, rel)
			cellRefs = append(cellRefs, ind.id(), rel.id())
		}
		objects = append(objects, sdo("grouping", map[string]string{"cell": c.ID}, stixObject{
			"name":        "rollcall cell " + c.ID,
			"description": fmt.Sprintf("%d people joined by %d shared identifiers; highest level %s.", len(c.Members), len(c.Links), worst),
			"context":     "suspicious-activity",
			"object_refs": append(cellRefs, scos...),
		}))
	}
	return stixBundle(objects)
}

// emailDomain is the domain of an email link's mailbox: not personal data,
// so it is shared even without IncludePII.
func emailDomain(l Link) string {
	if l.Kind != "email" {
		return ""
	}
	_, d, ok := strings.Cut(strings.TrimSpace(l.Value), "@")
	if !ok || d == "" {
		return ""
	}
	return strings.ToLower(d)
}
