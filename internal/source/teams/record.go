package teams

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	gojson "github.com/goccy/go-json"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source"
)

// callRecord is the part of a Graph callRecord the expansion reads.
type callRecord struct {
	ID             source.Loose      `json:"id"`
	Start          source.Loose      `json:"startDateTime"`
	End            source.Loose      `json:"endDateTime"`
	OrganizerV2    *organizer        `json:"organizer_v2"`
	Organizer      *identitySet      `json:"organizer"`
	Sessions       []json.RawMessage `json:"sessions"`
	ParticipantsV2 []json.RawMessage `json:"participants_v2"`
	Participants   []json.RawMessage `json:"participants"`
}

type organizer struct {
	ID       source.Loose `json:"id"`
	Identity identitySet  `json:"identity"`
}

// session is one session of a call record, segments expanded.
type session struct {
	ID         source.Loose    `json:"id"`
	Start      source.Loose    `json:"startDateTime"`
	End        source.Loose    `json:"endDateTime"`
	Modalities []source.Loose  `json:"modalities"`
	Caller     json.RawMessage `json:"caller"`
	Callee     json.RawMessage `json:"callee"`
	Segments   []struct {
		Media []json.RawMessage `json:"media"`
	} `json:"segments"`
}

// endpointRecord is the record expandCall makes of one participant
// endpoint: the call's and session's context, and the endpoint and the
// session's media as written.
type endpointRecord struct {
	CallID     string            `json:"rollcall_call"`
	CallStart  string            `json:"call_start,omitempty"`
	CallEnd    string            `json:"call_end,omitempty"`
	Organizer  string            `json:"organizer,omitempty"`
	Path       string            `json:"path"` // where the endpoint is in the call record, for rejections
	Side       string            `json:"side"` // caller, callee or participant
	SessionID  string            `json:"session_id,omitempty"`
	Start      string            `json:"start,omitempty"`
	End        string            `json:"end,omitempty"`
	Modalities []string          `json:"modalities,omitempty"`
	Endpoint   json.RawMessage   `json:"endpoint"`
	Media      []json.RawMessage `json:"media,omitempty"`
}

const participantType = "#microsoft.graph.callRecords.participantEndpoint"

// expandCall turns a call record into one record per participant endpoint.
// A record it cannot read as a call record is left alone (parse rejects it
// with the reason); a call record without any participant too.
func expandCall(raw []byte) ([][]byte, bool) {
	body, _ := source.UnwrapMessage(raw)
	var c callRecord
	if gojson.Unmarshal(body, &c) != nil {
		return nil, false
	}
	base := endpointRecord{CallID: c.ID.Text, CallStart: c.Start.Text, CallEnd: c.End.Text}
	switch {
	case c.OrganizerV2 != nil:
		base.Organizer = firstNonEmpty(c.OrganizerV2.ID.Text, c.OrganizerV2.Identity.first().ID.Text)
	case c.Organizer != nil:
		base.Organizer = c.Organizer.first().ID.Text
	}
	var out [][]byte
	add := func(r endpointRecord) {
		b, err := json.Marshal(r)
		if err != nil {
			b = []byte(`{}`) // cannot happen with valid pieces; parse rejects it rather than lose it
		}
		out = append(out, b)
	}
	for i, raw := range c.Sessions {
		var s session
		if gojson.Unmarshal(raw, &s) != nil {
			r := base
			r.Path, r.Side, r.Endpoint = fmt.Sprintf("sessions[%d]", i), "session", bytes.TrimSpace(raw)
			add(r) // parse rejects it, naming the session
			continue
		}
		var media []json.RawMessage
		for _, seg := range s.Segments {
			media = append(media, seg.Media...)
		}
		for _, side := range []struct {
			name string
			ep   json.RawMessage
		}{{"caller", s.Caller}, {"callee", s.Callee}} {
			if !isParticipant(side.ep) {
				continue
			}
			r := base
			r.Path, r.Side, r.Endpoint, r.Media = fmt.Sprintf("sessions[%d].%s", i, side.name), side.name, side.ep, media
			r.SessionID, r.Start, r.End = s.ID.Text, s.Start.Text, s.End.Text
			for _, m := range s.Modalities {
				r.Modalities = append(r.Modalities, m.Text)
			}
			add(r)
		}
	}
	if len(out) > 0 {
		return out, true
	}
	for i, p := range c.ParticipantsV2 {
		r := base
		r.Path, r.Side, r.Endpoint = fmt.Sprintf("participants_v2[%d]", i), "participant", bytes.TrimSpace(p)
		add(r)
	}
	if len(out) == 0 {
		for i, p := range c.Participants { // deprecated: identitySets
			r := base
			r.Path, r.Side = fmt.Sprintf("participants[%d]", i), "participant"
			r.Endpoint = append(append([]byte(`{"identity":`), bytes.TrimSpace(p)...), '}')
			add(r)
		}
	}
	return out, len(out) > 0
}

