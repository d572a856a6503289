package signin

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/sigma"
)

const sessionViaProxyRule = `title: Okta Session Start Via Proxy
id: 3e1a7b52-1f4c-4c0e-9b8e-2f3d4a5b6c7d
logsource: {product: okta, service: okta}
detection:
  selection: {eventtype: user.session.start, securitycontext.isproxy: 'true'}
  condition: selection
level: high
`

func TestSigmaRule(t *testing.T) {
	shipped, err := sigma.Load("../../../rules/sigma")
	if err != nil {
		t.Fatal(err)
	}
	session, err := sigma.Parse([]byte(sessionViaProxyRule), "session.yml")
	if err != nil {
		t.Fatal(err)
	}
	day := exampleStart.Add(10 * time.Hour)
	enrol := func(record int, email string, n event.Network) *event.Event {
		e := oktaSignIn(record, email, day, n)
		e.SignIn.Action = "user.mfa.factor.activate"
		return e
	}
	zip := &event.Event{Kind: event.KindAudit, Time: day.Add(time.Hour),
		Prov:    event.Provenance{Origin: &event.Origin{Source: "github", File: "github-audit.json"}, Record: 7},
		Account: &event.Actor{Login: "cdiaz-dev", Email: "cdiaz@example.com"},
		Audit:   &event.Audit{Action: "repo.download_zip", Org: "example", Repo: "example/payments", CodeAccess: true}}
	events := []*event.Event{
		rosterRecord(1, "E790", "cdiaz@example.com", "US"),
		rosterRecord(2, "E791", "dfox@example.com", "US"),
		rosterRecord(3, "E792", "egray@example.com", "US"),
		// E790 enrols a factor and works through a VPN Okta flags as a
		// proxy, and downloads a repository as a ZIP.
		enrol(2, "cdiaz@example.com", m247VPN),
		oktaSignIn(3, "cdiaz@example.com", day.Add(time.Minute), m247VPN),
		zip,
		// E791 enrols at home, then travels through a hotel network.
		enrol(4, "dfox@example.com", homeNY),
		oktaSignIn(5, "dfox@example.com", day.Add(24*time.Hour), hotelLondon),
		// E792 only signs in through the VPN: the session rule (high)
		// matches, the enrolment rule does not.
		oktaSignIn(6, "egray@example.com", day, m247VPN),
	}
	tests := []struct {
		name    string
		rules   []*sigma.Rule
		want    []detecttest.RefOutcome
		summary string
	}{
		{"no_rules", nil, nil, ""},
		{"shipped_rules", shipped, []detecttest.RefOutcome{
			{Person: "E790", Confidence: 0.6, Records: []string{detecttest.Ref(exampleOktaFile, 2), "github-audit.json#7"}},
		}, "matches Sigma rules: GitHub Repository Downloaded As A ZIP Archive (70514840, low): 1 event; Okta MFA Factor Enrolled From An Anonymising Proxy (2424b608, medium): 1 event"},
		{"session_rule_high", append([]*sigma.Rule{session}, shipped...), []detecttest.RefOutcome{
			{Person: "E790", Confidence: 0.8, Records: []string{detecttest.Ref(exampleOktaFile, 2), detecttest.Ref(exampleOktaFile, 3), "github-audit.json#7"}},
			{Person: "E792", Confidence: 0.8, Records: []string{detecttest.Ref(exampleOktaFile, 6)}},
		}, "matches Sigma rules: Okta Session Start Via Proxy (3e1a7b52, high): 1 event; GitHub Repository Downloaded As A ZIP Archive (70514840, low): 1 event; Okta MFA Factor Enrolled From An Anonymising Proxy (2424b608, medium): 1 event"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pol := policy.Default()
			pol.Sigma.Loaded = tt.rules
			got, fs := detecttest.RunRefs(t, &SigmaRule{}, detecttest.Input(events, pol, day.AddDate(0, 0, 7)))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			if len(fs) > 0 && fs[0].Summary != tt.summary {
				t.Errorf("summary %q, want %q", fs[0].Summary, tt.summary)
			}
			for _, f := range fs {
				for _, e := range f.Evidence {
					if !strings.Contains(e.Summary, "Sigma rule ") || !strings.Contains(e.Summary, " matched ") {
						t.Errorf("evidence summary %q does not name the rule and the event", e.Summary)
					}
				}
			}
		})
	}
}

// TestSigmaRuleIsWeakByDefault: SIG-01 alone never flags anyone unless the
// policy sets sigma.strong.
func TestSigmaRuleIsWeakByDefault(t *testing.T) {
	pol := policy.Default()
	if !pol.IsWeak(policy.SigmaIndicator) {
		t.Error("SIG-01 is not weak under the default policy")
	}
	pol.Sigma.Strong = true
	if pol.IsWeak(policy.SigmaIndicator) {
		t.Error("SIG-01 is weak although sigma.strong is set")
	}
}
