package server

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // claimed time zones resolve without the host's zoneinfo

	"github.com/rollcall/rollcall/internal/event"
)

// Bounds on the activity shown on a person page.
const (
	maxCountries = 12
	maxDevices   = 30
	maxHistory   = 100 // payouts, shipments
	stripDays    = 120
)

// activityView is a person's activity: when (hour of day against the
// claimed time zone), where (countries per day), on what (devices), and
// their payout and shipping history.
type activityView struct {
	SignIns   int
	Hours     hourSeries
	Countries []countryRow
	Strip     countryStrip
	Devices   []deviceRow
	Payouts   []payoutRow
	Shipments []shipmentRow
}

// hourSeries is the hour-of-day chart's data (uPlot, from JSON).
type hourSeries struct {
	Hours []int  `json:"hours"`
	Local []int  `json:"local"` // activity per hour in the claimed time zone
	UTC   []int  `json:"utc"`
	Zone  string `json:"zone"` // the claimed time zone, or "" when unknown
	Total int    `json:"total"`
	// OffHours is the share of activity outside 07:00–20:00 in the claimed
	// zone, in percent.
	OffHours int `json:"off_hours"`
}

type countryRow struct {
	Country     string
	SignIns     int
	Proxy       int
	First, Last time.Time
	Networks    string
}

type countryStrip struct {
	Days   int
	Start  time.Time
	Rows   []stripRow
	Height int // pixels: stripRowHeight per row
}

// stripRowHeight is the height of one country's row in the strip.
const stripRowHeight = 16

type stripRow struct {
	Country string
	Y       int
	Cells   []stripCell
}

type deviceRow struct {
	Kind                  string // "sign-in" or "endpoint"
	ID, Name, OS, Browser string
	Managed, UserAgent    string
	Seen                  int
	First, Last           time.Time
}

type payoutRow struct {
	Date                            time.Time
	Method, Account, Country, Payee string
	AccountShort                    string // the fingerprint's start; the whole one is its title
}

type shipmentRow struct {
	Date                         time.Time
	Asset, Serial, Name, Address string
	Country                      string
}

