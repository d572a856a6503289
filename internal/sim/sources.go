package sim

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"
	"time"
)

// The sources beyond the identity provider's sign-in log: the GitHub
// organisation (audit log and git history), Google Workspace and the
// endpoint agent (osquery). planSources decides, once per person and from
// its own random streams (so that no earlier output changes), how each
// person appears in them; the writers and the truth read only this plan and
// the activity model.

// Names of the simulated organisation in the code host.
const (
	githubOrg      = "kestrel-systems"
	githubBusiness = "kestrel"
	emuSuffix      = "_kestrel" // Enterprise Managed User handles end with the enterprise shortcode
)

// githubRepos are the organisation's repositories.
var githubRepos = []string{
	"platform-api", "web-app", "mobile-ios", "mobile-android", "billing-service", "auth-service", "data-pipeline",
	"ml-models", "infra-terraform", "k8s-manifests", "design-system", "docs", "analytics-dbt", "notifications",
	"search-service", "payments-gateway", "admin-console", "sdk-python", "sdk-js", "cli", "observability",
	"ci-templates", "feature-flags", "customer-portal", "etl-jobs", "warehouse-models", "load-tests",
	"security-tools", "release-tooling", "onboarding-guide", "api-gateway", "event-bus", "reporting",
	"geo-service", "media-service", "chat-service",
}

// Hard-negative behaviours in the code-host, git and endpoint data.
const (
	BehaviourRemoteSupport      = "remote_support_tool"   // IT support with TeamViewer installed beside the sanctioned agent
	BehaviourUSBGadget          = "usb_gadget"            // hobbyist Raspberry Pi USB gadget (1d6b:0104 without KVM strings)
	BehaviourMouseJiggler       = "mouse_jiggler"         // ordinary staff with a mouse jiggler app or dongle
	BehaviourVPNClient          = "consumer_vpn_client"   // a consumer VPN app (Mullvad, Proton, NordVPN) on the laptop
	BehaviourReplacementLaptop  = "replacement_laptop"    // IT swapped the laptop: the agent reports a serial never shipped
	BehaviourTravelCommits      = "travel_commit_offset"  // commits with the destination's UTC offset during a trip
	BehaviourOnboardingClones   = "onboarding_clones"     // a new engineer clones many repositories in the first days
	BehaviourReleaseEngineer    = "release_engineer"      // fetches most of the organisation's repositories nearly every day
	BehaviourPersonalCommitMail = "personal_commit_email" // open-source contributor committing with a personal address
	BehaviourAsiaTimezone       = "asia_timezone"         // lives in a UTC+8/+9 zone: commits and device clock say so
	BehaviourGitHubAdmin        = "github_admin"          // adds new engineers to the GitHub organisation and teams
)

// srcPlan is how a person appears in the code host, git, Workspace and
// endpoint data.
type srcPlan struct {
	engineer  bool     // writes code and uses GitHub (Engineering, Data)
	ghLogin   string   // GitHub Enterprise Managed User handle
	ghID      int64    // GitHub user id
	repos     []string // repositories the person usually works in
	workspace float64  // chance that a session includes a Google sign-in; 0 = no Workspace account
	gProfile  string   // Workspace profileId
	entraID   string   // Entra ID object id
	host      *hostInfo
	items     []endpointItem // what the endpoint agent sees beyond the standard kit
	lan       []lanNode      // the machines on the laptop's network (lan.go)
	ownMAC    string         // the laptop's own network interface

	alt      *commitIdentity // another author identity used on some commits
	altShare float64

	laptopZone  string    // IANA zone the laptop clock is set to; "" = where the laptop is
	machineZone string    // operatives: zone of the operator's own computer
	release     bool      // release engineer: fetches most repositories in nearly every session
	ci          bool      // owns CI workflows that check out with the person's token from shared runners
	exfilAt     time.Time // start of the session with a bulk clone; zero = none
	escalateAt  time.Time // start of the session in which access is granted to others; zero = none
}

