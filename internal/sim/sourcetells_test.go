package sim

import (
	"encoding/hex"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rollcall/rollcall/internal/event"
)

// sourceIndex is the fixture's code-host, git and endpoint files as the
// adapters read them, arranged by person. Only which commits a person made
// comes from the generator (commit hashes); every observable is read from
// the files.
type sourceIndex struct {
	commits map[string]*event.Commit  // by hash
	gh      map[string][]*event.Event // by actor login, in time order
	osq     map[string][]*event.Event // by decorations.username
	email   map[string]string         // employee -> work email (SCIM userName)
	name    map[string]string         // employee -> display name
	left    map[string]time.Time      // employee -> roster lastModified, for people no longer active
	shipped map[string]map[string]bool
	person  map[string]*Person
	hashes  map[string][]string // employee -> hashes of the commits the person made
}

var (
	srcIndexOnce sync.Once
	srcIndex     *sourceIndex
)

func newSourceIndex(t *testing.T, x *index) *sourceIndex {
	srcIndexOnce.Do(func() {
		f := x.f
		s := &sourceIndex{commits: map[string]*event.Commit{}, gh: map[string][]*event.Event{}, osq: map[string][]*event.Event{},
			email: map[string]string{}, name: map[string]string{}, left: map[string]time.Time{}, shipped: map[string]map[string]bool{},
			person: map[string]*Person{}, hashes: map[string][]string{}}
		for _, sf := range sourceFormats {
			r := decode(t, sf.format, filepath.Join(f.dir, sf.file))
			for _, e := range r.Events {
				switch {
				case e.Commit != nil:
					s.commits[e.Commit.Hash] = e.Commit
				case e.Audit != nil:
					s.gh[e.Actor().Login] = append(s.gh[e.Actor().Login], e)
				case e.Device != nil && len(e.Device.Rows) > 0:
					u := e.Device.Rows[0].Get("decorations.username")
					s.osq[u] = append(s.osq[u], e)
				}
			}
		}
		for _, u := range f.roster.Resources {
			id := u.Enterprise.EmployeeNumber
			s.email[id], s.name[id] = u.UserName, u.DisplayName
			if !u.Active {
				s.left[id], _ = time.Parse(scimTimeLayout, u.Meta.LastModified)
			}
		}
		for _, r := range f.shipments[1:] {
			addSet(s.shipped, r[0], r[2])
		}
		for _, p := range f.org.People {
			s.person[p.ID()] = p
			if p.src.engineer {
				for _, c := range f.org.personCommits(p, f.org.PersonActivities(p)) {
					s.hashes[p.ID()] = append(s.hashes[p.ID()], hexHash(c.hash))
				}
			}
		}
		srcIndex = s
	})
	if srcIndex == nil {
		t.Fatal("source index could not be built")
	}
	return srcIndex
}

func hexHash(h [20]byte) string { return hex.EncodeToString(h[:]) }

// rows are the osquery rows of a person's laptop, with their table.
func (s *sourceIndex) rows(id string) (tables []string, rows []map[string]string) {
	local, _, _ := strings.Cut(s.email[id], "@")
	for _, e := range s.osq[local] {
		for _, r := range e.Device.Rows {
			tables, rows = append(tables, e.Device.Table), append(rows, r.Map())
		}
	}
	return tables, rows
}

// anyRow reports whether a row of the person's laptop satisfies f.
func (s *sourceIndex) anyRow(id string, f func(table string, r map[string]string) bool) bool {
	tables, rows := s.rows(id)
	for i, r := range rows {
		if f(tables[i], r) {
			return true
		}
	}
	return false
}

func rowText(r map[string]string) string {
	return strings.ToLower(r["name"] + "|" + r["path"] + "|" + r["bundle_identifier"] + "|" + r["model"])
}

// personCommits are the parsed commits the person made.
func (s *sourceIndex) personCommits(id string) []*event.Commit {
	var out []*event.Commit
	for _, h := range s.hashes[id] {
		if c := s.commits[h]; c != nil {
			out = append(out, c)
		}
	}
	return out
}

// copiesOf are the times and repositories of a person's clones and zip
// downloads.
func (s *sourceIndex) copiesOf(id string) []*event.Event {
	var out []*event.Event
	for _, e := range s.gh[s.person[id].src.ghLogin] {
		if e.Audit.Action == "git.clone" || e.Audit.Action == "repo.download_zip" {
			out = append(out, e)
		}
	}
	return out
}

