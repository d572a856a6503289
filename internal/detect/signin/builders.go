package signin

import (
	"net/netip"
	"time"

	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
)

// More builders for the examples of the indicators that read several
// sources (IAM-02, IAM-03, IAM-05…IAM-10): roster records with a timezone
// and title, Entra sign-ins with device and MFA details, osquery clock rows
// and GitHub audit entries, as the adapters emit them.

const (
	exampleEntraFile   = "examples/entra-signins.json"
	exampleOsqueryFile = "examples/osqueryd.snapshots.log"
	exampleGitHubFile  = "examples/github-audit.ndjson"
	exampleGitFile     = "examples/git-log.txt"
)

// staff is a roster record with the fields the identity indicators read.
type staff struct {
	record         int
	id, email      string
	name           string
	country, tz    string
	title, dept    string
	street, region string
	hired          time.Time
}

func (s staff) event() *event.Event {
	hired := s.hired
	if hired.IsZero() {
		hired = exampleStart.AddDate(0, -1, 0)
	}
	name := s.name
	if name == "" {
		name = "Example " + s.id
	}
	hr := event.Person{
		EmployeeID: s.id, SCIMID: "scim-" + s.id, UserName: s.email, Name: name, Emails: []string{s.email}, Active: true,
		Timezone: s.tz, Title: s.title, Department: s.dept, Created: hired,
	}
	if s.country != "" {
		hr.Addresses = []event.Address{{Type: "home", Street: s.street, Region: s.region, Country: s.country}}
	}
	return detecttest.RosterRecord(s.record, hr)
}

// entraSignIn is a successful interactive Entra sign-in from n on a
// device; managed is "managed", "unmanaged" or "".
func entraSignIn(record int, upn string, t time.Time, n event.Network, os, deviceID, managed, mfa string) *event.Event {
	n.GeoSource = "entra"
	return &event.Event{
		Kind:    event.KindSignIn,
		Time:    t,
		Prov:    event.Provenance{Origin: &event.Origin{Source: "entra", File: exampleEntraFile}, Record: record},
		Account: &event.Actor{ID: "oid-" + upn, Login: upn, Email: upn},
		SignIn: &event.SignIn{
			Action: "interactiveUser", Outcome: event.OutcomeSuccess, Net: &n, Interactive: true,
			OS: os, Browser: "Edge", DeviceID: deviceID, Managed: managed, MFADevice: mfa,
		},
	}
}

// clockRow is an osquery time-table snapshot from host, logged by user.
func clockRow(record int, host, user string, t time.Time, localTZ string) *event.Event {
	return &event.Event{
		Kind: event.KindDevice,
		Time: t,
		Prov: event.Provenance{Origin: &event.Origin{Source: "osquery", File: exampleOsqueryFile}, Record: record},
		Device: &event.Device{HostID: host, Query: "clock", Table: "time", Action: "snapshot", Rows: event.RowsOf(map[string]string{
			"local_timezone": localTZ, "timezone": "UTC", "unix_time": "0",
			"decorations.hostname": host, "decorations.username": user,
		})},
	}
}

// zoneAbbreviation is what a clock set to zone shows as local_timezone at
// t ("CST" in winter, "CDT" in summer for America/Chicago).
func zoneAbbreviation(zone string, t time.Time) string {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return zone
	}
	name, _ := t.In(loc).Zone()
	return name
}

// githubAudit is a GitHub audit-log entry by login.
func githubAudit(record int, login string, t time.Time, action, target, permission string) *event.Event {
	return &event.Event{
		Kind:    event.KindAudit,
		Time:    t,
		Prov:    event.Provenance{Origin: &event.Origin{Source: "github", File: exampleGitHubFile}, Record: record},
		Account: &event.Actor{Login: login},
		Audit:   &event.Audit{Action: action, Org: "example-org", Target: target, Permission: permission},
	}
}

// More networks.
var (
	// homeChicago is a residential ISP in Chicago.
	homeChicago = event.Network{
		IP: netip.MustParseAddr("192.0.2.30"), Country: "US", Region: "Illinois", City: "Chicago", Lat: 41.88, Lon: -87.63, HasGeo: true,
		ASN: 7922, ASOrg: "comcast", ISP: "comcast cable communications llc", Domain: "comcast.net",
	}
	// farmPhoenix is a residential ISP in Phoenix, Arizona.
	farmPhoenix = event.Network{
		IP: netip.MustParseAddr("192.0.2.40"), Country: "US", Region: "Arizona", City: "Phoenix", Lat: 33.45, Lon: -112.07, HasGeo: true,
		ASN: 22773, ASOrg: "cox communications inc.", ISP: "cox communications", Domain: "cox.net",
	}
)
