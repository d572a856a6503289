// Package list is the explicit registry of every indicator, grouped by
// lifecycle stage. Adding an indicator means adding one line here.
package list

import (
	"github.com/rollcall/rollcall/internal/detect"
	hiringind "github.com/rollcall/rollcall/internal/detect/hiring"
	networkind "github.com/rollcall/rollcall/internal/detect/network"
	onboardingind "github.com/rollcall/rollcall/internal/detect/onboarding"
	payrollind "github.com/rollcall/rollcall/internal/detect/payroll"
	signinind "github.com/rollcall/rollcall/internal/detect/signin"
)

// Hiring indicators (applicant tracking, résumés, code-host profiles).
var hiring = []detect.Indicator{
	&hiringind.IdentityCollision{}, // APP-01
	&hiringind.ReferredByFlagged{}, // APP-14 (score-dependent)
}

// Onboarding indicators (shipments, first days).
var onboarding = []detect.Indicator{
	&onboardingind.ShipToNotHome{},        // ONB-01
	&onboardingind.SharedShipTo{},         // ONB-02
	&onboardingind.NonResidentialShipTo{}, // ONB-03
}

// Identity and access indicators (sign-ins).
var identity = []detect.Indicator{
	&signinind.AnonymizerSignIn{}, // IAM-01
	&signinind.ImpossibleTravel{}, // IAM-04
}

// Endpoint indicators (osquery).
var endpoint = []detect.Indicator{}

// Network indicators.
var network = []detect.Indicator{
	&networkind.ForeignGeography{}, // NET-02
}

// Code and collaboration indicators (code-host audit log, git history).
var code = []detect.Indicator{}

// Payroll and finance indicators.
var payroll = []detect.Indicator{
	&payrollind.SharedPayoutAccount{}, // PAY-01
	&payrollind.UnusualPayout{},       // PAY-02
}

// Offboarding indicators.
var offboarding = []detect.Indicator{}

// Indicators returns every registered indicator, in stage order.
func Indicators() []detect.Indicator {
	var all []detect.Indicator
	for _, group := range [][]detect.Indicator{hiring, onboarding, identity, endpoint, network, code, payroll, offboarding} {
		all = append(all, group...)
	}
	return all
}

// ByID returns the indicator with the given catalogue ID.
func ByID(id string) (detect.Indicator, bool) {
	for _, ind := range Indicators() {
		if ind.ID() == id {
			return ind, true
		}
	}
	return nil, false
}
