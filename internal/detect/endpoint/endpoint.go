// Package endpoint holds the indicators of the endpoint stage (catalogue
// section "Endpoint", END-01…END-10): what the endpoint agent (osquery) sees
// installed, running or plugged in on a person's company laptop, and how
// its keyboard layouts and locale compare with the claimed residence. One
// file per indicator; this file holds what they share: walking a person's
// osquery rows, matching them against the endpoint knowledge
// (internal/enrich/endpoint), the policy allow-list of sanctioned tools,
// how widespread a tool is in the fleet, how persistently a USB device is
// attached, and describing rows as evidence.
package endpoint

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	kb "github.com/rollcall/rollcall/internal/enrich/endpoint"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// osquery table names as the adapter sets them (internal/source/osquery).
const (
	tableUSB       = "usb_devices"
	tableProcesses = "processes"
	tableExecs     = "process_events"
	tableApps      = "apps"
	tablePrograms  = "programs"
	tableSystem    = "system_info"
	tableKeyboard  = "keyboard_layout"
)

// Fleet-standard tools: a tool installed on more than fleetShare of the
// hosts with a software inventory is taken to be the organisation's own
// (sanctioned) tool, provided the fleet has at least fleetMinHosts hosts.
const (
	fleetShare    = 0.3
	fleetMinHosts = 10
)

// inventorySettle is how long after a host's first software report its
// initial inventory may still be arriving (differential results of a new
// agent trickle in over the first hours).
const inventorySettle = 24 * time.Hour

// knowledge returns k, or the knowledge in use (kb.Current) when k is nil.
func knowledge(k *kb.Knowledge) *kb.Knowledge {
	if k != nil {
		return k
	}
	return kb.Current()
}

// sighting is one osquery row of one event.
type sighting struct {
	e   *event.Event
	row event.Row
}

// action is what the row says: "added", "removed" or "snapshot" (batch
// rows carry their own diffResults).
func (s sighting) action() string {
	if s.e.Device.Action == "batch" {
		return cmp.Or(s.row.Get("diffResults"), "added")
	}
	return s.e.Device.Action
}

func (s sighting) host() string { return s.e.Device.HostID }

// isSoftwareRow reports whether a row lists software: processes, macOS
// apps, Windows programs, or an unrecognised package table (a name and a
// version: deb, rpm, Homebrew, Chocolatey packages, browser extensions).
func isSoftwareRow(e *event.Event, row event.Row) bool {
	switch e.Device.Table {
	case tableProcesses, tableExecs, tableApps, tablePrograms:
		return true
	case "":
		return row.Get("name") != "" && row.Get("version") != ""
	}
	return false
}

// sightings calls fn for every row of the person's device events, in time
// order, that keep says to.
func sightings(p *profile.Person, keep func(e *event.Event, row event.Row) bool, fn func(sighting)) {
	for _, e := range p.Devices {
		if e.Device == nil {
			continue
		}
		for _, row := range e.Device.Rows {
			if keep(e, row) {
				fn(sighting{e: e, row: row})
			}
		}
	}
}

// softwareHit is one software product seen on one person's machines.
type softwareHit struct {
	match  kb.SoftwareMatch // the most confident match
	names  []string         // every name the product was seen under (for the allow-list)
	hosts  []string
	first  time.Time
	last   time.Time
	days   map[time.Time]bool
	events []sighting // first sighting per host and table, then the latest
	latest sighting
	// running is when its processes ran, per host (process rows only).
	running map[string]*presence
	// appeared reports whether it first showed a day or more after its
	// host first reported software (installed while the agent watched, not
	// part of the inventory the agent found when it was enrolled).
	appeared bool
}

// runningPersistently reports whether its processes stayed up on a host
// (see persistentSpan), whether any process rows were seen at all, and
// whether there is enough data to tell (see presence.judged).
func (h *softwareHit) runningPersistently(hd hostDays) (persistent, seen, judged bool) {
	for _, pr := range h.running {
		seen = true
		judged = judged || pr.judged(hd)
		if pr.persistent(hd) {
			return true, true, true
		}
	}
	return false, seen, judged
}

