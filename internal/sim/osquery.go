package sim

import (
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
)

// osquery results log writer (filesystem logger, event format): every
// company laptop runs osqueryd, which reports when the laptop is on — on
// days its owner works on it. The first report of a host in the window is
// the baseline: every row of the differential queries as "added" (the
// packs were deployed at the start of the window). Then a system_info
// snapshot each week, a time snapshot each day, and differential rows as
// things are installed, started or plugged in; interface_details and
// arp_cache snapshots on the first day and each week (lan.go).

// Scheduled query names.
const (
	osqSystemInfo = "pack_inventory_system_info"
	osqTime       = "pack_inventory_time"
	osqApps       = "pack_it-compliance_apps"
	osqPrograms   = "pack_it-compliance_programs"
	osqProcesses  = "pack_it-compliance_watched_processes" // remote access, VPN and idle-prevention tools, and the sanctioned agent
	osqUSB        = "pack_hardware-monitoring_usb_devices"
)

// osqRec is one line of the results log.
type osqRec struct {
	t      time.Time
	seq    uint64
	host   *hostInfo
	query  string
	action string // added, removed or snapshot
	rows   [][]kv // one row unless a snapshot
}

func (r osqRec) stamp() (time.Time, uint64) { return r.t, r.seq }

// hostState is what the agent of one host has reported so far.
type hostState struct {
	p         *Person
	baselined bool
	online    int    // days reported
	shown     []bool // per item: a lasting item was reported as added
}

func newHostState(p *Person) *hostState {
	return &hostState{p: p, shown: make([]bool, len(p.src.items))}
}

// hostDay appends the results the laptop of h reports on day d, given the
// person's activities that day.
func (o *Org) hostDay(r *rand.Rand, h *hostState, d int, acts []*Activity, out []osqRec) []osqRec {
	p := h.p
	var first *Activity
	for _, a := range acts {
		if a.Device == p.Laptop {
			first = a
			break
		}
	}
	if first == nil {
		return out
	}
	host := p.src.host
	t0 := first.Start.Truncate(time.Second)
	at := func(lo, hi int) time.Time { return t0.Add(time.Duration(between(r, lo, hi)) * time.Second) }
	if !h.baselined || h.online%7 == 0 {
		out = append(out, osqRec{t: at(30, 300), host: host, query: osqSystemInfo, action: "snapshot", rows: [][]kv{systemInfoRow(host)}})
	}
	tt := at(120, 3000)
	out = append(out, osqRec{t: tt, host: host, query: osqTime, action: "snapshot", rows: [][]kv{timeRow(tt, o.deviceZone(first))}})
	for i, it := range p.src.items {
		switch {
		case it.from > d:
		case it.daily > 0:
			if chance(r, it.daily) {
				t := at(600, 5*3600)
				row := o.itemRow(r, host, &it, t)
				out = append(out, osqRec{t: t, host: host, query: itemQuery(&it, host), action: "added", rows: [][]kv{row}},
					osqRec{t: t.Add(time.Duration(between(r, 600, 7200)) * time.Second), host: host, query: itemQuery(&it, host), action: "removed", rows: [][]kv{row}})
			}
		case !h.shown[i]:
			h.shown[i] = true
			t := at(60, 600)
			if h.baselined {
				t = at(600, 4*3600)
			}
			row := o.itemRow(r, host, &it, t)
			out = append(out, osqRec{t: t, host: host, query: itemQuery(&it, host), action: "added", rows: [][]kv{row}})
			if it.brief {
				out = append(out, osqRec{t: t.Add(time.Duration(between(r, 20, 240)) * time.Second), host: host, query: itemQuery(&it, host), action: "removed", rows: [][]kv{row}})
			}
		}
	}
	if len(p.src.lan) > 0 && (!h.baselined || h.online%7 == 0) {
		t := at(300, 3600)
		rows := interfaceRows(host, p.src.ownMAC)
		out = append(out, osqRec{t: t, host: host, query: osqInterfaces, action: "snapshot", rows: rows},
			osqRec{t: t.Add(time.Second), host: host, query: osqARP, action: "snapshot", rows: arpRows(r, p.src.lan, rows[0][0].v)})
	}
	h.baselined = true
	h.online++
	return out
}

