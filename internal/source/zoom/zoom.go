// Package zoom reads Zoom meeting participant reports.
//
// The documented response of GET /report/meetings/{meetingId}/participants
// (Reports API; scope report:read:admin, a Pro or higher plan) is a page
// {"page_count", "page_size", "total_records", "next_page_token",
// "participants": [participant…]}; the Dashboard variant GET
// /metrics/meetings/{meetingId}/participants?type=past (Business plan;
// dashboard_meetings:read:admin) has the same wrapper with more fields per
// participant. Accepted shapes: one page per file, pages one after another
// or one per line, a JSON array or NDJSON of participant objects, gzip.
//
// The participants payload does not name its meeting. The meeting is taken
// from a "meeting" object beside "participants" ({"id", "uuid", "topic"}),
// or "meeting_id"/"meeting_uuid"/"topic" members there (as export scripts
// add them), else from a run of 9 to 12 digits in the file name
// (report-85746065432.json), else it is left empty.
//
// Every participant row (one join–leave span of one participant) becomes
// one event.KindMeeting event:
//
//	Time, Join    join_time (RFC 3339)
//	Leave         leave_time
//	Duration      duration (seconds), else leave_time − join_time
//	Actor         ID id (the Zoom account's user id; blank for guests),
//	              Email user_email (else email), DisplayName name (else
//	              user_name)
//	Participant   user_id (valid only for the meeting), else
//	              participant_user_id
//	Net           ip_address (Dashboard); location "San Jose (US)" gives
//	              City and Country, a country name gives Country; GeoSource
//	              "zoom"
//	Device        device (Dashboard: "Windows", "Mac", "iOS"…), else os
//	Client        version; Machine pc_name; NetworkType network_type
//	Camera        has_video, or camera when it is a boolean or on/off text
//	              (the Dashboard's camera is the camera's name and says
//	              nothing of whether it was on); otherwise unknown
//	Organizer     role "host"
//
// Optional fields of an unexpected type, and an ip_address the Dashboard
// masked ("120.000.000"), are kept as unknown (Provenance.Unknown) and never
// reject the row. A row is rejected when join_time is missing or malformed,
// or when it names nobody (no id, user_id, email or name).
package zoom

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"regexp"

	"github.com/rollcall/rollcall/internal/event"

	"github.com/rollcall/rollcall/internal/source"
)

// ID is the format id.
const ID = "zoom"

// Format reads Zoom participant reports.
type Format struct{}

var _ source.Format = (*Format)(nil)

// New returns the Zoom participant report format.
func New() *Format { return &Format{} }

// ID implements source.Format.
func (*Format) ID() string { return ID }

// Description implements source.Format.
func (*Format) Description() string {
	return "Zoom meeting participant reports: GET /report/meetings/{id}/participants or /metrics/meetings/{id}/participants pages ({\"participants\":[…]}), JSON array or NDJSON"
}

// Sniff implements source.Format. It claims JSON whose first participant
// (inside "participants" when wrapped) has join_time, a participant key
// and a report field, or an empty participants page.
func (*Format) Sniff(head []byte) bool {
	keys, ok := source.SniffJSONKeys(head, "participants")
	if !ok {
		return false
	}
	if keys["participants"] && (keys["page_size"] || keys["next_page_token"] || keys["total_records"] || keys["page_count"]) {
		return true // an empty page: the wrapper's own keys
	}
	return keys["join_time"] &&
		(keys["user_email"] || keys["user_id"] || keys["user_name"] || keys["name"]) &&
		(keys["leave_time"] || keys["duration"] || keys["ip_address"] || keys["status"])
}

// Decode implements source.Format.
func (*Format) Decode(ctx context.Context, r io.Reader, file string, sink source.Sink) error {
	fromName := meetingFromName(file)
	j := source.JSONFraming{
		Format: ID,
		Expand: expandPage,
		Parse:  func(raw []byte) (*event.Event, error) { return parse(raw, fromName) },
	}
	return j.Decode(ctx, r, file, sink)
}

// nameMeetingID finds a Zoom meeting id (9 to 12 digits) in a file name.
var nameMeetingID = regexp.MustCompile(`(?:^|[^0-9])([0-9]{9,12})(?:[^0-9]|$)`)

// meetingFromName returns the meeting id a file name carries, or "".
func meetingFromName(file string) string {
	m := nameMeetingID.FindStringSubmatch(filepath.Base(file))
	if m == nil {
		return ""
	}
	return m[1]
}

// isPage reports cheaply whether a record may be a participants page.
func isPage(raw []byte) bool { return bytes.Contains(raw, []byte(`"participants"`)) }
