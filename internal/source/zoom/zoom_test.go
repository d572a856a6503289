package zoom_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source/sourcetest"
	"github.com/rollcall/rollcall/internal/source/zoom"
)

func TestGolden(t *testing.T) {
	sourcetest.RunGolden(t, zoom.New())
}

func TestSniff(t *testing.T) {
	for _, path := range sourcetest.Testdata(t, "testdata") {
		head := sourcetest.Head(t, path)
		if !zoom.New().Sniff(head) {
			t.Errorf("%s: not claimed", path)
		}
	}
	for name, head := range map[string]string{
		"okta_event":    `{"uuid":"x","published":"2025-01-01T00:00:00Z","eventType":"user.session.start","actor":{"id":"1"}}`,
		"teams_record":  `{"id":"e523","type":"groupCall","modalities":["audio"],"startDateTime":"2025-01-01T00:00:00Z","participants":[{"user":{"id":"1"}}]}`,
		"scim_resource": `{"Resources":[{"id":"1","userName":"a@b.c"}]}`,
	} {
		if zoom.New().Sniff([]byte(head)) {
			t.Errorf("%s claimed by zoom", name)
		}
	}
}

func TestRejections(t *testing.T) {
	got := sourcetest.CheckRejections(t, zoom.New(), "rejects.ndjson", []sourcetest.Rejected{
		{Line: 1, Record: 1, Field: "join_time", Reason: "not an RFC 3339"},
		{Line: 2, Record: 2, Field: "join_time", Reason: "missing"},
		{Line: 3, Record: 3, Field: "user_email", Reason: "names nobody"},
		{Line: 5, Record: 5, Reason: "malformed JSON"},
		{Line: 6, Record: 6, Field: "id", Reason: "duplicated"},
		{Line: 7, Record: 7, Field: "join_time", Reason: "not an RFC 3339"},
		{Line: 7, Record: 8, Field: "participants", Reason: "not a participant object"},
		{Line: 8, Record: 9, Field: "participants", Reason: "not an array of participant objects"},
	}, 4, 9)
	if len(got.Events) != 2 || got.Events[0].Prov.Line != 4 || !cmp.Equal(got.Events[0].Prov.UnknownFields(), []string{"ip_address"}) {
		t.Fatalf("want the row on line 4 as an event with ip_address unknown, got %d events", len(got.Events))
	}
	// A meeting written as a string says nothing; the row is read.
	if e := got.Events[1]; e.Prov.Line != 9 || e.Meeting.MeetingID != "" {
		t.Errorf("want the row of line 9 without a meeting id, got line %d meeting %q", e.Prov.Line, e.Meeting.MeetingID)
	}
}

func TestMapping(t *testing.T) {
	join := time.Date(2025, 3, 4, 16, 2, 11, 0, time.UTC)
	tests := []struct {
		name, file, record string
		actor              event.Actor
		want               event.Meeting
		unknown            []string
	}{
		{
			name: "dashboard_row_with_meeting_object",
			file: "x.ndjson",
			record: `{"meeting":{"id":91234567890,"topic":"Interview"},"participants":[{"user_id":"33554432","user_name":"Mei Lin","email":"Mei@Outlook.com",` +
				`"device":"Windows","ip_address":"45.137.21.9","location":"Amsterdam (NL)","network_type":"Wired","camera":"Integrated Webcam","has_video":false,` +
				`"join_time":"2025-03-04T16:02:11Z","leave_time":"2025-03-04T16:47:30Z","pc_name":"DESKTOP-1","version":"6.3.11","role":"attendee"}]}`,
			actor: event.Actor{Email: "mei@outlook.com", DisplayName: "Mei Lin"},
			want: event.Meeting{Platform: "zoom", MeetingID: "91234567890", Topic: "Interview", Participant: "33554432", Join: join,
				Leave: time.Date(2025, 3, 4, 16, 47, 30, 0, time.UTC), Duration: 2719, Device: "Windows", Client: "6.3.11", Machine: "DESKTOP-1",
				NetworkType: "Wired", Camera: event.CameraOff,
				Net: &event.Network{IP: sourcetest.MustAddr(t, "45.137.21.9"), Country: "NL", City: "Amsterdam", GeoSource: "zoom"}},
		},
		{
			name:   "report_row_meeting_from_file_name",
			file:   "meeting-85746065432-participants.json",
			record: `{"id":"abc","user_id":"16778240","name":"Host","user_email":"h@example.com","join_time":"2025-03-04T16:02:11Z","duration":60,"role":"host"}`,
			actor:  event.Actor{ID: "abc", Email: "h@example.com", DisplayName: "Host"},
			want:   event.Meeting{Platform: "zoom", MeetingID: "85746065432", Participant: "16778240", Join: join, Duration: 60, Organizer: true},
		},
		{
			name:   "masked_ip_and_object_duration_are_unknown",
			file:   "x.json",
			record: `{"user_id":"5","name":"Sam","join_time":"2025-03-04T16:02:11Z","ip_address":"120.000.000","duration":{"m":1},"location":"Portugal","camera":"on"}`,
			actor:  event.Actor{DisplayName: "Sam"},
			want: event.Meeting{Platform: "zoom", Participant: "5", Join: join, Camera: event.CameraOn,
				Net: &event.Network{Country: "PT", CountryName: "Portugal", GeoSource: "zoom"}},
			unknown: []string{"duration", "ip_address"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := sourcetest.DecodeOK(t, zoom.New(), tt.file, []byte(tt.record))
			if len(res.Events) != 1 {
				t.Fatalf("got %d events, %d rejections %v", len(res.Events), len(res.Rejections), res.Rejections)
			}
			e := res.Events[0]
			if diff := cmp.Diff(tt.actor, e.Actor()); diff != "" {
				t.Errorf("actor (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, *e.Meeting, cmp.Comparer(func(pa, pb *event.Network) bool {
				var a, b event.Network
				if pa != nil {
					a = *pa
				}
				if pb != nil {
					b = *pb
				}
				return cmp.Equal(a.IP.String(), b.IP.String()) && a.Country == b.Country && a.City == b.City && a.CountryName == b.CountryName && a.GeoSource == b.GeoSource
			})); diff != "" {
				t.Errorf("meeting (-want +got):\n%s", diff)
			}
			if !e.Time.Equal(join) {
				t.Errorf("time %v, want %v", e.Time, join)
			}
			if diff := cmp.Diff(tt.unknown, e.Prov.UnknownFields()); diff != "" {
				t.Errorf("unknown fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHostile(t *testing.T) {
	sourcetest.CheckHostile(t, zoom.New())
}

func FuzzDecode(f *testing.F) {
	sourcetest.FuzzSeeds(f, "testdata")
	f.Add([]byte(`{"participants":[1,"x",null,{"join_time":"2025-01-01T00:00:00Z","name":"a"}],"meeting":[]}`))
	f.Add([]byte(`{"participants":null,"page_size":30}` + "\n" + `{"participants":[{"join_time":1e999}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, e := range sourcetest.FuzzDecode(t, zoom.New(), data).Events {
			if e.Kind != event.KindMeeting || e.Meeting == nil || e.Time.IsZero() || e.Meeting.Platform != zoom.ID {
				t.Fatalf("incomplete event: %+v", e)
			}
		}
	})
}
