package identity

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

func meetingEvent(record int, email, name string) *event.Event {
	return &event.Event{Kind: event.KindMeeting, Time: time.Date(2026, 2, 1, 15, 0, 0, 0, time.UTC),
		Prov:    event.Provenance{Origin: &event.Origin{Source: "zoom", File: "zoom.ndjson"}, Record: record},
		Account: &event.Actor{Email: email, DisplayName: name},
		Meeting: &event.Meeting{Platform: "zoom", MeetingID: "81234567890"}}
}

// TestResolve_meeting_participants: the interviewer by the roster, the
// candidate (hired or not) by the email on the candidate record, a guest
// who typed only a name and an agency mailbox two candidates share by
// nobody.
func TestResolve_meeting_participants(t *testing.T) {
	events := []*event.Event{
		rosterEvent("E1", "Priya Raman", "priya@acme.example", "+1 312 555 0101"),
		rosterEvent("E2", "Mei Lin", "mei@acme.example", "+1 312 555 0102"),
		applicantEvent("100", "Mei Lin", "mei.lin.dev@outlook.com", "+1 312 555 0102"), // hired as E2 (phone and name)
		applicantEvent("101", "Sam Ortiz", "sam.ortiz@gmail.com", "+1 415 555 0199"),
		applicantEvent("102", "Ana Souza", "jobs@agency.example", "+1 415 555 0100"),
		applicantEvent("103", "Kai Moreno", "jobs@agency.example", "+1 415 555 0101"),
		meetingEvent(1, "priya@acme.example", "Priya Raman"),
		meetingEvent(2, "Mei.Lin.Dev@outlook.com", "Mei Lin"),
		meetingEvent(3, "sam.ortiz@gmail.com", "Sam Ortiz"),
		meetingEvent(4, "", "Jordan Guest"),
		meetingEvent(5, "jobs@agency.example", "Ana Souza"),
	}
	pop := Resolve(events)
	got := map[string][]int{}
	for _, p := range pop.People {
		for _, e := range p.Meetings {
			got[p.ID] = append(got[p.ID], e.Prov.Record)
		}
	}
	want := map[string][]int{"E1": {1}, "E2": {2}, "cand-101": {3}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("meetings by person (-want +got):\n%s", diff)
	}
	var unresolved []string
	for _, u := range pop.Unresolved {
		unresolved = append(unresolved, u.Account)
	}
	if diff := cmp.Diff([]string{"(guest) Jordan Guest", "jobs@agency.example"}, unresolved); diff != "" {
		t.Errorf("unresolved (-want +got):\n%s", diff)
	}
}
