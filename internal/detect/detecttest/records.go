package detecttest

import (
	"net/netip"
	"time"

	"github.com/rollcall/rollcall/internal/event"
)

// Builders every stage package's examples share: records as the scim,
// shipments and payroll adapters emit them, with provenance, and the
// networks more than one stage's examples sign in from.

// Files the example records of the other adapters name.
const (
	ShipmentFile = "examples/shipments.csv"
	PayrollFile  = "examples/payroll.csv"
)

// RosterRecord is hr as the scim adapter emits it: record record of
// RosterFile, dated when the user was created, with the SCIM id as the
// record's id. Callers fill hr as their example needs.
func RosterRecord(record int, hr event.Person) *event.Event {
	return &event.Event{
		Kind:   event.KindPerson,
		Time:   hr.Created,
		Prov:   event.Provenance{Origin: &event.Origin{Source: "scim", File: RosterFile}, Record: record, ID: hr.SCIMID},
		Person: &hr,
	}
}

// HomeRoster is an active SCIM user u-id (id@example.com) hired on hired,
// with a home address.
func HomeRoster(record int, id, name string, home event.Address, hired time.Time) *event.Event {
	home.Type = "home"
	return RosterRecord(record, event.Person{EmployeeID: id, SCIMID: "u-" + id, UserName: id + "@example.com", Name: name,
		Addresses: []event.Address{home}, Active: true, Created: hired})
}

// ShipmentRecord is s as one shipments CSV row: record is the 1-based
// data record, on line record+1 below the header; dated when it shipped.
func ShipmentRecord(record int, s event.Shipment) *event.Event {
	return &event.Event{
		Kind:     event.KindShipment,
		Time:     s.ShippedOn,
		Prov:     event.Provenance{Origin: &event.Origin{Source: "shipments", File: ShipmentFile}, Record: record, Line: record + 1},
		Shipment: &s,
	}
}

// Networks as Okta reports them, in documentation address space (RFC 5737).
var (
	// Shenyang is a residential ISP in Shenyang (north-east China).
	Shenyang = event.Network{
		IP: netip.MustParseAddr("198.51.100.40"), Country: "CN", Region: "Liaoning", City: "Shenyang", Lat: 41.80, Lon: 123.43, HasGeo: true,
		ASN: 4837, ASOrg: "china unicom china169 backbone", ISP: "china unicom liaoning", Domain: "chinaunicom.cn",
	}
	// M247VPN is a commercial VPN exit on M247 with a US exit location,
	// which Okta flags as a proxy.
	M247VPN = event.Network{
		IP: netip.MustParseAddr("203.0.113.60"), Country: "US", Region: "Texas", City: "Dallas", Lat: 32.78, Lon: -96.80, HasGeo: true,
		ASN: 9009, ASOrg: "m247 europe srl", ISP: "m247 ltd", IsProxy: true,
	}
)

// MeetingFile is the Zoom participant report the example meetings name.
const MeetingFile = "examples/zoom-participants.ndjson"

// MeetingRecord is one row of a Zoom participant report as the zoom
// adapter emits it: email joined meeting at t for minutes from n (its
// geography as Zoom's location gives it, its AS as an IP database adds
// it), with the camera state camera (event.CameraOn, CameraOff or "").
func MeetingRecord(record int, meeting, email string, t time.Time, minutes int, n event.Network, camera string) *event.Event {
	n.GeoSource = "zoom"
	return &event.Event{
		Kind:    event.KindMeeting,
		Time:    t,
		Prov:    event.Provenance{Origin: &event.Origin{Source: "zoom", File: MeetingFile}, Record: record, Line: record},
		Account: &event.Actor{Email: email, DisplayName: email},
		Meeting: &event.Meeting{Platform: "zoom", MeetingID: meeting, Join: t, Leave: t.Add(time.Duration(minutes) * time.Minute),
			Duration: minutes * 60, Net: &n, Device: "Windows", Camera: camera},
	}
}
