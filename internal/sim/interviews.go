package sim

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// Interviews: every hired candidate was interviewed over Zoom one to three
// times between applying and the offer, and some candidates who were never
// hired (cell personas more often) once or twice. planInterviews draws
// them from a stream of its own after everything else, so that no earlier
// output changes; WriteZoom writes them as Zoom Dashboard participant
// pages (GET /metrics/meetings/{id}/participants?type=past), one meeting
// per line, with the meeting object an export script adds beside the
// participants.

// FileZoom is the Zoom participant report file WriteDir writes.
const FileZoom = "zoom-participants.ndjson"

// Hard-negative behaviours in interviews (legitimate candidates and hires).
const (
	BehaviourInterviewTrip    = "interview_while_travelling" // one interview from a hotel abroad, the others from home
	BehaviourInterviewCamera  = "interview_camera_off"       // camera off in every interview (bandwidth, privacy, habit)
	BehaviourInterviewGateway = "interview_employer_gateway" // joins from the current employer's Zscaler gateway
	BehaviourInterviewVPN     = "interview_consumer_vpn"     // joins through a consumer VPN exit
)

// interview is one interview meeting: a host (an employee) and a candidate.
type interview struct {
	id           int64
	uuid, topic  string
	start        time.Time
	minutes      int
	host         *Person
	hostID       string // the host's Zoom user id
	cand         *Candidate
	net          *Egress // where the candidate joined from
	camera       bool    // the candidate's camera was on
	device, kind string  // the candidate's client platform and network type
	teams        bool    // held on Microsoft Teams (Entra organisations), else Zoom
}

// planInterviews draws every candidate's interviews.
func (o *Org) planInterviews() {
	var hosts []*Person
	for _, p := range o.People {
		if p.Op == nil && (p.Department == "Engineering" || p.Department == "Data") {
			hosts = append(hosts, p)
		}
	}
	if len(hosts) == 0 {
		return
	}
	for i, c := range o.Candidates {
		r := newRand(o.cfg.Seed, streamMeetings, 1, uint64(i))
		o.candidateInterviews(r, c, hosts)
	}
	slices.SortStableFunc(o.interviews, func(a, b *interview) int { return a.start.Compare(b.start) })
	o.planTeams()
}

// candidateInterviews draws one candidate's interviews and the
// hard-negative behaviour they show.
func (o *Org) candidateInterviews(r *rand.Rand, c *Candidate, hosts []*Person) {
	var op *Operative
	if c.Employee != nil {
		op = c.Employee.Op
	}
	persona := c.Cell != nil
	n := 0
	switch {
	case c.Employee != nil:
		n = between(r, 1, 3)
	case persona && chance(r, 0.6):
		n = between(r, 1, 2)
	case !persona && chance(r, 0.35):
		n = 1
	}
	if n == 0 || len(c.Apps) == 0 {
		return
	}
	from, to := c.Apps[0].Applied.AddDate(0, 0, 3), c.Apps[0].LastActivity.AddDate(0, 0, -1)
	if c.Employee == nil || !to.After(from) {
		to = from.AddDate(0, 0, 30)
	}
	// How the candidate joins.
	home := o.candidateHome(r, c)
	nets := make([]*Egress, n)
	for i := range nets {
		nets[i] = home
	}
	cameraOn := chance(r, 0.9)
	var behaviour string
	switch {
	case op != nil || persona:
		careful := op != nil && op.Careful
		cameraOn = chance(r, map[bool]float64{false: 0.35, true: 0.7}[careful])
		for i := range nets {
			nets[i] = o.operativeInterviewNet(r, c, careful)
		}
		if face := o.faceNet(c); face != nil {
			for i := range nets {
				nets[i] = face
			}
		}
	case chance(r, 0.08) && n >= 2:
		i := r.IntN(n)
		dest := placeByCity(pick(r, travelDestinations), "")
		isp := ispByKey(pick(r, dest.ISPs))
		nets[i] = newEgress(r, isp.randomIP(r), isp, dest)
		behaviour = BehaviourInterviewTrip
	case chance(r, 0.06):
		zs := pick(r, o.zscaler[pick(r, zscalerDCs)])
		for i := range nets {
			nets[i] = zs
		}
		behaviour = BehaviourInterviewGateway
	case chance(r, 0.05):
		vpn := pick(r, o.vpnExitsUS)
		for i := range nets {
			nets[i] = vpn
		}
		behaviour = BehaviourInterviewVPN
	}
	if op == nil && !persona && !cameraOn && n >= 2 && behaviour == "" {
		behaviour = BehaviourInterviewCamera
	}
	device, kind := pick(r, []string{"Windows", "Mac", "Mac"}), pick(r, []string{"Wifi", "Wired"})
	span := to.Sub(from)
	for i := range n {
		start := from.Add(time.Duration(float64(span) * (float64(i) + r.Float64()) / float64(n))).Truncate(time.Hour)
		start = time.Date(start.Year(), start.Month(), start.Day(), between(r, 14, 21), 5*r.IntN(3), 0, 0, time.UTC)
		if start.After(o.end) {
			break
		}
		host := pick(r, hosts)
		for try := 0; host.Hired.After(start) && try < 20; try++ {
			host = pick(r, hosts) // an interviewer already on staff
		}
		if host.Hired.After(start) {
			continue
		}
		on := cameraOn
		if on && chance(r, 0.15) {
			on = false // a bad connection, once
		}
		iv := &interview{id: 81000000000 + r.Int64N(18999999999), uuid: zoomID(r), start: start, minutes: between(r, 30, 75),
			host: host, hostID: zoomID(r), cand: c, net: nets[i], camera: on, device: device, kind: kind}
		iv.topic = fmt.Sprintf("Interview: %s - %s %s", c.Title, c.Given, c.Family)
		o.interviews = append(o.interviews, iv)
	}
	if behaviour == "" || !o.interviewBehaviourShows(c, behaviour) {
		return
	}
	if c.Employee != nil {
		c.Employee.addBehaviour(behaviour)
	} else {
		c.Behaviours = append(c.Behaviours, behaviour)
	}
}

