package teams_test

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source/sourcetest"
	"github.com/rollcall/rollcall/internal/source/teams"
)

func TestGolden(t *testing.T) {
	sourcetest.RunGolden(t, teams.New())
}

func TestSniff(t *testing.T) {
	for _, path := range sourcetest.Testdata(t, "testdata") {
		if !teams.New().Sniff(sourcetest.Head(t, path)) {
			t.Errorf("%s: not claimed", path)
		}
	}
	for name, head := range map[string]string{
		"entra_signin": `{"value":[{"id":"1","createdDateTime":"2025-01-01T00:00:00Z","userPrincipalName":"a@b.c","ipAddress":"1.2.3.4"}]}`,
		"zoom_page":    `{"page_size":30,"participants":[{"user_id":"1","name":"a","join_time":"2025-01-01T00:00:00Z","leave_time":"2025-01-01T01:00:00Z"}]}`,
	} {
		if teams.New().Sniff([]byte(head)) {
			t.Errorf("%s claimed by teams", name)
		}
	}
}

// TestExpansion checks who each call record's participants are: service
// endpoints are nobody, guests keep their display name, a B2B guest's
// #EXT# UPN is their own mailbox, and the camera and public address are
// the endpoint's own side of the media.
func TestExpansion(t *testing.T) {
	res := sourcetest.DecodeFile(t, teams.New(), filepath.Join("testdata", "callrecords-interviews.ndjson"))
	type got struct {
		Record              int
		Email, Name, IP     string
		Camera, NetworkType string
		Organizer           bool
	}
	var have []got
	for _, e := range res.Events {
		m := e.Meeting
		ip := ""
		if m.Net.IP.IsValid() {
			ip = m.Net.IP.String()
		}
		have = append(have, got{e.Prov.Record, e.Actor().Email, e.Actor().DisplayName, ip, m.Camera, m.NetworkType, m.Organizer})
	}
	want := []got{
		{1, "priya.raman@example.com", "Priya Raman", "198.51.100.23", event.CameraOn, "wifi", true},
		{2, "", "Mei Lin (Guest)", "45.137.21.9", event.CameraOff, "tunnel", false},
		{3, "sam.ortiz@gmail.com", "Sam Ortiz", "", event.CameraOff, "", false},
	}
	if diff := cmp.Diff(want, have); diff != "" {
		t.Errorf("participants (-want +got):\n%s", diff)
	}
	if len(res.Rejections) != 0 {
		t.Errorf("unexpected rejections %v", res.Rejections)
	}
}

func TestRejections(t *testing.T) {
	got := sourcetest.CheckRejections(t, teams.New(), "rejects.ndjson", []sourcetest.Rejected{
		{Line: 1, Record: 1, Field: "sessions", Reason: "no participant"},
		{Line: 2, Record: 2, Field: "startDateTime", Reason: "missing"},
		{Line: 3, Record: 3, Field: "sessions[0].startDateTime", Reason: "not an RFC 3339"},
		{Line: 3, Record: 4, Field: "sessions[1].caller.identity", Reason: "names no user"},
		{Line: 4, Record: 5, Field: "sessions", Reason: "expected"},
		{Line: 5, Record: 6, Field: "sessions[0]", Reason: "expected"},
		{Line: 6, Record: 8, Reason: "malformed JSON"},
	}, 5)
	if len(got.Events) != 1 || got.Events[0].Prov.Record != 7 || !cmp.Equal(got.Events[0].Prov.UnknownFields(), []string{"sessions[1].caller.userAgent.platform"}) {
		t.Fatalf("want record 7 as an event with its platform unknown, got %+v", got.Events)
	}
}

func TestHostile(t *testing.T) {
	sourcetest.CheckHostile(t, teams.New())
}

func FuzzDecode(f *testing.F) {
	sourcetest.FuzzSeeds(f, "testdata")
	f.Add([]byte(`{"id":1,"startDateTime":"2025-01-01T00:00:00Z","sessions":[{"caller":{"identity":{"phone":{"id":"+1"}}},"segments":[{"media":[1,{"label":"video","streams":[{"streamDirection":"callerToCallee"}]}]}]}]}`))
	f.Add([]byte(`{"value":[{"participants":[null,{"user":[]}],"startDateTime":"2025-01-01T00:00:00Z"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, e := range sourcetest.FuzzDecode(t, teams.New(), data).Events {
			if e.Kind != event.KindMeeting || e.Meeting == nil || e.Time.IsZero() || e.Meeting.Platform != teams.ID {
				t.Fatalf("incomplete event: %+v", e)
			}
		}
	})
}
