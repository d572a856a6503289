// Package signin holds the identity-and-access indicators read from
// identity-provider sign-in logs (catalogue section "Identity & access"):
// Okta System Log, Entra sign-ins and Google Workspace login activity, as
// normalized sign-in events. One file per indicator; this file holds what
// they share. What a sign-in's network is (VPN, hosting, gateway, mobile,
// allow-listed) comes from ipintel.Classify, so enriched and raw events are
// read alike.
package signin

import (
	"fmt"
	"time"

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

// day is a UTC calendar day, for counting distinct days.
func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// stamp formats a sign-in time for evidence.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// capEvidence keeps the first detect.MaxEvidence records and returns a
// note for the summary saying how many were left out ("" when none).
func capEvidence(ev []detect.Evidence) ([]detect.Evidence, string) {
	if len(ev) <= detect.MaxEvidence {
		return ev, ""
	}
	return ev[:detect.MaxEvidence], fmt.Sprintf(" (first %d of %d records cited)", detect.MaxEvidence, len(ev))
}

// round2 rounds a confidence to two decimals so that findings compare and
// print stably.
func round2(x float64) float64 { return float64(int(x*100+0.5)) / 100 }

// plural writes "1 day" or "3 days".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
