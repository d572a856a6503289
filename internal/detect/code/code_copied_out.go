package code

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// CodeCopiedOut is NET-05: code leaving the organisation — a repository
// transferred out, made public or exported, or many distinct repositories
// cloned or downloaded by one person in a day, far beyond the
// organisation's norm. (The catalogue lists it under Network; it is scored
// in the code stage because its evidence is code-host actions.)
type CodeCopiedOut struct{}

var _ detect.Indicator = (*CodeCopiedOut)(nil)

// ID implements detect.Indicator.
func (*CodeCopiedOut) ID() string { return "NET-05" }

// Name implements detect.Indicator.
func (*CodeCopiedOut) Name() string {
	return "Code copied out: repository transferred, exposed or bulk-cloned"
}

// Stage implements detect.Indicator.
func (*CodeCopiedOut) Stage() detect.Stage { return detect.StageCode }

// Strength implements detect.Indicator.
func (*CodeCopiedOut) Strength() detect.Strength { return detect.Medium }

// Sources implements detect.Indicator: the format that carries the
// observable (the roster and candidate records it is read against are
// needed by every indicator).
func (*CodeCopiedOut) Sources() []string { return []string{"github"} }

// Weight implements detect.Indicator.
func (*CodeCopiedOut) Weight() float64 { return 30 }

// Bulk-cloning thresholds: at least bulkMinRepos distinct repositories in
// bulkWindow, bulkNormFactor times the 90th percentile of the peers'
// busiest day and bulkOwnFactor times the person's own usual busy day;
// code access in the first days after hire (profile.CodeGrace) is not
// counted.
const (
	bulkWindow     = 24 * time.Hour
	bulkMinRepos   = 20
	bulkNormFactor = 3
	bulkOwnFactor  = 2
)

// exfilAction is a code-host action that moves a repository, or its
// contents, out of the organisation's control.
type exfilAction struct {
	what string
	conf float64
}

// exfilActions are GitHub audit-log actions (organisation and enterprise
// logs) that copy or expose code wholesale.
var exfilActions = map[string]exfilAction{
	"repo.transfer_outgoing":            {"transferred a repository out of the organisation", 1},
	"repo.transfer":                     {"transferred a repository to another owner", 0.8},
	"repo.transfer_start":               {"started a repository transfer", 0.8},
	"migration.create":                  {"created a migration archive (an export of repositories)", 0.8},
	"repo.access":                       {"changed a repository's visibility", 0.6},
	"private_repository_forking.enable": {"allowed private repositories to be forked to personal accounts", 0.6},
}

// botAccount marks service and bot accounts on the roster or in logins.
var botAccount = regexp.MustCompile(`(?i)\[bot\]|(^|[-_.])(bot|svc|automation|service)([-_.@]|$)`)

// Description implements detect.Indicator.
func (*CodeCopiedOut) Description() string {
	return "Code leaves the organisation's control: the person transferred a repository out (repo.transfer_outgoing, " +
		"repo.transfer), exported repositories (migration.create), changed a repository's visibility (repo.access; full " +
		"confidence when the log says public) or enabled forking of private repositories; or cloned, fetched or downloaded " +
		"as ZIP 20 or more distinct repositories within 24 hours, at least three times the 90th percentile of their peers' " +
		"busiest day (colleagues with the same SCIM department and title, else department, else everyone) and twice " +
		"their own usual busy day (the 90th percentile of their other days, with ten or more), so that release and " +
		"infrastructure engineers who check out every repository every day stay quiet. The FBI warns that North Korean IT workers copy company code to personal accounts and use it " +
		"for extortion. Known false positives: new engineers setting up their machine (the first 14 days after hire are " +
		"not counted for bulk cloning); CI systems and bot or service accounts (recognised by user agent, login and roster " +
		"type, and ignored); administrators reorganising repositories between the company's own organisations; " +
		"open-sourcing a project on purpose; an engineer's first scripted checkout of every repository for a code search."
}

// References implements detect.Indicator.
func (*CodeCopiedOut) References() []string {
	return []string{
		"FBI public service announcement I-012325-PSA, North Korean IT workers conducting data extortion, 23 Jan 2025 (copying code to personal accounts, GitHub repositories)",
		"GitHub Docs, audit log events for your organization (repo.transfer_outgoing, repo.access, migration.create, git.clone, repo.download_zip)",
	}
}

