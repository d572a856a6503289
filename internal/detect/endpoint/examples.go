package endpoint

import (
	"maps"
	"time"

	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
)

// Builders for the indicators' own examples (Examples()): roster records
// and osquery results as the adapters emit them, with provenance.

const (
	exampleRosterFile  = detecttest.RosterFile
	exampleOsqueryFile = "examples/osqueryd.results.log"
)

// exampleStart is the first day of the examples' endpoint data.
var exampleStart = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)

// at is a time n days after exampleStart.
func at(n int) time.Time { return exampleStart.AddDate(0, 0, n) }

// rosterRecord is a SCIM user (userName user@example.com) claiming a home
// in country, hired a year before the examples' data.
func rosterRecord(record int, id, name, user, country string) *event.Event {
	return detecttest.RosterRecord(record, event.Person{EmployeeID: id, SCIMID: "u-" + id, UserName: user + "@example.com", Name: name,
		Emails: []string{user + "@example.com"}, Addresses: []event.Address{{Type: "home", Country: country}},
		Active: true, Created: exampleStart.AddDate(-1, 0, 0), Department: "Engineering", Title: "Software Engineer"})
}

// withRole sets the roster department and title.
func withRole(e *event.Event, department, title string) *event.Event {
	e.Person.Department, e.Person.Title = department, title
	return e
}

// osq is one osquery result record (record n of exampleOsqueryFile) from
// host, whose rows carry the host and user decorations.
func osq(record int, host, user string, t time.Time, table, action string, rows ...map[string]string) *event.Event {
	out := make([]event.Row, len(rows))
	for i, r := range rows {
		c := maps.Clone(r)
		c["decorations.hostname"] = host
		c["decorations.username"] = user
		out[i] = event.NewRow(c)
	}
	return &event.Event{
		Kind:   event.KindDevice,
		Time:   t,
		Prov:   event.Provenance{Origin: &event.Origin{Source: "osquery", File: exampleOsqueryFile}, Record: record, Line: record},
		Device: &event.Device{HostID: host, Query: "pack_it_" + table, Table: table, Action: action, Rows: out},
	}
}

func proc(name, path, cmdline string) map[string]string {
	return map[string]string{"name": name, "path": path, "cmdline": cmdline, "pid": "4242", "parent": "1"}
}

func macApp(name, bundle string) map[string]string {
	return map[string]string{"name": name + ".app", "bundle_identifier": bundle, "bundle_name": name, "path": "/Applications/" + name + ".app"}
}

func program(name, version, publisher, location string) map[string]string {
	return map[string]string{"name": name, "version": version, "publisher": publisher, "install_location": location}
}

func usb(vid, pid, vendor, model, serial string) map[string]string {
	return map[string]string{"vendor_id": vid, "model_id": pid, "vendor": vendor, "model": model, "serial": serial, "removable": "1"}
}

// The standard kit of the examples' laptops.
var (
	screenConnect = proc("ScreenConnect.ClientService.exe",
		`C:\Program Files (x86)\ScreenConnect Client (0b4c4bfa1f3e62e1)\ScreenConnect.ClientService.exe`,
		`"C:\Program Files (x86)\ScreenConnect Client (0b4c4bfa1f3e62e1)\ScreenConnect.ClientService.exe" "?e=Access&y=Guest&h=support.example.com&p=8041"`)
	slackApp      = macApp("Slack", "com.tinyspeck.slackmacgap")
	chromeWin     = program("Google Chrome", "141.0.7390.66", "Google LLC", `C:\Program Files\Google\Chrome\Application`)
	logitech      = usb("046d", "c52b", "Logitech", "USB Receiver", "")
	anydeskWin    = proc("AnyDesk.exe", `C:\Program Files (x86)\AnyDesk\AnyDesk.exe`, `"C:\Program Files (x86)\AnyDesk\AnyDesk.exe" --service`)
	teamviewerWin = program("TeamViewer", "15.70.4", "TeamViewer", `C:\Program Files\TeamViewer`)
)
