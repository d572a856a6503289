package drill

import (
	"fmt"
	"hash/fnv"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/event"
)

// evade applies the scenario's evasions to an evasive persona's records,
// as a careful operator would change their behaviour; n makes what it
// draws distinct per persona. It records the evasions that changed
// something.
func evade(ip *injected, n int) {
	for _, ev := range ip.scenario.Evasions {
		var changed bool
		switch ev {
		case EvadeNightShift:
			changed = nightShift(ip.events)
		case EvadeNoVPN:
			changed = noVPN(ip.events)
		case EvadeUSBIDs:
			changed = disguiseUSB(ip.events)
		case EvadeForwarder:
			changed = forwarder(ip.events, n)
		case EvadeContacts:
			changed = distinctContacts(ip.events, n)
		}
		if changed {
			ip.evasions = append(ip.evasions, ev)
		}
	}
}

// nightShift moves the persona's timestamped activity so that its median
// hour is early afternoon in the claimed time zone: the operator works
// nights where they really are.
func nightShift(events []*event.Event) bool {
	loc := time.UTC
	for _, e := range events {
		if e.Person != nil && e.Person.Timezone != "" {
			if l, err := time.LoadLocation(e.Person.Timezone); err == nil {
				loc = l
			}
		}
	}
	var hours []int
	for _, e := range events {
		if e.SignIn != nil {
			hours = append(hours, e.Time.In(loc).Hour())
		}
	}
	if len(hours) == 0 {
		return false
	}
	sort.Ints(hours)
	shift := 13 - hours[len(hours)/2]
	if shift > 12 {
		shift -= 24
	} else if shift < -12 {
		shift += 24
	}
	if shift > -3 && shift < 3 {
		return false
	}
	d := time.Duration(shift) * time.Hour
	for _, e := range events {
		switch {
		case e.SignIn != nil, e.Audit != nil:
			e.Time = e.Time.Add(d)
		case e.Commit != nil:
			e.Time = e.Time.Add(d).In(loc)
			e.Commit.AuthorTime = e.Commit.AuthorTime.Add(d).In(loc)
			e.Commit.CommitterTime = e.Commit.CommitterTime.Add(d).In(loc)
		}
	}
	return true
}

// noVPN replaces every VPN, proxy or hosting network of the persona's
// sign-ins and audit entries by the residential network it uses most.
func noVPN(events []*event.Event) bool {
	counts := map[string]int{}
	nets := map[string]event.Network{}
	for _, e := range events {
		if n := e.Net(); n != nil && n.IP.IsValid() && !n.IsProxy && !n.IsHosting {
			counts[n.IP.String()]++
			nets[n.IP.String()] = *n
		}
	}
	if len(counts) == 0 {
		return false
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if counts[a] != counts[b] {
			return counts[b] - counts[a]
		}
		return strings.Compare(a, b)
	})
	home := nets[keys[0]]
	changed := false
	for _, e := range events {
		if n := e.Net(); n != nil && (n.IsProxy || n.IsHosting) {
			e.SetNet(&home) // networks are shared: replaced, never modified
			changed = true
		}
	}
	return changed
}

// disguiseUSB makes IP-KVMs on the Linux Foundation gadget ids report a
// common keyboard receiver instead (their ids and strings are settable).
func disguiseUSB(events []*event.Event) bool {
	changed := false
	for _, e := range events {
		if e.Device == nil || e.Device.Table != "usb_devices" {
			continue
		}
		for i := range e.Device.Rows {
			row := &e.Device.Rows[i]
			if strings.EqualFold(row.Get("vendor_id"), "1d6b") {
				for _, cv := range [][2]string{{"vendor_id", "046d"}, {"model_id", "c52b"}, {"vendor", "Logitech"}, {"model", "USB Receiver"}, {"serial", ""}} {
					row.Set(cv[0], cv[1])
				}
				changed = true
			}
		}
	}
	return changed
}

// forwarder ships each laptop to a mail-forwarder suite of the persona's
// own, so no two personas share a ship-to address.
func forwarder(events []*event.Event, n int) bool {
	changed := false
	for _, e := range events {
		if e.Shipment == nil {
			continue
		}
		a := &e.Shipment.ShipTo
		a.Street = fmt.Sprintf("%d Commerce Pkwy Ste %d PMB %d", 1200+37*n, 100+n, 4000+seq(e.Shipment.EmployeeID)%5000)
		a.Formatted = ""
		changed = true
	}
	return changed
}

var lastDigits = regexp.MustCompile(`[0-9]{4}$`)

// distinctContacts gives each applicant record its own phone, email and
// website, so that the cell's records share no contact.
func distinctContacts(events []*event.Event, n int) bool {
	changed := false
	for _, e := range events {
		a := e.Applicant
		if a == nil {
			continue
		}
		salt := seq(a.CandidateID) + uint32(n)
		for i, p := range a.Phones {
			a.Phones[i] = lastDigits.ReplaceAllString(p, fmt.Sprintf("%04d", (salt+uint32(i))%10000))
		}
		for i, m := range a.Emails {
			if at := strings.LastIndexByte(m, '@'); at > 0 {
				a.Emails[i] = fmt.Sprintf("%s.%d%s", m[:at], salt%1000, m[at:])
			}
		}
		for i, w := range a.Websites {
			a.Websites[i] = strings.Replace(w, "://", fmt.Sprintf("://p%d-", salt%1000), 1)
		}
		changed = changed || len(a.Phones)+len(a.Emails)+len(a.Websites) > 0
	}
	return changed
}

// seq is a stable number drawn from s.
func seq(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}
