package zoom

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	gojson "github.com/goccy/go-json"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/geo"
	"github.com/rollcall/rollcall/internal/source"
)

// participant is one row of a participant report, with the Dashboard's
// extra fields. Every field is optional text of any JSON type (see
// source.Loose); parse says which are required.
type participant struct {
	ID                source.Loose `json:"id"`
	UserID            source.Loose `json:"user_id"`
	ParticipantUserID source.Loose `json:"participant_user_id"`
	Name              source.Loose `json:"name"`
	UserName          source.Loose `json:"user_name"`
	UserEmail         source.Loose `json:"user_email"`
	Email             source.Loose `json:"email"`
	JoinTime          source.Loose `json:"join_time"`
	LeaveTime         source.Loose `json:"leave_time"`
	Duration          source.Loose `json:"duration"`
	IPAddress         source.Loose `json:"ip_address"`
	Location          source.Loose `json:"location"`
	NetworkType       source.Loose `json:"network_type"`
	Device            source.Loose `json:"device"`
	OS                source.Loose `json:"os"`
	Version           source.Loose `json:"version"`
	PCName            source.Loose `json:"pc_name"`
	Camera            source.Loose `json:"camera"`
	HasVideo          source.Loose `json:"has_video"`
	Role              source.Loose `json:"role"`
}

// meetingRef names the meeting of a page.
type meetingRef struct {
	ID    string `json:"id,omitempty"`
	Topic string `json:"topic,omitempty"`
}

// page is a participants page with the meeting members export scripts add.
type page struct {
	Participants *[]json.RawMessage `json:"participants"`
	Meeting      json.RawMessage    `json:"meeting"` // an object; any other shape is ignored
	MeetingID    source.Loose       `json:"meeting_id"`
	MeetingUUID  source.Loose       `json:"meeting_uuid"`
	Topic        source.Loose       `json:"topic"`
}

// pageMeeting is the meeting object of a page.
type pageMeeting struct {
	ID    source.Loose `json:"id"`
	UUID  source.Loose `json:"uuid"`
	Topic source.Loose `json:"topic"`
}

// inPage is the record expandPage makes of one participant of a page: the
// participant as written, and the meeting its page names.
type inPage struct {
	Meeting     *meetingRef     `json:"rollcall_meeting,omitempty"`
	Participant json.RawMessage `json:"participant"`
}

// expandPage turns a participants page into one record per participant,
// each carrying the meeting the page names. Records that are no page are
// left alone.
func expandPage(raw []byte) ([][]byte, bool) {
	if !isPage(raw) {
		return nil, false
	}
	body, _ := source.UnwrapMessage(raw)
	var p page
	if gojson.Unmarshal(body, &p) != nil || p.Participants == nil {
		return nil, false // parse rejects it with the reason
	}
	var ref *meetingRef
	var m pageMeeting
	if len(p.Meeting) > 0 && p.Meeting[0] == '{' && gojson.Unmarshal(p.Meeting, &m) == nil {
		ref = &meetingRef{ID: firstNonEmpty(m.ID.Text, m.UUID.Text), Topic: m.Topic.Text}
	}
	if id := firstNonEmpty(p.MeetingID.Text, p.MeetingUUID.Text); id != "" || p.Topic.Text != "" {
		if ref == nil {
			ref = &meetingRef{}
		}
		ref.ID = firstNonEmpty(ref.ID, id)
		ref.Topic = firstNonEmpty(ref.Topic, p.Topic.Text)
	}
	out := make([][]byte, 0, len(*p.Participants))
	for _, part := range *p.Participants {
		b, err := json.Marshal(inPage{Meeting: ref, Participant: bytes.TrimSpace(part)})
		if err != nil {
			b = part // not an object: parse rejects it
		}
		out = append(out, b)
	}
	return out, true
}