// interviewBehaviourShows reports whether the interviews drawn show the
// behaviour (a trip needs two interviews left after clamping, camera off
// two camera-off interviews).
func (o *Org) interviewBehaviourShows(c *Candidate, b string) bool {
	var mine []*interview
	for _, iv := range o.interviews {
		if iv.cand == c {
			mine = append(mine, iv)
		}
	}
	switch b {
	case BehaviourInterviewTrip:
		return len(mine) >= 2
	case BehaviourInterviewCamera:
		off := 0
		for _, iv := range mine {
			if iv.camera {
				return false
			}
			off++
		}
		return off >= 2
	}
	return len(mine) > 0
}

// candidateHome is the residential network a legitimate candidate joins
// from: the hire's home network, else one in the place the candidate
// claims.
func (o *Org) candidateHome(r *rand.Rand, c *Candidate) *Egress {
	if p := c.Employee; p != nil && len(p.homeNet) > 0 {
		return p.homeNet[0].e
	}
	pl := c.Place
	if pl == nil || len(pl.ISPs) == 0 {
		pl = placeByCity("Chicago", "US")
	}
	isp := ispByKey(pick(r, pl.ISPs))
	return newEgress(r, isp.randomIP(r), isp, pl)
}

// operativeInterviewNet is where an operator joins an interview from: the
// cell's VPN exits most often, the real location when careless, or a
// facilitator's home network in the claimed country.
func (o *Org) operativeInterviewNet(r *rand.Rand, c *Candidate, careful bool) *Egress {
	cell := c.Cell
	if c.Employee != nil {
		cell = c.Employee.Op.Cell
	}
	leak := 0.35
	if careful {
		leak = 0.1
	}
	switch x := r.Float64(); {
	case x < leak:
		isp := ispByKey(pick(r, cell.Real.ISPs))
		return newEgress(r, isp.randomIP(r), isp, cell.Real)
	case x < leak+0.45:
		return pick(r, cell.VPN)
	case c.Employee != nil && c.Employee.Op.OwnNet != nil:
		return c.Employee.Op.OwnNet
	}
	return cell.FarmNet
}

// faceNet is the one network a "face" joins every interview of a
// laptop-farm operative hired inside the window from: the cell's own
// country, where a fluent member or a paid stand-in sits the interviews
// for the cell (the laptop then goes to the farm and the MFA phone stays
// with the operator). Nil when the operative interviews as drawn. Drawn
// from a stream of its own so that no other draw moves.
func (o *Org) faceNet(c *Candidate) *Egress {
	p := c.Employee
	if p == nil || p.Op == nil || p.Op.LaptopAt != "farm" || !o.hiredInWindow(p) {
		return nil
	}
	r := newRand(o.cfg.Seed, streamFace, 0, uint64(p.Index))
	if !chance(r, map[bool]float64{false: 0.6, true: 0.3}[p.Op.Careful]) {
		return nil
	}
	isp := ispByKey(pick(r, p.Op.Cell.Real.ISPs))
	return newEgress(r, isp.randomIP(r), isp, p.Op.Cell.Real)
}

// interviewTells are the tells a candidate's interviews show in the Zoom
// and Teams data: APP-09 (Zoom only, and only when no interview is a Teams
// call record, which names the address and no place: maybe home) when Zoom locates an interview in another country than the
// claimed home and none in it (a VPN exit in the claimed country shows
// nothing without an IP database), COL-04 when the camera was off in two
// interviews or more and never on.
func (o *Org) interviewTells(c *Candidate) []string {
	if !o.uniqueInterviewEmail(c) {
		return nil // a mailbox several candidates give (a cell's shared one, an agency's) resolves to nobody
	}
	claimed := c.claimedCountry()
	var foreign, home, unplaced, off, on int
	for _, iv := range o.interviews {
		if iv.cand != c {
			continue
		}
		switch {
		case iv.teams: // a call record gives the address alone: no country without an IP database, maybe home
			unplaced++
		case iv.net.Place.Country == claimed:
			home++
		case iv.net.ISP.Kind != SecureGateway:
			foreign++
		}
		if iv.camera {
			on++
		} else {
			off++
		}
	}
	var out []string
	if foreign > 0 && home == 0 && unplaced == 0 && claimed != "" {
		out = append(out, "APP-09")
	}
	if off >= 2 && on == 0 {
		out = append(out, "COL-04")
	}
	return out
}

