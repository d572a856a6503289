package hiring

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

func meet(n int) string { return detecttest.Ref(detecttest.MeetingFile, n) }

func TestInterviewNetwork(t *testing.T) {
	zscaler := event.Network{IP: netip.MustParseAddr("165.225.10.4"), Country: "DE", City: "Frankfurt", ASN: 62044, ASOrg: "zscaler switzerland gmbh"}
	hiredOn := exampleInterview.AddDate(0, 1, 0)
	employee := func() []*event.Event {
		hr := rosterRecord(1, event.Person{EmployeeID: "E510", SCIMID: "u-E510", UserName: "mei.lin@example.com", Name: "Mei Lin",
			Emails: []string{"mei.lin@example.com", "mei.lin.dev@outlook.com"}, Created: hiredOn,
			Addresses: []event.Address{{Type: "home", Street: "5 Oak Ave", Locality: "Seattle", Region: "WA", Country: "US"}}})
		return []*event.Event{hr, interviewCandidate("5105", "Mei Lin", "mei.lin.dev@outlook.com", "5 Oak Ave, Seattle, WA 98101, US")}
	}
	tests := []struct {
		name   string
		events []*event.Event
		want   []outcome
	}{
		{
			name:   "both_interviews_through_a_vpn",
			events: vpnInterviews(),
			want:   []outcome{{Person: "cand-5101", Confidence: 0.6, Records: []string{meet(1), meet(2)}}},
		},
		{
			name:   "one_interview_while_travelling",
			events: travellingInterviews(),
		},
		{
			name: "every_interview_from_another_country",
			events: []*event.Event{
				interviewCandidate("5103", "Ryan Cole", "ryan.cole.dev@gmail.com", "9 Pine Rd, Austin, TX 78702, US"),
				detecttest.MeetingRecord(1, "91234567894", "ryan.cole.dev@gmail.com", exampleInterview, 40, detecttest.Shenyang, event.CameraOff),
				detecttest.MeetingRecord(2, "91234567895", "ryan.cole.dev@gmail.com", exampleInterview.AddDate(0, 0, 3), 40, detecttest.Shenyang, event.CameraOn),
			},
			want: []outcome{{Person: "cand-5103", Confidence: 0.7, Records: []string{meet(1), meet(2), cand(1)}}},
		},
		{
			name: "abroad_on_zoom_and_an_unplaced_teams_call_may_be_home",
			events: []*event.Event{
				interviewCandidate("5106", "Zara Gray", "zara.gray@gmail.com", "4 Elm St, Denver, CO 80202, US"),
				detecttest.MeetingRecord(1, "91234567900", "zara.gray@gmail.com", exampleInterview, 40, continuityLisbonZoom, event.CameraOn),
				teamsCall(detecttest.MeetingRecord(2, "91234567901", "zara.gray@gmail.com", exampleInterview.AddDate(0, 0, 5), 40,
					event.Network{IP: netip.MustParseAddr("198.51.100.77")}, event.CameraOn)),
			},
		},
		{
			name: "a_vpn_counts_beside_an_unplaced_teams_call",
			events: []*event.Event{
				interviewCandidate("5107", "Sam Ortiz", "sam.ortiz@gmail.com", "4 Elm St, Denver, CO 80202, US"),
				detecttest.MeetingRecord(1, "91234567902", "sam.ortiz@gmail.com", exampleInterview, 40, detecttest.M247VPN, event.CameraOn),
				teamsCall(detecttest.MeetingRecord(2, "91234567903", "sam.ortiz@gmail.com", exampleInterview.AddDate(0, 0, 5), 40,
					event.Network{IP: netip.MustParseAddr("198.51.100.78")}, event.CameraOn)),
			},
			want: []outcome{{Person: "cand-5107", Confidence: 0.5, Records: []string{meet(1)}}},
		},
		{
			name: "current_employers_gateway_abroad",
			events: []*event.Event{
				interviewCandidate("5104", "Anna Berg", "anna.berg@gmail.com", "3 Lake St, Chicago, IL 60601, US"),
				detecttest.MeetingRecord(1, "91234567896", "anna.berg@gmail.com", exampleInterview, 40, zscaler, event.CameraOn),
			},
		},
		{
			name: "hired_interviewed_abroad_then_vpn_at_work_is_not_an_interview",
			events: append(employee(),
				detecttest.MeetingRecord(1, "91234567897", "mei.lin.dev@outlook.com", exampleInterview, 40, detecttest.Shenyang, event.CameraOff),
				detecttest.MeetingRecord(2, "91234567898", "mei.lin@example.com", hiredOn.AddDate(0, 0, 3), 40, detecttest.M247VPN, event.CameraOff)),
			want: []outcome{{Person: "E510", Confidence: 0.6, Records: []string{meet(1), roster(1)}}},
		},
		{
			name: "a_participant_with_no_candidate_record_is_nobodys_interview",
			events: []*event.Event{
				rosterRecord(1, event.Person{EmployeeID: "E511", SCIMID: "u-E511", UserName: "tom@example.com", Name: "Tom Becker", Emails: []string{"tom@example.com"}}),
				detecttest.MeetingRecord(1, "91234567899", "tom@example.com", exampleInterview, 40, detecttest.M247VPN, event.CameraOff),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, fs := run(t, &InterviewNetwork{}, tt.events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			for _, f := range fs {
				if !strings.Contains(f.Summary, "interview") {
					t.Errorf("summary %q does not say what was seen", f.Summary)
				}
			}
		})
	}
}

func TestInterviewsAreCandidateMeetingsBeforeHire(t *testing.T) {
	events := vpnInterviews()
	pop := detecttest.Population(events, nil)
	p := pop.ByID[profile.ApplicantIDPrefix+"5101"]
	if p == nil || len(p.Meetings) != 2 || len(p.Interviews()) != 2 {
		t.Fatalf("the candidate's meetings did not resolve to them: %+v", p)
	}
}

// continuityLisbonZoom is a hotel network in Lisbon, as Zoom locates it.
var continuityLisbonZoom = event.Network{IP: netip.MustParseAddr("203.0.113.146"), Country: "PT", City: "Lisbon", ASN: 3243, ASOrg: "meo - servicos de comunicacoes e multimedia, s.a."}

// teamsCall makes a meeting record a Teams call record's: the address
// alone, no place.
func teamsCall(e *event.Event) *event.Event {
	e.Prov.Origin = &event.Origin{Source: "teams", File: e.Prov.File()}
	e.Meeting.Platform = "teams"
	n := *e.Net()
	n.GeoSource = ""
	e.SetNet(&n)
	return e
}
