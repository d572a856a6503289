package graph

import (
	"net/netip"
	"slices"
	"time"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/profile"
)

// minIPDays is how many distinct days (UTC) a person must use an IP for it
// to link them: one visit to a café or a hotel is not a shared home.
const minIPDays = 2

// ipUse is one person's use of one IP.
type ipUse struct {
	days        []int64 // UTC day numbers, deduplicated by distinctDays
	lastDay     int64
	first, last time.Time
	firstEvent  *event.Event
}

// distinctDays returns the number of distinct days the IP was used.
func (u *ipUse) distinctDays() int {
	slices.Sort(u.days)
	u.days = slices.Compact(u.days)
	return len(u.days)
}

// ipSeen is everything seen about one IP.
type ipSeen struct {
	users    map[string]*ipUse
	excluded bool // office, sanctioned VPN, carrier, anonymiser or hosting
}

// ipLinks returns the IP links: see the package comment for the rules.
func ipLinks(pop *profile.Population, pol *policy.Policy) []rawLink {
	if pol.Cluster.MaxIPSharers == 0 {
		return nil
	}
	seen := map[netip.Addr]*ipSeen{}
	homes := map[string]string{}
	for _, p := range pop.People {
		homes[p.ID] = p.HomeKey() // "" when unknown
		for _, list := range [][]*event.Event{p.SignIns, p.Audits} {
			for _, e := range list {
				n := e.Net()
				if n == nil || !n.IP.IsValid() || e.Facts.Device.Has(event.DeviceAutomated) {
					continue // a CI runner or bot: the machine's address, not the person's
				}
				ip := n.IP.Unmap()
				if len(pop.Index.IP.Holders(ip)) < 2 { // nobody else is seen there
					continue
				}
				s := seen[ip]
				if s == nil {
					s = &ipSeen{users: map[string]*ipUse{}}
					seen[ip] = s
				}
				if !e.Facts.Net.Locates {
					s.excluded = true
				}
				u := s.users[p.ID]
				if u == nil {
					u = &ipUse{first: e.Time, firstEvent: e, lastDay: -1 << 62}
					s.users[p.ID] = u
				}
				// Event lists are sorted by time, so a day repeats mostly
				// back to back; distinctDays removes the rest.
				if day := e.Time.Unix() / 86400; day != u.lastDay {
					u.days = append(u.days, day)
					u.lastDay = day
				}
				if e.Time.Before(u.first) {
					u.first, u.firstEvent = e.Time, e
				}
				if e.Time.After(u.last) {
					u.last = e.Time
				}
			}
		}
	}
	var out []rawLink
	for ip, s := range seen {
		if s.excluded || len(s.users) < 2 || len(s.users) > pol.Cluster.MaxIPSharers {
			continue
		}
		var members []string
		distinctHomes := map[string]bool{}
		for id, u := range s.users {
			if u.distinctDays() < minIPDays {
				continue
			}
			members = append(members, id)
			h := homes[id]
			if h == "" {
				h = "\x00" + id // an unknown home is nobody else's home
			}
			distinctHomes[h] = true
		}
		if len(members) < 2 || len(distinctHomes) < 2 {
			continue
		}
		slices.Sort(members)
		var evs []event.Evidence
		for _, id := range members {
			if len(evs) == event.MaxEvidence {
				break
			}
			u := s.users[id]
			evs = append(evs, event.EvidenceOf(u.firstEvent, "%s used %s on %d days between %s and %s",
				id, ip, u.distinctDays(), u.first.UTC().Format(time.DateOnly), u.last.UTC().Format(time.DateOnly)))
		}
		out = append(out, rawLink{key: ip.String(), Link: Link{Kind: KindIP, Value: ip.String(), Members: members, Evidence: evs}})
	}
	return out
}