// burst reports n distinct repositories copied within 24 hours inside [from, until).
func burst(cs []*event.Event, from, until time.Time, n int) bool {
	for i, c := range cs {
		if c.Time.Before(from) || !c.Time.Before(until) {
			continue
		}
		repos := map[string]bool{}
		for _, d := range cs[i:] {
			if d.Time.Sub(c.Time) > 24*time.Hour || !d.Time.Before(until) {
				break
			}
			repos[d.Audit.Repo] = true
		}
		if len(repos) >= n {
			return true
		}
	}
	return false
}

var farFuture = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)

var remoteWords = []string{"anydesk", "teamviewer", "remoting_", "rustdesk", "splashtop"}

// sourceTellChecks re-derive the code-host, git and endpoint tells from the
// files.
var sourceTellChecks = map[string]func(x *index, s *sourceIndex, id string) bool{
	"END-01": func(_ *index, s *sourceIndex, id string) bool {
		return s.anyRow(id, func(_ string, r map[string]string) bool {
			return slices.ContainsFunc(remoteWords, func(w string) bool { return strings.Contains(rowText(r), w) })
		})
	},
	"END-02": func(_ *index, s *sourceIndex, id string) bool {
		return s.anyRow(id, func(tb string, r map[string]string) bool {
			return tb == "processes" && strings.Contains(r["cmdline"], "--pin=") && strings.HasPrefix(r["name"], "remoting_")
		})
	},
	"END-03": func(_ *index, s *sourceIndex, id string) bool {
		return s.anyRow(id, func(tb string, r map[string]string) bool {
			return tb == "usb_devices" && r["vendor_id"] == "1d6b" && r["model_id"] == "0104" &&
				(r["vendor"] == "PiKVM" || r["vendor"] == "tinypilot" || r["serial"] == "CAFEBABE")
		})
	},
	"END-05": func(_ *index, s *sourceIndex, id string) bool {
		return s.anyRow(id, func(_ string, r map[string]string) bool { return strings.Contains(rowText(r), "jiggl") })
	},
	"END-08": func(x *index, s *sourceIndex, id string) bool {
		return s.anyRow(id, func(tb string, r map[string]string) bool {
			sec, _ := strconv.ParseInt(r["unix_time"], 10, 64)
			return tb == "time" && r["local_timezone"] != zoneAbbr(time.Unix(sec, 0), zone(x.tz[id]))
		})
	},
	"END-09": func(_ *index, s *sourceIndex, id string) bool {
		return s.anyRow(id, func(_ string, r map[string]string) bool { return strings.Contains(rowText(r), "astrill") })
	},
	"ONB-06": func(_ *index, s *sourceIndex, id string) bool {
		return s.anyRow(id, func(tb string, r map[string]string) bool {
			return tb == "system_info" && !s.shipped[id][r["hardware_serial"]]
		})
	},
	"COL-01": func(_ *index, s *sourceIndex, id string) bool {
		return slices.ContainsFunc(s.personCommits(id), func(c *event.Commit) bool {
			return !strings.EqualFold(c.AuthorEmail, s.email[id]) || c.AuthorName != s.name[id]
		})
	},
	"IAM-09": func(x *index, s *sourceIndex, id string) bool {
		names := map[string]bool{}
		for _, c := range s.personCommits(id) {
			names[c.AuthorName] = true
			if other, ok := x.byEmail[strings.ToLower(c.AuthorEmail)]; ok && other != id {
				return true
			}
		}
		return len(names) > 1
	},
	"COL-02": func(x *index, s *sourceIndex, id string) bool {
		cs := s.personCommits(id)
		loc := zone(x.tz[id])
		away := 0
		var sx, sy float64
		for _, c := range cs {
			_, off := c.AuthorTime.Zone()
			_, home := c.AuthorTime.In(loc).Zone()
			if math.Abs(float64(off-home)) >= 4*3600 {
				away++
			}
			u := c.AuthorTime.UTC()
			a := 2 * math.Pi * (float64(u.Hour()) + float64(u.Minute())/60) / 24
			sx, sy = sx+math.Cos(a), sy+math.Sin(a)
		}
		_, off := x.f.truth.Start.AddDate(0, 0, x.f.truth.Days/2).In(loc).Zone()
		d := math.Mod(math.Abs(14-math.Atan2(sy, sx)*24/(2*math.Pi)-float64(off)/3600), 24)
		return len(cs) >= 5 && (away*4 >= len(cs) || math.Min(d, 24-d) >= 4)
	},
	"IAM-10": func(x *index, s *sourceIndex, id string) bool {
		return slices.ContainsFunc(s.gh[s.person[id].src.ghLogin], func(e *event.Event) bool {
			switch e.Audit.Action {
			case "team.add_member", "org.add_member", "org.update_member", "team.promote_maintainer":
				return e.Time.Sub(x.created[id]) <= 121*24*time.Hour
			}
			return false
		})
	},
	"NET-05": func(x *index, s *sourceIndex, id string) bool {
		cs := s.copiesOf(id)
		zips := 0
		for i, c := range cs {
			if c.Audit.Action == "repo.download_zip" {
				zips++
				n := 0
				for _, d := range cs[i:] {
					if d.Audit.Action == "repo.download_zip" && d.Time.Sub(c.Time) <= 24*time.Hour {
						n++
					}
				}
				if n >= 3 {
					return true
				}
			}
		}
		return burst(cs, x.created[id].Add(13*24*time.Hour), farFuture, 10)
	},
	"OFF-04": func(_ *index, s *sourceIndex, id string) bool {
		left, ok := s.left[id]
		return ok && burst(s.copiesOf(id), left.Add(-15*24*time.Hour), left, 10)
	},
}

