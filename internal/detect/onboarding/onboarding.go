// Package onboarding holds the indicators of the onboarding stage
// (catalogue section "Onboarding"): where equipment is shipped, compared
// with the HR roster and across people. One file per indicator; this file
// holds what they share: recognising company sites (allow-listed shared
// addresses and offices on the roster) and describing shipments.
package onboarding

import (
	"fmt"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/enrich/address"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/profile"
)

// officeMinStaff: a roster work address shared by this many employees,
// and the home of none of them, is a company office.
const officeMinStaff = 2

// site is a known company address: shipping equipment there is normal.
type site struct {
	addr   event.Address
	reason string
	entry  policy.Entry // allow-list validity; zero for roster offices
}

// companySites are the addresses equipment may legitimately go to that
// are not anyone's home: the policy's shared-address allow-list (company
// depots, approved co-living) and offices named as the work address of
// several employees on the roster.
type companySites []site

func knownSites(in *detect.Input) companySites {
	var out companySites
	if in.Policy != nil {
		for _, e := range in.Policy.Allow.SharedAddresses {
			out = append(out, site{addr: address.Parse(e.Address), reason: "allow-listed: " + e.Reason, entry: e.Entry})
		}
	}
	type office struct {
		addr  event.Address
		staff map[string]bool
		homes bool
	}
	offices := map[string]*office{}
	var order []string
	for _, p := range in.Pop.People {
		hr := p.HR()
		if hr == nil {
			continue
		}
		for i, a := range hr.Addresses {
			k := p.Roster.AddressKey(i)
			if a.Type != "work" || k == "" {
				continue
			}
			o := offices[k]
			if o == nil {
				o = &office{addr: a, staff: map[string]bool{}}
				offices[k] = o
				order = append(order, k)
			}
			o.staff[p.ID] = true
			if h := p.Home(); h != nil && h.Type == "home" && address.Same(*h, a) {
				o.homes = true
			}
		}
	}
	for _, k := range order {
		if o := offices[k]; len(o.staff) >= officeMinStaff && !o.homes {
			out = append(out, site{addr: o.addr, reason: fmt.Sprintf("company office (work address of %d employees on the roster)", len(o.staff))})
		}
	}
	return append(out, employerAddressed(in.Pop)...)
}

// employerAddressed finds addresses that shipments to several employees
// address in care of their employer: the recipient line names the
// organization on their own roster records ("Maricel Kim c/o Kestrel
// Systems" for an employee of "Kestrel Systems, Inc."). That is an office
// or depot, not a home or a laptop farm.
func employerAddressed(pop *profile.Population) []site {
	type office struct {
		addr  event.Address
		staff map[string]bool
	}
	offices := map[string]*office{}
	var order []string
	for _, p := range pop.People {
		hr := p.HR()
		if hr == nil {
			continue
		}
		org := profile.OrgKey(hr.Organization)
		if len(org) < 4 {
			continue
		}
		for _, e := range p.Shipments {
			s := e.Shipment
			k := e.AddressKey(0)
			if k == "" || !strings.Contains(profile.OrgKey(s.ShipToName), org) {
				continue
			}
			o := offices[k]
			if o == nil {
				o = &office{addr: s.ShipTo, staff: map[string]bool{}}
				offices[k] = o
				order = append(order, k)
			}
			o.staff[p.ID] = true
		}
	}
	var out []site
	for _, k := range order {
		if o := offices[k]; len(o.staff) >= officeMinStaff {
			out = append(out, site{addr: o.addr, reason: fmt.Sprintf("company office (shipments to %d employees addressed in care of their employer)", len(o.staff))})
		}
	}
	return out
}

// match reports whether a is a known company site at t, and why.
func (cs companySites) match(a event.Address, t time.Time) (string, bool) {
	for _, s := range cs {
		if s.entry.Active(t) && address.Same(s.addr, a) {
			return s.reason, true
		}
	}
	return "", false
}

// equipment names what a shipment carried: "laptop LT-0042".
func equipment(s *event.Shipment) string {
	switch {
	case s.AssetTag != "":
		return "asset " + s.AssetTag
	case s.AssetSerial != "":
		return "asset serial " + s.AssetSerial
	}
	return "equipment"
}
