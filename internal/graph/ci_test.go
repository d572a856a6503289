package graph

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/profile"
)

// audits adds one GitHub audit action from ip with the user agent on each
// of days days.
func audits(p *profile.Person, ip, userAgent string, days int) *profile.Person {
	for d := range days {
		p.Audits = append(p.Audits, &event.Event{Kind: event.KindAudit, Time: t0.AddDate(0, 0, d), Prov: prov("github"),
			Account: &event.Actor{Login: p.ID}, Audit: &event.Audit{Action: "git.clone", UserAgent: userAgent, Repo: "acme/api",
				Net: &event.Network{IP: netip.MustParseAddr(ip), ASN: 7922, ASOrg: "Comcast"}}})
	}
	return p
}

// TestBuild_ci_runner_is_not_a_shared_location: a self-hosted runner on an
// ordinary broadband line clones with three people's tokens every day; that
// is the runner's address, not theirs. The same three people working from
// one home address is a link.
func TestBuild_ci_runner_is_not_a_shared_location(t *testing.T) {
	three := func(userAgent string) []*profile.Person {
		var out []*profile.Person
		for i := range 3 {
			out = append(out, audits(employee(fmt.Sprintf("E%d", i+1), street(i)), "73.9.9.9", userAgent, 5))
		}
		return out
	}
	tests := []struct {
		name      string
		userAgent string
		want      [][]string
	}{
		{name: "self_hosted_actions_runner", userAgent: "GitHub-Actions-Runner/2.317.0"},
		{name: "jenkins_agent", userAgent: "Jenkins/2.452 git/2.39.2"},
		{name: "people_at_one_home", userAgent: "git/2.45.1", want: [][]string{{"E1", "E2", "E3"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got [][]string
			for _, c := range build(population(three(tt.userAgent)...), policy.Default(), now) {
				got = append(got, c.Members)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("cells (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBuild_agency_contact: the recruiter phone one agency puts on the
// candidates it submits links none of them; the same phone on a direct
// applicant does.
func TestBuild_agency_contact(t *testing.T) {
	submitted := func(id, source string, tags ...string) *profile.Person {
		p := applicant(id)
		a := p.Applicants[0].Applicant
		a.Phones, a.Tags = []string{"+1 646 555 0199"}, tags
		a.Applications = []event.Application{{ID: id + "0", Source: source}}
		return p
	}
	runCellCases(t, []cellCase{
		{name: "one_agency_three_candidates", people: []*profile.Person{
			submitted("1", "BrightPath Staffing"), submitted("2", "Agency", "Agency: BrightPath Staffing"), submitted("3", "BrightPath Staffing (Agency)")}},
		{name: "agency_phone_on_a_direct_applicant", people: []*profile.Person{submitted("1", "BrightPath Staffing"), submitted("2", "LinkedIn")},
			want: [][]string{{"cand-1", "cand-2"}}},
		{name: "two_agencies_one_phone", people: []*profile.Person{submitted("1", "BrightPath Staffing"), submitted("2", "Northstar Recruiting")},
			want: [][]string{{"cand-1", "cand-2"}}},
	})
}