// hostRecords are all results of p's laptop over the window.
func (o *Org) hostRecords(p *Person, acts []*Activity) []osqRec {
	rs := newReseeder()
	h := newHostState(p)
	var out []osqRec
	for i := 0; i < len(acts); {
		j := i
		for j < len(acts) && acts[j].Day == acts[i].Day {
			j++
		}
		d := acts[i].Day
		out = o.hostDay(rs.at(o.cfg.Seed, streamEndpoint, uint64(p.Index), uint64(d)), h, d, acts[i:j], out)
		i = j
	}
	return out
}

func itemQuery(it *endpointItem, h *hostInfo) string {
	switch it.kind {
	case itemApp:
		return osqApps
	case itemProgram:
		return osqPrograms
	case itemProcess:
		return osqProcesses
	}
	return osqUSB
}

// itemRow is the row of an item as reported at t, with the columns that
// vary by host and time, sorted by name as osquery writes them.
func (o *Org) itemRow(r *rand.Rand, h *hostInfo, it *endpointItem, t time.Time) []kv {
	row := make([]kv, 0, len(it.cols)+4)
	row = append(row, it.cols...)
	switch it.kind {
	case itemProcess:
		parent, uid := "1", "0"
		if h.platform == "WINDOWS" {
			parent, uid = strconv.Itoa(between(r, 600, 1200)), "-1"
		}
		row = append(row, kv{"parent", parent}, kv{"pid", strconv.Itoa(between(r, 400, 65000))},
			kv{"start_time", strconv.FormatInt(t.Unix()-int64(between(r, 1, 50)), 10)}, kv{"uid", uid})
	case itemUSB:
		row = append(row, kv{"usb_address", strconv.Itoa(between(r, 2, 12))}, kv{"usb_port", strconv.Itoa(between(r, 1, 4))})
	case itemProgram:
		name := ""
		for _, c := range it.cols {
			if c.k == "name" {
				name = c.v
			}
		}
		day := t
		if it.from < 0 {
			day = o.start.AddDate(0, 0, -int(mix(uint64(len(name))^uint64(len(h.hostname)))%600)-1)
		}
		row = append(row, kv{"identifying_number", "{" + strings.ToUpper(o.guid(h.hostname+"|"+name)) + "}"}, kv{"install_date", day.Format("20060102")})
	}
	slices.SortFunc(row, func(a, b kv) int { return strings.Compare(a.k, b.k) })
	return row
}

// systemInfoRow is the system_info row of a host.
func systemInfoRow(h *hostInfo) []kv {
	cpuSub, cpuType, cores := "ARM64E", "arm64e", "12"
	if h.platform == "WINDOWS" {
		cpuSub, cpuType, cores = "-1", "x86_64", "14"
	}
	return []kv{{"board_model", h.model}, {"board_serial", h.boardSerial}, {"board_vendor", h.vendor}, {"board_version", "1.0"},
		{"computer_name", h.hostname}, {"cpu_brand", h.cpu}, {"cpu_logical_cores", cores}, {"cpu_physical_cores", cores},
		{"cpu_subtype", cpuSub}, {"cpu_type", cpuType}, {"hardware_model", h.model}, {"hardware_serial", h.serial},
		{"hardware_vendor", h.vendor}, {"hardware_version", ""}, {"hostname", h.hostname}, {"local_hostname", h.hostname},
		{"physical_memory", h.memory}, {"uuid", h.uuid}}
}