// commitIdentity is an author identity of commits.
type commitIdentity struct {
	name, email string
	cellmate    *Person // the identity is another employee's (the committer stays the person)
}

// hostInfo is the company laptop as the endpoint agent reports it.
type hostInfo struct {
	hostname, username, uuid string
	serial                   string // hardware_serial reported by the agent
	platform                 string // OSX or WINDOWS
	model, vendor, cpu       string
	boardSerial              string
	memory                   string
}

// reissueOperativeLaptops gives some operatives a Windows laptop (the
// engineering default is a Mac), drawn from a stream of their own.
func (o *Org) reissueOperativeLaptops() {
	for _, c := range o.Cells {
		for _, p := range c.Members {
			r := newRand(o.cfg.Seed, streamSources, 1, uint64(p.Index))
			if chance(r, 0.3) {
				p.Laptop = newLaptopOf(r, p, 4+r.IntN(2))
			}
		}
	}
}

// planSources decides the source plans of every person.
func (o *Org) planSources() {
	for _, p := range o.People {
		o.planPersonSources(newRand(o.cfg.Seed, streamSources, 2, uint64(p.Index)), p)
	}
	for _, p := range o.People {
		if p.src.engineer && o.hiredInWindow(p) {
			if a := o.githubAdminFor(p); a.Op == nil {
				a.addBehaviour(BehaviourGitHubAdmin)
			}
		}
	}
	for _, c := range o.Cells {
		for _, p := range c.Members {
			if !p.Op.Careful {
				o.planOperativeSources(newRand(o.cfg.Seed, streamSources, 3, uint64(p.Index)), p)
			}
		}
	}
	o.planLANs()
}

// hiredInWindow reports whether p starts inside the simulated window.
func (o *Org) hiredInWindow(p *Person) bool {
	d := o.dayOf(p.Hired, p.Loc())
	return d >= 0 && d < o.cfg.Days
}

// workspaceDepts use Google Workspace apps (Docs, Sheets, Drive) daily.
var workspaceDepts = map[string]bool{"Sales": true, "Marketing": true, "Customer Success": true, "People": true, "Design": true, "Product": true}

// planPersonSources draws the plan every person has, and the hard
// negatives of legitimate staff.
func (o *Org) planPersonSources(r *rand.Rand, p *Person) {
	s := &p.src
	s.engineer = p.Department == "Engineering" || p.Department == "Data"
	s.ghLogin = emuLogin(p.WorkEmail)
	s.ghID = 40000000 + int64(r.IntN(110000000))
	s.entraID = uuid4(r)
	s.gProfile = fmt.Sprintf("1%020d", r.Uint64()%1e19)
	workspaceChance := 0.35
	if workspaceDepts[p.Department] {
		workspaceChance = 0.85
	}
	if chance(r, workspaceChance) {
		s.workspace = 0.4 + r.Float64()*0.5
	}
	if s.engineer {
		for _, i := range r.Perm(len(githubRepos))[:between(r, 3, 6)] {
			s.repos = append(s.repos, githubRepos[i])
		}
	}
	s.host = newHostInfo(r, p)
	o.standardKit(r, p)
	if p.Op != nil {
		return
	}
	o.legitEndpoint(r, p)
	if _, off := o.start.In(p.Loc()).Zone(); off >= 8*3600 && off <= 9*3600 {
		p.addBehaviour(BehaviourAsiaTimezone)
	}
	if !s.engineer {
		return
	}
	// Release engineers, drawn on their own stream so that everyone
	// else's draws stay as they were.
	if rr := newRand(o.cfg.Seed, streamLegit, 3, uint64(p.Index)); p.Department == "Engineering" && !isLead(p) && chance(rr, 0.06) {
		s.release = true
		p.Title = "Release Engineer"
		p.addBehaviour(BehaviourReleaseEngineer)
	}
	o.planCI(p)
	if chance(r, 0.1) {
		s.alt, s.altShare = &commitIdentity{name: p.Name(), email: p.PersonalEmail}, 0.1+r.Float64()*0.3
		p.addBehaviour(BehaviourPersonalCommitMail)
	}
	if len(p.plan.trips) > 0 {
		p.addBehaviour(BehaviourTravelCommits)
	}
	if o.hiredInWindow(p) {
		p.addBehaviour(BehaviourOnboardingClones)
	}
}

