package signin

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

// oktaSignIn is a successful user.session.start from n (Mac OS X).
func oktaSignIn(record int, email string, t time.Time, n event.Network) *event.Event {
	return detecttest.OktaSignIn(record, email, t, n, "Mac OS X")
}

// Networks as Okta reports them.
var (
	// homeNY is a residential ISP in New York.
	homeNY = event.Network{
		IP: netip.MustParseAddr("192.0.2.10"), Country: "US", Region: "New York", City: "New York", Lat: 40.71, Lon: -74.01, HasGeo: true,
		ASN: 7922, ASOrg: "comcast", ISP: "comcast cable communications llc", Domain: "comcast.net",
	}
	// homeSF is a residential ISP in San Francisco.
	homeSF = event.Network{
		IP: netip.MustParseAddr("192.0.2.20"), Country: "US", Region: "California", City: "San Francisco", Lat: 37.77, Lon: -122.42, HasGeo: true,
		ASN: 7018, ASOrg: "at&t services inc.", ISP: "at&t", Domain: "att.net",
	}
	// hotelLondon is a hotel network in London.
	hotelLondon = event.Network{
		IP: netip.MustParseAddr("198.51.100.30"), Country: "GB", Region: "England", City: "London", Lat: 51.51, Lon: -0.13, HasGeo: true,
		ASN: 5089, ASOrg: "virgin media limited", ISP: "virgin media", Domain: "virginmedia.com",
	}
	// shenyang is a residential ISP in Shenyang (north-east China).
	shenyang = detecttest.Shenyang
	// vladivostok is a residential ISP in Vladivostok.
	vladivostok = event.Network{
		IP: netip.MustParseAddr("198.51.100.50"), Country: "RU", Region: "Primorsky Krai", City: "Vladivostok", Lat: 43.12, Lon: 131.89, HasGeo: true,
		ASN: 12389, ASOrg: "rostelecom", ISP: "rostelecom", Domain: "rt.ru",
	}
	// m247VPN is a commercial VPN exit on M247 that Okta flags as a proxy.
	m247VPN = detecttest.M247VPN
	// zscaler is a Zscaler Internet Access egress (Okta flags these as
	// proxies too) in Frankfurt.
	zscaler = event.Network{
		IP: netip.MustParseAddr("203.0.113.70"), Country: "DE", Region: "Hesse", City: "Frankfurt am Main", Lat: 50.11, Lon: 8.68, HasGeo: true,
		ASN: 62044, ASOrg: "zscaler inc.", ISP: "zscaler", Domain: "zscaler.net", IsProxy: true,
	}
)