// timeRow is the time table at t on a clock set to loc. As osquery runs
// with --utc, the calendar columns are UTC; local_timezone is the zone
// abbreviation strftime gives, cut to four characters as osquery does.
func timeRow(t time.Time, loc *time.Location) []kv {
	u := t.UTC()
	abbr, _ := t.In(loc).Zone()
	if len(abbr) > 4 {
		abbr = abbr[:4]
	}
	unix := strconv.FormatInt(u.Unix(), 10)
	iso := u.Format("2006-01-02T15:04:05Z")
	return []kv{{"datetime", iso}, {"day", strconv.Itoa(u.Day())}, {"hour", strconv.Itoa(u.Hour())}, {"iso_8601", iso},
		{"local_time", unix}, {"local_timezone", abbr}, {"minutes", strconv.Itoa(u.Minute())}, {"month", strconv.Itoa(int(u.Month()))},
		{"seconds", strconv.Itoa(u.Second())}, {"timestamp", u.Format(osqCalendar)}, {"timezone", "UTC"}, {"unix_time", unix},
		{"weekday", u.Weekday().String()}, {"year", strconv.Itoa(u.Year())}}
}

const osqCalendar = "Mon Jan _2 15:04:05 2006 UTC"

// WriteOsquery writes the fleet's osquery results log (NDJSON).
func (o *Org) WriteOsquery(w io.Writer) error {
	hosts := make([]*hostState, len(o.People))
	for _, p := range o.People {
		hosts[p.Index] = newHostState(p)
	}
	byPerson := make([][]*Activity, len(o.People))
	rs := newReseeder()
	var tl timeline[osqRec]
	var recs []osqRec
	counters := map[string]int{} // host|query -> results so far
	add := func(d int, acts []*Activity) {
		var touched []int
		for _, a := range acts {
			i := a.Person.Index
			if len(byPerson[i]) == 0 {
				touched = append(touched, i)
			}
			byPerson[i] = append(byPerson[i], a)
		}
		slices.Sort(touched)
		for _, i := range touched {
			recs = o.hostDay(rs.at(o.cfg.Seed, streamEndpoint, uint64(i), uint64(d)), hosts[i], d, byPerson[i], recs[:0])
			for _, rec := range recs {
				rec.seq = tl.next()
				tl.pending = append(tl.pending, rec)
			}
			byPerson[i] = byPerson[i][:0]
		}
	}
	encode := func(b []byte, rec *osqRec) []byte {
		key := rec.host.hostname + "|" + rec.query
		n := counters[key]
		counters[key] = n + 1
		return appendOsquery(b, rec, n)
	}
	if err := streamDays(o, w, &tl, add, encode); err != nil {
		return fmt.Errorf("osquery results: %w", err)
	}
	return nil
}

// appendOsquery appends one results-log line, keys in the order osqueryd
// writes them.
func appendOsquery(b []byte, rec *osqRec, counter int) []byte {
	h := rec.host
	head := func(b []byte) []byte {
		b = append(b, `"name":`...)
		b = appendStr(b, rec.query)
		b = append(b, `,"hostIdentifier":`...)
		b = appendStr(b, h.hostname)
		b = append(b, `,"calendarTime":"`...)
		b = rec.t.UTC().AppendFormat(b, osqCalendar)
		b = append(b, `","unixTime":`...)
		b = strconv.AppendInt(b, rec.t.Unix(), 10)
		b = append(b, `,"epoch":0,"counter":`...)
		b = strconv.AppendInt(b, int64(counter), 10)
		b = append(b, `,"numerics":false,"decorations":{"host_uuid":`...)
		b = appendStr(b, h.uuid)
		b = append(b, `,"hostname":`...)
		b = appendStr(b, h.hostname)
		b = append(b, `,"username":`...)
		b = appendStr(b, h.username)
		return append(b, '}')
	}
	if rec.action == "snapshot" {
		b = append(b, `{"snapshot":[`...)
		for i, row := range rec.rows {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendRow(b, row)
		}
		b = append(b, `],"action":"snapshot",`...)
		b = head(b)
		return append(b, "}\n"...)
	}
	b = append(b, '{')
	b = head(b)
	b = append(b, `,"columns":`...)
	b = appendRow(b, rec.rows[0])
	b = append(b, `,"action":`...)
	b = appendStr(b, rec.action)
	return append(b, "}\n"...)
}

func appendRow(b []byte, row []kv) []byte {
	b = append(b, '{')
	for i, c := range row {
		b = appendKey(b, c.k, i == 0)
		b = appendStr(b, c.v)
	}
	return append(b, '}')
}
