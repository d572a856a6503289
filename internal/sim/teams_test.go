package sim

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source/sourcetest"
	"github.com/rollcall/rollcall/internal/source/teams"
)

// TestTeamsInterviews writes an Entra organisation and reads its interview
// files back with the teams adapter and as Zoom pages: every interview is
// in exactly one of them, each Teams one with the candidate's address, the
// public address the candidate joined from and the camera as planned, and
// COL-04 and APP-09 in the truth are what the two files show together.
func TestTeamsInterviews(t *testing.T) {
	cfg := fixtureConfig
	cfg.IdP = IdPEntra
	o, dir := generated(t, cfg)
	res := sourcetest.DecodeFile(t, teams.New(), filepath.Join(dir, FileTeams))
	if res.Err != "" || len(res.Rejections) > 0 {
		t.Fatalf("%s: error %q, %d rejections (first %+v)", FileTeams, res.Err, len(res.Rejections), res.Rejections)
	}
	type join struct {
		ip      string
		camera  bool
		country string // Zoom's; a call record gives none
	}
	joins := map[string][]join{} // candidate email -> joins, both files
	hosts := 0
	for _, e := range res.Events {
		if e.Kind != event.KindMeeting || e.Meeting.Platform != "teams" {
			t.Fatalf("%s record %d: %s event on %q", FileTeams, e.Prov.Record, e.Kind, e.Meeting.Platform)
		}
		if e.Meeting.Organizer {
			hosts++
			if !strings.HasSuffix(e.Actor().Email, "@"+companyDomain) {
				t.Errorf("%s record %d: organiser %q is not an employee", FileTeams, e.Prov.Record, e.Actor().Email)
			}
			continue
		}
		joins[e.Actor().Email] = append(joins[e.Actor().Email], join{e.Net().IP.String(), e.Meeting.Camera == event.CameraOn, ""})
	}
	zoomIDs := map[int64]bool{}
	zf, err := os.Open(filepath.Join(dir, FileZoom))
	if err != nil {
		t.Fatal(err)
	}
	defer zf.Close()
	sc := bufio.NewScanner(zf)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var pg struct {
			Meeting struct {
				ID int64 `json:"id"`
			} `json:"meeting"`
			Participants []struct {
				Email     string `json:"email"`
				IPAddress string `json:"ip_address"`
				Location  string `json:"location"`
				HasVideo  bool   `json:"has_video"`
				Role      string `json:"role"`
			} `json:"participants"`
		}
		if err := json.Unmarshal(sc.Bytes(), &pg); err != nil {
			t.Fatal(err)
		}
		zoomIDs[pg.Meeting.ID] = true
		for _, p := range pg.Participants {
			if p.Role != "host" {
				joins[strings.ToLower(p.Email)] = append(joins[strings.ToLower(p.Email)], join{p.IPAddress, p.HasVideo, zoomCountry(p.Location)})
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}

	nTeams := 0
	for _, iv := range o.interviews {
		if iv.teams == zoomIDs[iv.id] {
			t.Errorf("interview %d (teams %v) is in the Zoom file %v", iv.id, iv.teams, zoomIDs[iv.id])
		}
		if !iv.teams {
			continue
		}
		nTeams++
		want := join{iv.net.IP.String(), iv.camera, ""}
		if !slices.Contains(joins[strings.ToLower(interviewEmail(iv.cand))], want) {
			t.Errorf("Teams interview %d of %s %s (%+v) is not in %s", iv.id, iv.cand.Given, iv.cand.Family, want, FileTeams)
		}
	}
	if nTeams == 0 || nTeams == len(o.interviews) || hosts != nTeams {
		t.Fatalf("%d of %d interviews on Teams, %d organiser sessions: want some on each platform, one organiser per call", nTeams, len(o.interviews), hosts)
	}

	// COL-04 in the truth is the camera the files show: off in two
	// interviews or more, never on.
	for _, c := range o.Candidates {
		rows := joins[strings.ToLower(interviewEmail(c))]
		if !o.uniqueInterviewEmail(c) || len(rows) == 0 {
			continue
		}
		off := len(rows) >= 2
		for _, r := range rows {
			off = off && !r.camera
		}
		if got := slices.Contains(o.interviewTells(c), "COL-04"); got != off {
			t.Errorf("candidate %s %s: COL-04 in the truth %v, the files show camera off throughout %v", c.Given, c.Family, got, off)
		}
		// APP-09: Zoom places an interview in another country than the
		// claimed one, none in it, and no call record leaves one unplaced.
		claimed := c.claimedCountry()
		foreign, home, unplaced := 0, 0, 0
		for _, r := range rows {
			switch r.country {
			case "":
				unplaced++
			case claimed:
				home++
			default:
				foreign++
			}
		}
		show := foreign > 0 && home == 0 && unplaced == 0 && claimed != ""
		if got := slices.Contains(o.interviewTells(c), "APP-09"); got != show && !gatewayOnly(o, c) {
			t.Errorf("candidate %s %s: APP-09 in the truth %v, the files show it %v (%d abroad, %d home, %d unplaced)", c.Given, c.Family, got, show, foreign, home, unplaced)
		}
	}
}

// TestOktaOrganisationHasNoTeams: an Okta organisation interviews on Zoom
// only and writes no call records.
func TestOktaOrganisationHasNoTeams(t *testing.T) {
	f := getFixture(t)
	if slices.Contains(f.org.Files(), FileTeams) {
		t.Errorf("an Okta organisation writes %s", FileTeams)
	}
	for _, iv := range f.org.interviews {
		if iv.teams {
			t.Fatalf("interview %d of an Okta organisation is on Teams", iv.id)
		}
	}
}

// gatewayOnly reports whether c joins every Zoom interview abroad through a
// corporate gateway, which the truth (like APP-09) does not count and the
// files cannot tell from a home network without the network list.
func gatewayOnly(o *Org, c *Candidate) bool {
	for _, iv := range o.interviews {
		if iv.cand == c && iv.net.ISP.Kind == SecureGateway {
			return true
		}
	}
	return false
}
