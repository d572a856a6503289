package sim

import (
	"testing"
	"time"
)

func TestPlacesAndNetworks(t *testing.T) {
	for _, ps := range [][]*Place{usPlaces, worldPlaces} {
		for _, p := range ps {
			if _, err := time.LoadLocation(p.TZ); err != nil {
				t.Errorf("%s: time zone %q: %v", p.City, p.TZ, err)
			}
			if _, ok := countries[p.Country]; !ok {
				t.Errorf("%s: country %q unknown", p.City, p.Country)
			}
			if p.Region == "" {
				t.Errorf("%s: no region", p.City)
			}
			for _, k := range append(append([]string{}, p.ISPs...), p.Mobile...) {
				if n := ispByKey(k); n == nil || n.Country != p.Country && n.Kind != Hosting {
					t.Errorf("%s: ISP %q missing or from another country", p.City, k)
				}
			}
			if p.Weight > 0 && len(p.ISPs) == 0 {
				t.Errorf("%s: a home without a residential ISP", p.City)
			}
		}
	}
	for k, n := range isps {
		if n.Key != k || n.ASN == 0 || len(n.Prefixes) == 0 || n.ASOrg == "" {
			t.Errorf("ISP %q malformed: %+v", k, n)
		}
		for _, p := range n.Prefixes {
			if !p.Addr().Is4() || p.Bits() < 8 || p.Bits() > 24 {
				t.Errorf("ISP %q: prefix %v", k, p)
			}
		}
	}
	lists := map[string][]string{"farm": farmCities, "forwarder": forwarderCities, "zscaler": zscalerDCs, "vpn": vpnExitCities, "travel": travelDestinations, "real": realLocations}
	for name, l := range lists {
		for _, c := range l {
			if placeByCity(c, "") == nil {
				t.Errorf("%s list: unknown place %q", name, c)
			}
		}
	}
	for _, c := range []string{"Chicago", "Dallas", "Atlanta", "Amsterdam", "London", "Paris"} {
		if placeByCity(c, "") == nil {
			t.Errorf("unknown place %q", c)
		}
	}
}

func TestPostalAndPhoneFormats(t *testing.T) {
	r := newRand(3, streamOrg, 0, 0)
	for _, ps := range [][]*Place{usPlaces, worldPlaces} {
		for _, p := range ps {
			if p.Weight == 0 {
				continue
			}
			if code := p.PostalCode(r); code == "" {
				t.Errorf("%s: empty postal code", p.City)
			}
			if ph := phoneNumber(r, p); len(ph) < 10 || ph[0] != '+' {
				t.Errorf("%s: phone %q", p.City, ph)
			}
		}
	}
}

func TestRandomIPInPrefix(t *testing.T) {
	r := newRand(3, streamOrg, 0, 1)
	for k, n := range isps {
		for range 50 {
			ip := n.randomIP(r)
			ok := false
			for _, p := range n.Prefixes {
				ok = ok || p.Contains(ip)
			}
			if !ok {
				t.Fatalf("%s: %v outside %v", k, ip, n.Prefixes)
			}
		}
	}
}
