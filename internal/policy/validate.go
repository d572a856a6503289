package policy

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/textfmt"
)

// problems collects validation messages.
type problems []string

func (p *problems) add(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &InvalidError{Problems: p}
}

// Validate checks the policy and returns an *InvalidError listing every
// problem, each with how to fix it, or nil. It does not check indicator IDs
// against the registry; ValidateIDs does.
func (p *Policy) Validate() error {
	var v problems
	p.validateLevels(&v)
	if !(p.StageDecay > 0 && p.StageDecay <= 1) {
		v.add("stage_decay is %g; it must be above 0 and at most 1 (0.5 halves each further finding in a stage, 1 turns diminishing returns off)", p.StageDecay)
	}
	for _, id := range sortedKeys(p.Weights) {
		w := p.Weights[id]
		if strings.TrimSpace(id) == "" {
			v.add("weights: an entry has an empty indicator ID; use catalogue IDs such as IAM-01 (`rollcall indicators` lists them)")
			continue
		}
		if !(w >= 0 && w <= 100) {
			v.add("weights.%s is %g; a weight is the points one finding adds and must be within 0–100", id, w)
		}
	}
	for i, id := range p.Weak {
		if strings.TrimSpace(id) == "" {
			v.add("weak[%d] is empty; list catalogue IDs such as IAM-06, or remove the entry", i)
		}
	}
	for _, id := range fairnessSensitive {
		if !slices.ContainsFunc(p.Weak, func(w string) bool { return strings.EqualFold(w, id) }) {
			v.add("weak: %s is fairness-sensitive (nationality, language, locale or time zone) and must stay in the list so that it can never alone raise anyone above low; add it back", id)
		}
	}
	p.validateCluster(&v)
	p.Allow.validate(&v)
	return v.err()
}

func (p *Policy) validateLevels(v *problems) {
	l := p.Levels
	for _, t := range []struct {
		name string
		val  float64
	}{{"low", l.Low}, {"medium", l.Medium}, {"high", l.High}, {"critical", l.Critical}} {
		if !(t.val >= 0 && t.val <= 100) {
			v.add("levels.%s is %g; a threshold is a score and must be within 0–100", t.name, t.val)
		}
	}
	if !(l.Low > 0) {
		v.add("levels.low is %g; it must be above 0, or people with no findings at all would rank as low", l.Low)
	}
	if !(l.Low < l.Medium && l.Medium < l.High && l.High < l.Critical) {
		v.add("levels must increase: low (%g) < medium (%g) < high (%g) < critical (%g); move the threshold that is out of order", l.Low, l.Medium, l.High, l.Critical)
	}
	if l.Medium-l.Low < 1 {
		v.add("levels.medium (%g) must be at least 1 above levels.low (%g): weak-only people are held below medium and must still be able to reach low", l.Medium, l.Low)
	}
}

func (p *Policy) validateCluster(v *problems) {
	c := p.Cluster
	if c.MaxIPSharers < 0 || c.MaxIPSharers == 1 {
		v.add("cluster.max_ip_sharers is %d; use 2 or more (the most people one IP may link), or 0 to never link people by IP", c.MaxIPSharers)
	}
	if c.MaxAddressSharers < 0 || c.MaxAddressSharers == 1 {
		v.add("cluster.max_address_sharers is %d; use 2 or more (the most people one address may link), or 0 to never link people by address", c.MaxAddressSharers)
	}
	if c.MaxIdentifierSharers < 0 || c.MaxIdentifierSharers == 1 {
		v.add("cluster.max_identifier_sharers is %d; use 2 or more (the most people one phone, email, URL or device serial may link), or 0 to never link people by them", c.MaxIdentifierSharers)
	}
	if c.MaxPayoutSharers < 0 || c.MaxPayoutSharers == 1 {
		v.add("cluster.max_payout_sharers is %d; use 2 or more (the most people one payout account may pay and still link), or 0 for no limit", c.MaxPayoutSharers)
	}
	if c.MaxCellSize < 0 || c.MaxCellSize == 1 {
		v.add("cluster.max_cell_size is %d; use 2 or more (the most people one cell may hold), or 0 for no cap", c.MaxCellSize)
	}
	if !(c.Bonus >= 0 && c.Bonus <= 100) {
		v.add("cluster.bonus is %g; it is the most points cell membership adds and must be within 0–100", c.Bonus)
	}
	for i, asn := range c.CarrierASNs {
		if asn == 0 {
			v.add("cluster.carrier_asns[%d] is 0; give the carrier's AS number, e.g. 21928", i)
		}
	}
}

const reasonHint = "say why it is allowed and who approved it, e.g. reason: \"sanctioned by IT, ticket SEC-123\""

