package sim

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// index is the fixture's files, cross-referenced the way a detector would.
type index struct {
	f          *fixture
	home       map[string]string // employee -> street|postal|country
	region     map[string]string // employee -> full region name|country
	country    map[string]string
	tz         map[string]string
	created    map[string]time.Time
	byEmail    map[string]string // work email -> employee
	starts     map[string][]oktaEvent
	mfa        map[string][]oktaEvent
	shipTo     map[string][]string // employee -> address keys
	shipUsers  map[string]map[string]bool
	pay        map[string][][]string
	fpUsers    map[string]map[string]bool
	cands      map[int64]*ghCandidateIn
	names      map[string]map[string]bool // contact -> candidate names
	contactApp map[string]int
	ops        map[string]TruthOperative
}

func newIndex(t *testing.T) *index {
	f := getFixture(t)
	x := &index{f: f, home: map[string]string{}, region: map[string]string{}, country: map[string]string{}, tz: map[string]string{},
		created: map[string]time.Time{}, byEmail: map[string]string{}, starts: map[string][]oktaEvent{}, mfa: map[string][]oktaEvent{},
		shipTo: map[string][]string{}, shipUsers: map[string]map[string]bool{}, pay: map[string][][]string{}, fpUsers: map[string]map[string]bool{},
		cands: map[int64]*ghCandidateIn{}, names: map[string]map[string]bool{}, contactApp: map[string]int{}, ops: map[string]TruthOperative{}}
	for _, u := range f.roster.Resources {
		id := u.Enterprise.EmployeeNumber
		a := u.Addresses[0]
		x.home[id] = strings.ToLower(a.StreetAddress + "|" + a.PostalCode + "|" + a.Country)
		reg := a.Region
		if a.Country == "US" {
			reg = usStates[a.Region]
		} else if p := placeByCity(a.Locality, a.Country); p != nil {
			reg = p.Region
		}
		x.region[id] = reg + "|" + a.Country
		x.country[id] = a.Country
		x.tz[id] = u.Timezone
		x.created[id], _ = time.Parse(time.RFC3339, u.Meta.Created)
		x.byEmail[u.UserName] = id
	}
	for _, e := range f.okta {
		id := x.byEmail[e.Actor.AlternateID]
		switch {
		case e.EventType == "user.session.start" && e.Outcome.Result == "SUCCESS":
			x.starts[id] = append(x.starts[id], e)
		case e.EventType == "user.authentication.auth_via_mfa":
			x.mfa[id] = append(x.mfa[id], e)
		}
	}
	for _, r := range f.shipments[1:] {
		k := strings.ToLower(r[5] + "|" + r[8] + "|" + r[9])
		x.shipTo[r[0]] = append(x.shipTo[r[0]], k)
		addSet(x.shipUsers, k, r[0])
	}
	for _, r := range f.payroll[1:] {
		x.pay[r[0]] = append(x.pay[r[0]], r)
		addSet(x.fpUsers, r[3], r[0])
	}
	for i := range f.candidates {
		c := &f.candidates[i]
		x.cands[c.ID] = c
		name := strings.ToLower(c.FirstName + " " + c.LastName)
		for _, v := range candContacts(c) {
			addSet(x.names, v, name)
		}
		for _, v := range candEmailPhone(c) {
			x.contactApp[v] += len(c.Applications)
		}
	}
	for _, op := range f.truth.Operatives {
		x.ops[op.ID] = op
	}
	return x
}

// has reports whether the truth gives legitimate person id behaviour b.
func (x *index) has(id, b string) bool {
	for _, l := range x.f.truth.Legitimate {
		if l.ID == id {
			return slices.Contains(l.Behaviours, b)
		}
	}
	return false
}

func addSet(m map[string]map[string]bool, k, v string) {
	if m[k] == nil {
		m[k] = map[string]bool{}
	}
	m[k][v] = true
}

func candEmailPhone(c *ghCandidateIn) []string {
	var out []string
	for _, e := range c.EmailAddresses {
		out = append(out, strings.ToLower(e.Value))
	}
	for _, p := range c.PhoneNumbers {
		out = append(out, strings.ToLower(p.Value))
	}
	return out
}