// planOperativeSources draws the code-host, git and endpoint tells of a
// non-careful operative: each with its own chance, so that some show many
// and some none.
func (o *Org) planOperativeSources(r *rand.Rand, p *Person) {
	op, s := p.Op, &p.src
	c := op.Cell
	s.machineZone = c.Real.TZ
	if chance(r, 0.2) {
		s.machineZone = p.TZ // the operator set the clock to the claimed zone
	}
	switch op.LaptopAt {
	case "forwarder":
		s.laptopZone = c.Real.TZ // abroad: the clock follows the location
	case "farm":
		if chance(r, 0.45) {
			s.laptopZone = c.Real.TZ
		}
	default:
		if chance(r, 0.3) {
			s.laptopZone = c.Real.TZ
		}
	}
	o.operativeEndpoint(r, p)
	if chance(r, 0.45) {
		s.altShare = 0.3 + r.Float64()*0.4
		var mates []*Person
		for _, m := range c.Members {
			if m != p {
				mates = append(mates, m)
			}
		}
		switch x := r.IntN(3); {
		case x == 0 && len(mates) > 0:
			m := pick(r, mates)
			s.alt = &commitIdentity{name: m.Name(), email: m.WorkEmail, cellmate: m}
		case x == 1:
			s.alt = &commitIdentity{name: p.Name(), email: pick(r, c.Contacts.Emails)}
		default:
			s.alt = &commitIdentity{name: pick(r, c.Contacts.Handles), email: p.WorkEmail}
		}
	}
	hireDay := o.dayOf(p.Hired, p.Loc())
	if chance(r, 0.25) && hireDay < o.cfg.Days/3 && o.cfg.Days >= 20 {
		day := between(r, max(hireDay+30, o.cfg.Days*2/3), o.cfg.Days-3)
		if pc := p.Hired.AddDate(0, 0, op.PayChange); day < o.cfg.Days-2 && (op.PayChange < 0 || pc.Before(o.midnight(day, p.Loc()))) {
			p.Terminated = o.midnight(day, p.Loc()).Add(17 * time.Hour).UTC()
			p.Modified = p.Terminated.Add(time.Duration(between(r, 60, 7200)) * time.Second)
		}
	}
	acts := o.PersonActivities(p) // after the departure is settled
	laptop := func(from, to time.Time) []*Activity {
		var out []*Activity
		for _, a := range acts {
			if a.Device == p.Laptop && !a.Start.Before(from) && a.Start.Before(to) {
				out = append(out, a)
			}
		}
		return out
	}
	switch {
	case op.BulkClone:
		from, to := p.Hired.AddDate(0, 0, 20), o.end.AddDate(0, 0, 1)
		if !p.Terminated.IsZero() {
			from, to = p.Terminated.AddDate(0, 0, -13), p.Terminated
		}
		if acts := laptop(from, to); len(acts) > 0 {
			s.exfilAt = acts[len(acts)/2].Start
		}
	case !p.Terminated.IsZero() && chance(r, 0.8):
		if acts := laptop(p.Terminated.AddDate(0, 0, -13), p.Terminated); len(acts) > 0 {
			s.exfilAt = pick(r, acts).Start
		}
	case chance(r, 0.3):
		if acts := laptop(p.Hired.AddDate(0, 0, 20), o.end.AddDate(0, 0, 1)); len(acts) > 0 {
			s.exfilAt = pick(r, acts).Start
		}
	}
	if chance(r, 0.3) {
		if acts := laptop(p.Hired.AddDate(0, 0, 7), p.Hired.AddDate(0, 0, 120)); len(acts) > 0 {
			s.escalateAt = pick(r, acts).Start
		}
	}
}

