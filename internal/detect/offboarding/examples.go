package offboarding

import (
	"time"

	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
)

// Builders for the indicators' own examples (Examples()) and tests: roster
// records, shipments, audit-log entries and sign-ins with provenance, as
// the adapters emit them.

const (
	exampleRosterFile   = detecttest.RosterFile
	exampleShipmentFile = detecttest.ShipmentFile
	exampleAuditFile    = "examples/github-audit.json"
	exampleOktaFile     = "examples/okta.ndjson"
)

var exampleHired = time.Date(2024, 6, 3, 9, 0, 0, 0, time.UTC)

// rosterRecord is a SCIM user; active false marks a leaver.
func rosterRecord(record int, id, name string, active bool, home event.Address) *event.Event {
	hr := event.Person{EmployeeID: id, SCIMID: "scim-" + id, UserName: id + "@acme.example", Name: name,
		Emails: []string{id + "@acme.example"}, Active: active, Created: exampleHired, Organization: "Acme Corp"}
	if home.Street != "" || home.Country != "" {
		home.Type = "home"
		hr.Addresses = []event.Address{home}
	}
	return detecttest.RosterRecord(record, hr)
}

// shipmentRecord is one shipments CSV row (record n on line n+1).
func shipmentRecord(record int, employee, serial, name string, to event.Address, on time.Time) *event.Event {
	return detecttest.ShipmentRecord(record, event.Shipment{EmployeeID: employee, AssetTag: "LT-" + serial, AssetSerial: serial,
		ShippedOn: on, ShipToName: name, ShipTo: to})
}

// auditRecord is a GitHub audit-log entry by the roster login of
// employee.
func auditRecord(record int, employee, action, repo string, at time.Time) *event.Event {
	return &event.Event{Kind: event.KindAudit, Time: at, Account: &event.Actor{Login: employee},
		Prov: event.Provenance{Origin: &event.Origin{Source: "github", File: exampleAuditFile}, Record: record},
		Audit: &event.Audit{Action: action, Org: "acme", Repo: repo,
			CodeAccess: action == "git.clone" || action == "git.fetch" || action == "repo.download_zip"}}
}

// signInRecord is an Okta sign-in by employee.
func signInRecord(record int, employee string, at time.Time) *event.Event {
	return &event.Event{Kind: event.KindSignIn, Time: at, Account: &event.Actor{Login: employee + "@acme.example"},
		Prov:   event.Provenance{Origin: &event.Origin{Source: "okta", File: exampleOktaFile}, Record: record},
		SignIn: &event.SignIn{Action: "user.session.start", Outcome: event.OutcomeSuccess}}
}