func candContacts(c *ghCandidateIn) []string {
	out := candEmailPhone(c)
	for _, w := range c.WebsiteAddresses {
		out = append(out, strings.ToLower(w.Value))
	}
	for _, s := range c.SocialMediaAddresses {
		out = append(out, strings.ToLower(s.Value))
	}
	return out
}

func hostingASN(asn int) bool {
	for _, n := range isps {
		if int(n.ASN) == asn && n.Kind == Hosting {
			return true
		}
	}
	return false
}

func kmBetween(a, b oktaEvent) float64 {
	ga, gb := a.Client.GeographicalContext.Geolocation, b.Client.GeographicalContext.Geolocation
	return distanceKm(ga.Lat, ga.Lon, gb.Lat, gb.Lon)
}

// tellChecks re-derive each tell from the files alone.
var tellChecks = map[string]func(x *index, id string, candIDs []string) bool{
	"ONB-01": func(x *index, id string, _ []string) bool {
		return slices.ContainsFunc(x.shipTo[id], func(k string) bool { return k != x.home[id] })
	},
	"ONB-02": func(x *index, id string, _ []string) bool {
		return slices.ContainsFunc(x.shipTo[id], func(k string) bool { return len(x.shipUsers[k]) > 1 })
	},
	"ONB-03": func(x *index, id string, _ []string) bool {
		return slices.ContainsFunc(x.shipTo[id], func(k string) bool { return strings.Contains(k, " pmb ") })
	},
	"PAY-01": func(x *index, id string, _ []string) bool {
		rows := x.pay[id]
		for i, r := range rows {
			d, _ := time.Parse(time.DateOnly, r[1])
			h, _ := time.Parse(time.DateOnly, rows[0][1])
			if len(x.fpUsers[r[3]]) > 1 || i > 0 && r[3] != rows[0][3] && d.Sub(h) <= 61*24*time.Hour {
				return true
			}
		}
		return false
	},
	"PAY-02": func(x *index, id string, _ []string) bool {
		return slices.ContainsFunc(x.pay[id], func(r []string) bool {
			return r[2] == "crypto" || r[2] == "payoneer" || r[2] == "wise" || r[4] != "" && r[4] != x.country[id]
		})
	},
	"PAY-04": func(x *index, id string, _ []string) bool {
		return slices.ContainsFunc(x.pay[id], func(r []string) bool { return strings.HasSuffix(r[5], " LLC") && len(x.fpUsers[r[3]]) > 1 })
	},
	"IAM-01": func(x *index, id string, _ []string) bool {
		return slices.ContainsFunc(x.starts[id], func(e oktaEvent) bool {
			return e.SecurityContext.IsProxy || hostingASN(e.SecurityContext.ASNumber)
		})
	},
	"IAM-02": func(x *index, id string, _ []string) bool {
		for _, e := range x.mfa[id] {
			for other, es := range x.mfa {
				if other != id && slices.ContainsFunc(es, func(o oktaEvent) bool { return o.Device.ID == e.Device.ID }) {
					return true
				}
			}
		}
		return false
	},
	"IAM-03": func(x *index, id string, _ []string) bool {
		for _, e := range x.starts[id] {
			if e.SecurityContext.IsProxy || hostingASN(e.SecurityContext.ASNumber) {
				continue
			}
			for other, es := range x.starts {
				if other != id && x.home[other] != x.home[id] && slices.ContainsFunc(es, func(o oktaEvent) bool { return o.Client.IPAddress == e.Client.IPAddress }) {
					return true
				}
			}
		}
		return false
	},
	"IAM-04": func(x *index, id string, _ []string) bool {
		s := x.starts[id]
		for i := 1; i < len(s); i++ {
			km, h := kmBetween(s[i-1], s[i]), s[i].time.Sub(s[i-1].time).Hours()
			if km > 500 && (h <= 0 || km/h > 900) {
				return true
			}
		}
		return false
	},
	"IAM-06": func(x *index, id string, _ []string) bool {
		var sx, sy float64
		for _, e := range x.starts[id] {
			a := 2 * math.Pi * (float64(e.time.Hour()) + float64(e.time.Minute())/60) / 24
			sx, sy = sx+math.Cos(a), sy+math.Sin(a)
		}
		_, off := time.Date(2026, 9, 15, 12, 0, 0, 0, zone(x.tz[id])).Zone()
		d := math.Mod(math.Abs(9-math.Atan2(sy, sx)*24/(2*math.Pi)-float64(off)/3600), 24)
		return math.Min(d, 24-d) >= 3.5
	},
	"IAM-07": func(x *index, id string, _ []string) bool {
		return slices.ContainsFunc(x.starts[id], func(e oktaEvent) bool { return e.Device == nil && e.Client.Device == "Computer" })
	},
	"NET-02": func(x *index, id string, _ []string) bool {
		n, other := 0, 0
		for _, e := range x.starts[id] {
			if e.SecurityContext.IsProxy || hostingASN(e.SecurityContext.ASNumber) {
				continue
			}
			n++
			g := e.Client.GeographicalContext
			if g.State+"|"+g.Country != strings.Replace(x.region[id], "|US", "|United States", 1) {
				other++
			}
		}
		return n >= 5 && other*2 >= n
	},
	"ONB-07": func(x *index, id string, _ []string) bool {
		return slices.ContainsFunc(x.starts[id], func(e oktaEvent) bool {
			g := e.Client.GeographicalContext
			return e.time.Sub(x.created[id]) < 15*24*time.Hour &&
				(e.SecurityContext.IsProxy || hostingASN(e.SecurityContext.ASNumber) || e.Device == nil ||
					g.State+"|"+g.Country != strings.Replace(x.region[id], "|US", "|United States", 1))
		})
	},
	"APP-01": func(x *index, _ string, cands []string) bool {
		return anyCand(x, cands, func(c *ghCandidateIn) bool {
			return slices.ContainsFunc(candContacts(c), func(v string) bool { return len(x.names[v]) > 1 })
		})
	},
	"APP-12": func(x *index, _ string, cands []string) bool {
		return anyCand(x, cands, func(c *ghCandidateIn) bool {
			return slices.ContainsFunc(candEmailPhone(c), func(v string) bool { return x.contactApp[v] >= 4 })
		})
	},
	"APP-14": func(x *index, _ string, cands []string) bool {
		return anyCand(x, cands, func(c *ghCandidateIn) bool {
			for _, a := range c.Applications {
				if a.Source.PublicName == "Referral" && a.CreditedTo != nil && a.CreditedTo.EmployeeID != nil && x.ops[*a.CreditedTo.EmployeeID].ID != "" {
					return true
				}
			}
			return false
		})
	},
}

