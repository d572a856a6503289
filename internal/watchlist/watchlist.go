// Package watchlist keeps the identifiers of confirmed operatives ("burned
// identities"): it extracts a person's identifiers from the person model
// in the same canonical form the rest of rollcall compares (stamped by
// enrich), and reads and writes the watchlist as CSV. When one team is
// burned, others persist: a phone, mailbox, payout account, address,
// device, IP or GitHub handle that reappears on a new applicant or hire
// points at the same operation. The indicator that flags reuse is in
// internal/detect/hiring (APP-20); the store keeps the list (store.Watchlist).
package watchlist

import (
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/enrich/device"
	"github.com/rollcall/rollcall/internal/enrich/phone"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/profile"
)

// Identifier is one identifier a person holds and the record it came from.
type Identifier struct {
	Kind  string // policy.Burned* kind
	Value string // comparison key
	From  *event.Event
}

// Of returns p's identifiers, one per distinct kind and value (the first
// record holding it), in policy.BurnedKinds order. IPs are only those that
// locate a person (enrich: public, not CGNAT, not a carrier, gateway,
// hosting, anonymiser or allow-listed network): a shared egress would burn
// everyone behind it.
func Of(p *profile.Person) []Identifier {
	var out []Identifier
	seen := map[[2]string]bool{}
	add := func(kind, value string, e *event.Event) {
		value = strings.TrimSpace(value)
		if value == "" || e == nil || seen[[2]string{kind, value}] {
			return
		}
		seen[[2]string{kind, value}] = true
		out = append(out, Identifier{Kind: kind, Value: value, From: e})
	}
	for _, e := range p.Payouts {
		add(policy.BurnedPayout, e.Payout.AccountKey(), e)
	}
	for _, e := range p.Shipments {
		add(policy.BurnedDevice, device.SerialKey(e.Shipment.AssetSerial), e)
	}
	for _, e := range p.Devices {
		for _, s := range device.HostSerials(e.Device) {
			add(policy.BurnedDevice, s, e)
		}
	}
	records := p.Applicants
	if p.Roster != nil {
		records = append([]*event.Event{p.Roster}, p.Applicants...)
	}
	for _, e := range records {
		c := e.Contacts()
		if c == nil {
			continue
		}
		for _, ph := range c.Phones {
			if k := ph.Key; !phone.Placeholder(k) {
				add(policy.BurnedPhone, k, e)
			}
		}
		for _, m := range c.Mailboxes {
			add(policy.BurnedEmail, m, e)
		}
	}
	for _, e := range p.Profiles {
		add(policy.BurnedGitHub, strings.ToLower(e.Profile.Login), e)
	}
	for _, e := range p.Audits {
		if e.Prov.Source() == "github" {
			add(policy.BurnedGitHub, strings.ToLower(e.Actor().Login), e)
		}
	}
	if k := p.HomeKey(); k != "" {
		add(policy.BurnedAddress, k, p.Roster)
	}
	for _, e := range p.Shipments {
		add(policy.BurnedAddress, e.AddressKey(0), e)
	}
	for _, e := range p.SignIns {
		if f := e.Facts.Net; f != nil && f.Locates && e.Net().IP.IsValid() {
			add(policy.BurnedIP, e.Net().IP.String(), e)
		}
	}
	slices.SortStableFunc(out, func(a, b Identifier) int {
		return slices.Index(policy.BurnedKinds, a.Kind) - slices.Index(policy.BurnedKinds, b.Kind)
	})
	return out
}

// Burn returns the watchlist entries for confirmed operative p in case
// caseRef, added at added.
func Burn(p *profile.Person, caseRef string, added time.Time) []policy.Burned {
	var out []policy.Burned
	for _, id := range Of(p) {
		out = append(out, policy.Burned{Kind: id.Kind, Value: id.Value, Case: caseRef, Person: p.ID, Added: added.UTC()})
	}
	return out
}