// Detect implements detect.Indicator.
func (d *CodeCopiedOut) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	var out []detect.Finding
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("NET-05: %w", err)
		}
		if isBot(p) {
			continue
		}
		var (
			parts []string
			ev    []detect.Evidence
			conf  float64
		)
		for _, e := range p.Audits {
			act, ok := exfilActions[e.Audit.Action]
			if !ok || e.Facts.Device.Has(event.DeviceAutomated) {
				continue
			}
			what, c := act.what, act.conf
			if e.Audit.Action == "repo.access" && mentionsPublic(e.Audit) {
				what, c = "made a repository public", 1
			}
			if e.Audit.Repo != "" {
				what += " (" + e.Audit.Repo + ")"
			}
			parts = append(parts, what+" on "+e.Time.Format("2006-01-02"))
			ev = append(ev, detect.EvidenceOf(e, "%s: %s", e.Audit.Action, what))
			conf = max(conf, c)
		}
		if b, ok := bulk(p, in.Pop); ok {
			win, n, threshold := b.win, b.repos, b.threshold
			{
				parts = append(parts, fmt.Sprintf("cloned or downloaded %d distinct repositories within 24 hours from %s (%s)",
					n, win[0].Time.Format("2006-01-02 15:04"), b.norms()))
				c := 0.7
				if n >= 2*threshold {
					c = 1
				}
				if conf > 0 {
					c = min(1, max(conf, c)+0.2)
				}
				conf = max(conf, c)
				for _, e := range firstPerRepo(win) {
					ev = append(ev, detect.EvidenceOf(e, "%s of %s", e.Audit.Action, e.Audit.Repo))
				}
			}
		}
		if len(ev) == 0 {
			continue
		}
		summary := strings.Join(parts, "; ")
		if len(ev) > detect.MaxEvidence {
			summary += fmt.Sprintf(" (%d records in all; the first %d cited)", len(ev), detect.MaxEvidence)
			ev = ev[:detect.MaxEvidence]
		}
		out = append(out, detect.Finding{Indicator: d.ID(), Person: p.ID, Summary: summary, Confidence: conf, Evidence: ev})
	}
	return out, nil
}

// mentionsPublic reports whether a visibility change says it made the
// repository public (exports put the new visibility in permission or the
// target field, when they keep it at all).
func mentionsPublic(a *event.Audit) bool {
	return strings.Contains(strings.ToLower(a.Permission+" "+a.Target), "public")
}

// isBot reports whether a person is a service or bot account: by roster
// user/employee type, roster name or an account login.
func isBot(p *profile.Person) bool {
	if hr := p.HR(); hr != nil {
		t := strings.ToLower(hr.UserType + " " + hr.EmployeeType)
		if strings.Contains(t, "service") || strings.Contains(t, "bot") || strings.Contains(t, "system") {
			return true
		}
		if botAccount.MatchString(hr.UserName) {
			return true
		}
	}
	return slices.ContainsFunc(p.Accounts, botAccount.MatchString)
}

// bulkDay is a person's busiest 24 hours of code access, and the norms it
// was held against.
type bulkDay struct {
	win       []*event.Event
	repos     int
	threshold int
	peers     profile.PeerBaseline // zero when the person has no peer group
	own       int                  // the person's own usual busy day; -1 without enough history
}

// norms says what the day was compared with.
func (b bulkDay) norms() string {
	var parts []string
	if b.peers.People > 0 {
		parts = append(parts, fmt.Sprintf("the 90th percentile of their peers' busiest day (%s, %d people) is %d", b.peers.Group, b.peers.People, b.peers.Busiest))
	}
	if b.own >= 0 {
		parts = append(parts, fmt.Sprintf("their own usual busy day %d", b.own))
	}
	if len(parts) == 0 {
		return "no peers or history to compare with"
	}
	return strings.Join(parts, "; ")
}

