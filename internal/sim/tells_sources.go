package sim

import (
	"math"
	"slices"
	"strings"
	"time"
)

// Tells and hard-negative behaviours in the code-host, git and endpoint
// data, derived from the generated records by these rules (each mirrors
// the observable in INDICATORS.md):
//
//	END-01 an app, program or process of a remote-control tool (AnyDesk,
//	       TeamViewer, Chrome Remote Desktop, RustDesk, Splashtop)
//	END-02 a process whose command line sets a Chrome Remote Desktop PIN (--pin=)
//	END-03 a USB device 1d6b:0104 with PiKVM or TinyPilot strings or serial CAFEBABE
//	END-05 a mouse jiggler app, process or USB device
//	END-08 a time snapshot whose zone abbreviation is not the roster zone's at that instant
//	END-09 an Astrill VPN app, program or process
//	END-11 an arp_cache row whose MAC is in an IP-KVM maker's block (TinyPilot,
//	       Sipeed, ATEN), or a Raspberry Pi also on the LAN of the laptops of
//	       two or more people claiming other homes
//	END-12 a Raspberry Pi in arp_cache rows on two days or more, not END-11's
//	ONB-06 a system_info hardware_serial never shipped to the person
//	COL-01 a commit whose author name or email is not the person's HR identity
//	COL-02 five commits or more, and a quarter of them with a UTC offset 4 hours or
//	       more from the roster zone's, or commit hours (circular mean taken as 14:00
//	       local) that fit a zone 4 hours or more away
//	IAM-09 commits under two author names or more, or under another employee's identity
//	IAM-10 adding a member to a team or the organisation, or changing a member's
//	       role, within 120 days of hire
//	NET-05 ten repositories or more cloned or downloaded within 24 hours, later than
//	       14 days after hire; or three zip downloads within 24 hours
//	OFF-04 ten repositories or more cloned or downloaded in the 14 days before leaving

// sourceRecords are one person's records in the code-host, git and
// endpoint data.
type sourceRecords struct {
	commits []commitRec
	gh      []ghRec // entries with the person as actor, in time order
	osq     []osqRec
}

// personSourceRecords generates p's records, as the writers do.
func (o *Org) personSourceRecords(p *Person, acts []*Activity) *sourceRecords {
	sr := &sourceRecords{commits: o.personCommits(p, acts), osq: o.hostRecords(p, acts)}
	rs := newReseeder()
	for _, a := range acts {
		sr.gh = o.sessionGitHub(rs.at(o.cfg.Seed, streamGitHub, uint64(p.Index), uint64(a.Start.UnixNano())), a, sr.gh)
	}
	for _, q := range o.People {
		if q.src.engineer && o.hiredInWindow(q) && o.githubAdminFor(q) == p {
			sr.gh = append(sr.gh, o.memberAdds(rs.at(o.cfg.Seed, streamGitHub, uint64(q.Index), 1<<40), q)...)
		}
	}
	slices.SortStableFunc(sr.gh, func(a, b ghRec) int { return a.t.Compare(b.t) })
	return sr
}

// Endpoint marks: what an osquery row shows.
const (
	markRemote  = "remote"
	markCRDPin  = "crd_pin"
	markKVM     = "kvm"
	markGadget  = "gadget"
	markJiggler = "jiggler"
	markAstrill = "astrill"
	markVPNApp  = "vpn_app"
)

var remoteToolNames = []string{"anydesk", "teamviewer", "remoting_", "chrome remote desktop", "chromeremotedesktop", "rustdesk", "splashtop"}

// rowMarks returns the marks of one differential row.
func rowMarks(query string, row []kv) []string {
	get := func(k string) string {
		for _, c := range row {
			if c.k == k {
				return c.v
			}
		}
		return ""
	}
	var out []string
	if query == osqUSB {
		if get("vendor_id") == "1d6b" && get("model_id") == "0104" {
			v := strings.ToLower(get("vendor"))
			if v == "pikvm" || v == "tinypilot" || get("serial") == "CAFEBABE" {
				out = append(out, markKVM)
			} else {
				out = append(out, markGadget)
			}
		}
		if strings.Contains(strings.ToLower(get("model")), "jiggl") {
			out = append(out, markJiggler)
		}
		return out
	}
	text := strings.ToLower(get("name") + "|" + get("path") + "|" + get("bundle_identifier"))
	if slices.ContainsFunc(remoteToolNames, func(n string) bool { return strings.Contains(text, n) }) {
		out = append(out, markRemote)
	}
	if strings.Contains(get("cmdline"), "--pin=") && strings.Contains(text, "remoting_") {
		out = append(out, markCRDPin)
	}
	for _, m := range []struct{ mark, word string }{{markJiggler, "jiggl"}, {markAstrill, "astrill"}, {markVPNApp, "mullvad"}, {markVPNApp, "protonvpn"}, {markVPNApp, "proton vpn"}, {markVPNApp, "nordvpn"}} {
		if strings.Contains(text, m.word) {
			out = append(out, m.mark)
		}
	}
	return out
}