// softwareHits groups the person's software rows matching categories by
// product, in product order.
func softwareHits(p *profile.Person, k *kb.Knowledge, categories ...kb.Category) ([]*softwareHit, hostDays) {
	byProduct := map[string]*softwareHit{}
	seen := map[string]bool{}
	inventoryFrom := map[string]time.Time{} // host → first software row
	sightings(p, isSoftwareRow, func(s sighting) {
		if _, ok := inventoryFrom[s.host()]; !ok {
			inventoryFrom[s.host()] = s.e.Time
		}
		for _, m := range k.MatchSoftware(s.row) {
			if !slices.Contains(categories, m.Category) {
				continue
			}
			key := string(m.Category) + "\x00" + m.Product
			h := byProduct[key]
			if h == nil {
				h = &softwareHit{match: m, first: s.e.Time, days: map[time.Time]bool{}, running: map[string]*presence{},
					appeared: s.e.Time.Sub(inventoryFrom[s.host()]) >= inventorySettle}
				byProduct[key] = h
			}
			if s.e.Device.Table == tableProcesses {
				pr := h.running[s.host()]
				if pr == nil {
					pr = newPresence(s.host(), s.e.Time)
					h.running[s.host()] = pr
				}
				pr.see(s.action(), s.e.Time)
			}
			if m.Confidence.Rank() > h.match.Confidence.Rank() {
				h.match = m
			}
			for _, n := range []string{m.Value, s.row.Get("name"), s.row.Get("bundle_identifier")} {
				if n != "" && !slices.Contains(h.names, n) {
					h.names = append(h.names, n)
				}
			}
			if !slices.Contains(h.hosts, s.host()) {
				h.hosts = append(h.hosts, s.host())
			}
			h.last = s.e.Time
			h.days[detect.Day(s.e.Time)] = true
			if sk := key + "\x00" + s.host() + "\x00" + s.e.Device.Table; !seen[sk] {
				seen[sk] = true
				h.events = append(h.events, s)
			}
			h.latest = s
		}
	})
	if len(byProduct) == 0 {
		return nil, hostDays{}
	}
	hd := hostDaysOf(p)
	out := make([]*softwareHit, 0, len(byProduct))
	for _, h := range byProduct {
		if h.latest.e != h.events[len(h.events)-1].e {
			h.events = append(h.events, h.latest)
		}
		for _, pr := range h.running {
			pr.finish(hd)
		}
		out = append(out, h)
	}
	slices.SortFunc(out, func(a, b *softwareHit) int {
		if c := strings.Compare(string(a.match.Category), string(b.match.Category)); c != 0 {
			return c
		}
		return strings.Compare(a.match.Product, b.match.Product)
	})
	return out, hd
}

// hitsOnly is softwareHits without the host days.
func hitsOnly(p *profile.Person, k *kb.Knowledge, categories ...kb.Category) []*softwareHit {
	h, _ := softwareHits(p, k, categories...)
	return h
}

// allowed reports whether the policy sanctions a tool under any of names.
func allowed(in *detect.Input, names ...string) (string, bool) {
	if in.Policy == nil {
		return "", false
	}
	for _, n := range names {
		if r, ok := in.Policy.Allow.ToolAllowed(n, in.Now); ok {
			return r, true
		}
	}
	return "", false
}

// allowedHit reports whether the policy sanctions a product: an active
// allow.tools entry names it, one of the names it was seen under, or a
// name the endpoint knowledge recognises as the same product ("ScreenConnect"
// sanctions "ConnectWise ScreenConnect").
func allowedHit(in *detect.Input, k *kb.Knowledge, h *softwareHit) (string, bool) {
	if r, ok := allowed(in, append([]string{h.match.Product}, h.names...)...); ok {
		return r, true
	}
	if in.Policy == nil {
		return "", false
	}
	for _, t := range in.Policy.Allow.Tools {
		if !t.Active(in.Now) {
			continue
		}
		for _, m := range k.MatchSoftware(event.NewRow(map[string]string{"name": t.Name, "bundle_identifier": t.Name})) {
			if m.Category == h.match.Category && m.Product == h.match.Product {
				return t.Reason, true
			}
		}
	}
	return "", false
}

// fleet is how widespread each product of some categories is across the
// hosts that report a software inventory.
type fleet struct {
	hosts     int            // hosts with any software row
	byProduct map[string]int // product → hosts it was seen on
}

func fleetOf(pop *profile.Population, k *kb.Knowledge, categories ...kb.Category) fleet {
	f := fleet{byProduct: map[string]int{}}
	hosts := map[string]bool{}
	on := map[string]map[string]bool{}
	for _, p := range pop.People {
		sightings(p, isSoftwareRow, func(s sighting) {
			hosts[s.host()] = true
			for _, m := range k.MatchSoftware(s.row) {
				if !slices.Contains(categories, m.Category) {
					continue
				}
				if on[m.Product] == nil {
					on[m.Product] = map[string]bool{}
				}
				on[m.Product][s.host()] = true
			}
		})
	}
	f.hosts = len(hosts)
	for prod, hs := range on {
		f.byProduct[prod] = len(hs)
	}
	return f
}