// isParticipant reports whether an endpoint is a participant (a user or
// user-like entity), not a service endpoint.
func isParticipant(ep json.RawMessage) bool {
	var t struct {
		Type source.Loose `json:"@odata.type"`
	}
	if len(ep) == 0 || gojson.Unmarshal(ep, &t) != nil {
		return false
	}
	return strings.EqualFold(t.Type.Text, participantType) || t.Type.Text == ""
}

// identity is a Graph identity.
type identity struct {
	ID                source.Loose `json:"id"`
	DisplayName       source.Loose `json:"displayName"`
	UserPrincipalName source.Loose `json:"userPrincipalName"`
}

func (i identity) empty() bool {
	return i.ID.Text == "" && i.DisplayName.Text == "" && i.UserPrincipalName.Text == ""
}

// identitySet is a Graph identitySet (or communicationsIdentitySet).
type identitySet struct {
	User        *identity `json:"user"`
	Guest       *identity `json:"guest"`
	ACSUser     *identity `json:"acsUser"`
	SpoolUser   *identity `json:"spoolUser"`
	OnPremises  *identity `json:"onPremises"`
	Phone       *identity `json:"phone"`
	Application *identity `json:"application"`
}

// first returns the set's first identity, user before guests, phones and
// applications, or a zero identity.
func (s *identitySet) first() identity {
	if s == nil {
		return identity{}
	}
	for _, i := range []*identity{s.User, s.Guest, s.ACSUser, s.SpoolUser, s.OnPremises, s.Phone, s.Application} {
		if i != nil && !i.empty() {
			return *i
		}
	}
	return identity{}
}

// endpoint is a participantEndpoint (or a participants_v2 entry).
type endpoint struct {
	AssociatedIdentity *identity    `json:"associatedIdentity"`
	Identity           *identitySet `json:"identity"`
	Name               source.Loose `json:"name"`
	UserAgent          *struct {
		HeaderValue   source.Loose `json:"headerValue"`
		Platform      source.Loose `json:"platform"`
		ProductFamily source.Loose `json:"productFamily"`
	} `json:"userAgent"`
}

// networkInfo is the part of a callRecords networkInfo rollcall reads.
type networkInfo struct {
	IPAddress          source.Loose `json:"ipAddress"`
	ReflexiveIPAddress source.Loose `json:"reflexiveIPAddress"`
	ConnectionType     source.Loose `json:"connectionType"`
}

// media is one medium of a segment.
type media struct {
	Label         source.Loose `json:"label"`
	CallerNetwork *networkInfo `json:"callerNetwork"`
	CalleeNetwork *networkInfo `json:"calleeNetwork"`
	Streams       []struct {
		StreamDirection source.Loose `json:"streamDirection"`
	} `json:"streams"`
}