func anyCand(x *index, ids []string, f func(*ghCandidateIn) bool) bool {
	for _, s := range ids {
		n, _ := strconv.ParseInt(s, 10, 64)
		if c := x.cands[n]; c != nil && f(c) {
			return true
		}
	}
	return false
}

func TestTruthConsistent(t *testing.T) {
	x := newIndex(t)
	tr := x.f.truth
	employees := 0
	for _, op := range tr.Operatives {
		switch op.Kind {
		case "employee":
			employees++
			if _, ok := x.home[op.ID]; !ok || op.EmployeeID != op.ID {
				t.Errorf("operative %s is not on the roster", op.ID)
			}
		case "applicant":
			n, err := strconv.ParseInt(strings.TrimPrefix(op.ID, "cand-"), 10, 64)
			if err != nil || x.cands[n] == nil || !strings.HasPrefix(op.ID, "cand-") {
				t.Errorf("applicant operative %s is not a candidate", op.ID)
			}
		default:
			t.Errorf("operative %s: kind %q", op.ID, op.Kind)
		}
		for _, c := range op.CandidateIDs {
			if n, _ := strconv.ParseInt(c, 10, 64); x.cands[n] == nil {
				t.Errorf("operative %s: candidate %s missing", op.ID, c)
			}
		}
		if op.Careful && (len(op.Tells) < 1 || len(op.Tells) > 3) {
			t.Errorf("careful operative %s shows %d tells %v, want 1–3", op.ID, len(op.Tells), op.Tells)
		}
	}
	if employees != fixtureConfig.withDefaults().Operatives {
		t.Errorf("%d hired operatives, config asks for %d", employees, fixtureConfig.withDefaults().Operatives)
	}
	inCell := map[string]bool{}
	for _, c := range tr.Cells {
		hired := 0
		for _, m := range c.Members {
			op, ok := x.ops[m]
			if !ok || op.Cell != c.ID || inCell[m] {
				t.Errorf("cell %s: member %s is not an operative of the cell (or is in two cells)", c.ID, m)
			}
			inCell[m] = true
			if op.Kind == "employee" {
				hired++
			}
		}
		if hired < 2 || hired > 6 {
			t.Errorf("cell %s has %d hired members, want 2–6", c.ID, hired)
		}
	}
	if len(inCell) != len(tr.Operatives) {
		t.Errorf("%d operatives but %d cell members", len(tr.Operatives), len(inCell))
	}
	for _, l := range tr.Legitimate {
		if x.ops[l.ID].ID != "" || len(l.Behaviours) == 0 {
			t.Errorf("legitimate %s: operative or without behaviours", l.ID)
		}
		if n, err := strconv.ParseInt(strings.TrimPrefix(l.ID, "cand-"), 10, 64); strings.HasPrefix(l.ID, "cand-") && (err != nil || x.cands[n] == nil) {
			t.Errorf("legitimate %s is not a candidate", l.ID)
		} else if !strings.HasPrefix(l.ID, "cand-") && x.home[l.ID] == "" {
			t.Errorf("legitimate %s is not on the roster", l.ID)
		}
	}
}

