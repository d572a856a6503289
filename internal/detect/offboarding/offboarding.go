// Package offboarding holds the indicators of the offboarding stage
// (catalogue section "Offboarding"): what happens when a person leaves —
// equipment that does not come back, and code pulled in the last days.
// A departure is known from the HR roster (SCIM active=false); its date is
// not in the contract (the scim adapter keeps meta.created, not
// meta.lastModified), so the person's last recorded activity stands in for
// it. One file per indicator; this file holds what they share.
package offboarding

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/enrich/address"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// departed reports whether the roster says the person has left.
func departed(p *profile.Person) bool {
	hr := p.HR()
	return hr != nil && !hr.Active
}

// lastActivity is the time of the person's last sign-in, code-host action,
// commit or endpoint observation; the zero time when there is none.
func lastActivity(p *profile.Person) time.Time {
	var last time.Time
	for _, l := range [][]*event.Event{p.SignIns, p.Audits, p.Commits, p.Devices} {
		if n := len(l); n > 0 && l[n-1].Time.After(last) {
			last = l[n-1].Time
		}
	}
	return last
}

// returnWords mark a shipment addressed back to the company: an IT
// returns desk, an asset-recovery service, a depot.
var returnWords = regexp.MustCompile(`(?i)\b(returns?|rma|asset recovery|it (dept|department|desk|team|returns?)|attn:? ?it|warehouse|depot|recycl\w*|retrieval|retrieve|equipment recovery)\b`)

// returnSites are where equipment goes back to: the policy's allow-listed
// shared addresses (company depots) and roster work addresses (offices).
type returnSites struct {
	sites    []event.Address
	employer string // profile.OrgKey of the organisation most of the roster works for
}

func knownReturnSites(in *detect.Input) returnSites {
	var rs returnSites
	if in.Policy != nil {
		for _, e := range in.Policy.Allow.SharedAddresses {
			if e.Active(in.Now) {
				rs.sites = append(rs.sites, address.Parse(e.Address))
			}
		}
	}
	orgs := map[string]int{}
	n := 0
	for _, p := range in.Pop.People {
		hr := p.HR()
		if hr == nil {
			continue
		}
		for i, a := range hr.Addresses {
			if a.Type == "work" && p.Roster.AddressKey(i) != "" {
				rs.sites = append(rs.sites, a)
			}
		}
		if k := profile.OrgKey(hr.Organization); k != "" {
			orgs[k]++
			n++
		}
	}
	for k, c := range orgs {
		if 2*c > n && len(k) >= 4 {
			rs.employer = k
		}
	}
	return rs
}

// toCompany reports whether a shipment goes to the company: a company
// site, the employer by name, or a returns desk.
func (rs returnSites) toCompany(s *event.Shipment) bool {
	if returnWords.MatchString(shipText(s)) {
		return true
	}
	if rs.employer != "" && strings.Contains(" "+profile.OrgKey(s.ShipToName)+" ", " "+rs.employer+" ") {
		return true
	}
	for _, a := range rs.sites {
		if address.Same(a, s.ShipTo) {
			return true
		}
	}
	return false
}

func shipText(s *event.Shipment) string {
	return strings.Join([]string{s.ShipToName, s.ShipTo.Street, s.ShipTo.Formatted}, " ")
}

// assetKeys are the identifiers of a shipped asset: its tag and serial.
func assetKeys(s *event.Shipment) []string {
	var out []string
	for _, k := range []string{s.AssetTag, s.AssetSerial} {
		if k = strings.ToUpper(strings.TrimSpace(k)); k != "" {
			out = append(out, k)
		}
	}
	return out
}

func sameAsset(a, b *event.Shipment) bool {
	for _, x := range assetKeys(a) {
		if slices.Contains(assetKeys(b), x) {
			return true
		}
	}
	return false
}

// split divides a person's shipments (in time order) into deliveries to
// the person and returns. A return names a returns desk (RMA, asset
// recovery, IT returns…), or sends an asset already shipped to the person
// back to the company (a company site or the employer by name). A first
// delivery "c/o" the employer or to an office is a delivery, not a return.
func (rs returnSites) split(ships []*event.Event) (out, back []*event.Event) {
	for _, e := range ships {
		s := e.Shipment
		again := slices.ContainsFunc(out, func(o *event.Event) bool { return sameAsset(o.Shipment, s) })
		if returnWords.MatchString(shipText(s)) || again && rs.toCompany(s) {
			back = append(back, e)
			continue
		}
		out = append(out, e)
	}
	return out, back
}

// unreturned lists the deliveries that no later return covers: a return of
// the same asset, or a return that matches no delivered asset (a returns
// desk entry that names no asset or another tag).
func unreturned(out, back []*event.Event) []*event.Event {
	var left []*event.Event
	for _, o := range out {
		covered := slices.ContainsFunc(back, func(r *event.Event) bool {
			if r.Time.Before(o.Time) {
				return false
			}
			if sameAsset(r.Shipment, o.Shipment) {
				return true
			}
			return !slices.ContainsFunc(out, func(x *event.Event) bool { return sameAsset(x.Shipment, r.Shipment) })
		})
		if !covered {
			left = append(left, o)
		}
	}
	return left
}
