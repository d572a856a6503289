package hiring

import (
	"context"
	"fmt"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// CameraOff is COL-04: the person kept the camera off throughout every
// interview (or, with no interview on record, every meeting) whose export
// says whether video was sent.
type CameraOff struct{}

var (
	_ detect.Indicator    = (*CameraOff)(nil)
	_ detect.PersonScoped = (*CameraOff)(nil)
)

// ID implements detect.Indicator.
func (*CameraOff) ID() string { return "COL-04" }

// Name implements detect.Indicator.
func (*CameraOff) Name() string { return "Camera off throughout the interviews or meetings" }

// Stage implements detect.Indicator: the catalogue's collaboration
// section, scored with code and collaboration.
func (*CameraOff) Stage() detect.Stage { return detect.StageCode }

// Strength implements detect.Indicator: weak, never flags alone.
func (*CameraOff) Strength() detect.Strength { return detect.Weak }

// Sources implements detect.Indicator.
func (*CameraOff) Sources() []string { return []string{"zoom", "teams"} }

// Weight implements detect.Indicator: a token. Measured on the simulator
// (seeds 2 and 3, 500 people, 90 days), 8 and then 5 points lifted a
// privacy-minded VPN user (IAM-01 and END-09, score 33) to medium; camera
// habits must not be what tips an honest person over.
func (*CameraOff) Weight() float64 { return 2 }

// PersonScoped implements detect.PersonScoped.
func (*CameraOff) PersonScoped() {}

// minCameraMeetings is how many distinct meetings with a known camera
// state it takes: one camera-off call says nothing.
const minCameraMeetings = 2

// Description implements detect.Indicator.
func (*CameraOff) Description() string {
	return "In every interview the person joined as a candidate (or, for someone with no interview on record, every " +
		"meeting they attended) whose export says whether video was sent — at least two distinct meetings — the camera " +
		"stayed off: Teams call records with media but no video stream sent by the person's endpoint, Zoom Dashboard or " +
		"QSS rows with has_video false. Operators avoid showing a face that does not match the identity, or the room " +
		"they are in. Zoom's report API does not say, so meetings without a camera state are not counted. Weak: many " +
		"honest people keep the camera off (bandwidth, privacy, disability, culture, a noisy home); it only adds weight " +
		"to stronger findings and can never raise anyone above low alone."
}

// References implements detect.Indicator.
func (*CameraOff) References() []string {
	return []string{
		"FBI IC3 public service announcement I-051624-PSA, May 2024 (refusal to appear on camera)",
		"DTEX, Exposing DPRK's Cyber Syndicate and Hidden IT Workforce (i3 threat advisory), 2025 (camera avoidance in interviews)",
	}
}

// Detect implements detect.Indicator.
func (d *CameraOff) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	return detect.EachPerson(ctx, in, "COL-04", d.person)
}

func (d *CameraOff) person(p *profile.Person) (detect.Finding, bool) {
	what, list := "interview", knownCamera(p.Interviews())
	if len(list) == 0 {
		what, list = "meeting", knownCamera(attended(p.Meetings))
	}
	meetings := map[string]bool{}
	var ev []detect.Evidence
	for _, e := range list {
		if e.Meeting.Camera != event.CameraOff {
			return detect.Finding{}, false // video at least once
		}
		meetings[meetingKey(e)] = true
		ev = append(ev, detect.EvidenceOf(e, "%s as %s: camera off", detect.MeetingLabel(e), e.Actor().Email))
	}
	if len(meetings) < minCameraMeetings {
		return detect.Finding{}, false
	}
	ev, more := detect.CapEvidence(ev)
	return detect.Finding{
		Indicator: d.ID(),
		Person:    p.ID,
		Summary:   fmt.Sprintf("%s kept the camera off in all %s whose export records it", p.Label(), detect.Count(len(meetings), what)) + more,
		Evidence:  ev,
	}, true
}

// knownCamera keeps the attendances whose camera state is known.
func knownCamera(list []*event.Event) []*event.Event {
	var out []*event.Event
	for _, e := range list {
		if e.Meeting.Camera != "" {
			out = append(out, e)
		}
	}
	return out
}

// attended keeps the meetings the person did not host.
func attended(list []*event.Event) []*event.Event {
	var out []*event.Event
	for _, e := range list {
		if !e.Meeting.Organizer {
			out = append(out, e)
		}
	}
	return out
}

// meetingKey tells meetings apart: the platform's meeting id, else the
// day (a rejoin of the same call is one meeting).
func meetingKey(e *event.Event) string {
	if id := e.Meeting.MeetingID; id != "" {
		return e.Meeting.Platform + "|" + id
	}
	return e.Meeting.Platform + "|" + detect.Date(e.Time)
}

// Examples implements detect.Indicator: a candidate with the camera off in
// both interviews; and one who turned it on in the second after a
// camera-off first call.
func (*CameraOff) Examples() detect.Examples {
	const email = "kai.moreno@gmail.com"
	homeNet := detecttest.Shenyang
	homeNet.Country, homeNet.City = "US", "Austin"
	onLater := []*event.Event{
		interviewCandidate("5202", "Kai Moreno", email, "7 Birch Ln, Austin, TX 78704, US"),
		detecttest.MeetingRecord(1, "91234567810", email, exampleInterview, 30, homeNet, event.CameraOff),
		detecttest.MeetingRecord(2, "91234567811", email, exampleInterview.AddDate(0, 0, 5), 60, homeNet, event.CameraOn),
	}
	return detect.Examples{
		Positive: detect.Example{Name: "camera_off_in_both_interviews", Events: vpnInterviews(), Person: profile.ApplicantIDPrefix + "5101"},
		Negative: detect.Example{Name: "camera_on_in_the_second_interview", Events: onLater, Person: profile.ApplicantIDPrefix + "5202"},
	}
}
