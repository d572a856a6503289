package sim

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// behaviourChecks confirm each hard-negative behaviour from the files.
var behaviourChecks = map[string]func(x *index, id string) error{
	BehaviourOffice: func(x *index, id string) error {
		for _, e := range x.starts[id] {
			if e.Client.Zone == "Chicago Office" {
				users := 0
				for _, es := range x.starts {
					if slices.ContainsFunc(es, func(o oktaEvent) bool { return o.Client.IPAddress == e.Client.IPAddress }) {
						users++
					}
				}
				if users < 15 {
					return fmt.Errorf("office address shared by %d people only", users)
				}
				return nil
			}
		}
		return fmt.Errorf("no sign-in from the office zone")
	},
	BehaviourCouple: func(x *index, id string) error {
		n := 0
		for other, h := range x.home {
			if other != id && h == x.home[id] {
				n++
			}
		}
		if n != 1 {
			return fmt.Errorf("home shared with %d others, want 1", n)
		}
		return nil
	},
	BehaviourCorporateVPN: func(x *index, id string) error {
		for _, e := range x.starts[id] {
			if e.SecurityContext.ASNumber == 62044 && e.SecurityContext.IsProxy {
				return fmt.Errorf("Zscaler flagged as proxy")
			}
		}
		if !slices.ContainsFunc(x.starts[id], func(e oktaEvent) bool { return e.SecurityContext.ASNumber == 62044 }) {
			return fmt.Errorf("no Zscaler sign-in")
		}
		return nil
	},
	BehaviourConsumerVPN: func(x *index, id string) error {
		if !slices.ContainsFunc(x.starts[id], func(e oktaEvent) bool { return e.SecurityContext.IsProxy }) {
			return fmt.Errorf("no proxy sign-in")
		}
		return nil
	},
	BehaviourTraveller: func(x *index, id string) error {
		if !slices.ContainsFunc(x.starts[id], func(e oktaEvent) bool {
			return e.Client.GeographicalContext.Country != countryName(x.country[id])
		}) {
			return fmt.Errorf("no sign-in abroad")
		}
		return nil
	},
	BehaviourResidentAbroad: func(x *index, id string) error {
		home, direct := 0, 0
		for _, e := range x.starts[id] {
			if e.SecurityContext.IsProxy {
				continue
			}
			direct++
			if e.Client.GeographicalContext.Country == countryName(x.country[id]) {
				home++
			}
		}
		if x.country[id] == "US" || home*10 < direct*7 && !x.has(id, BehaviourTraveller) {
			return fmt.Errorf("roster country %s, %d of %d direct sign-ins there", x.country[id], home, direct)
		}
		return nil
	},
	BehaviourRelocated: func(x *index, id string) error {
		s := x.shipTo[id]
		if len(s) < 2 || s[len(s)-1] != x.home[id] || s[0] == x.home[id] {
			return fmt.Errorf("shipments %v, home %s", s, x.home[id])
		}
		return nil
	},
	BehaviourMovedAbroad: func(x *index, id string) error {
		p := x.pay[id]
		if x.country[id] == "US" || len(p) < 2 || p[0][4] != "US" || p[len(p)-1][4] != x.country[id] {
			return fmt.Errorf("roster country %s, payroll %v: want paid in the US, then in the new country", x.country[id], p)
		}
		home := func(c string) bool {
			return slices.ContainsFunc(x.starts[id], func(e oktaEvent) bool { return e.Client.GeographicalContext.Country == countryName(c) })
		}
		if !home("US") || !home(x.country[id]) {
			return fmt.Errorf("sign-ins not from both the US and %s", x.country[id])
		}
		return nil
	},
	BehaviourMobileCGNAT: func(x *index, id string) error {
		if !slices.ContainsFunc(x.starts[id], func(e oktaEvent) bool { return e.SecurityContext.ASNumber == 21928 }) {
			return fmt.Errorf("no T-Mobile sign-in")
		}
		return nil
	},
	BehaviourNightOwl: func(x *index, id string) error {
		if !slices.ContainsFunc(x.starts[id], func(e oktaEvent) bool {
			h := e.time.In(zone(x.tz[id])).Hour()
			return h >= 1 && h < 4
		}) {
			return fmt.Errorf("no sign-in between 1 and 4 am")
		}
		return nil
	},
	BehaviourPersonalDevice: func(x *index, id string) error {
		if !slices.ContainsFunc(x.starts[id], func(e oktaEvent) bool { return e.Device == nil && e.Client.Device == "Computer" }) {
			return fmt.Errorf("no unmanaged computer")
		}
		return nil
	},
	BehaviourStaffingFirm: sharedPayout,
	BehaviourJointAccount: sharedPayout,
	BehaviourEORPayee:     sharedPayout,
	BehaviourContractorPay: func(x *index, id string) error {
		if !slices.ContainsFunc(x.pay[id], func(r []string) bool { return (r[2] == "wise" || r[2] == "payoneer") && r[4] == x.country[id] }) {
			return fmt.Errorf("payroll %v", x.pay[id])
		}
		return nil
	},
}

func sharedPayout(x *index, id string) error {
	if !slices.ContainsFunc(x.pay[id], func(r []string) bool { return len(x.fpUsers[r[3]]) > 1 }) {
		return fmt.Errorf("payout account not shared: %v", x.pay[id])
	}
	return nil
}

func TestHardNegativesInData(t *testing.T) {
	x := newIndex(t)
	seen := map[string]int{}
	for _, l := range x.f.truth.Legitimate {
		for _, b := range l.Behaviours {
			seen[b]++
			if check := behaviourChecks[b]; check != nil && !strings.HasPrefix(l.ID, "cand-") {
				if err := check(x, l.ID); err != nil {
					t.Errorf("%s (%s): %v", l.ID, b, err)
				}
			}
		}
	}
	for _, b := range []string{BehaviourTraveller, BehaviourCorporateVPN, BehaviourConsumerVPN, BehaviourNightOwl, BehaviourResidentAbroad,
		BehaviourCouple, BehaviourOffice, BehaviourMobileCGNAT, BehaviourContractorPay, BehaviourRelocated, BehaviourMovedAbroad, BehaviourAgency, BehaviourReferred} {
		if seen[b] == 0 {
			t.Errorf("no legitimate person with %s (seen %v)", b, seen)
		}
	}
}