func activity(events []*event.Event) activityView {
	var v activityView
	var zone *time.Location
	for _, e := range events {
		if e.Person != nil && e.Person.Timezone != "" {
			if loc, err := time.LoadLocation(e.Person.Timezone); err == nil {
				zone = loc
				v.Hours.Zone = plain(e.Person.Timezone)
			}
		}
	}
	v.Hours.Hours, v.Hours.Local, v.Hours.UTC = make([]int, 24), make([]int, 24), make([]int, 24)
	for h := range 24 {
		v.Hours.Hours[h] = h
	}
	countries := map[string]*countryRow{}
	networks := map[string]map[string]bool{}
	perDay := map[string]map[string]int{} // country → day → sign-ins
	devices := map[string]*deviceRow{}
	var last time.Time
	for _, e := range events {
		t := e.Time
		active := e.SignIn != nil || e.Audit != nil || e.Commit != nil
		if active && !t.IsZero() {
			v.Hours.Total++
			v.Hours.UTC[t.UTC().Hour()]++
			local := t.UTC()
			if zone != nil {
				local = t.In(zone)
			}
			v.Hours.Local[local.Hour()]++
			if local.Hour() < 7 || local.Hour() >= 20 {
				v.Hours.OffHours++
			}
		}
		switch {
		case e.SignIn != nil:
			v.SignIns++
			si, n := e.SignIn, e.Net()
			c := cut(n.Country, 40)
			if c == "" {
				c = "??"
			}
			row := countries[c]
			if row == nil {
				row = &countryRow{Country: c, First: t}
				countries[c], networks[c], perDay[c] = row, map[string]bool{}, map[string]int{}
			}
			row.SignIns++
			if n.IsProxy || n.IsHosting {
				row.Proxy++
			}
			if t.Before(row.First) {
				row.First = t
			}
			if t.After(row.Last) {
				row.Last = t
			}
			if n.ASN != 0 || n.ASOrg != "" {
				networks[c][strings.TrimSpace("AS"+strconv.FormatUint(uint64(n.ASN), 10)+" "+n.ASOrg)] = true
			}
			if !t.IsZero() {
				perDay[c][t.UTC().Format(time.DateOnly)]++
				last = maxTime(last, t.UTC())
			}
			key := "s|" + si.DeviceID + "|" + si.DeviceName + "|" + si.OS + "|" + si.Browser + "|" + si.UserAgent
			seeDevice(devices, key, t, func() *deviceRow {
				return &deviceRow{Kind: "sign-in", ID: cut(si.DeviceID, 80), Name: cut(si.DeviceName, 80), OS: cut(si.OS, 60),
					Browser: cut(si.Browser, 60), Managed: plain(si.Managed), UserAgent: cut(si.UserAgent, 200)}
			})
		case e.Device != nil:
			d := e.Device
			seeDevice(devices, "e|"+d.HostID, t, func() *deviceRow {
				return &deviceRow{Kind: "endpoint", ID: cut(d.HostID, 80), Name: cut(d.Query, 80)}
			})
		case e.Payout != nil && len(v.Payouts) < maxHistory:
			p := e.Payout
			v.Payouts = append(v.Payouts, payoutRow{Date: p.EffectiveDate, Method: plain(p.Method), Account: cut(p.AccountFingerprint, 80),
				AccountShort: cut(p.AccountFingerprint, 13),
				Country:      plain(p.BankCountry), Payee: cut(p.PayeeName, 120)})
		case e.Shipment != nil && len(v.Shipments) < maxHistory:
			sh := e.Shipment
			v.Shipments = append(v.Shipments, shipmentRow{Date: sh.ShippedOn, Asset: cut(sh.AssetTag, 60), Serial: cut(sh.AssetSerial, 60),
				Name: cut(sh.ShipToName, 120), Address: cut(addressText(sh.ShipTo), 200), Country: plain(sh.ShipTo.Country)})
		}
	}
	if v.Hours.Total > 0 {
		v.Hours.OffHours = v.Hours.OffHours * 100 / v.Hours.Total
	}
	for c, row := range countries {
		nets := slices.Sorted(maps.Keys(networks[c]))
		if len(nets) > 4 {
			nets = append(nets[:4], fmt.Sprintf("+%d more", len(nets)-4))
		}
		row.Networks = cut(strings.Join(nets, ", "), 300)
		v.Countries = append(v.Countries, *row)
	}
	slices.SortFunc(v.Countries, func(a, b countryRow) int {
		return cmp.Or(cmp.Compare(b.SignIns, a.SignIns), strings.Compare(a.Country, b.Country))
	})
	v.Countries = v.Countries[:min(len(v.Countries), maxCountries)]
	v.Strip = strip(v.Countries, perDay, last)
	for _, d := range devices {
		v.Devices = append(v.Devices, *d)
	}
	slices.SortFunc(v.Devices, func(a, b deviceRow) int {
		return cmp.Or(cmp.Compare(b.Seen, a.Seen), strings.Compare(a.Kind+a.ID+a.UserAgent, b.Kind+b.ID+b.UserAgent))
	})
	v.Devices = v.Devices[:min(len(v.Devices), maxDevices)]
	return v
}

func seeDevice(devices map[string]*deviceRow, key string, t time.Time, mk func() *deviceRow) {
	d := devices[key]
	if d == nil {
		d = mk()
		d.First = t
		devices[key] = d
	}
	d.Seen++
	if t.Before(d.First) {
		d.First = t
	}
	if t.After(d.Last) {
		d.Last = t
	}
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// strip lays out sign-ins per country per day over the last stripDays days
// of the person's sign-ins: one row per country.
func strip(rows []countryRow, perDay map[string]map[string]int, last time.Time) countryStrip {
	if last.IsZero() {
		return countryStrip{}
	}
	end := last.Truncate(24 * time.Hour)
	first := end
	for _, r := range rows {
		if !r.First.IsZero() && r.First.UTC().Before(first) {
			first = r.First.UTC().Truncate(24 * time.Hour)
		}
	}
	if lim := end.AddDate(0, 0, -(stripDays - 1)); first.Before(lim) {
		first = lim
	}
	days := int(end.Sub(first)/(24*time.Hour)) + 1
	cs := countryStrip{Days: days, Start: first, Height: len(rows) * stripRowHeight}
	for i, r := range rows {
		counts := perDay[r.Country]
		most := 0
		for _, n := range counts {
			most = max(most, n)
		}
		row := stripRow{Country: r.Country, Y: i * 12}
		for d := range days {
			date := first.AddDate(0, 0, d)
			n := counts[date.Format(time.DateOnly)]
			if n == 0 {
				continue
			}
			row.Cells = append(row.Cells, stripCell{X: d, Class: intensity(n, most), Title: fmt.Sprintf("%s %s: %d sign-ins", day(date), r.Country, n)})
		}
		cs.Rows = append(cs.Rows, row)
	}
	return cs
}
