package graph

import (
	"strings"
	"time"
	"unicode"

	"github.com/rollcall/rollcall/internal/enrich/address"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

// keySep separates the parts of an address.Key.
const keySep = "|"

// addressLabel renders an address key for people: its non-empty parts
// joined with ", " (e.g. "12 elm st unit 4, 60601, US"). The label can be
// pasted into allow.shared_addresses.
func addressLabel(key string) string {
	var parts []string
	for _, p := range strings.Split(key, keySep) {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// addressRule keeps an address's holders unless too many people share it
// (a business address) or it is an allow-listed shared address.
func addressRule(pol *policy.Policy, now time.Time) func(*identifier) []string {
	return func(id *identifier) []string {
		if n := pol.Cluster.MaxAddressSharers; n == 0 || len(id.people) > n {
			return nil
		}
		if _, ok := sharedAddress(pol, id.key, now); ok {
			return nil
		}
		return id.people
	}
}

// sharedAddress reports whether an address key matches an allow-listed
// shared address in force at now. An entry matches when every part it
// gives (street, postal code, city, country) equals the key's; the street
// is required.
func sharedAddress(pol *policy.Policy, key string, now time.Time) (string, bool) {
	for _, e := range pol.Allow.SharedAddresses {
		if !e.Active(now) {
			continue
		}
		if matchKey(entryKey(e.Address), key) {
			return e.Reason, true
		}
	}
	return "", false
}

func matchKey(entry, key string) bool {
	if entry == "" {
		return false
	}
	ep, kp := strings.Split(entry, keySep), strings.Split(key, keySep)
	if len(ep) != len(kp) {
		return entry == key
	}
	if ep[0] == "" {
		return false
	}
	for i := range ep {
		if ep[i] != "" && ep[i] != kp[i] {
			return false
		}
	}
	return true
}

// entryKey turns an allow-list address into an address key. It is read as
// "street, city, region postal, country" (or an addressLabel): the first
// part is the street, a final two-letter part the country, a part with
// digits the postal code (its letter-only words, the region, are dropped)
// and the first other part the city.
func entryKey(s string) string {
	var parts []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	a := event.Address{Street: parts[0]}
	rest := parts[1:]
	if n := len(rest); n > 0 && isAlpha2(rest[n-1]) {
		a.Country = strings.ToUpper(rest[n-1])
		rest = rest[:n-1]
	}
	for _, p := range rest {
		if strings.ContainsFunc(p, unicode.IsDigit) {
			var postal []string
			for _, w := range strings.Fields(p) {
				if strings.ContainsFunc(w, unicode.IsDigit) || len(postal) > 0 {
					postal = append(postal, w)
				}
			}
			a.PostalCode = strings.Join(postal, "")
		} else if a.Locality == "" {
			a.Locality = p
		}
	}
	return address.Key(a)
}

func isAlpha2(s string) bool {
	return len(s) == 2 && unicode.IsLetter(rune(s[0])) && unicode.IsLetter(rune(s[1]))
}