// parse reads one record expandCall made.
func parse(raw []byte) (*event.Event, error) {
	var r endpointRecord
	if !bytes.HasPrefix(raw, []byte(`{"rollcall_call":`)) || gojson.Unmarshal(raw, &r) != nil {
		// A call record that expandCall could not read, or has nobody.
		var c callRecord
		if err := gojson.Unmarshal(raw, &c); err != nil {
			return nil, source.UnmarshalError(err)
		}
		return nil, source.Fieldf("sessions", "no participant: fetch call records with $expand=sessions($expand=segments), or participants_v2")
	}
	var ep endpoint
	if err := gojson.Unmarshal(r.Endpoint, &ep); err != nil {
		return nil, &source.FieldError{Field: r.Path, Err: source.UnmarshalError(err)}
	}
	id := identity{}
	if ep.AssociatedIdentity != nil && !ep.AssociatedIdentity.empty() {
		id = *ep.AssociatedIdentity
	} else {
		id = ep.Identity.first()
	}
	if id.empty() {
		return nil, source.Fieldf(r.Path+".identity", "missing: the endpoint names no user, guest or phone")
	}
	sessionPath := r.Path
	if i := strings.LastIndexByte(r.Path, '.'); i > 0 {
		sessionPath = r.Path[:i] // sessions[2].caller → sessions[2]
	}
	startField, start := sessionPath+".startDateTime", r.Start
	if start == "" {
		startField, start = "startDateTime", r.CallStart
	}
	if start == "" {
		return nil, source.Fieldf("startDateTime", "missing: neither the session nor the call record has a start time")
	}
	join, err := source.ParseTime(start)
	if err != nil {
		return nil, &source.FieldError{Field: startField, Err: err}
	}
	var unknown []string
	m := &event.Meeting{Platform: ID, MeetingID: r.CallID, Participant: r.SessionID, Join: join, Machine: ep.Name.Text}
	if end := firstNonEmpty(r.End, r.CallEnd); end != "" {
		if t, err := source.ParseTime(end); err == nil && !t.Before(join) {
			m.Leave = t
			m.Duration = int(t.Sub(join).Seconds())
		} else {
			unknown = append(unknown, sessionPath+".endDateTime")
		}
	}
	if ua := ep.UserAgent; ua != nil {
		m.Device = ua.Platform.Text
		m.Client = firstNonEmpty(ua.HeaderValue.Text, ua.ProductFamily.Text)
		unknown = append(unknown, source.UnknownFields(
			source.FieldState{Name: r.Path + ".userAgent.platform", Unknown: ua.Platform.Unknown},
			source.FieldState{Name: r.Path + ".userAgent.headerValue", Unknown: ua.HeaderValue.Unknown})...)
	}
	actor := event.Actor{ID: strings.TrimSpace(id.ID.Text), Login: strings.TrimSpace(id.UserPrincipalName.Text), DisplayName: strings.TrimSpace(id.DisplayName.Text)}
	actor.Email = source.UPNEmail(actor.Login) // a B2B guest's "ada_fabrikam.com#EXT#@…" is ada@fabrikam.com
	m.Organizer = r.Organizer != "" && strings.EqualFold(r.Organizer, actor.ID)
	unknown = append(unknown, readMedia(m, r)...)
	ev := &event.Event{Kind: event.KindMeeting, Time: join, Account: &actor, Meeting: m}
	ev.Prov.ID = r.SessionID
	ev.Prov.SetUnknown(unknown)
	return ev, nil
}

// readMedia fills the network and camera state of the endpoint from the
// session's media, and names the media it could not read.
func readMedia(m *event.Meeting, r endpointRecord) []string {
	var unknown []string
	sends := "callerToCallee"
	if r.Side == "callee" {
		sends = "calleeToCaller"
	}
	sawMedia, video := false, false
	var ip netip.Addr // the endpoint's public address
	for i, raw := range r.Media {
		var md media
		if gojson.Unmarshal(raw, &md) != nil {
			unknown = append(unknown, fmt.Sprintf("%s.media[%d]", r.Path, i))
			continue
		}
		sawMedia = true
		n := md.CallerNetwork
		if r.Side == "callee" {
			n = md.CalleeNetwork
		}
		if n != nil {
			if !ip.IsValid() {
				ip = publicAddr(n.ReflexiveIPAddress.Text, true)
				if !ip.IsValid() {
					ip = publicAddr(n.IPAddress.Text, false)
				}
			}
			m.NetworkType = firstNonEmpty(m.NetworkType, n.ConnectionType.Text)
		}
		label := strings.ToLower(md.Label.Text)
		if strings.Contains(label, "video") && !strings.Contains(label, "sharing") && !strings.Contains(label, "screen") {
			for _, s := range md.Streams {
				if strings.EqualFold(s.StreamDirection.Text, sends) {
					video = true
				}
			}
		}
	}
	switch {
	case video:
		m.Camera = event.CameraOn
	case sawMedia:
		m.Camera = event.CameraOff
	case len(r.Modalities) > 0 && !slices.ContainsFunc(r.Modalities, func(s string) bool { return strings.EqualFold(s, "video") }):
		m.Camera = event.CameraOff // no media recorded, and the session had no video at all
	}
	m.Net = &event.Network{IP: ip}
	return unknown
}

// publicAddr parses an address; without reflexive set, only a public one
// counts (the endpoint's own adapter address is usually private).
func publicAddr(s string, reflexive bool) netip.Addr {
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil {
		return netip.Addr{}
	}
	a = a.Unmap()
	if !reflexive && (a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() || !a.IsGlobalUnicast()) {
		return netip.Addr{}
	}
	return a
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