// TestTellsInData checks every tell the truth claims against the files.
func TestTellsInData(t *testing.T) {
	x := newIndex(t)
	seen := map[string]int{}
	for _, op := range x.f.truth.Operatives {
		for _, tell := range op.Tells {
			seen[tell]++
			if _, ok := sourceTellChecks[tell]; ok {
				continue // checked against the new sources' files by TestSourceTellsInData
			}
			check, ok := tellChecks[tell]
			if !ok {
				check, ok = interviewTellChecks[tell]
			}
			if !ok {
				t.Errorf("%s: tell %s has no check", op.ID, tell)
				continue
			}
			if !check(x, op.ID, op.CandidateIDs) {
				t.Errorf("%s claims %s, the files do not show it", op.ID, tell)
			}
		}
	}
	for _, want := range []string{"ONB-02", "PAY-01", "IAM-01", "IAM-03", "APP-01"} {
		if seen[want] == 0 {
			t.Errorf("no operative shows %s (tells seen: %v)", want, seen)
		}
	}
}

// TestSameNamePools: operatives' names come from the pools everyone uses.
func TestSameNamePools(t *testing.T) {
	f := getFixture(t)
	for _, u := range f.roster.Resources {
		if !slices.Contains(givenNames, u.Name.GivenName) || !slices.Contains(familyNames, u.Name.FamilyName) {
			t.Errorf("%s: name %q not from the shared pools", u.Enterprise.EmployeeNumber, u.Name.Formatted)
		}
	}
}

// TestLocalWorkingHours: ordinary staff sign in during their local day.
func TestLocalWorkingHours(t *testing.T) {
	x := newIndex(t)
	special := map[string]bool{}
	for _, l := range x.f.truth.Legitimate {
		for _, b := range l.Behaviours {
			if b == BehaviourNightOwl || b == BehaviourTraveller || b == BehaviourRelocated || b == BehaviourDomesticTrip {
				special[l.ID] = true
			}
		}
	}
	in, all := 0, 0
	for id, starts := range x.starts {
		if x.ops[id].ID != "" || special[id] {
			continue
		}
		for _, e := range starts {
			h := e.time.In(zone(x.tz[id])).Hour()
			all++
			if h >= 6 && h < 22 {
				in++
			}
		}
	}
	if all == 0 || float64(in) < 0.97*float64(all) {
		t.Errorf("%d of %d sign-ins of ordinary staff in local 06–22h, want 97%%", in, all)
	}
}
