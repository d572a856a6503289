package identity

import (
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/event"
)

// Endpoint hosts resolve to people in two ways, strongest first:
//
//  1. The hardware serial the host reports (osquery system_info
//     hardware_serial, or a serial decoration) is one shipped to a person.
//     A serial shipped to several people (a laptop returned and sent out
//     again) belongs to the latest shipment.
//  2. Otherwise the user the agent reports (the username decoration) is a
//     roster account: userName, email or its local part, after dropping a
//     Windows domain ("CORP\jdoe") or a mail domain. Built-in and service
//     accounts (root, Administrator, SYSTEM…) never resolve, and when a
//     host reports several roster users the one it reports most often wins
//     (an IT technician logging in once does not take the laptop over).
//
// A host whose reported serial was shipped to nobody therefore still
// resolves through its user: that is what lets ONB-06 see a device other
// than the one shipped.

// serialColumns are the osquery columns and decorations that carry the
// machine's hardware serial.
var serialColumns = []string{"hardware_serial", "serial_number", "decorations.serial", "decorations.hardware_serial"}

// userColumns are the osquery decorations and columns that name the user.
var userColumns = []string{"decorations.username", "decorations.user", "username"}

// systemAccounts are local accounts that are nobody in particular.
var systemAccounts = []string{
	"root", "admin", "administrator", "system", "localadmin", "localsystem", "local service", "network service",
	"defaultuser0", "guest", "nobody", "daemon", "_mbsetupuser", "osquery", "fleet", "mdmadmin",
}

// shippedSerials maps lower-case shipped serials to the person of the
// latest shipment carrying each.
func (r *resolver) shippedSerials(events []*event.Event) map[string]string {
	out := map[string]string{}
	when := map[string]time.Time{}
	for _, e := range events {
		if e.Kind != event.KindShipment || e.Shipment == nil {
			continue
		}
		s := strings.ToLower(strings.TrimSpace(e.Shipment.AssetSerial))
		p := r.pop.ByID[e.Shipment.EmployeeID]
		if p == nil || s == "" {
			continue
		}
		t := e.Shipment.ShippedOn
		if t.IsZero() {
			t = e.Time
		}
		if prev, ok := when[s]; ok && t.Before(prev) {
			continue
		}
		out[s], when[s] = p.ID, t
	}
	return out
}

// hostOwners maps endpoint host identifiers to people (see above).
func (r *resolver) hostOwners(events []*event.Event) map[string]string {
	bySerial := map[string]string{}
	users := map[string]map[string]int{} // host → person → rows naming them
	var firstSeen []string               // host+person pairs in order, for ties
	for _, e := range events {
		if e.Kind != event.KindDevice || e.Device == nil {
			continue
		}
		host := e.Device.HostID
		for _, row := range e.Device.Rows {
			for _, col := range serialColumns {
				if id, ok := r.serials[strings.ToLower(strings.TrimSpace(row.Get(col)))]; ok && row.Get(col) != "" {
					bySerial[host] = id
				}
			}
			for _, col := range userColumns {
				id, ok := r.hostUser(row.Get(col))
				if !ok {
					continue
				}
				if users[host] == nil {
					users[host] = map[string]int{}
				}
				if users[host][id] == 0 {
					firstSeen = append(firstSeen, host+"\x00"+id)
				}
				users[host][id]++
				break // one user per row
			}
		}
	}
	owners := bySerial
	for host, counts := range users {
		if _, ok := owners[host]; ok {
			continue
		}
		best, n := "", 0
		for id, c := range counts {
			if c > n || c == n && slices.Index(firstSeen, host+"\x00"+id) < slices.Index(firstSeen, host+"\x00"+best) {
				best, n = id, c
			}
		}
		owners[host] = best
	}
	return owners
}

// hostUser resolves a user name an endpoint reports to an employee.
func (r *resolver) hostUser(u string) (string, bool) {
	u = strings.TrimSpace(u)
	if i := strings.LastIndexByte(u, '\\'); i >= 0 {
		u = u[i+1:] // CORP\jdoe
	}
	if u == "" || slices.Contains(systemAccounts, strings.ToLower(u)) {
		return "", false
	}
	if id, ok := r.accounts.one(u); ok {
		return id, true
	}
	if i := strings.IndexByte(u, '@'); i > 0 {
		return r.accounts.one(u[:i])
	}
	return "", false
}