// githubAdminFor is who adds a new engineer to the organisation: the
// manager when an engineering lead, else an IT administrator.
func (o *Org) githubAdminFor(p *Person) *Person {
	if m := p.Manager; m != nil && m.Op == nil && m.src.engineer && m.employed(p.Hired) {
		return m
	}
	return o.admins[(p.Index*31)%len(o.admins)]
}

// emuLogin is the Enterprise Managed User handle GitHub derives from the
// identity provider's user name: the part before '@', every other character
// than a letter or digit turned into a dash, and the enterprise shortcode.
func emuLogin(email string) string {
	local, _, _ := strings.Cut(strings.ToLower(email), "@")
	var b strings.Builder
	dash := false
	for _, c := range local {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-") + emuSuffix
}

// deviceZone is the zone the clock of the session's device is set to:
// where the person is (laptops follow the location), or for operatives
// where the laptop is or what the operator set.
func (o *Org) deviceZone(a *Activity) *time.Location {
	p := a.Person
	if op := p.Op; op != nil {
		switch {
		case a.Device == op.Machine:
			return zone(p.src.machineZone)
		case p.src.laptopZone != "":
			return zone(p.src.laptopZone)
		case op.LaptopAt == "farm":
			return op.Cell.Farm.Place.Loc()
		case op.LaptopAt == "forwarder":
			return op.Cell.Real.Loc()
		}
		return p.Loc()
	}
	if a.Where != nil {
		return a.Where.Loc()
	}
	return p.Loc()
}

// guid derives a stable GUID from the seed and a key.
func (o *Org) guid(key string) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d|%s", o.cfg.Seed, key)
	a := h.Sum64()
	h.Write([]byte{0x5a})
	b := h.Sum64()
	var u [16]byte
	for i := range 8 {
		u[i], u[8+i] = byte(a>>(8*i)), byte(mix(b)>>(8*i))
	}
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return formatUUID(u)
}

// newHostInfo describes a person's company laptop as osquery's system_info
// reports it: host names follow the asset tag, as the MDM sets them.
func newHostInfo(r *rand.Rand, p *Person) *hostInfo {
	l := p.Laptop
	num := strings.TrimPrefix(l.AssetTag, "KS-")
	h := &hostInfo{username: strings.SplitN(p.WorkEmail, "@", 2)[0], uuid: strings.ToUpper(uuid4(r)), serial: l.Serial, platform: l.Platform}
	switch {
	case l.Platform == "OSX":
		h.hostname, h.model, h.vendor = "KS-MBP-"+num, l.Name, "Apple Inc."
		h.cpu = map[string]string{"MacBookPro18,3": "Apple M1 Pro", "Mac15,6": "Apple M3 Pro", "Mac14,10": "Apple M2 Pro", "Mac16,1": "Apple M4"}[l.Name]
		h.boardSerial, h.memory = "C0"+randUpperAlnum(r, 15), "34359738368"
	case strings.HasPrefix(l.Model, "Dell"):
		h.hostname, h.model, h.vendor, h.cpu = l.Name, strings.TrimPrefix(l.Model, "Dell "), "Dell Inc.", "Intel(R) Core(TM) Ultra 7 165U"
		h.boardSerial, h.memory = "/"+l.Serial+"/CNCMK00"+randUpperAlnum(r, 6)+"/", "34359738368"
	default:
		h.hostname, h.model, h.vendor, h.cpu = l.Name, "21KC"+randUpperAlnum(r, 6), "LENOVO", "Intel(R) Core(TM) Ultra 7 155U"
		h.boardSerial, h.memory = "L1HF"+randUpperAlnum(r, 8), "34359738368"
	}
	return h
}
