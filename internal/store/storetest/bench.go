package storetest

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/rollcall/rollcall/internal/event"
)

// BenchEvents returns n Okta-like sign-ins from file, each with a distinct
// record identity: the fixture both backends' SaveEvents benchmarks use.
func BenchEvents(file string, n int) []*event.Event {
	t0 := time.Date(2025, 1, 6, 8, 0, 0, 0, time.UTC)
	out := make([]*event.Event, n)
	for i := range out {
		login := fmt.Sprintf("user%04d@example.com", i%5000)
		out[i] = &event.Event{
			Kind: event.KindSignIn,
			Time: t0.Add(time.Duration(i) * 7 * time.Second),
			Prov: event.Provenance{Origin: &event.Origin{Source: "okta", File: file}, Record: i + 1, Line: i + 1,
				ID: fmt.Sprintf("%032x", i), Hash: fmt.Sprintf("%016x", uint64(i)*2654435761)},
			Account: &event.Actor{ID: fmt.Sprintf("00u%017d", i%5000), Login: login, Email: login, DisplayName: "Some User"},
			SignIn: &event.SignIn{
				Action: "user.session.start", Outcome: event.OutcomeSuccess,
				UserAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
				OS:        "Mac OS X", Browser: "CHROME", SessionID: fmt.Sprintf("102%021d", i), Interactive: true,
				Net: &event.Network{IP: netip.AddrFrom4([4]byte{203, 0, byte(i >> 8), byte(i)}), Country: "US", CountryName: "United States",
					Region: "Texas", City: "Austin", Lat: 30.2672, Lon: -97.7431, HasGeo: true, ASN: 7922, ASOrg: "comcast",
					ISP: "Comcast Cable", Domain: "comcast.net", GeoSource: "okta"},
			},
		}
	}
	return out
}
