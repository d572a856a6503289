package sim

import (
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// GitHub organisation audit log writer (the NDJSON export of an enterprise
// with managed users, SAML single sign-on and IP disclosure on): engineers fetch, push and open pull requests in their
// repositories from wherever their sessions come from; new engineers are
// added to the organisation and their team by a GitHub admin and clone
// many repositories in their first days; operatives may clone in bulk
// (before leaving, or at any time) and, as new hires, grant access to
// others.

// ghRec is one audit log entry.
type ghRec struct {
	t          time.Time
	seq        uint64
	action     string
	actor      *Person
	e          *Egress
	dev        *Device // the device the action came from
	web        bool    // done in the browser (else with git)
	repo       string  // without the organisation
	user       *Person // the account acted on
	team       string
	permission string
	runner     bool // a CI runner's checkout with the actor's token
}

func (r ghRec) stamp() (time.Time, uint64) { return r.t, r.seq }

// Teams of the organisation.
const (
	teamAdmins = "platform-admins"
)

// isLead reports whether p leads people (managers, directors).
func isLead(p *Person) bool {
	return strings.Contains(p.Title, "Manager") || strings.Contains(p.Title, "Director") || strings.Contains(p.Title, "Lead")
}

// sessionGitHub appends the audit entries of one work session.
func (o *Org) sessionGitHub(r *rand.Rand, a *Activity, out []ghRec) []ghRec {
	p := a.Person
	s := &p.src
	span := a.End.Sub(a.Start)
	if !s.engineer || a.Device.Mobile || span <= time.Minute {
		return out
	}
	at := func() time.Time { return a.Start.Add(time.Duration(r.Int64N(int64(span)))).Truncate(time.Millisecond) }
	add := func(action, repo string, t time.Time, web bool) {
		out = append(out, ghRec{t: t, action: action, actor: p, e: a.Egress, dev: a.Device, web: web, repo: repo})
	}
	for range between(r, 1, 4) {
		add("git.fetch", pick(r, s.repos), at(), false)
	}
	for range between(r, 0, 3) {
		add("git.push", pick(r, s.repos), at(), false)
	}
	if chance(r, 0.3) {
		add("pull_request.create", pick(r, s.repos), at(), true)
	}
	if chance(r, 0.04) {
		add("git.clone", pick(r, githubRepos), at(), false)
	}
	if chance(r, 0.005) {
		add("repo.download_zip", pick(r, githubRepos), at(), true)
	}
	if isLead(p) && chance(r, 0.02) {
		add("protected_branch.update", pick(r, s.repos), at(), true)
	}
	if isLead(p) && chance(r, 0.005) {
		add("repo.create", fmt.Sprintf("%s-poc-%d", pick(r, s.repos), between(r, 2, 9)), at(), true)
	}
	if s.release && chance(r, 0.85) { // the release checkout: most repositories, one after another
		t := at()
		for _, i := range r.Perm(len(githubRepos))[:between(r, 24, len(githubRepos))] {
			add("git.fetch", githubRepos[i], t, false)
			t = t.Add(time.Duration(between(r, 2, 40)) * time.Second)
		}
	}
	if a.Start.Sub(p.Hired) < 4*24*time.Hour { // onboarding: clone what the team works on
		t := a.Start.Add(time.Duration(between(r, 20, 90)) * time.Minute)
		for _, i := range r.Perm(len(githubRepos))[:between(r, 6, 14)] {
			add("git.clone", githubRepos[i], t.Truncate(time.Millisecond), false)
			t = t.Add(time.Duration(between(r, 15, 400)) * time.Second)
		}
	}
	if !s.exfilAt.IsZero() && a.Start.Equal(s.exfilAt) { // bulk copy of the code
		t := a.Start.Add(time.Duration(between(r, 30, 180)) * time.Minute)
		for _, i := range r.Perm(len(githubRepos))[:between(r, 15, 30)] {
			act, web := "git.clone", false
			if chance(r, 0.3) {
				act, web = "repo.download_zip", true
			}
			add(act, githubRepos[i], t.Truncate(time.Millisecond), web)
			t = t.Add(time.Duration(between(r, 10, 150)) * time.Second)
		}
	}
	if !s.escalateAt.IsZero() && a.Start.Equal(s.escalateAt) {
		out = o.escalation(r, a, at(), out)
	}
	return out
}

// escalation is a new hire granting access: a cell-mate (or the operative
// itself) joins the admin team and becomes an organisation owner.
func (o *Org) escalation(r *rand.Rand, a *Activity, t time.Time, out []ghRec) []ghRec {
	p := a.Person
	target := p
	for _, m := range p.Op.Cell.Members {
		if m != p && m.employed(t) && chance(r, 0.7) {
			target = m
			break
		}
	}
	out = append(out, ghRec{t: t, action: "team.add_member", actor: p, e: a.Egress, dev: a.Device, web: true, user: target, team: teamAdmins})
	t = t.Add(time.Duration(between(r, 20, 600)) * time.Second)
	return append(out, ghRec{t: t, action: "org.update_member", actor: p, e: a.Egress, dev: a.Device, web: true, user: target, permission: "admin"})
}

// memberAdds are the entries of a GitHub admin adding new engineer p to
// the organisation and the team, on the first day.
func (o *Org) memberAdds(r *rand.Rand, p *Person) []ghRec {
	admin := o.githubAdminFor(p)
	d := o.dayOf(p.Hired, p.Loc())
	t := o.midnight(d, admin.Loc()).Add(time.Duration(between(r, 9*3600+1800, 11*3600+1800)) * time.Second).Add(time.Duration(r.IntN(1000)) * time.Millisecond)
	e := admin.homeEgress(max(0, d))
	team := strings.ToLower(p.Department)
	return []ghRec{
		{t: t, action: "org.add_member", actor: admin, e: e, dev: admin.Laptop, web: true, user: p, permission: "read"},
		{t: t.Add(time.Duration(between(r, 5000, 90000)) * time.Millisecond), action: "team.add_member", actor: admin, e: e, dev: admin.Laptop, web: true, user: p, team: team},
	}
}

// engineerHires returns, by day index, the engineers who start that day.
func (o *Org) engineerHires() map[int][]*Person {
	out := map[int][]*Person{}
	for _, p := range o.People {
		if p.src.engineer && o.hiredInWindow(p) {
			d := o.dayOf(p.Hired, p.Loc())
			out[d] = append(out[d], p)
		}
	}
	return out
}

// WriteGitHubAudit writes the organisation's audit log as NDJSON.
func (o *Org) WriteGitHubAudit(w io.Writer) error {
	hires := o.engineerHires()
	rs := newReseeder()
	ids := newRand(o.cfg.Seed, streamGitHub, 0, 0)
	var tl timeline[ghRec]
	var recs []ghRec
	push := func() {
		for _, g := range recs {
			g.seq = tl.next()
			tl.pending = append(tl.pending, g)
		}
	}
	add := func(d int, acts []*Activity) {
		for _, p := range hires[d] {
			recs = o.memberAdds(rs.at(o.cfg.Seed, streamGitHub, uint64(p.Index), 1<<40), p)
			push()
		}
		for _, a := range acts {
			recs = o.sessionGitHub(rs.at(o.cfg.Seed, streamGitHub, uint64(a.Person.Index), uint64(a.Start.UnixNano())), a, recs[:0])
			if a.Person.src.ci {
				recs = o.ciEntries(rs.at(o.cfg.Seed, streamClasses, classCIEntries<<32|uint64(a.Person.Index), uint64(a.Start.UnixNano())), recs)
			}
			push()
		}
	}
	ua := uaCache{}
	ciIDs := newRand(o.cfg.Seed, streamClasses, classCIDocIDs, 0) // runner entries draw their ids apart, leaving the others' as they were
	encode := func(b []byte, g *ghRec) []byte {
		if g.runner {
			return o.appendGitHub(b, g, ciIDs, ua)
		}
		return o.appendGitHub(b, g, ids, ua)
	}
	if err := streamDays(o, w, &tl, add, encode); err != nil {
		return fmt.Errorf("github audit log: %w", err)
	}
	return nil
}

// operationType is the audit log's operation_type of an action.
func operationType(action string) string {
	switch action {
	case "git.clone", "git.fetch", "repo.download_zip":
		return "access"
	case "org.add_member", "pull_request.create", "repo.create":
		return "create"
	}
	return "modify"
}

// appendGitHub appends one audit entry, keys sorted as the export writes
// them.
func (o *Org) appendGitHub(b []byte, g *ghRec, r *rand.Rand, ua uaCache) []byte {
	ms := g.t.UnixMilli()
	b = append(b, `{"@timestamp":`...)
	b = strconv.AppendInt(b, ms, 10)
	b = append(b, `,"_document_id":"`...)
	for range 22 {
		b = append(b, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[r.IntN(64)])
	}
	b = append(b, `","action":`...)
	b = appendStr(b, g.action)
	b = append(b, `,"actor":`...)
	b = appendStr(b, g.actor.src.ghLogin)
	b = append(b, `,"actor_id":`...)
	b = strconv.AppendInt(b, g.actor.src.ghID, 10)
	b = append(b, `,"actor_ip":"`...)
	b = g.e.IP.AppendTo(b)
	b = append(b, `","actor_is_bot":false,"actor_location":{"country_code":`...)
	b = appendStr(b, g.e.Place.Country)
	b = append(b, `},"business":"`+githubBusiness+`","business_id":4917,"created_at":`...)
	b = strconv.AppendInt(b, ms, 10)
	if g.user == nil { // SAML SSO data names the actor (on member actions it may name the member instead)
		b = append(b, `,"external_identity_nameid":`...)
		b = appendStr(b, g.actor.WorkEmail)
		b = append(b, `,"external_identity_username":`...)
		b = appendStr(b, g.actor.WorkEmail)
	}
	b = append(b, `,"operation_type":`...)
	b = appendStr(b, operationType(g.action))
	b = append(b, `,"org":"`+githubOrg+`","org_id":98214473`...)
	if g.permission != "" {
		b = append(b, `,"permission":`...)
		b = appendStr(b, g.permission)
	}
	if g.repo != "" {
		b = append(b, `,"repo":`...)
		b = appendStr(b, githubOrg+"/"+g.repo)
		b = append(b, `,"repository":`...)
		b = appendStr(b, githubOrg+"/"+g.repo)
		b = append(b, `,"repository_public":false`...)
	}
	if g.team != "" {
		b = append(b, `,"team":`...)
		b = appendStr(b, githubOrg+"/"+g.team)
	}
	if strings.HasPrefix(g.action, "git.") {
		b = append(b, `,"transport_protocol":1,"transport_protocol_name":"http"`...)
	}
	if g.user != nil {
		b = append(b, `,"user":`...)
		b = appendStr(b, g.user.src.ghLogin)
		b = append(b, `,"user_id":`...)
		b = strconv.AppendInt(b, g.user.src.ghID, 10)
	}
	b = append(b, `,"user_agent":`...)
	switch {
	case g.runner:
		b = append(b, `"git/2.47.1"`...)
	case g.web:
		b = appendStr(b, ua.get(g.dev, g.t).Raw)
	case g.dev.Platform == "WINDOWS":
		b = append(b, `"git/2.51.0.windows.1"`...)
	default:
		b = append(b, `"git/2.39.5 (Apple Git-154)"`...)
	}
	return append(b, "}\n"...)
}
