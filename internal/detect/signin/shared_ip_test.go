package signin

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

func TestSharedIP(t *testing.T) {
	tmobile := event.Network{IP: netip.MustParseAddr("192.0.2.80"), Country: "US", ASN: 21928, ASOrg: "t-mobile usa inc."}
	office := event.Network{IP: netip.MustParseAddr("192.0.2.90"), Country: "US", ASN: 7018, ASOrg: "at&t services inc."}
	allowed := policy.Default()
	allowed.Allow.Egress = []policy.PrefixEntry{{Prefix: netip.MustParsePrefix("192.0.2.40/32"), Entry: policy.Entry{Reason: "Phoenix office"}}}
	travel := policy.Default()
	for _, p := range []string{"E1", "E2"} {
		travel.Allow.Travel = append(travel.Allow.Travel, policy.TravelEntry{Person: p, Countries: []string{"US"},
			From: exampleStart, To: exampleStart.AddDate(0, 0, 30), Entry: policy.Entry{Reason: "Phoenix project"}})
	}
	home := func(rec int, id, country, region, street string) *event.Event {
		return staff{record: rec, id: id, email: strings.ToLower(id) + "@example.com", country: country, region: region, street: street}.event()
	}
	// uses adds a sign-in from n on each of days (offsets from exampleStart).
	uses := func(first int, id string, n event.Network, days ...int) []*event.Event {
		var out []*event.Event
		for i, d := range days {
			out = append(out, oktaSignIn(first+i, strings.ToLower(id)+"@example.com", exampleStart.AddDate(0, 0, d), n))
		}
		return out
	}
	cat := func(lists ...[]*event.Event) []*event.Event {
		var out []*event.Event
		for _, l := range lists {
			out = append(out, l...)
		}
		return out
	}
	// ciUses adds a GitHub clone by a self-hosted Actions runner with the
	// person's token from n on each of days.
	ciUses := func(first int, id string, n event.Network, days ...int) []*event.Event {
		var out []*event.Event
		for i, d := range days {
			e := githubAudit(first+i, strings.ToLower(id), exampleStart.AddDate(0, 0, d), "git.clone", "", "")
			who := e.Actor()
			who.Email = strings.ToLower(id) + "@example.com"
			e.SetActor(who)
			e.Audit.UserAgent, e.Audit.Net, e.Audit.CodeAccess = "GitHub-Actions-Runner/2.317.0", &n, true
			out = append(out, e)
		}
		return out
	}
	twoWeeks := []int{0, 1, 2, 3, 4, 7, 8, 9, 10, 11}
	wa, ga := home(1, "E1", "US", "WA", "12 Pine St"), home(2, "E2", "US", "Georgia", "77 Oak Ave")
	tests := []struct {
		name   string
		events []*event.Event
		pol    *policy.Policy
		want   []verdict
	}{
		{
			name:   "washington_and_georgia_homes",
			events: cat([]*event.Event{wa, ga}, uses(1, "E1", farmPhoenix, twoWeeks...), uses(101, "E2", farmPhoenix, twoWeeks...)),
			want:   []verdict{{Person: "E1", Confidence: 0.85, Related: []string{"E2"}}, {Person: "E2", Confidence: 0.85, Related: []string{"E1"}}},
		},
		{
			name: "different_countries_and_mostly_elsewhere",
			events: cat([]*event.Event{wa, home(2, "E2", "CA", "Ontario", "1 King St")},
				uses(1, "E1", farmPhoenix, 0, 9), uses(11, "E1", homeSF, 1, 2, 3, 4, 5, 6), uses(101, "E2", farmPhoenix, twoWeeks...)),
			want: []verdict{{Person: "E1", Confidence: 0.85, Related: []string{"E2"}}, {Person: "E2", Confidence: 1, Related: []string{"E1"}}},
		},
		{
			name:   "ci_runner_on_a_broadband_line_clones_for_both",
			events: cat([]*event.Event{wa, ga}, ciUses(1, "E1", farmPhoenix, twoWeeks...), ciUses(101, "E2", farmPhoenix, twoWeeks...)),
		},
		{
			name: "coworking_in_one_state",
			events: cat([]*event.Event{home(1, "E1", "US", "IL", "5 Elm St"), home(2, "E2", "US", "Illinois", "9 Birch Rd")},
				uses(1, "E1", homeChicago, twoWeeks...), uses(101, "E2", homeChicago, twoWeeks...)),
		},
		{
			name: "couple_at_home",
			events: cat([]*event.Event{home(1, "E1", "US", "WA", "12 Pine St"), home(2, "E2", "US", "WA", "12 Pine Street")},
				uses(1, "E1", farmPhoenix, twoWeeks...), uses(101, "E2", farmPhoenix, twoWeeks...)),
		},
		{
			name:   "carrier_nat",
			events: cat([]*event.Event{wa, ga}, uses(1, "E1", tmobile, twoWeeks...), uses(101, "E2", tmobile, twoWeeks...)),
		},
		{
			name:   "commercial_vpn_exit",
			events: cat([]*event.Event{wa, ga}, uses(1, "E1", m247VPN, twoWeeks...), uses(101, "E2", m247VPN, twoWeeks...)),
		},
		{
			name: "office_egress_of_five",
			events: cat([]*event.Event{wa, ga, home(3, "E3", "US", "TX", "1 A St"), home(4, "E4", "US", "NY", "2 B St"), home(5, "E5", "US", "CA", "3 C St")},
				uses(1, "E1", office, twoWeeks...), uses(101, "E2", office, twoWeeks...), uses(201, "E3", office, twoWeeks...),
				uses(301, "E4", office, twoWeeks...), uses(401, "E5", office, twoWeeks...)),
		},
		{
			name:   "allow_listed_egress",
			events: cat([]*event.Event{wa, ga}, uses(1, "E1", farmPhoenix, twoWeeks...), uses(101, "E2", farmPhoenix, twoWeeks...)),
			pol:    allowed,
		},
		{
			// E3 shares no address, but once came through the same one as
			// a hosting network: not a home line.
			name: "an_outsider_s_hosting_sign_in_there",
			events: cat([]*event.Event{wa, ga, home(3, "E3", "US", "TX", "1 A St")},
				uses(1, "E1", farmPhoenix, twoWeeks...), uses(101, "E2", farmPhoenix, twoWeeks...),
				uses(201, "E3", event.Network{IP: farmPhoenix.IP, Country: "US", ASN: 9009, ASOrg: "m247 europe srl", IsHosting: true}, 5)),
		},
		{
			name:   "three_day_offsite",
			events: cat([]*event.Event{wa, ga}, uses(1, "E1", farmPhoenix, 1, 2, 3), uses(101, "E2", farmPhoenix, 1, 2, 3)),
		},
		{
			name:   "one_visit_each",
			events: cat([]*event.Event{wa, ga}, uses(1, "E1", farmPhoenix, 1), uses(101, "E2", farmPhoenix, 20)),
		},
		{
			name:   "approved_project_travel",
			events: cat([]*event.Event{wa, ga}, uses(1, "E1", farmPhoenix, twoWeeks...), uses(101, "E2", farmPhoenix, twoWeeks...)),
			pol:    travel,
		},
		{
			name: "unknown_home",
			events: cat([]*event.Event{wa, staff{record: 2, id: "E2", email: "e2@example.com"}.event()},
				uses(1, "E1", farmPhoenix, twoWeeks...), uses(101, "E2", farmPhoenix, twoWeeks...)),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, fs := detectAll(t, &SharedIP{}, tc.pol, tc.events)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				for _, f := range fs {
					t.Log(f.Summary)
				}
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSharedIPSummary(t *testing.T) {
	events := []*event.Event{
		staff{record: 1, id: "E1", email: "e1@example.com", country: "US", region: "WA", street: "12 Pine St"}.event(),
		staff{record: 2, id: "E2", email: "e2@example.com", country: "US", region: "GA", street: "77 Oak Ave"}.event(),
	}
	for i, d := range weekdaysFrom(exampleStart, 2) {
		events = append(events, oktaSignIn(2*i+1, "e1@example.com", d, farmPhoenix), oktaSignIn(2*i+2, "e2@example.com", d.Add(time.Hour), farmPhoenix))
	}
	_, fs := detectAll(t, &SharedIP{}, nil, events)
	if len(fs) != 2 {
		t.Fatalf("got %d findings, want 2", len(fs))
	}
	want := "192.0.2.40 used by this person on 10 days of 10 active days (home WA, US) and by E2 on 10 days (homes in WA and GA, US)"
	if fs[0].Summary != want {
		t.Errorf("summary %q, want %q", fs[0].Summary, want)
	}
	if len(fs[0].Evidence) != 2 || !strings.Contains(fs[0].Evidence[1].Summary, "(person E2) from the same address 192.0.2.40") {
		t.Errorf("evidence %+v", fs[0].Evidence)
	}
}
