// Package signin holds the identity-and-access indicators read from
// identity-provider sign-in logs (catalogue section "Identity & access"):
// Okta System Log, Entra sign-ins and Google Workspace login activity, as
// normalized sign-in events. One file per indicator; this file holds what
// they share. What a sign-in's network is (VPN, hosting, gateway, mobile,
// allow-listed) comes from ipintel.Classify, so enriched and raw events are
// read alike.
package signin

import (
	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

// succeeded reports whether e is a successful sign-in.
func succeeded(e *event.Event) bool {
	return e.SignIn != nil && e.SignIn.Outcome == event.OutcomeSuccess
}

// allowOf returns the policy's allow-lists, or nil without a policy.
func allowOf(in *detect.Input) *policy.Allow {
	if in.Policy == nil {
		return nil
	}
	return &in.Policy.Allow
}