// standard reports whether product is fleet-standard, and says so.
func (f fleet) standard(product string) (string, bool) {
	n := f.byProduct[product]
	if f.hosts < fleetMinHosts || float64(n) <= fleetShare*float64(f.hosts) {
		return "", false
	}
	return fmt.Sprintf("fleet standard: on %d of %d hosts (%.0f%%)", n, f.hosts, 100*float64(n)/float64(f.hosts)), true
}

// Roles that explain a finding. Matched against the roster title and
// department.
var (
	itSupportRole = regexp.MustCompile(`(?i)^(it|i\.t\.|information technology|it operations|it support)$|` +
		`\b(it support|it operations|it services|it admin\w*|help ?desk|service ?desk|desktop support|technical support|` +
		`tech support|support (engineer|specialist|technician|analyst)|end[- ]user (computing|services|support)|` +
		`system administrator|systems administrator|sysadmin|workplace (technology|services)|customer support)\b`)
	mobileRole = regexp.MustCompile(`(?i)\b(android|mobile|ios|app developer|qa|quality assurance|test (engineer|automation))\b`)
)

// hasRole reports whether the person's roster title or department matches.
func hasRole(p *profile.Person, re *regexp.Regexp) (string, bool) {
	hr := p.HR()
	if hr == nil {
		return "", false
	}
	for _, s := range []string{hr.Department, hr.Title} {
		if s = strings.TrimSpace(s); s != "" && re.MatchString(s) {
			return s, true
		}
	}
	return "", false
}

// hostLabel names a host as the analyst knows it: the host identifier, and
// the hostname decoration when it differs.
func hostLabel(s sighting) string {
	h := s.host()
	if n := s.row.Get("decorations.hostname"); n != "" && !strings.EqualFold(n, h) {
		return h + " (" + n + ")"
	}
	return h
}

// describeSoftware says what a software row shows.
func describeSoftware(s sighting) string {
	r := s.row
	name := cmp.Or(r.Get("name"), r.Get("bundle_name"), r.Get("bundle_identifier"))
	var what string
	switch s.e.Device.Table {
	case tableExecs:
		what = fmt.Sprintf("process started: %s", truncate(cmp.Or(r.Get("cmdline"), r.Get("path"), name), 160))
	case tableProcesses:
		what = fmt.Sprintf("process %s", name)
		if c := r.Get("cmdline"); c != "" {
			what += fmt.Sprintf(" (%s)", truncate(c, 160))
		} else if p := r.Get("path"); p != "" {
			what += fmt.Sprintf(" (%s)", p)
		}
		switch s.action() {
		case "removed":
			what += " ended"
		case "snapshot":
			what += " running"
		default:
			what += " started"
		}
	case tableApps:
		what = "app " + name
		if b := r.Get("bundle_identifier"); b != "" {
			what += " (" + b + ")"
		}
		what += installVerb(s.action())
	case tablePrograms:
		what = "program " + name
		if v := r.Get("version"); v != "" {
			what += " " + v
		}
		if pub := r.Get("publisher"); pub != "" {
			what += " by " + pub
		}
		what += installVerb(s.action())
	default:
		what = fmt.Sprintf("%s row %s %s", cmp.Or(s.e.Device.Query, "osquery"), name, r.Get("version"))
	}
	return fmt.Sprintf("%s: %s on host %s", detect.Stamp(s.e.Time), what, hostLabel(s))
}

func installVerb(action string) string {
	if action == "removed" {
		return " uninstalled"
	}
	return " installed"
}

// describeUSB says what a usb_devices row shows.
func describeUSB(s sighting) string {
	r := s.row
	vid, _ := kb.NormalizeUSBID(r.Get("vendor_id"))
	pid, _ := kb.NormalizeUSBID(r.Get("model_id"))
	what := fmt.Sprintf("USB device %s:%s", cmp.Or(vid, r.Get("vendor_id"), "?"), cmp.Or(pid, r.Get("model_id"), "?"))
	for _, c := range []string{"vendor", "model"} {
		if v := strings.TrimSpace(r.Get(c)); v != "" {
			what += fmt.Sprintf(" %q", v)
		}
	}
	if v := strings.TrimSpace(r.Get("serial")); v != "" {
		what += " serial " + v
	}
	verb := " attached"
	switch s.action() {
	case "removed":
		verb = " removed"
	case "snapshot":
		verb = " present"
	}
	return fmt.Sprintf("%s: %s%s on host %s", detect.Stamp(s.e.Time), what, verb, hostLabel(s))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