// bulk finds a day of bulk code access beyond the person's peers' busiest
// days (profile.PeersOf: same department and title, else department, else
// everyone) and beyond their own usual busy day (profile.CodeUse.Usual,
// the day itself left out): a release or infrastructure engineer who
// checks out every repository every day has both high.
func bulk(p *profile.Person, pop *profile.Population) (bulkDay, bool) {
	code := &p.Features.Code
	if len(code.Access) == 0 {
		return bulkDay{}, false
	}
	b := bulkDay{win: busiestDay(code.Access), own: -1}
	b.repos = distinctRepos(b.win)
	b.threshold = bulkMinRepos
	if peers, ok := pop.PeersOf(p); ok {
		b.peers = peers
		b.threshold = max(b.threshold, bulkNormFactor*peers.Busiest)
	}
	if own, ok := code.Usual(b.win[0].Time, b.win[len(b.win)-1].Time.Add(24*time.Hour)); ok {
		b.own = own
		b.threshold = max(b.threshold, bulkOwnFactor*own)
	}
	return b, b.repos >= b.threshold
}

// busiestDay returns the events of the 24-hour window with the most
// distinct repositories.
func busiestDay(evs []*event.Event) []*event.Event {
	var best []*event.Event
	lo := 0
	for hi := range evs {
		for evs[hi].Time.Sub(evs[lo].Time) > bulkWindow {
			lo++
		}
		if distinctRepos(evs[lo:hi+1]) > distinctRepos(best) {
			best = evs[lo : hi+1]
		}
	}
	return best
}

func distinctRepos(evs []*event.Event) int {
	seen := map[string]bool{}
	for _, e := range evs {
		seen[strings.ToLower(e.Audit.Repo)] = true
	}
	return len(seen)
}

// firstPerRepo returns the first event of each repository.
func firstPerRepo(evs []*event.Event) []*event.Event {
	seen := map[string]bool{}
	var out []*event.Event
	for _, e := range evs {
		if k := strings.ToLower(e.Audit.Repo); !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	return out
}

const (
	exfilRosterFile = "examples/scim-users.json"
	exfilAuditFile  = "examples/github-audit.json"
)

// exfilStaff is a roster record hired on hired.
func exfilStaff(record int, id, name, login string, hired time.Time) *event.Event {
	return &event.Event{
		Kind: event.KindPerson, Time: hired,
		Prov: event.Provenance{Origin: &event.Origin{Source: "scim", File: exfilRosterFile}, Record: record, ID: "scim-" + id},
		Person: &event.Person{EmployeeID: id, SCIMID: "scim-" + id, UserName: login + "@acme.example", Name: name,
			Emails: []string{login + "@acme.example"}, Active: true, Created: hired},
	}
}

// exfilAudit is a GitHub audit-log entry by login.
func exfilAudit(record int, login, action, repo string, at time.Time) *event.Event {
	return &event.Event{
		Kind: event.KindAudit, Time: at, Account: &event.Actor{Login: login},
		Prov:  event.Provenance{Origin: &event.Origin{Source: "github", File: exfilAuditFile}, Record: record},
		Audit: &event.Audit{Action: action, Org: "acme", Repo: repo, CodeAccess: action == "git.clone" || action == "git.fetch" || action == "repo.download_zip"},
	}
}

// Examples implements detect.Indicator: an engineer six months in who
// transfers a repository out and, that night, downloads 32 repositories;
// and a new hire cloning 40 repositories in their first week.
func (*CodeCopiedOut) Examples() detect.Examples {
	hired := time.Date(2024, 9, 2, 9, 0, 0, 0, time.UTC)
	night := hired.AddDate(0, 6, 0).Add(14 * time.Hour)
	pos := []*event.Event{exfilStaff(1, "E3801", "Kevin Tran", "ktran", hired)}
	pos = append(pos, exfilAudit(1, "ktran", "repo.transfer_outgoing", "acme/payments-core", night))
	for i := range 32 {
		pos = append(pos, exfilAudit(2+i, "ktran", "repo.download_zip", fmt.Sprintf("acme/service-%02d", i), night.Add(time.Duration(i)*7*time.Minute)))
	}
	neg := []*event.Event{exfilStaff(1, "E3802", "Hannah Weiss", "hweiss", hired)}
	for i := range 40 {
		neg = append(neg, exfilAudit(1+i, "hweiss", "git.clone", fmt.Sprintf("acme/service-%02d", i), hired.AddDate(0, 0, 2).Add(time.Duration(i)*5*time.Minute)))
	}
	return detect.Examples{
		Positive: detect.Example{Name: "transfer_out_and_bulk_download", Events: pos, Person: "E3801"},
		Negative: detect.Example{Name: "new_hire_cloning_in_first_week", Events: neg, Person: "E3802"},
	}
}
