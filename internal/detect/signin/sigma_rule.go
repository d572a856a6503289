package signin

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/sigma"
)

// SigmaRule is SIG-01: one of the person's sign-in or audit events matches
// a Sigma rule the policy loaded (a detection engineer's rule, or one of
// rollcall's under rules/sigma).
type SigmaRule struct{}

var (
	_ detect.Indicator    = (*SigmaRule)(nil)
	_ detect.PersonScoped = (*SigmaRule)(nil)
)

// ID implements detect.Indicator.
func (*SigmaRule) ID() string { return policy.SigmaIndicator }

// Name implements detect.Indicator.
func (*SigmaRule) Name() string { return "Matches a Sigma detection rule" }

// Stage implements detect.Indicator.
func (*SigmaRule) Stage() detect.Stage { return detect.StageIdentity }

// Strength implements detect.Indicator: medium, so that a policy may make
// it strong (sigma.strong); the policy treats it as weak by default.
func (*SigmaRule) Strength() detect.Strength { return detect.Medium }

// Sources implements detect.Indicator.
func (*SigmaRule) Sources() []string { return []string{"okta", "entra", "gworkspace", "github"} }

// Weight implements detect.Indicator: as much as the other weak
// indicators (8–10). Rules often restate what a built-in indicator
// already scores (Entra's anonymizedIPAddress is IAM-01's evidence too),
// so a match adds little unless the policy raises weights.SIG-01.
func (*SigmaRule) Weight() float64 { return 10 }

// PersonScoped implements detect.PersonScoped: a match depends on the
// person's own events and the policy's rules only.
func (*SigmaRule) PersonScoped() {}

// levelConfidence scales the weight by the rule's level.
var levelConfidence = map[string]float64{
	"informational": 0.2,
	"low":           0.4,
	"medium":        0.6,
	"high":          0.8,
	"critical":      1,
}

// Description implements detect.Indicator.
func (*SigmaRule) Description() string {
	return "A sign-in or audit event of the person (Okta System Log, Entra ID sign-ins, Google Workspace activities, GitHub " +
		"audit log) matches a single-event Sigma rule loaded with the policy (sigma.rules) or scan --sigma. The evidence " +
		"names each rule (title, id, level) and the record it matched; the rule's level sets the confidence (informational " +
		"0.2 up to critical 1). Sigma rules are written for a SIEM's alert queue, not for judging people, so SIG-01 is weak " +
		"unless the policy sets sigma.strong: rules alone never lift anyone above low. Known false positives: whatever the " +
		"rule's own falsepositives say — an administrator's routine action, a traveller's or VPN user's sign-in."
}

// References implements detect.Indicator.
func (*SigmaRule) References() []string {
	return []string{
		"Sigma rules specification, https://sigmahq.io/docs/basics/rules.html",
		"SigmaHQ rule repository, rules/cloud (okta, azure signinlogs, gcp google_workspace, github)",
	}
}

// Detect implements detect.Indicator.
func (d *SigmaRule) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	if in.Policy == nil || len(in.Policy.Sigma.Loaded) == 0 {
		return nil, nil
	}
	rules := in.Policy.Sigma.Loaded
	var out []detect.Finding
	for _, p := range in.People() {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("%s: %w", d.ID(), err)
		}
		var (
			ev   []detect.Evidence
			hits = map[*sigma.Rule]int{}
			conf float64
		)
		for _, events := range [][]*event.Event{p.SignIns, p.Audits} {
			for _, e := range events {
				for _, r := range rules {
					if !r.Match(e) {
						continue
					}
					hits[r]++
					conf = max(conf, levelConfidence[r.Level])
					ev = append(ev, detect.EvidenceOf(e, "Sigma rule %q (%s, level %s) matched %s %s%s", r.Title, r.Short(), r.Level, e.Prov.Source(), action(e), fromIP(e)))
				}
			}
		}
		if len(ev) == 0 {
			continue
		}
		var parts []string
		for _, r := range rules {
			if n := hits[r]; n > 0 {
				parts = append(parts, fmt.Sprintf("%s (%s, %s): %s", r.Title, r.Short(), r.Level, detect.Count(n, "event")))
			}
		}
		ev, more := detect.CapEvidence(ev)
		out = append(out, detect.Finding{Indicator: d.ID(), Person: p.ID, Confidence: conf, Evidence: ev,
			Summary: "matches Sigma rules: " + strings.Join(parts, "; ") + more})
	}
	return out, nil
}

func fromIP(e *event.Event) string {
	if n := e.Net(); n != nil && n.IP.IsValid() {
		return " from " + n.IP.String()
	}
	return ""
}

// exampleSigmaRule is rules/sigma/okta_mfa_factor_enrolled_via_anonymizer.yml
// in short.
const exampleSigmaRule = `title: Okta MFA Factor Enrolled From An Anonymising Proxy
id: 2424b608-0b48-47d4-9897-63f649a5d61c
logsource: {product: okta, service: okta}
detection:
  selection:
    eventType: [user.mfa.factor.activate, system.mfa.factor.activate]
    securityContext.isProxy: true
  condition: selection
level: medium
`

// Examples implements detect.Indicator: a new hire enrols an MFA factor
// through a commercial VPN Okta flags as a proxy; and a colleague who
// enrols from a home ISP.
func (*SigmaRule) Examples() detect.Examples {
	var rules []*sigma.Rule
	if r, err := sigma.Parse([]byte(exampleSigmaRule), "example.yml"); err == nil {
		rules = []*sigma.Rule{r} // a parse error leaves the positive example without a rule: the registry test fails
	}
	enrol := func(id, email string, n event.Network) []*event.Event {
		e := oktaSignIn(2, email, exampleStart.Add(9*time.Hour), n)
		e.SignIn.Action, e.SignIn.Interactive = "user.mfa.factor.activate", false
		return []*event.Event{rosterRecord(1, id, email, "US"), e}
	}
	return detect.Examples{
		Positive: detect.Example{Name: "factor_enrolled_through_vpn", Events: enrol("E790", "cdiaz@example.com", m247VPN), Person: "E790", Sigma: rules},
		Negative: detect.Example{Name: "factor_enrolled_at_home", Events: enrol("E791", "dfox@example.com", homeNY), Person: "E791", Sigma: rules},
	}
}
