// Package list is the explicit registry of every indicator, grouped by
// lifecycle stage. Adding an indicator means adding one line here.
package list

import (
	"github.com/rollcall/rollcall/internal/detect"
)

// Hiring indicators (applicant tracking, résumés, code-host profiles).
var hiring = []detect.Indicator{}

// Onboarding indicators (shipments, first days).
var onboarding = []detect.Indicator{}

// Identity and access indicators (sign-ins).
var identity = []detect.Indicator{}

// Network indicators.
var network = []detect.Indicator{}

// Payroll and finance indicators.
var payroll = []detect.Indicator{}

// Indicators returns every registered indicator, in stage order.
func Indicators() []detect.Indicator {
	var all []detect.Indicator
	for _, group := range [][]detect.Indicator{hiring, onboarding, identity, network, payroll} {
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