// uniqueInterviewEmail reports whether the address c joins interviews
// with is on no other candidate record, so that the interviews resolve to
// c.
func (o *Org) uniqueInterviewEmail(c *Candidate) bool {
	email := strings.ToLower(interviewEmail(c))
	if email == "" {
		return false
	}
	for _, d := range o.Candidates {
		if d == c {
			continue
		}
		for _, e := range d.Emails {
			if strings.ToLower(e.Value) == email {
				return false
			}
		}
	}
	return true
}

// zoomID draws a Zoom user id or meeting UUID: 16 random bytes in base64.
func zoomID(r *rand.Rand) string {
	var b [16]byte
	for i := range b {
		b[i] = byte(r.IntN(256))
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// zoomParticipant is one row of a Dashboard participants page.
type zoomParticipant struct {
	ID          string `json:"id"`
	UserID      string `json:"user_id"`
	UserName    string `json:"user_name"`
	Email       string `json:"email,omitempty"`
	Device      string `json:"device"`
	IPAddress   string `json:"ip_address"`
	Location    string `json:"location"`
	NetworkType string `json:"network_type"`
	Camera      string `json:"camera"`
	HasVideo    bool   `json:"has_video"`
	JoinTime    string `json:"join_time"`
	LeaveTime   string `json:"leave_time"`
	Version     string `json:"version"`
	Status      string `json:"status"`
	Role        string `json:"role"`
}

type zoomPage struct {
	Meeting struct {
		UUID  string `json:"uuid"`
		ID    int64  `json:"id"`
		Topic string `json:"topic"`
	} `json:"meeting"`
	NextPageToken string            `json:"next_page_token"`
	PageCount     int               `json:"page_count"`
	PageSize      int               `json:"page_size"`
	TotalRecords  int               `json:"total_records"`
	Participants  []zoomParticipant `json:"participants"`
}

// WriteZoom writes every interview as one Dashboard participants page per
// line: the host, then the candidate.
func (o *Org) WriteZoom(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, iv := range o.interviews {
		if iv.teams {
			continue // in the Teams call records
		}
		r := newRand(o.cfg.Seed, streamMeetings, 2, uint64(iv.id))
		var pg zoomPage
		pg.Meeting.UUID, pg.Meeting.ID, pg.Meeting.Topic = iv.uuid+"==", iv.id, iv.topic
		pg.PageCount, pg.PageSize, pg.TotalRecords = 1, 30, 2
		end := iv.start.Add(time.Duration(iv.minutes) * time.Minute)
		hn := iv.host.homeEgress(o.dayOf(iv.start, iv.host.Loc()))
		pg.Participants = []zoomParticipant{
			{ID: iv.hostID, UserID: fmt.Sprint(16778240 + r.IntN(1<<20)), UserName: iv.host.Name(), Email: iv.host.WorkEmail,
				Device: "Mac", IPAddress: hn.IP.String(), Location: zoomLocation(hn), NetworkType: "Wifi", Camera: "FaceTime HD Camera",
				HasVideo: true, JoinTime: zoomTime(iv.start.Add(-2 * time.Minute)), LeaveTime: zoomTime(end.Add(time.Minute)),
				Version: "6.3.11.50104", Status: "in_meeting", Role: "host"},
			{UserID: fmt.Sprint(16778240 + r.IntN(1<<20)), UserName: iv.cand.Given + " " + iv.cand.Family, Email: interviewEmail(iv.cand),
				Device: iv.device, IPAddress: iv.net.IP.String(), Location: zoomLocation(iv.net), NetworkType: iv.kind,
				Camera: "Integrated Webcam", HasVideo: iv.camera, JoinTime: zoomTime(iv.start.Add(time.Duration(r.IntN(240)) * time.Second)),
				LeaveTime: zoomTime(end), Version: "6.2.5.43201", Status: "in_meeting", Role: "attendee"},
		}
		if err := enc.Encode(pg); err != nil {
			return err
		}
	}
	return nil
}

// interviewEmail is the address a candidate joins with: the personal one
// on the candidate record, else the first.
func interviewEmail(c *Candidate) string {
	for _, e := range c.Emails {
		if e.Type == "personal" {
			return e.Value
		}
	}
	if len(c.Emails) > 0 {
		return c.Emails[0].Value
	}
	return ""
}

// zoomLocation is the Dashboard's location: "City (CC)".
func zoomLocation(e *Egress) string { return fmt.Sprintf("%s (%s)", e.Place.City, e.Place.Country) }

func zoomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// claimedCountry is the country the candidate claims to live in: the
// employee's home once hired, else the applicant's place, else "".
func (c *Candidate) claimedCountry() string {
	switch {
	case c.Employee != nil:
		return c.Employee.Home.Country
	case c.Place != nil:
		return c.Place.Country
	}
	return ""
}
