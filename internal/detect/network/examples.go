package network

import (
	"net/netip"
	"time"

	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
)

// Builders for the indicators' own examples (Examples()) and tests:
// roster records and Okta sign-ins as the adapters emit them, with
// documentation addresses (RFC 5737) and the network context Okta's
// securityContext and geographicalContext carry.

const (
	exampleRosterFile = detecttest.RosterFile
	exampleOktaFile   = detecttest.OktaFile
)

// exampleStart is a Monday.
var exampleStart = detecttest.Start

// rosterRecord is a SCIM user with a home address in country ("" for
// none).
var rosterRecord = detecttest.Roster

// oktaSignIn is a successful user.session.start from n (Windows).
func oktaSignIn(record int, email string, t time.Time, n event.Network) *event.Event {
	return detecttest.OktaSignIn(record, email, t, n, "Windows")
}

// Networks as Okta reports them.
var (
	// homeUS is a residential ISP in Austin, Texas.
	homeUS = event.Network{
		IP: netip.MustParseAddr("192.0.2.10"), Country: "US", Region: "Texas", City: "Austin", Lat: 30.27, Lon: -97.74, HasGeo: true,
		ASN: 11427, ASOrg: "charter communications inc", ISP: "spectrum", Domain: "rr.com",
	}
	// homeGB is a residential ISP in Manchester.
	homeGB = event.Network{
		IP: netip.MustParseAddr("198.51.100.20"), Country: "GB", Region: "England", City: "Manchester", Lat: 53.48, Lon: -2.24, HasGeo: true,
		ASN: 2856, ASOrg: "british telecommunications plc", ISP: "bt", Domain: "bt.com",
	}
	// shenyang is a residential ISP in Shenyang (north-east China).
	shenyang = detecttest.Shenyang
	// m247VPN is a commercial VPN exit on M247 with a US exit location.
	m247VPN = detecttest.M247VPN
)
