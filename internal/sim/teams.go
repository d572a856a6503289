package sim

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/netip"
	"strings"
	"time"
)

// Teams interviews: an Entra (Microsoft 365) organisation holds most of its
// interviews on Microsoft Teams and the rest on Zoom (a recruiter's
// account). planTeams marks the Teams ones from a stream of its own, after
// every interview is drawn, so that nothing else changes; WriteTeams writes
// them as Microsoft Graph call records (GET
// /communications/callRecords/{id}?$expand=sessions($expand=segments)),
// one per line: the host's session (an organisation user) and the
// candidate's (a B2B guest, whose UPN carries the personal address). A call
// record gives the public address the relay saw and no place, so APP-09
// and ONB-08 learn nothing from one without an IP database; COL-04 reads
// the video streams.

// FileTeams is the Teams call-record file WriteDir writes for Entra
// organisations.
const FileTeams = "teams-callrecords.ndjson"

// shareTeams is the share of an Entra organisation's interviews held on
// Teams.
const shareTeams = 0.6

// planTeams marks the interviews held on Teams.
func (o *Org) planTeams() {
	if o.cfg.IdP != IdPEntra {
		return
	}
	for _, iv := range o.interviews {
		iv.teams = chance(newRand(o.cfg.Seed, streamTeams, 1, uint64(iv.id)), shareTeams)
	}
}

// Call record JSON, the fields internal/source/teams reads and the ones
// around them Graph returns.
type (
	teamsIdentity struct {
		ID                string `json:"id"`
		DisplayName       string `json:"displayName"`
		UserPrincipalName string `json:"userPrincipalName,omitempty"`
		TenantID          string `json:"tenantId,omitempty"`
	}
	teamsUserAgent struct {
		Type          string `json:"@odata.type"`
		HeaderValue   string `json:"headerValue,omitempty"`
		Platform      string `json:"platform,omitempty"`
		ProductFamily string `json:"productFamily,omitempty"`
		Role          string `json:"role,omitempty"`
	}
	teamsEndpoint struct {
		Type               string          `json:"@odata.type"`
		Name               string          `json:"name,omitempty"`
		UserAgent          *teamsUserAgent `json:"userAgent,omitempty"`
		AssociatedIdentity *teamsIdentity  `json:"associatedIdentity,omitempty"`
		Identity           *struct {
			User *teamsIdentity `json:"user"`
		} `json:"identity,omitempty"`
	}
	teamsNetwork struct {
		IPAddress          string `json:"ipAddress"`
		ReflexiveIPAddress string `json:"reflexiveIPAddress"`
		ConnectionType     string `json:"connectionType"`
	}
	teamsStream struct {
		StreamDirection       string   `json:"streamDirection"`
		AverageVideoFrameRate *float64 `json:"averageVideoFrameRate,omitempty"`
	}
	teamsMedia struct {
		Label         string        `json:"label"`
		CallerNetwork teamsNetwork  `json:"callerNetwork"`
		Streams       []teamsStream `json:"streams"`
	}
	teamsSegment struct {
		ID            string       `json:"id"`
		StartDateTime string       `json:"startDateTime"`
		EndDateTime   string       `json:"endDateTime"`
		Media         []teamsMedia `json:"media"`
	}
	teamsSession struct {
		ID            string         `json:"id"`
		Modalities    []string       `json:"modalities"`
		StartDateTime string         `json:"startDateTime"`
		EndDateTime   string         `json:"endDateTime"`
		Caller        teamsEndpoint  `json:"caller"`
		Callee        teamsEndpoint  `json:"callee"`
		Segments      []teamsSegment `json:"segments"`
	}
	teamsCallRecord struct {
		Context       string   `json:"@odata.context"`
		Version       int      `json:"version"`
		Type          string   `json:"type"`
		Modalities    []string `json:"modalities"`
		StartDateTime string   `json:"startDateTime"`
		EndDateTime   string   `json:"endDateTime"`
		ID            string   `json:"id"`
		OrganizerV2   struct {
			ID       string `json:"id"`
			Identity struct {
				User teamsIdentity `json:"user"`
			} `json:"identity"`
		} `json:"organizer_v2"`
		Sessions []teamsSession `json:"sessions"`
	}
)

