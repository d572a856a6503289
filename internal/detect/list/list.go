// Package list is the explicit registry of every indicator, grouped by
// lifecycle stage. Adding an indicator means adding one line here.
package list

import (
	"github.com/rollcall/rollcall/internal/detect"
	codeind "github.com/rollcall/rollcall/internal/detect/code"
	endpointind "github.com/rollcall/rollcall/internal/detect/endpoint"
	hiringind "github.com/rollcall/rollcall/internal/detect/hiring"
	networkind "github.com/rollcall/rollcall/internal/detect/network"
	offboardingind "github.com/rollcall/rollcall/internal/detect/offboarding"
	onboardingind "github.com/rollcall/rollcall/internal/detect/onboarding"
	payrollind "github.com/rollcall/rollcall/internal/detect/payroll"
	signinind "github.com/rollcall/rollcall/internal/detect/signin"
)

// Hiring indicators (applicant tracking, résumés, code-host profiles).
var hiring = []detect.Indicator{
	&hiringind.IdentityCollision{},   // APP-01
	&hiringind.OverseasEducation{},   // APP-02 (weak, fairness-sensitive)
	&hiringind.TechAnachronism{},     // APP-03
	&hiringind.TemplatedResume{},     // APP-04
	&hiringind.YoungGitHubAccount{},  // APP-06
	&hiringind.OddSocialGraph{},      // APP-07
	&hiringind.ApplicationSpraying{}, // APP-12
	&hiringind.ReferredByFlagged{},   // APP-14 (score-dependent)
	&hiringind.StaffingContext{},     // APP-16 (context, token weight)
	&hiringind.BurnedIdentifier{},    // APP-20 (watchlist of confirmed operatives' identifiers)
	&hiringind.VoIPPhone{},           // APP-21 (weak: VoIP number)
	&hiringind.DisposableMailbox{},   // APP-22 (weak: disposable mailbox)
}

// Onboarding indicators (shipments, first days).
var onboarding = []detect.Indicator{
	&onboardingind.ShipToNotHome{},        // ONB-01
	&onboardingind.SharedShipTo{},         // ONB-02
	&onboardingind.NonResidentialShipTo{}, // ONB-03
	&onboardingind.SerialMismatch{},       // ONB-06
	&onboardingind.FirstDaysAccess{},      // ONB-07
}

// Identity and access indicators (sign-ins).
var identity = []detect.Indicator{
	&signinind.AnonymizerSignIn{},  // IAM-01
	&signinind.SharedMFADevice{},   // IAM-02
	&signinind.SharedIP{},          // IAM-03
	&signinind.ImpossibleTravel{},  // IAM-04
	&signinind.ContinuousSession{}, // IAM-05
	&signinind.ActivityHours{},     // IAM-06 (fairness-sensitive: always weak)
	&signinind.UnmanagedDevice{},   // IAM-07
	&signinind.LocationMismatch{},  // IAM-08
	&signinind.IdentityConfusion{}, // IAM-09
	&signinind.AccessEscalation{},  // IAM-10
	&signinind.SigmaRule{},         // SIG-01 (Sigma rules from the policy; weak unless sigma.strong)
}

// Endpoint indicators (osquery).
var endpoint = []detect.Indicator{
	&endpointind.RemoteControlTool{},     // END-01
	&endpointind.HeadlessRemoteDesktop{}, // END-02
	&endpointind.IPKVM{},                 // END-03
	&endpointind.MouseJiggler{},          // END-05
	&endpointind.SingleBoardComputer{},   // END-06
	&endpointind.KeyboardLocale{},        // END-07 (fairness-sensitive: always weak)
	&endpointind.DeviceClock{},           // END-08
	&endpointind.ConsumerVPNClient{},     // END-09
	&endpointind.MultiAccountTooling{},   // END-10
	&endpointind.LANKVM{},                // END-11 (IP-KVM on the laptop's network)
	&endpointind.LANBoard{},              // END-12 (weak: a KVM board on the laptop's network)
}

// Network indicators.
var network = []detect.Indicator{
	&networkind.LaptopFarm{},       // NET-01
	&networkind.ForeignGeography{}, // NET-02
}

// Code and collaboration indicators (code-host audit log, git history).
var code = []detect.Indicator{
	&codeind.CommitIdentity{}, // COL-01
	&codeind.CommitTimezone{}, // COL-02 (fairness-sensitive: always weak)
	&codeind.CodeCopiedOut{},  // NET-05 (catalogue: network; evidence: code-host actions)
}

// Payroll and finance indicators.
var payroll = []detect.Indicator{
	&payrollind.SharedPayoutAccount{},     // PAY-01
	&payrollind.UnusualPayout{},           // PAY-02
	&payrollind.SharedContractingEntity{}, // PAY-04
}

// Offboarding indicators.
var offboarding = []detect.Indicator{
	&offboardingind.LaptopNotReturned{}, // OFF-03
	&offboardingind.PreDepartureSpike{}, // OFF-04
}

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
