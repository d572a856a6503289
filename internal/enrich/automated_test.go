package enrich

import (
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

// TestStampCodeHostMachines: a GitHub audit action by a CI runner or a bot
// account is the machine's, not the person's: it is automated and its
// address locates nobody. A person's own action from the same home
// network still does.
func TestStampCodeHostMachines(t *testing.T) {
	audit := func(login, userAgent string) *event.Event {
		return &event.Event{Kind: event.KindAudit, Time: t0, Prov: event.Provenance{Origin: &event.Origin{Source: "github"}},
			Account: &event.Actor{Login: login},
			Audit: &event.Audit{Action: "git.clone", UserAgent: userAgent,
				Net: &event.Network{IP: netip.MustParseAddr("73.1.2.3"), ASN: 7922, ASOrg: "comcast", Country: "US"}}}
	}
	type facts struct {
		Automated, Locates bool
	}
	tests := []struct {
		name string
		e    *event.Event
		want facts
	}{
		{"person_at_home_locates", audit("dana-w", "git/2.45.1"), facts{Locates: true}},
		{"self_hosted_actions_runner", audit("dana-w", "GitHub-Actions-Runner/2.317.0"), facts{Automated: true}},
		{"dependabot_bot_account", audit("dependabot[bot]", "git/2.45.1"), facts{Automated: true}},
		{"github_actions_identity", audit("github-actions", ""), facts{Automated: true}},
		{"handle_containing_bot_is_a_person", audit("robotics-jane", "git/2.45.1"), facts{Locates: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			Stamp([]*event.Event{tt.e}, nil)
			got := facts{Automated: tt.e.Facts.Device.Has(event.DeviceAutomated), Locates: tt.e.Facts.Net.Locates}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("facts (-want +got):\n%s", diff)
			}
		})
	}
}