// sourceBehaviourChecks re-derive hard negatives of the new sources from
// the files.
var sourceBehaviourChecks = map[string]func(x *index, s *sourceIndex, id string) bool{
	BehaviourRemoteSupport:     sourceTellChecks["END-01"],
	BehaviourMouseJiggler:      sourceTellChecks["END-05"],
	BehaviourReplacementLaptop: sourceTellChecks["ONB-06"],
	BehaviourUSBGadget: func(_ *index, s *sourceIndex, id string) bool {
		return s.anyRow(id, func(tb string, r map[string]string) bool {
			return tb == "usb_devices" && r["vendor_id"] == "1d6b" && r["model_id"] == "0104" && r["vendor"] != "PiKVM" && r["vendor"] != "tinypilot"
		})
	},
	BehaviourVPNClient: func(_ *index, s *sourceIndex, id string) bool {
		return s.anyRow(id, func(_ string, r map[string]string) bool {
			t := rowText(r)
			return strings.Contains(t, "mullvad") || strings.Contains(t, "protonvpn") || strings.Contains(t, "proton vpn") || strings.Contains(t, "nordvpn")
		})
	},
	BehaviourPersonalCommitMail: func(_ *index, s *sourceIndex, id string) bool {
		return slices.ContainsFunc(s.personCommits(id), func(c *event.Commit) bool { return !strings.EqualFold(c.AuthorEmail, s.email[id]) })
	},
	BehaviourTravelCommits: func(x *index, s *sourceIndex, id string) bool {
		return slices.ContainsFunc(s.personCommits(id), func(c *event.Commit) bool {
			_, off := c.AuthorTime.Zone()
			_, home := c.AuthorTime.In(zone(x.tz[id])).Zone()
			return off != home
		})
	},
	BehaviourOnboardingClones: func(x *index, s *sourceIndex, id string) bool {
		return burst(s.copiesOf(id), x.created[id].Add(-24*time.Hour), x.created[id].Add(4*24*time.Hour), 6)
	},
	BehaviourGitHubAdmin: func(_ *index, s *sourceIndex, id string) bool {
		return slices.ContainsFunc(s.gh[s.person[id].src.ghLogin], func(e *event.Event) bool {
			return e.Audit.Action == "org.add_member" || e.Audit.Action == "team.add_member"
		})
	},
}

// TestSourceTellsInData checks every code-host, git and endpoint tell the
// truth claims against the files as the adapters read them.
func TestSourceTellsInData(t *testing.T) {
	x := newIndex(t)
	s := newSourceIndex(t, x)
	seen := map[string]int{}
	for _, op := range x.f.truth.Operatives {
		for _, tell := range op.Tells {
			check, ok := sourceTellChecks[tell]
			if !ok {
				continue
			}
			seen[tell]++
			if !check(x, s, op.ID) {
				t.Errorf("%s claims %s, the files do not show it", op.ID, tell)
			}
		}
	}
	for _, want := range []string{"COL-02", "END-01", "END-08"} {
		if seen[want] == 0 {
			t.Errorf("no operative of the fixture shows %s (seen: %v)", want, seen)
		}
	}
}

// TestSourceBehavioursInData checks the new hard negatives the truth
// claims against the files.
func TestSourceBehavioursInData(t *testing.T) {
	x := newIndex(t)
	s := newSourceIndex(t, x)
	for _, l := range x.f.truth.Legitimate {
		for _, b := range l.Behaviours {
			if check, ok := sourceBehaviourChecks[b]; ok && !check(x, s, l.ID) {
				t.Errorf("%s claims %s, the files do not show it", l.ID, b)
			}
		}
	}
}