func (a *Allow) validate(v *problems) {
	for i, e := range a.VPNASNs {
		where := fmt.Sprintf("allow.vpn_asns[%d]", i)
		if e.ASN == 0 {
			v.add("%s: asn is missing or 0; give the AS number of the sanctioned VPN, e.g. asn: 13335", where)
		}
		if strings.TrimSpace(e.Reason) == "" {
			v.add("%s (AS%d): reason is empty; %s", where, e.ASN, reasonHint)
		}
	}
	for i, e := range a.Egress {
		where := fmt.Sprintf("allow.egress[%d]", i)
		switch {
		case !e.Prefix.IsValid():
			v.add("%s: prefix is missing; give the egress range in CIDR form, e.g. prefix: 203.0.113.0/24", where)
		case e.Prefix != e.Prefix.Masked():
			v.add("%s: prefix %s has host bits set; write the network, %s", where, e.Prefix, e.Prefix.Masked())
		}
		if strings.TrimSpace(e.Reason) == "" {
			v.add("%s (%s): reason is empty; %s", where, e.Prefix, reasonHint)
		}
	}
	for i, e := range a.Travel {
		where := fmt.Sprintf("allow.travel[%d]", i)
		if strings.TrimSpace(e.Person) == "" {
			v.add("%s: person is empty; give the person's id as reports show it (employee id)", where)
		}
		if len(e.Countries) == 0 {
			v.add("%s: countries is empty; list ISO 3166-1 alpha-2 codes, e.g. countries: [FR, DE]", where)
		}
		for _, c := range e.Countries {
			if !isAlpha2(c) {
				v.add("%s: country %q is not an ISO 3166-1 alpha-2 code; write two letters, e.g. FR", where, c)
			}
		}
		switch {
		case e.From.IsZero() || e.To.IsZero():
			v.add("%s: from and to are both required; give the travel window as dates, e.g. from: 2025-03-01, to: 2025-03-15", where)
		case !e.From.Before(e.To):
			v.add("%s: from (%s) must be before to (%s); swap or correct the dates", where, textfmt.Date(e.From, ""), textfmt.Date(e.To, ""))
		}
		if strings.TrimSpace(e.Reason) == "" {
			v.add("%s: reason is empty; %s", where, reasonHint)
		}
	}
	for i, e := range a.SharedAddresses {
		where := fmt.Sprintf("allow.shared_addresses[%d]", i)
		if strings.TrimSpace(e.Address) == "" {
			v.add("%s: address is empty; write it as street, city, region postal code, country (e.g. \"500 Market St, San Francisco, CA 94105, US\") or paste the address a cluster link shows", where)
		}
		if strings.TrimSpace(e.Reason) == "" {
			v.add("%s: reason is empty; %s", where, reasonHint)
		}
	}
	for i, e := range a.Tools {
		where := fmt.Sprintf("allow.tools[%d]", i)
		if strings.TrimSpace(e.Name) == "" {
			v.add("%s: name is empty; give the tool as the endpoint data names it, e.g. name: TeamViewer", where)
		}
		if strings.TrimSpace(e.Reason) == "" {
			v.add("%s (%s): reason is empty; %s", where, e.Name, reasonHint)
		}
	}
	for i, e := range a.People {
		where := fmt.Sprintf("allow.people[%d]", i)
		if strings.TrimSpace(e.Person) == "" {
			v.add("%s: person is empty; give the person's id as reports show it", where)
		}
		if strings.TrimSpace(e.Indicator) == "" {
			v.add("%s: indicator is empty; give the one indicator to suppress, e.g. indicator: IAM-01", where)
		}
		if strings.TrimSpace(e.Reason) == "" {
			v.add("%s: reason is empty; %s", where, reasonHint)
		}
	}
}

// ValidateIDs checks that every indicator ID the policy names (weights,
// weak, suppressions) is one known reports. The fairness-sensitive
// catalogue IDs are always accepted in the weak list, registered or not.
// Pass the registry, e.g. func(id string) bool { _, ok := list.ByID(id); return ok }.
func (p *Policy) ValidateIDs(known func(id string) bool) error {
	var v problems
	const hint = "no registered indicator has this ID; `rollcall indicators` lists them"
	for _, id := range sortedKeys(p.Weights) {
		if !known(id) {
			v.add("weights.%s: %s", id, hint)
		}
	}
	for i, id := range p.Weak {
		if !known(id) && !slices.Contains(fairnessSensitive, strings.ToUpper(id)) {
			v.add("weak[%d] %s: %s", i, id, hint)
		}
	}
	for i, e := range p.Allow.People {
		if e.Indicator != "" && !known(e.Indicator) {
			v.add("allow.people[%d] indicator %s: %s", i, e.Indicator, hint)
		}
	}
	return v.err()
}

// Stale lists allow-list entries that have expired by now, so that a scan
// can say which exceptions no longer apply.
func (p *Policy) Stale(now time.Time) []string {
	var out []string
	note := func(where, what string, e Entry) {
		if !e.Active(now) {
			out = append(out, fmt.Sprintf("%s (%s) expired on %s and no longer applies; renew it with a new reason or remove it", where, what, textfmt.Date(e.Expires, "")))
		}
	}
	a := &p.Allow
	for i, e := range a.VPNASNs {
		note(fmt.Sprintf("allow.vpn_asns[%d]", i), fmt.Sprintf("AS%d", e.ASN), e.Entry)
	}
	for i, e := range a.Egress {
		note(fmt.Sprintf("allow.egress[%d]", i), e.Prefix.String(), e.Entry)
	}
	for i, e := range a.Travel {
		note(fmt.Sprintf("allow.travel[%d]", i), e.Person, e.Entry)
	}
	for i, e := range a.SharedAddresses {
		note(fmt.Sprintf("allow.shared_addresses[%d]", i), e.Address, e.Entry)
	}
	for i, e := range a.Tools {
		note(fmt.Sprintf("allow.tools[%d]", i), e.Name, e.Entry)
	}
	for i, e := range a.People {
		note(fmt.Sprintf("allow.people[%d]", i), e.Person+" "+e.Indicator, e.Entry)
	}
	return out
}

func isAlpha2(s string) bool {
	if len(s) != 2 {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return false
		}
	}
	return true
}

func sortedKeys(m map[string]float64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