// endpointMarks collects the marks of p's endpoint records, plus END-08
// and ONB-06 when they show.
func (o *Org) endpointMarks(p *Person, recs []osqRec) map[string]bool {
	out := map[string]bool{}
	shipped := map[string]bool{}
	for _, s := range o.Shipments {
		if s.EmployeeID == p.EmployeeNumber {
			shipped[s.Serial] = true
		}
	}
	for _, rec := range recs {
		switch rec.query {
		case osqTime:
			for _, c := range rec.rows[0] {
				if c.k == "local_timezone" && c.v != zoneAbbr(rec.t, p.Loc()) {
					out["END-08"] = true
				}
			}
		case osqSystemInfo:
			for _, c := range rec.rows[0] {
				if c.k == "hardware_serial" && !shipped[c.v] {
					out["ONB-06"] = true
				}
			}
		default:
			for _, m := range rowMarks(rec.query, rec.rows[0]) {
				out[m] = true
			}
		}
	}
	return out
}

// zoneAbbr is the zone abbreviation of t in loc as osquery writes it.
func zoneAbbr(t time.Time, loc *time.Location) string {
	a, _ := t.In(loc).Zone()
	if len(a) > 4 {
		a = a[:4]
	}
	return a
}

// sourceTells are the tells of p in the code-host, git and endpoint data.
func (o *Org) sourceTells(p *Person, sr *sourceRecords) []string {
	var out []string
	m := o.endpointMarks(p, sr.osq)
	out = append(out, o.lanTells(p, sr.osq)...)
	for mark, tell := range map[string]string{markRemote: "END-01", markCRDPin: "END-02", markKVM: "END-03", markJiggler: "END-05", markAstrill: "END-09", "END-08": "END-08", "ONB-06": "ONB-06"} {
		if m[mark] {
			out = append(out, tell)
		}
	}
	names := map[string]bool{}
	for _, c := range sr.commits {
		names[c.authorName] = true
		if !strings.EqualFold(c.authorMail, p.WorkEmail) || c.authorName != p.Name() {
			out = append(out, "COL-01")
		}
		if q := o.byWorkEmail(c.authorMail); q != nil && q != p {
			out = append(out, "IAM-09")
		}
	}
	if len(names) > 1 {
		out = append(out, "IAM-09")
	}
	if o.foreignCommitZone(p, sr.commits) {
		out = append(out, "COL-02")
	}
	for _, g := range sr.gh {
		switch g.action {
		case "team.add_member", "org.add_member", "org.update_member", "team.promote_maintainer":
			if g.t.Sub(p.Hired) <= 120*24*time.Hour {
				out = append(out, "IAM-10")
			}
		}
	}
	if bulkCopy(sr.gh, p.Hired.Add(14*24*time.Hour), time.Time{}, 10) || zipBurst(sr.gh) {
		out = append(out, "NET-05")
	}
	if !p.Terminated.IsZero() && bulkCopy(sr.gh, p.Terminated.Add(-14*24*time.Hour), p.Terminated, 10) {
		out = append(out, "OFF-04")
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// byWorkEmail returns the employee with a work email, or nil.
func (o *Org) byWorkEmail(email string) *Person {
	for _, p := range o.People {
		if strings.EqualFold(p.WorkEmail, email) {
			return p
		}
	}
	return nil
}

// foreignCommitZone applies the COL-02 rule.
func (o *Org) foreignCommitZone(p *Person, commits []commitRec) bool {
	if len(commits) < 5 {
		return false
	}
	away := 0
	var sx, sy float64
	for _, c := range commits {
		_, home := c.at.In(p.Loc()).Zone()
		if math.Abs(offsetHours(c.at)-float64(home)/3600) >= 4 {
			away++
		}
		u := c.at.UTC()
		ang := 2 * math.Pi * (float64(u.Hour()) + float64(u.Minute())/60) / 24
		sx, sy = sx+math.Cos(ang), sy+math.Sin(ang)
	}
	inferred := 14 - math.Atan2(sy, sx)*24/(2*math.Pi)
	_, off := o.start.AddDate(0, 0, o.cfg.Days/2).In(p.Loc()).Zone()
	diff := math.Mod(math.Abs(inferred-float64(off)/3600), 24)
	return away*4 >= len(commits) || math.Min(diff, 24-diff) >= 4
}

// copies are the clone and zip-download entries.
func copies(gh []ghRec) []ghRec {
	var out []ghRec
	for _, g := range gh {
		if g.action == "git.clone" || g.action == "repo.download_zip" {
			out = append(out, g)
		}
	}
	return out
}

// bulkCopy reports whether n distinct repositories or more are copied
// within 24 hours starting at or after from (and before until, when set).
func bulkCopy(gh []ghRec, from, until time.Time, n int) bool {
	cs := copies(gh)
	for i, g := range cs {
		if g.t.Before(from) || !until.IsZero() && !g.t.Before(until) {
			continue
		}
		repos := map[string]bool{}
		for _, h := range cs[i:] {
			if h.t.Sub(g.t) > 24*time.Hour || !until.IsZero() && !h.t.Before(until) {
				break
			}
			repos[h.repo] = true
		}
		if len(repos) >= n {
			return true
		}
	}
	return false
}

// zipBurst reports three zip downloads or more within 24 hours.
func zipBurst(gh []ghRec) bool {
	var zips []time.Time
	for _, g := range gh {
		if g.action == "repo.download_zip" {
			zips = append(zips, g.t)
		}
	}
	for i := 2; i < len(zips); i++ {
		if zips[i].Sub(zips[i-2]) <= 24*time.Hour {
			return true
		}
	}
	return false
}

// sourceBehaviours says, for the behaviours that live in the code-host,
// git and endpoint data, whether p's records show them.
var sourceBehaviours = map[string]func(o *Org, p *Person, sr *sourceRecords) bool{
	BehaviourRemoteSupport:     func(o *Org, p *Person, sr *sourceRecords) bool { return o.endpointMarks(p, sr.osq)[markRemote] },
	BehaviourUSBGadget:         func(o *Org, p *Person, sr *sourceRecords) bool { return o.endpointMarks(p, sr.osq)[markGadget] },
	BehaviourMouseJiggler:      func(o *Org, p *Person, sr *sourceRecords) bool { return o.endpointMarks(p, sr.osq)[markJiggler] },
	BehaviourVPNClient:         func(o *Org, p *Person, sr *sourceRecords) bool { return o.endpointMarks(p, sr.osq)[markVPNApp] },
	BehaviourReplacementLaptop: func(o *Org, p *Person, sr *sourceRecords) bool { return o.endpointMarks(p, sr.osq)["ONB-06"] },
	BehaviourHomePi: func(o *Org, p *Person, sr *sourceRecords) bool {
		return slices.Contains(o.lanTells(p, sr.osq), "END-12")
	},
	BehaviourHomeLabKVM: func(o *Org, p *Person, sr *sourceRecords) bool {
		return slices.Contains(o.lanTells(p, sr.osq), "END-11")
	},
	BehaviourTravelCommits: func(o *Org, p *Person, sr *sourceRecords) bool {
		return slices.ContainsFunc(sr.commits, func(c commitRec) bool {
			_, home := c.at.In(p.Loc()).Zone()
			return offsetHours(c.at) != float64(home)/3600
		})
	},
	BehaviourOnboardingClones: func(o *Org, p *Person, sr *sourceRecords) bool {
		repos := map[string]bool{}
		for _, g := range copies(sr.gh) {
			if g.t.Sub(p.Hired) < 4*24*time.Hour {
				repos[g.repo] = true
			}
		}
		return len(repos) >= 6
	},
	BehaviourPersonalCommitMail: func(o *Org, p *Person, sr *sourceRecords) bool {
		return slices.ContainsFunc(sr.commits, func(c commitRec) bool { return !strings.EqualFold(c.authorMail, p.WorkEmail) })
	},
	BehaviourAsiaTimezone: func(o *Org, p *Person, sr *sourceRecords) bool {
		return slices.ContainsFunc(sr.commits, func(c commitRec) bool { h := offsetHours(c.at); return h >= 8 && h <= 9 }) ||
			slices.ContainsFunc(sr.osq, func(r osqRec) bool { return r.query == osqTime })
	},
	BehaviourGitHubAdmin: func(o *Org, p *Person, sr *sourceRecords) bool {
		return slices.ContainsFunc(sr.gh, func(g ghRec) bool { return g.action == "org.add_member" || g.action == "team.add_member" })
	},
}