// parse reads one participant, bare or as expandPage wrote it; fromName is
// the meeting id the file name carries.
func parse(raw []byte, fromName string) (*event.Event, error) {
	ref := meetingRef{ID: fromName}
	if bytes.HasPrefix(raw, []byte(`{"rollcall_meeting":`)) || bytes.HasPrefix(raw, []byte(`{"participant":`)) {
		var w inPage
		if err := gojson.Unmarshal(raw, &w); err != nil {
			return nil, source.UnmarshalError(err)
		}
		if w.Meeting != nil {
			ref.ID = firstNonEmpty(w.Meeting.ID, ref.ID)
			ref.Topic = w.Meeting.Topic
		}
		raw = w.Participant
	}
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' {
		return nil, source.Fieldf("participants", "not a participant object")
	}
	var p participant
	if err := gojson.Unmarshal(raw, &p); err != nil {
		return nil, source.UnmarshalError(err)
	}
	if isPage(raw) && p.JoinTime.Text == "" {
		// A page expandPage could not open: its participants are no list.
		return nil, source.Fieldf("participants", "not an array of participant objects")
	}
	if p.JoinTime.Text == "" {
		return nil, source.Fieldf("join_time", "missing: a participant row needs join_time")
	}
	join, err := source.ParseTime(p.JoinTime.Text)
	if err != nil {
		return nil, &source.FieldError{Field: "join_time", Err: err}
	}
	actor := event.Actor{
		ID:          strings.TrimSpace(p.ID.Text),
		Email:       strings.ToLower(strings.TrimSpace(firstNonEmpty(p.UserEmail.Text, p.Email.Text))),
		DisplayName: strings.TrimSpace(firstNonEmpty(p.Name.Text, p.UserName.Text)),
	}
	m := &event.Meeting{
		Platform:    ID,
		MeetingID:   ref.ID,
		Topic:       ref.Topic,
		Participant: strings.TrimSpace(firstNonEmpty(p.UserID.Text, p.ParticipantUserID.Text)),
		Join:        join,
		NetworkType: p.NetworkType.Text,
		Device:      firstNonEmpty(p.Device.Text, p.OS.Text),
		Client:      p.Version.Text,
		Machine:     p.PCName.Text,
		Camera:      cameraState(p.HasVideo.Text, p.Camera.Text),
		Organizer:   strings.EqualFold(strings.TrimSpace(p.Role.Text), "host"),
	}
	if actor.Empty() && actor.DisplayName == "" && m.Participant == "" {
		return nil, source.Fieldf("user_email", "missing: the row names nobody (no id, user_id, user_email or name)")
	}
	unknown := []source.FieldState{
		{Name: "id", Unknown: p.ID.Unknown}, {Name: "user_id", Unknown: p.UserID.Unknown},
		{Name: "name", Unknown: p.Name.Unknown}, {Name: "user_email", Unknown: p.UserEmail.Unknown},
		{Name: "leave_time", Unknown: p.LeaveTime.Unknown}, {Name: "duration", Unknown: p.Duration.Unknown},
		{Name: "location", Unknown: p.Location.Unknown}, {Name: "network_type", Unknown: p.NetworkType.Unknown},
		{Name: "device", Unknown: p.Device.Unknown}, {Name: "version", Unknown: p.Version.Unknown},
		{Name: "pc_name", Unknown: p.PCName.Unknown}, {Name: "has_video", Unknown: p.HasVideo.Unknown},
	}
	if t := p.LeaveTime.Text; t != "" {
		if leave, err := source.ParseTime(t); err == nil && !leave.Before(join) {
			m.Leave = leave
		} else {
			unknown = append(unknown, source.FieldState{Name: "leave_time", Unknown: true})
		}
	}
	if d := strings.TrimSpace(p.Duration.Text); d != "" {
		if n, err := strconv.ParseFloat(d, 64); err == nil && n >= 0 && n < 1e7 {
			m.Duration = int(n)
		} else {
			unknown = append(unknown, source.FieldState{Name: "duration", Unknown: true})
		}
	}
	if m.Duration == 0 && !m.Leave.IsZero() {
		m.Duration = int(m.Leave.Sub(join).Seconds()) // the Dashboard gives no duration
	}
	var n event.Network
	if ip := strings.TrimSpace(p.IPAddress.Text); ip != "" {
		if a, err := netip.ParseAddr(ip); err == nil {
			n.IP = a.Unmap()
		} else {
			unknown = append(unknown, source.FieldState{Name: "ip_address", Unknown: true}) // masked or malformed
		}
	} else if p.IPAddress.Unknown {
		unknown = append(unknown, source.FieldState{Name: "ip_address", Unknown: true})
	}
	locate(&n, p.Location.Text)
	m.Net = &n
	ev := &event.Event{Kind: event.KindMeeting, Time: join, Account: &actor, Meeting: m}
	ev.Prov.SetUnknown(dedup(source.UnknownFields(unknown...)))
	return ev, nil
}

// locate reads the Dashboard's location: "San Jose (US)", "New York",
// "Germany".
func locate(n *event.Network, loc string) {
	loc = strings.TrimSpace(loc)
	if loc == "" {
		return
	}
	if i := strings.LastIndexByte(loc, '('); i >= 0 && strings.HasSuffix(loc, ")") {
		if c, ok := geo.ByAlpha2(strings.TrimSpace(loc[i+1 : len(loc)-1])); ok {
			n.Country, n.City = c.Alpha2, strings.TrimSpace(loc[:i])
		}
	} else if c, ok := geo.Lookup(loc); ok {
		n.Country, n.CountryName = c.Alpha2, loc
	} else {
		n.City = loc
	}
	n.GeoSource = ID
}

// cameraState reads whether video was sent: has_video, else camera when it
// is a state rather than the camera's name.
func cameraState(hasVideo, camera string) string {
	for _, v := range []string{hasVideo, camera} {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true", "on", "yes", "1":
			return event.CameraOn
		case "false", "off", "no", "0":
			return event.CameraOff
		}
	}
	return ""
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// dedup drops repeated names, keeping the first of each.
func dedup(names []string) []string {
	var out []string
	for _, n := range names {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}
