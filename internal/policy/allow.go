package policy

import (
	"net/netip"
	"strings"
	"time"
)

// AllowedASN reports whether asn is a sanctioned VPN / gateway network at t,
// and why.
func (a *Allow) AllowedASN(asn uint32, t time.Time) (string, bool) {
	for _, e := range a.VPNASNs {
		if e.ASN == asn && e.Active(t) {
			return e.Reason, true
		}
	}
	return "", false
}

// IsEgress reports whether ip is in a corporate egress range at t.
func (a *Allow) IsEgress(ip netip.Addr, t time.Time) (string, bool) {
	for _, e := range a.Egress {
		if e.Prefix.Contains(ip) && e.Active(t) {
			return e.Reason, true
		}
	}
	return "", false
}

// TravelApproved reports whether person's presence in country at t is
// approved travel. The window includes From and To; a To given as a date
// covers that whole day.
func (a *Allow) TravelApproved(person, country string, t time.Time) (string, bool) {
	for _, e := range a.Travel {
		if e.Person != person || !e.Active(t) || t.Before(e.From) || !t.Before(e.end()) {
			continue
		}
		for _, c := range e.Countries {
			if strings.EqualFold(c, country) {
				return e.Reason, true
			}
		}
	}
	return "", false
}

// end is the first instant after the window: a To at midnight (a date
// without a time of day) covers that whole day.
func (e TravelEntry) end() time.Time {
	if e.To.Hour() == 0 && e.To.Minute() == 0 && e.To.Second() == 0 && e.To.Nanosecond() == 0 {
		return e.To.AddDate(0, 0, 1)
	}
	return e.To.Add(time.Nanosecond)
}

// SharedAddress reports whether a normalised address is a known,
// legitimate shared address. norm is applied to each entry before comparing.
func (a *Allow) SharedAddress(addr string, norm func(string) string, t time.Time) (string, bool) {
	for _, e := range a.SharedAddresses {
		if e.Active(t) && norm(e.Address) == addr {
			return e.Reason, true
		}
	}
	return "", false
}

// ToolAllowed reports whether an endpoint tool is sanctioned at t
// (case-insensitive name match).
func (a *Allow) ToolAllowed(name string, t time.Time) (string, bool) {
	for _, e := range a.Tools {
		if strings.EqualFold(e.Name, name) && e.Active(t) {
			return e.Reason, true
		}
	}
	return "", false
}

// Suppressed reports whether indicator is suppressed for person at t.
func (a *Allow) Suppressed(person, indicator string, t time.Time) (string, bool) {
	for _, e := range a.People {
		if e.Person == person && strings.EqualFold(e.Indicator, indicator) && e.Active(t) {
			return e.Reason, true
		}
	}
	return "", false
}
