// Package device classifies the device context of a sign-in — a phone or
// tablet, an MFA step (whose device is the authenticator), a sign-in a
// machine performs on the person's behalf, or a successful interactive
// sign-in from a computer —, recognises code-host actions by build
// systems, and holds the one comparison key for hardware serials.
// enrich.Stamp records the class on each event once (event.Facts.Device);
// everything else reads it from there.
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

// ciAgent recognises code access by build systems, not people, by the
// user agent of the audit-log entry.
var ciAgent = regexp.MustCompile(`(?i)github-actions|actions-runner|jenkins|buildkite|circleci|gitlab-runner|teamcity|drone|argo|travis|bamboo|codebuild|dependabot|renovate`)

// botLogin recognises code-host accounts that are machines: GitHub App and
// integration accounts ("dependabot[bot]", "renovate[bot]"), the Actions
// identity ("github-actions"), and the GitLab/Bitbucket equivalents.
var botLogin = regexp.MustCompile(`(?i)(\[bot\]$|^github-actions$|^dependabot$|^renovate$|^ghost$|^project_\d+_bot|^group_\d+_bot|^bitbucket-pipelines$)`)

// BotLogin reports whether a code-host actor login is a bot or
// integration account rather than a person.
func BotLogin(login string) bool { return botLogin.MatchString(strings.TrimSpace(login)) }

// automated are sign-in actions that machines perform on the person's
// behalf around the clock (Entra token refreshes, service principals),
// which say nothing about working hours or the person's computer.
var automated = map[string]bool{
	"nonInteractiveUser": true, "servicePrincipal": true, "managedIdentity": true,
}

// Classifier classifies sign-ins, remembering the answers of the regular
// expressions for the operating systems, user agents, device names and
// actions it has seen (a scan sees few distinct ones, millions of times).
// It is not safe for concurrent use; the zero value is ready.
type Classifier struct {
	phone  map[phoneKey]bool
	action map[string]event.DeviceClass
	agent  map[string]event.DeviceClass
}

// Audit is AuditClass(a) from remembered answers.
func (c *Classifier) Audit(a *event.Audit) event.DeviceClass {
	if a == nil {
		return 0
	}
	if c.agent == nil {
		c.agent = map[string]event.DeviceClass{}
	}
	v, ok := c.agent[a.UserAgent]
	if !ok {
		v = AuditClass(a)
		c.agent[a.UserAgent] = v
	}
	return v
}

// AuditClass classifies an audit-log action: DeviceAutomated when its user
// agent is a build system (GitHub Actions, Jenkins, Dependabot…) acting
// with the person's token, else zero. (enrich.Stamp also marks the
// actions of bot accounts, BotLogin.)
func AuditClass(a *event.Audit) event.DeviceClass {
	if a != nil && ciAgent.MatchString(a.UserAgent) {
		return event.DeviceAutomated
	}
	return 0
}

type phoneKey struct{ os, userAgent, deviceName string }

// Class is Class(si) from remembered answers.
func (c *Classifier) Class(si *event.SignIn) event.DeviceClass {
	if si == nil {
		return 0
	}
	if c.phone == nil {
		c.phone, c.action = map[phoneKey]bool{}, map[string]event.DeviceClass{}
	}
	k := phoneKey{si.OS, si.UserAgent, si.DeviceName}
	isPhone, ok := c.phone[k]
	if !ok {
		isPhone = phone(si)
		c.phone[k] = isPhone
	}
	act, ok := c.action[si.Action]
	if !ok {
		act = actionClass(si.Action)
		c.action[si.Action] = act
	}
	return combine(si, isPhone, act)
}

// Class classifies a sign-in (zero for nil). An Entra sign-in that
// completed MFA is not an MFA step: its deviceDetail is the computer, the
// authenticator is apart (authenticationAppDeviceDetails, read as
// MFADevice).
func Class(si *event.SignIn) event.DeviceClass {
	if si == nil {
		return 0
	}
	return combine(si, phone(si), actionClass(si.Action))
}

// phone reports whether a sign-in came from a phone or tablet.
func phone(si *event.SignIn) bool {
	return mobileOS.MatchString(si.OS) || mobileOS.MatchString(si.UserAgent) || phoneModel.MatchString(si.DeviceName)
}

// actionClass returns the MFA-step and automated bits of an action.
func actionClass(action string) event.DeviceClass {
	var c event.DeviceClass
	if mfaStep.MatchString(action) {
		c |= event.DeviceMFAStep
	}
	if automated[action] {
		c |= event.DeviceAutomated
	}
	return c
}

// combine adds the computer bit: a successful, interactive sign-in that is
// not a session end or policy evaluation and has no other class.
func combine(si *event.SignIn, isPhone bool, c event.DeviceClass) event.DeviceClass {
	if isPhone {
		c |= event.DevicePhone
	}
	if si.Outcome == event.OutcomeSuccess && !si.SessionEnd && c == 0 && !strings.HasPrefix(si.Action, "policy.") {
		c |= event.DeviceComputer
	}
	return c
}

// placeholderSerials are values that machines without a real serial
// report (upper case).
var placeholderSerials = map[string]bool{
	"": true, "0": true, "NONE": true, "NULL": true, "N/A": true, "NA": true, "UNKNOWN": true, "DEFAULT STRING": true,
	"TO BE FILLED BY O.E.M.": true, "SYSTEM SERIAL NUMBER": true, "CHASSIS SERIAL NUMBER": true, "NOT SPECIFIED": true,
	"NOT APPLICABLE": true, "0123456789": true, "123456789": true, "1234567890": true,
}

// SerialKey is the comparison key of a hardware or asset serial: trimmed
// and upper-cased, "" for placeholders machines report when they have no
// real serial ("To be filled by O.E.M.", "0000000") and for blanks. It is
// the one serial rule for shipments, endpoint inventory, the identity
// graph and the person model.
func SerialKey(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	if placeholderSerials[s] || strings.Count(s, s[:min(1, len(s))]) == len(s) {
		return ""
	}
	return s
}

// HostSerials returns the hardware serials (SerialKey, placeholders left
// out) an endpoint observation reports: the hardware_serial column of an
// osquery system_info result. Other observations report none. It is the
// one rule for reading a host's serial (identity graph, person model,
// watchlist).
func HostSerials(d *event.Device) []string {
	if d == nil || (d.Table != "system_info" && !strings.Contains(d.Query, "system_info")) {
		return nil
	}
	var out []string
	for _, row := range d.Rows {
		if s := SerialKey(row.Get("hardware_serial")); s != "" {
			out = append(out, s)
		}
	}
	return out
}
