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

// entraSignInIn is the part of a Graph signIn the continuity check reads.
type entraSignInIn struct {
	Created string `json:"createdDateTime"`
	UPN     string `json:"userPrincipalName"`
	App     string `json:"appDisplayName"`
	Device  struct {
		IsManaged bool `json:"isManaged"`
	} `json:"deviceDetail"`
	Location struct {
		Country string `json:"countryOrRegion"`
	} `json:"location"`
	MFA struct {
		AuthMethod *string `json:"authMethod"`
	} `json:"mfaDetail"`
	Risk []string `json:"riskEventTypes_v2"`
	ASN  int      `json:"autonomousSystemNumber"`
}

// TestContinuityInEntraData writes an Entra organisation in which
// laptop-farm operatives start inside the window and checks ONB-08 in the
// truth against the files alone: the Authenticator registration (a My
// Sign-Ins sign-in, the first that completed MFA) is hidden or in another country
// than the first managed sign-in, and every interview Zoom locates is too
// (Teams call records locate none). Legitimate hires who start inside the
// window register where the laptop is and never carry the tell.
func TestContinuityInEntraData(t *testing.T) {
	cfg := Config{Seed: 5, People: 500, Days: 90, IdP: IdPEntra} // a seed whose farm hires start inside the window
	o, dir := generated(t, cfg)
	var log struct {
		Value []entraSignInIn `json:"value"`
	}
	if err := readJSON(filepath.Join(dir, FileEntra), &log); err != nil {
		t.Fatal(err)
	}
	registered := map[string]entraSignInIn{}
	laptop := map[string]entraSignInIn{}
	for _, s := range log.Value { // in time order
		if _, ok := registered[s.UPN]; !ok && s.MFA.AuthMethod != nil {
			registered[s.UPN] = s
		}
		if _, ok := laptop[s.UPN]; !ok && s.Device.IsManaged {
			laptop[s.UPN] = s
		}
	}
	res := sourcetest.DecodeFile(t, teams.New(), filepath.Join(dir, FileTeams))
	located := map[string][]string{} // candidate email -> interview countries Zoom gives
	for _, e := range res.Events {
		if e.Kind == event.KindMeeting && !e.Meeting.Organizer {
			located[e.Actor().Email] = append(located[e.Actor().Email], "") // no place in a call record
		}
	}
	zoom, err := readZoomJoins(filepath.Join(dir, FileZoom))
	if err != nil {
		t.Fatal(err)
	}
	for email, rows := range zoom {
		for _, r := range rows {
			located[email] = append(located[email], zoomCountry(r.Location))
		}
	}

	tellsOf := map[string][]string{}
	for _, op := range o.truth.Operatives {
		tellsOf[op.EmployeeID] = op.Tells
	}
	fired, legitHires := 0, 0
	for _, p := range o.People {
		if !o.hiredInWindow(p) {
			continue
		}
		reg, ok := registered[p.WorkEmail]
		if !ok {
			continue
		}
		lap, ok := laptop[p.WorkEmail]
		if !ok {
			continue
		}
		if reg.App != mySignIns.name {
			t.Errorf("%s: the first sign-in that completed MFA is to %q, not the registration", p.ID(), reg.App)
		}
		l := lap.Location.Country
		hidden := slices.Contains(reg.Risk, "anonymizedIPAddress") || ispHosting(reg.ASN)
		lapHidden := slices.Contains(lap.Risk, "anonymizedIPAddress") || ispHosting(lap.ASN)
		show := !lapHidden && (hidden || reg.Location.Country != l)
		n := 0
		if show && p.Candidate != nil {
			for _, e := range p.Candidate.Emails {
				for _, c := range located[strings.ToLower(e.Value)] {
					if c == l {
						show = false
					}
					if c != "" {
						n++
					}
				}
			}
		}
		show = show && n > 0
		has := slices.Contains(tellsOf[p.ID()], "ONB-08")
		if p.Op == nil {
			legitHires++
			if show || has {
				t.Errorf("legitimate hire %s: registered in %s, laptop in %s; ONB-08 shown %v, in truth %v", p.ID(), reg.Location.Country, l, show, has)
			}
			continue
		}
		if show != has {
			t.Errorf("operative %s: ONB-08 in truth %v, the files show it %v (registered %s hidden %v, laptop %s)", p.ID(), has, show, reg.Location.Country, hidden, l)
		}
		if has {
			fired++
		}
	}
	if fired == 0 || legitHires == 0 {
		t.Errorf("%d operatives with ONB-08, %d legitimate hires registering inside the window: want both", fired, legitHires)
	}
}

// readZoomJoins reads a Zoom participants file: candidate email -> rows.
func readZoomJoins(path string) (map[string][]zoomRowIn, error) {
	out := map[string][]zoomRowIn{}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var pg zoomPageIn
		if err := json.Unmarshal(sc.Bytes(), &pg); err != nil {
			return nil, err
		}
		for _, r := range pg.Participants {
			if r.Role != "host" {
				out[strings.ToLower(r.Email)] = append(out[strings.ToLower(r.Email)], r)
			}
		}
	}
	return out, sc.Err()
}
