// Package device classifies the device context of a sign-in: a phone or
// tablet, an MFA step (whose device is the authenticator), a sign-in a
// machine performs on the person's behalf, or a successful interactive
// sign-in from a computer. enrich.Stamp records the class on each event
// once (event.Facts.Device); everything else reads it from there.
package device

import (
	"regexp"
	"strings"

	"github.com/rollcall/rollcall/internal/event"
)

var (
	// mobileOS recognises phones and tablets by operating system or user
	// agent.
	mobileOS = regexp.MustCompile(`(?i)\b(ios|ipados|iphone|ipad|android|windows phone)\b`)
	// phoneModel recognises phones by the device names identity providers
	// log (Okta Verify devices, Entra registered phones).
	phoneModel = regexp.MustCompile(`(?i)^(sm-[a-z0-9]|pixel\b|iphone|ipad|galaxy|moto|oneplus|redmi|huawei|xiaomi|oppo|vivo)`)
	// mfaStep recognises sign-in events that record an MFA step, whose
	// device context is the authenticator (the phone), not the computer.
	mfaStep = regexp.MustCompile(`(?i)(^user\.authentication\.auth_via_mfa|^user\.mfa\.|\bmfa\b)`)
)

// automated are sign-in actions that machines perform on the person's
// behalf around the clock (Entra token refreshes, service principals),
// which say nothing about working hours or the person's computer.
var automated = map[string]bool{
	"nonInteractiveUser": true, "servicePrincipal": true, "managedIdentity": true,
}

// Class classifies a sign-in (zero for nil). An Entra sign-in that
// completed MFA is not an MFA step: its deviceDetail is the computer, the
// authenticator is apart (authenticationAppDeviceDetails, read as
// MFADevice).
func Class(si *event.SignIn) event.DeviceClass {
	if si == nil {
		return 0
	}
	var c event.DeviceClass
	if mobileOS.MatchString(si.OS) || mobileOS.MatchString(si.UserAgent) || phoneModel.MatchString(si.DeviceName) {
		c |= event.DevicePhone
	}
	if mfaStep.MatchString(si.Action) {
		c |= event.DeviceMFAStep
	}
	if automated[si.Action] {
		c |= event.DeviceAutomated
	}
	if si.Outcome == event.OutcomeSuccess && !si.SessionEnd && c == 0 && !strings.HasPrefix(si.Action, "policy.") {
		c |= event.DeviceComputer
	}
	return c
}
