package hiring

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
)

func TestCameraOff(t *testing.T) {
	home := event.Network{Country: "US", City: "Austin"}
	const email = "kai.moreno@gmail.com"
	candidate := interviewCandidate("5202", "Kai Moreno", email, "7 Birch Ln, Austin, TX 78704, US")
	join := func(rec int, meeting string, day int, camera string) *event.Event {
		return detecttest.MeetingRecord(rec, meeting, email, exampleInterview.AddDate(0, 0, day), 30, home, camera)
	}
	employee := rosterRecord(1, event.Person{EmployeeID: "E520", SCIMID: "u-E520", UserName: "ana@example.com", Name: "Ana Silva", Emails: []string{"ana@example.com"}})
	staff := func(rec int, meeting string, day int, camera string) *event.Event {
		return detecttest.MeetingRecord(rec, meeting, "ana@example.com", exampleInterview.AddDate(0, 0, day), 30, home, camera)
	}
	tests := []struct {
		name   string
		events []*event.Event
		want   []outcome
	}{
		{
			name:   "off_in_every_interview",
			events: []*event.Event{candidate, join(1, "m1", 0, event.CameraOff), join(2, "m2", 4, event.CameraOff), join(3, "m3", 8, "")},
			want:   []outcome{{Person: "cand-5202", Records: []string{meet(1), meet(2)}}},
		},
		{
			name:   "one_camera_off_call_says_nothing",
			events: []*event.Event{candidate, join(1, "m1", 0, event.CameraOff)},
		},
		{
			name:   "a_rejoin_of_one_call_is_one_meeting",
			events: []*event.Event{candidate, join(1, "m1", 0, event.CameraOff), join(2, "m1", 0, event.CameraOff)},
		},
		{
			name:   "on_once_is_enough",
			events: []*event.Event{candidate, join(1, "m1", 0, event.CameraOff), join(2, "m2", 4, event.CameraOff), join(3, "m3", 8, event.CameraOn)},
		},
		{
			name:   "zoom_report_without_camera_state",
			events: []*event.Event{candidate, join(1, "m1", 0, ""), join(2, "m2", 4, "")},
		},
		{
			name:   "staff_with_no_interview_never_on_camera_in_meetings",
			events: []*event.Event{employee, staff(1, "w1", 20, event.CameraOff), staff(2, "w2", 27, event.CameraOff)},
			want:   []outcome{{Person: "E520", Records: []string{meet(1), meet(2)}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := run(t, &CameraOff{}, tt.events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}
