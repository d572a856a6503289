package endpoint

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	kb "github.com/rollcall/rollcall/internal/enrich/endpoint"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// A USB device is persistently attached when one attachment lasted at least
// persistentSpan, or when it was present on at least half of the days its
// host reported since it first appeared (and on two days at least). An
// IP-KVM or a bridging single-board computer must stay attached to do its
// job; a hobby gadget is plugged in while someone works on it.
const persistentSpan = 24 * time.Hour

// presence is when one thing (a USB device, a running process) was
// present on one host, replayed from snapshot, added and removed rows.
type presence struct {
	host    string
	first   time.Time
	open    time.Time // start of a presence not yet removed
	longest time.Duration
	present map[time.Time]bool // days it was present
}

func newPresence(host string, first time.Time) *presence {
	return &presence{host: host, first: first, present: map[time.Time]bool{}}
}

// see records a row with its action at t.
func (pr *presence) see(action string, t time.Time) {
	switch action {
	case "added":
		if pr.open.IsZero() {
			pr.open = t
		}
		pr.present[detect.Day(t)] = true
	case "removed":
		if pr.open.IsZero() {
			pr.present[detect.Day(t)] = true
		} else {
			pr.close(t)
		}
	default: // a snapshot row: present now
		pr.present[detect.Day(t)] = true
	}
}

// finish closes an open presence at the host's last report.
func (pr *presence) finish(hd hostDays) {
	if !pr.open.IsZero() {
		pr.close(hd.last[pr.host])
	}
}

// close ends the open presence at t.
func (pr *presence) close(t time.Time) {
	if t.Before(pr.open) {
		t = pr.open
	}
	for x := detect.Day(pr.open); !x.After(t); x = x.AddDate(0, 0, 1) {
		pr.present[x] = true
	}
	pr.longest = max(pr.longest, t.Sub(pr.open))
	pr.open = time.Time{}
}

// persistent reports whether it stayed (see persistentSpan).
func (pr *presence) persistent(hd hostDays) bool {
	if pr.longest >= persistentSpan {
		return true
	}
	n := len(pr.present)
	return n >= 2 && 2*n >= hd.since(pr.host, pr.first)
}

// judged reports whether there is enough data to call it persistent or
// not: an attachment of persistentSpan, or a host that reported on two
// days or more since it first appeared.
func (pr *presence) judged(hd hostDays) bool {
	return pr.longest >= persistentSpan || hd.since(pr.host, pr.first) >= 2
}

// days counts the days it was present, and the days the host reported
// since it first appeared.
func (pr *presence) days(hd hostDays) (int, int) {
	return len(pr.present), max(len(pr.present), hd.since(pr.host, pr.first))
}

// usbDevice is one USB device (by its ids and strings) on one host.
type usbDevice struct {
	*presence
	row       event.Row  // the latest row
	matches   []kb.USB   // knowledge entries it matches, most confident first
	sightings []sighting // the first, then the latest
}

// hostDays is, per host, the days on which it reported anything, and when
// it last did.
type hostDays struct {
	days map[string]map[time.Time]bool
	last map[string]time.Time
}

func hostDaysOf(p *profile.Person) hostDays {
	h := hostDays{days: map[string]map[time.Time]bool{}, last: map[string]time.Time{}}
	for _, e := range p.Devices {
		if e.Device == nil {
			continue
		}
		id := e.Device.HostID
		if h.days[id] == nil {
			h.days[id] = map[time.Time]bool{}
		}
		h.days[id][detect.Day(e.Time)] = true
		if e.Time.After(h.last[id]) {
			h.last[id] = e.Time
		}
	}
	return h
}

// since counts the days host reported from t's day on.
func (h hostDays) since(host string, t time.Time) int {
	n, d0 := 0, detect.Day(t)
	for d := range h.days[host] {
		if !d.Before(d0) {
			n++
		}
	}
	return n
}

func isUSBRow(e *event.Event, row event.Row) bool {
	if e.Device.Table == tableUSB {
		return true
	}
	_, v := row.Lookup("vendor_id")
	_, m := row.Lookup("model_id")
	return e.Device.Table == "" && v && m
}

// usbDevices returns the person's USB devices that keep (given a device's
// first row and its knowledge matches) says to look at, in order of first
// appearance.
func usbDevices(p *profile.Person, k *kb.Knowledge, keep func(row event.Row, ms []kb.USB) bool) ([]*usbDevice, hostDays) {
	byKey := map[string]*usbDevice{}
	var order []*usbDevice
	sightings(p, isUSBRow, func(s sighting) {
		key := usbKey(s)
		d := byKey[key]
		if d == nil {
			ms := k.MatchUSB(s.row)
			if !keep(s.row, ms) {
				return
			}
			d = &usbDevice{presence: newPresence(s.host(), s.e.Time), matches: ms}
			byKey[key] = d
			order = append(order, d)
		}
		d.row = s.row
		if len(d.sightings) < 2 {
			d.sightings = append(d.sightings, s)
		} else {
			d.sightings[1] = s
		}
		d.see(s.action(), s.e.Time)
	})
	if len(order) == 0 {
		return nil, hostDays{}
	}
	hd := hostDaysOf(p)
	for _, d := range order {
		d.finish(hd)
	}
	return order, hd
}

// attached describes how long the device was attached.
func (d *usbDevice) attached(hd hostDays) string {
	n, of := d.days(hd)
	return fmt.Sprintf("first seen %s, attached on %d of the %d days the host reported since", detect.Date(d.first), n, of)
}

// best returns the most confident entry of the given categories.
func (d *usbDevice) best(categories ...kb.Category) (kb.USB, bool) {
	for _, m := range d.matches {
		if slices.Contains(categories, m.Category) {
			return m, true
		}
	}
	return kb.USB{}, false
}

func hasCategory(ms []kb.USB, categories ...kb.Category) bool {
	return slices.ContainsFunc(ms, func(m kb.USB) bool { return slices.Contains(categories, m.Category) })
}

// usbKey identifies a device on a host by its ids and strings.
func usbKey(s sighting) string {
	r := s.row
	vid, _ := kb.NormalizeUSBID(r.Get("vendor_id"))
	pid, _ := kb.NormalizeUSBID(r.Get("model_id"))
	return strings.ToLower(strings.Join([]string{s.host(), vid, pid, strings.TrimSpace(r.Get("vendor")),
		strings.TrimSpace(r.Get("model")), strings.TrimSpace(r.Get("serial"))}, "\x00"))
}

// usbName names a device for a summary: its product from the knowledge,
// its ids and its strings.
func usbName(d *usbDevice, m kb.USB) string {
	vid, _ := kb.NormalizeUSBID(d.row.Get("vendor_id"))
	pid, _ := kb.NormalizeUSBID(d.row.Get("model_id"))
	s := fmt.Sprintf("%s (%s:%s", m.Product, vid, pid)
	for _, c := range []string{"vendor", "model"} {
		if v := strings.TrimSpace(d.row.Get(c)); v != "" {
			s += fmt.Sprintf(" %q", v)
		}
	}
	if v := strings.TrimSpace(d.row.Get("serial")); v != "" {
		s += " serial " + v
	}
	return s + ")"
}
