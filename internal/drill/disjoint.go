package drill

import (
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"github.com/rollcall/rollcall/internal/event"
)

// identifiers lists the values of e that link records to a person or
// people to each other (the identity graph's links): hardware serials,
// asset tags and host names, device and MFA factor ids, payout accounts,
// phones, emails, websites and streets.
func identifiers(e *event.Event) []string {
	var out []string
	add := func(vs ...string) {
		for _, v := range vs {
			if v != "" {
				out = append(out, v)
			}
		}
	}
	switch {
	case e.SignIn != nil:
		add(e.SignIn.DeviceID, e.SignIn.DeviceName, e.SignIn.MFADevice)
	case e.Device != nil:
		add(e.Device.HostID)
		for _, row := range e.Device.Rows {
			for k, v := range row.All() {
				if strings.Contains(k, "serial") || strings.Contains(k, "uuid") || strings.Contains(k, "hostname") || k == "computer_name" {
					add(v)
				}
			}
		}
	case e.Shipment != nil:
		add(e.Shipment.AssetSerial, e.Shipment.AssetTag, e.Shipment.ShipTo.Street)
	case e.Payout != nil:
		add(e.Payout.AccountFingerprint)
	case e.Person != nil:
		add(e.Person.Phones...)
		for _, a := range e.Person.Addresses {
			add(a.Street)
		}
	case e.Applicant != nil:
		add(e.Applicant.Phones...)
		add(e.Applicant.Emails...)
		add(e.Applicant.Websites...)
		add(e.Applicant.SocialMedia...)
		add(e.Applicant.Addresses...)
	}
	return out
}

// disjoint makes the injected records share no identifier and no network
// address with the real data, so that no real person is linked to an
// injected one by chance (the simulator draws serials, host names and
// addresses from the same pools for every organisation): every colliding
// value is changed, the same way wherever it appears. Identifiers the
// personas share among themselves stay shared.
func disjoint(prof *Profile, personas []*injected, ids map[string]string) {
	used := func(v string) bool { return prof.idents[v] || prof.ids[v] || prof.emails[strings.ToLower(v)] }
	for _, ip := range personas {
		for _, e := range ip.events {
			for _, v := range identifiers(e) {
				if _, done := ids[v]; done || !prof.idents[v] {
					continue
				}
				for k := 1; ; k++ {
					if nv := bump(v, k); !used(nv) {
						ids[v] = nv
						prof.idents[nv] = true
						break
					}
				}
			}
		}
	}
	ips := map[netip.Addr]netip.Addr{}
	for _, ip := range personas {
		for _, e := range ip.events {
			n := e.Net()
			if n == nil || !n.IP.IsValid() || !prof.ips[n.IP] {
				continue
			}
			nip, ok := ips[n.IP]
			for a := n.IP; !ok; {
				a = a.Next()
				if !a.IsValid() {
					break
				}
				if !prof.ips[a] {
					nip, ok = a, true
					ips[n.IP] = a
					prof.ips[a] = true
				}
			}
			if ok {
				moved := *n // networks are shared: replaced, never modified
				moved.IP = nip
				e.SetNet(&moved)
			}
		}
	}
}

var lastRun = regexp.MustCompile(`[0-9]+`)

// bump changes the last run of digits of v by k (keeping its width), or
// appends k when v has none.
func bump(v string, k int) string {
	locs := lastRun.FindAllStringIndex(v, -1)
	if len(locs) == 0 {
		return v + "-" + strconv.Itoa(k)
	}
	l := locs[len(locs)-1]
	run := v[l[0]:l[1]]
	n, err := strconv.ParseUint(run, 10, 64)
	if err != nil || len(run) > 18 {
		return v + "-" + strconv.Itoa(k)
	}
	mod := uint64(1)
	for range run {
		mod *= 10
	}
	s := strconv.FormatUint((n+uint64(k))%mod, 10)
	s = strings.Repeat("0", len(run)-len(s)) + s
	return v[:l[0]] + s + v[l[1]:]
}