// WriteTeams writes every Teams interview as one call record per line, in
// time order.
func (o *Org) WriteTeams(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	tenant := uuid4(newRand(o.cfg.Seed, streamTeams, 0, 0))
	for _, iv := range o.interviews {
		if !iv.teams {
			continue
		}
		r := newRand(o.cfg.Seed, streamTeams, 2, uint64(iv.id))
		end := iv.start.Add(time.Duration(iv.minutes) * time.Minute)
		hostJoin, hostLeave := iv.start.Add(-2*time.Minute), end.Add(time.Minute)
		candJoin := iv.start.Add(time.Duration(r.IntN(240)) * time.Second)
		host := &teamsIdentity{ID: iv.host.src.entraID, DisplayName: iv.host.Name(), UserPrincipalName: iv.host.WorkEmail}
		hn := iv.host.homeEgress(o.dayOf(iv.start, iv.host.Loc()))
		var rec teamsCallRecord
		rec.Context = "https://graph.microsoft.com/v1.0/$metadata#communications/callRecords(sessions(segments()))/$entity"
		rec.Version, rec.Type, rec.Modalities = 1, "groupCall", []string{"audio", "video"}
		rec.StartDateTime, rec.EndDateTime, rec.ID = zoomTime(hostJoin), zoomTime(hostLeave), uuid4(r)
		rec.OrganizerV2.ID = host.ID
		rec.OrganizerV2.Identity.User = teamsIdentity{ID: host.ID, DisplayName: host.DisplayName, TenantID: tenant}
		hs := teamsSessionOf(r, hostJoin, hostLeave, hn.IP, "wifi", true)
		hs.Caller.Name = strings.ToUpper(strings.SplitN(iv.host.WorkEmail, "@", 2)[0]) + "-LT"
		hs.Caller.UserAgent = &teamsUserAgent{Type: "#microsoft.graph.callRecords.clientUserAgent",
			HeaderValue: "Teams/24295.605.3225.8804 (macOS 14.6)", Platform: "macOS", ProductFamily: "teams"}
		hs.Caller.AssociatedIdentity = host
		cs := teamsSessionOf(r, candJoin, end, iv.net.IP, strings.ToLower(iv.kind), iv.camera)
		cs.Caller.Name = "DESKTOP-" + randUpperAlnum(r, 7)
		platform, header := "windows", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0 Teams/25010"
		if iv.device == "Mac" {
			cs.Caller.Name = strings.ToLower(iv.cand.Given) + "s-MacBook-Pro"
			platform, header = "macOS", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15 Teams/25010"
		}
		cs.Caller.UserAgent = &teamsUserAgent{Type: "#microsoft.graph.callRecords.clientUserAgent", HeaderValue: header, Platform: platform, ProductFamily: "teams"}
		cs.Caller.Identity = &struct {
			User *teamsIdentity `json:"user"`
		}{&teamsIdentity{ID: uuid4(r), DisplayName: iv.cand.Given + " " + iv.cand.Family, UserPrincipalName: guestUPN(interviewEmail(iv.cand))}}
		rec.Sessions = []teamsSession{hs, cs}
		if err := enc.Encode(rec); err != nil {
			return fmt.Errorf("%s: %w", FileTeams, err)
		}
	}
	return nil
}

// teamsSessionOf is one participant's session with the conference server:
// audio both ways, and video sent when the camera is on.
func teamsSessionOf(r *rand.Rand, from, to time.Time, ip netip.Addr, conn string, camera bool) teamsSession {
	net := teamsNetwork{IPAddress: fmt.Sprintf("192.168.%d.%d", r.IntN(3), 10+r.IntN(200)), ReflexiveIPAddress: ip.String(), ConnectionType: conn}
	video := []teamsStream{{StreamDirection: "calleeToCaller"}}
	if camera {
		fps := 24 + float64(r.IntN(60))/10
		video = append([]teamsStream{{StreamDirection: "callerToCallee", AverageVideoFrameRate: &fps}}, video...)
	}
	return teamsSession{
		ID:         fmt.Sprintf("%08x-%04x-4%03x-a%03x-%012x", r.IntN(1<<30), r.IntN(1<<16), r.IntN(1<<12), r.IntN(1<<12), r.IntN(1<<30)),
		Modalities: []string{"audio", "video"}, StartDateTime: zoomTime(from), EndDateTime: zoomTime(to),
		Caller: teamsEndpoint{Type: "#microsoft.graph.callRecords.participantEndpoint"},
		Callee: teamsEndpoint{Type: "#microsoft.graph.callRecords.serviceEndpoint",
			UserAgent: &teamsUserAgent{Type: "#microsoft.graph.callRecords.serviceUserAgent", Role: "conferencing"}},
		Segments: []teamsSegment{{
			ID: fmt.Sprintf("%08x", r.IntN(1<<30)), StartDateTime: zoomTime(from), EndDateTime: zoomTime(to),
			Media: []teamsMedia{
				{Label: "main-audio", CallerNetwork: net, Streams: []teamsStream{{StreamDirection: "callerToCallee"}, {StreamDirection: "calleeToCaller"}}},
				{Label: "main-video", CallerNetwork: net, Streams: video},
			},
		}},
	}
}

// guestUPN is the user principal name of a B2B guest invited with email:
// "ada_fabrikam.com#EXT#@<tenant>.onmicrosoft.com".
func guestUPN(email string) string {
	if email == "" {
		return ""
	}
	return strings.Replace(strings.ToLower(email), "@", "_", 1) + "#EXT#@" + strings.SplitN(companyDomain, ".", 2)[0] + ".onmicrosoft.com"
}
