package report

import (
	"fmt"
	"io"
	"net/netip"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/policy"
)

// STIXWatchlist writes a watchlist of burned identities (confirmed
// operatives' identifiers) as a STIX 2.1 bundle for a peer or an ISAC:
// each entry as a cyber observable (ipv4-addr, ipv6-addr, url for a
// GitHub handle, x-rollcall-* for payout fingerprints, device serials,
// phones and postal addresses, email-addr) with an indicator over it, one
// grouping per case, created by an identity for the producer. Payout
// fingerprints are shortened as reports show them; mailboxes, phones and
// addresses (personal data) only with IncludePII; operatives' ids and
// other tenants' entries never. `rollcall watchlist import` reads it back.
type STIXWatchlist struct {
	Time       time.Time // created and modified; valid_from of entries without a time
	Producer   string    // default "rollcall"
	IncludePII bool
}

// Write writes entries as one bundle.
func (s STIXWatchlist) Write(w io.Writer, entries []policy.Burned) error {
	now := stixTime(s.Time)
	identity := stixIdentity(s.Producer, now)
	objects := []stixObject{identity}
	seen := map[string]bool{}
	var cases []string
	refs := map[string][]string{}
	for _, b := range entries {
		if b.Tenant != "" {
			continue // another tenant's: theirs to share
		}
		typ, value, ok := s.observable(b)
		if !ok {
			continue
		}
		sco := stixObject{"type": typ, "spec_version": "2.1", "value": value,
			"id": stixID(typ, stixSCONamespace, map[string]string{"value": value})}
		pattern := fmt.Sprintf("[%s:value = '%s']", typ, stixEscape(value))
		valid := now
		if !b.Added.IsZero() {
			valid = stixTime(b.Added)
		}
		c := b.Case
		if c == "" {
			c = "watchlist"
		}
		ind := stixObject{
			"type": "indicator", "spec_version": "2.1",
			"id":      stixID("indicator", stixRollcallNamespace, map[string]string{"case": c, "pattern": pattern}),
			"created": now, "modified": now, "created_by_ref": identity.id(),
			"name":            fmt.Sprintf("%s of a confirmed operative (%s)", b.Kind, c),
			"description":     "Identifier of a person an analyst confirmed as a covert remote IT worker; anyone who reuses it may belong to the same operation.",
			"indicator_types": []string{"malicious-activity"},
			"pattern":         pattern, "pattern_type": "stix", "pattern_version": "2.1",
			"valid_from": valid,
		}
		if seen[ind.id()] {
			continue
		}
		seen[ind.id()] = true
		if !seen[sco.id()] {
			seen[sco.id()] = true
			objects = append(objects, sco)
		}
		objects = append(objects, ind)
		if refs[c] == nil {
			cases = append(cases, c)
		}
		refs[c] = append(refs[c], ind.id(), sco.id())
	}
	for _, c := range cases {
		objects = append(objects, stixObject{
			"type": "grouping", "spec_version": "2.1",
			"id":      stixID("grouping", stixRollcallNamespace, map[string]string{"case": c}),
			"created": now, "modified": now, "created_by_ref": identity.id(),
			"name": c, "context": "suspicious-activity",
			"description": "Identifiers burned by one confirmed case.",
			"object_refs": refs[c],
		})
	}
	return writeSTIX(w, stixBundle(objects))
}

// observable maps an entry to a STIX type and value, or ok=false when it
// is left out (personal data without IncludePII, an unparsable IP).
func (s STIXWatchlist) observable(b policy.Burned) (typ, value string, ok bool) {
	v := strings.TrimSpace(b.Value)
	if v == "" {
		return "", "", false
	}
	switch b.Kind {
	case policy.BurnedIP:
		a, err := netip.ParseAddr(v)
		if err != nil {
			return "", "", false
		}
		if a.Is6() && !a.Is4In6() {
			return "ipv6-addr", a.String(), true
		}
		return "ipv4-addr", a.Unmap().String(), true
	case policy.BurnedGitHub:
		return "url", "https://github.com/" + v, true
	case policy.BurnedPayout:
		if short, _, cut := strings.Cut(v, "…"); cut {
			v = short
		}
		if len(v) > 8 {
			v = v[:8]
		}
		return "x-rollcall-payout-fingerprint", v + "…", true
	case policy.BurnedDevice:
		return "x-rollcall-device-serial", v, true
	}
	if !s.IncludePII {
		return "", "", false
	}
	switch b.Kind {
	case policy.BurnedEmail:
		return "email-addr", v, true
	case policy.BurnedPhone:
		return "x-rollcall-phone-number", v, true
	case policy.BurnedAddress:
		// rollcall's address key, its four parts joined by ", " (empty
		// parts kept, so that an importer can rebuild the key).
		return "x-rollcall-postal-address", strings.ReplaceAll(v, "|", ", "), true
	}
	return "", "", false
}
