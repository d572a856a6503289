package sim

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The interview and MFA-enrolment files, read back the way the zoom and
// okta adapters and APP-09, COL-04 and ONB-08 read them, to check the
// truth's tells against the data.

type zoomRowIn struct {
	Email    string `json:"email"`
	Location string `json:"location"`
	HasVideo bool   `json:"has_video"`
	Role     string `json:"role"`
	Join     string `json:"join_time"`
}

type zoomPageIn struct {
	Meeting struct {
		ID int64 `json:"id"`
	} `json:"meeting"`
	Participants []zoomRowIn `json:"participants"`
}

type meetingFiles struct {
	joins  map[string][]zoomRowIn // candidate email -> attendee rows
	enrols map[string]oktaEvent   // work email -> enrolment
}

var loadMeetingFiles = sync.OnceValues(func() (*meetingFiles, error) {
	f, err := loadFixture()
	if err != nil {
		return nil, err
	}
	m := &meetingFiles{enrols: map[string]oktaEvent{}}
	if m.joins, err = readZoomJoins(filepath.Join(f.dir, FileZoom)); err != nil {
		return nil, err
	}
	enrols, err := readOkta(filepath.Join(f.dir, FileOktaMFA))
	if err != nil && !os.IsNotExist(err) { // no file when nobody starts inside the window
		return nil, err
	}
	for _, e := range enrols {
		m.enrols[e.Actor.AlternateID] = e
	}
	return m, nil
})

// meetings returns the files read back; nothing when they do not read
// (TestInterviewsWritten fails then).
func meetings(*index) *meetingFiles {
	m, err := loadMeetingFiles()
	if err != nil {
		return &meetingFiles{}
	}
	return m
}

// zoomCountry is the country code of a Dashboard location "City (CC)".
func zoomCountry(loc string) string {
	if i := strings.LastIndexByte(loc, '('); i >= 0 && strings.HasSuffix(loc, ")") {
		return loc[i+1 : len(loc)-1]
	}
	return ""
}

// candidateJoins are the interview rows of a person's candidate records.
func candidateJoins(x *index, cands []string) []zoomRowIn {
	var out []zoomRowIn
	for _, s := range cands {
		n, _ := strconv.ParseInt(s, 10, 64)
		if c := x.cands[n]; c != nil {
			for _, e := range c.EmailAddresses {
				out = append(out, meetings(x).joins[strings.ToLower(e.Value)]...)
			}
		}
	}
	return out
}

// claimedCountry is where an operative claims to live: the roster home,
// or for a persona the US address every persona gives.
func claimedCountry(x *index, id string) string {
	if c := x.country[id]; c != "" {
		return c
	}
	return "US"
}

// interviewTellChecks check the tells of the interview files.
var interviewTellChecks = map[string]func(x *index, id string, cands []string) bool{
	"APP-09": func(x *index, id string, cands []string) bool {
		foreign, home := 0, 0
		for _, r := range candidateJoins(x, cands) {
			switch c := zoomCountry(r.Location); {
			case c == claimedCountry(x, id):
				home++
			case c != "":
				foreign++
			}
		}
		return foreign > 0 && home == 0
	},
	"COL-04": func(x *index, _ string, cands []string) bool {
		rows := candidateJoins(x, cands)
		for _, r := range rows {
			if r.HasVideo {
				return false
			}
		}
		return len(rows) >= 2
	},
	"ONB-08": func(x *index, id string, cands []string) bool {
		var work string
		for email, e := range x.byEmail {
			if e == id {
				work = email
			}
		}
		en, ok := meetings(x).enrols[work]
		if !ok {
			return false
		}
		var laptop *oktaEvent
		for i, s := range x.starts[id] {
			if s.Device != nil && s.Device.Managed {
				laptop = &x.starts[id][i]
				break
			}
		}
		if laptop == nil {
			return false
		}
		l := laptop.Client.GeographicalContext.Country
		if !en.SecurityContext.IsProxy && !ispHosting(en.SecurityContext.ASNumber) && en.Client.GeographicalContext.Country == l {
			return false
		}
		n := 0
		for _, r := range candidateJoins(x, cands) {
			if countryName(zoomCountry(r.Location)) == l {
				return false
			}
			n++
		}
		return n > 0
	},
}

// ispHosting reports whether an AS number is one of the simulator's
// hosting networks.
func ispHosting(asn int) bool {
	for _, n := range isps {
		if int(n.ASN) == asn && n.Kind == Hosting {
			return true
		}
	}
	return false
}

// TestInterviewsWritten checks the interview file against the plan: every
// hired candidate with interviews joined before the hire, hosts are
// employees on camera, and camera-off candidates are the ones the plan
// drew.
func TestInterviewsWritten(t *testing.T) {
	x := newIndex(t)
	m, err := loadMeetingFiles()
	if err != nil {
		t.Fatalf("reading the interview files: %v", err)
	}
	if len(m.joins) == 0 {
		t.Fatal("no interviews written")
	}
	for _, iv := range x.f.org.interviews {
		rows := m.joins[strings.ToLower(interviewEmail(iv.cand))]
		found := false
		for _, r := range rows {
			if r.HasVideo == iv.camera && zoomCountry(r.Location) == iv.net.Place.Country {
				found = true
			}
		}
		if !found {
			t.Errorf("interview %d of candidate %s %s is not in %s as planned", iv.id, iv.cand.Given, iv.cand.Family, FileZoom)
		}
		if p := iv.cand.Employee; p != nil && !iv.start.Before(p.Created) {
			t.Errorf("interview %d of %s at %s is after the hire (%s)", iv.id, p.ID(), iv.start, p.Created)
		}
		if iv.start.After(x.f.org.end.Add(24 * time.Hour)) {
			t.Errorf("interview %d after the end of the simulation", iv.id)
		}
	}
}
