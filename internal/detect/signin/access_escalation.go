package signin

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/enrich/device"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// AccessEscalation is IAM-10: a recent hire who is not in an IT or admin
// role adds members, grants access to others, loosens branch protection,
// or is given admin or release rights.
type AccessEscalation struct{}

var _ detect.Indicator = (*AccessEscalation)(nil)

// ID implements detect.Indicator.
func (*AccessEscalation) ID() string { return "IAM-10" }

// Name implements detect.Indicator.
func (*AccessEscalation) Name() string {
	return "Access escalation by a recent hire: adds members, gains admin rights, manages others' access"
}

// Stage implements detect.Indicator.
func (*AccessEscalation) Stage() detect.Stage { return detect.StageIdentity }

// Strength implements detect.Indicator.
func (*AccessEscalation) Strength() detect.Strength { return detect.Medium }

// Sources implements detect.Indicator: the GitHub audit log and identity
// provider admin events; the roster gives hire date and role.
func (*AccessEscalation) Sources() []string { return []string{"github", "okta", "gworkspace", "scim"} }

// Weight implements detect.Indicator.
func (*AccessEscalation) Weight() float64 { return 28 }

// Description implements detect.Indicator.
func (*AccessEscalation) Description() string {
	return "Within six months of hire (roster meta.created; at lower confidence after the first three), a person whose roster title and department are not IT, security, " +
		"platform or management adds members to the organisation, teams or repositories, changes others' roles, loosens " +
		"or removes branch protection, installs apps or creates deploy keys (GitHub audit log: org.add_member, " +
		"team.add_member, repo.add_member, org.update_member, protected_branch.*…; Okta: group.user_membership.add, " +
		"user.account.privilege.grant, user.lifecycle.create; Workspace admin role and group changes), or is granted " +
		"admin, maintainer or release rights (by someone else, or by themselves). Operatives widen their foothold and bring in other " +
		"personas this way. Accepting one's own invitation is not counted, nor are bots. One action gives a low-" +
		"confidence finding; several, on different people or with admin rights or weakened protections, more. Known " +
		"false positives: early team leads and maintainers not yet titled as such on the roster; a new hire asked to " +
		"set up a repository for their team."
}

// References implements detect.Indicator.
func (*AccessEscalation) References() []string {
	return []string{
		"Security Alliance (SEAL), DPRK IT workers framework, frameworks.securityalliance.dev (requests for more access; adding collaborators)",
		"DTEX Systems, i³ threat advisory on DPRK remote IT workers (privilege and access expansion after hire)",
	}
}

// Examples implements detect.Indicator.
func (*AccessEscalation) Examples() detect.Examples {
	hired := exampleStart.AddDate(0, 0, -20)
	op := []*event.Event{
		staff{record: 1, id: "E800", email: "egreen@example.com", country: "US", title: "Software Engineer", dept: "Payments", hired: hired}.event(),
		staff{record: 2, id: "E801", email: "fhill@example.com", country: "US", title: "Software Engineer", dept: "Payments", hired: hired}.event(),
		githubAudit(1, "egreen@example.com", exampleStart, "org.add_member", "outside-dev-77", ""),
		githubAudit(2, "egreen@example.com", exampleStart.Add(time.Hour), "repo.add_member", "outside-dev-78", "admin"),
		githubAudit(3, "egreen@example.com", exampleStart.Add(2*time.Hour), "protected_branch.destroy", "main", ""),
	}
	// The new IT administrator onboarding people: the job.
	it := []*event.Event{
		staff{record: 1, id: "E810", email: "gking@example.com", country: "US", title: "IT Systems Administrator", dept: "IT", hired: hired}.event(),
		githubAudit(1, "gking@example.com", exampleStart, "org.add_member", "new-hire-1", ""),
		githubAudit(2, "gking@example.com", exampleStart.Add(time.Hour), "team.add_member", "new-hire-2", ""),
		githubAudit(3, "gking@example.com", exampleStart.Add(2*time.Hour), "org.update_member", "new-hire-2", "admin"),
	}
	return detect.Examples{
		Positive: detect.Example{Name: "new_engineer_adds_outsiders_and_removes_protection", Events: op, Person: "E800"},
		Negative: detect.Example{Name: "new_it_administrator_onboarding_staff", Events: it, Person: "E810"},
	}
}

// escalation kinds.
const (
	escAddsMember   = "adds members"
	escManages      = "manages others' access"
	escProtection   = "weakens branch protection"
	escInstalls     = "installs apps or keys"
	escGainsRights  = "is granted admin or release rights"
	escalationFirst = 0.35 // one action
	// escalationDays: actions this long after hire count; after
	// escalationFresh days they count at lateScale.
	escalationDays  = 180
	escalationFresh = 90
	lateScale       = 0.7
)

// escalationActions maps audit actions (lower case) the person performs to
// their kind. Prefixes end in ".".
var escalationActions = map[string]string{
	"org.add_member": escAddsMember, "org.invite_member": escAddsMember, "team.add_member": escAddsMember,
	"repo.add_member": escAddsMember, "org.add_outside_collaborator": escAddsMember, "business.invite_admin": escAddsMember,
	"org.update_member": escManages, "repo.update_member": escManages, "team.promote_maintainer": escManages,
	"org.update_default_repository_permission": escManages, "team.add_repository": escManages,
	"team.update_repository_permission": escManages, "business.add_admin": escManages,
	"protected_branch.": escProtection, "repository_ruleset.destroy": escProtection, "repository_ruleset.update": escProtection,
	"integration_installation.create": escInstalls, "repo.create_deploy_key": escInstalls, "public_key.create": escInstalls,
	"org.oauth_app_access_approved": escInstalls,
	// Okta System Log admin events.
	"group.user_membership.add": escAddsMember, "application.user_membership.add": escAddsMember,
	"user.lifecycle.create": escAddsMember, "user.lifecycle.activate": escAddsMember,
	"user.account.privilege.grant": escManages, "system.api_token.create": escInstalls,
	// Google Workspace admin activity (application "admin").
	"admin.assign_role": escManages, "admin.add_group_member": escAddsMember, "admin.create_user": escAddsMember,
	"admin.grant_admin_privilege": escManages,
}

// grantActions are actions by someone else that give the target person
// rights when the permission or action says admin.
var grantActions = map[string]bool{
	"org.update_member": true, "repo.add_member": true, "repo.update_member": true, "team.promote_maintainer": true,
	"business.add_admin": true, "user.account.privilege.grant": true, "admin.assign_role": true,
	"admin.grant_admin_privilege": true,
}

var (
	// itRole recognises roster titles and departments whose work is
	// managing access: IT, security, platform, administrators, managers.
	itRole = regexp.MustCompile(`(?i)\b(it|information technology|admin|administrator|sysadmin|systems|devops|dev ops|sre|site reliability|security|infosec|infrastructure|platform|help ?desk|service desk|identity|iam|operations|ops|manager|director|head|vp|vice president|lead|principal|cto|ciso|cio|chief)\b`)
	// adminPermission recognises permissions that grant admin or release
	// rights.
	adminPermission = regexp.MustCompile(`(?i)\b(admin|owner|maintain|maintainer|super ?admin|release|write_all)\b`)
)

// escalationKind returns the kind of an action by the person, or "".
func escalationKind(action string) string {
	a := strings.ToLower(action)
	if k, ok := escalationActions[a]; ok {
		return k
	}
	for prefix, k := range escalationActions {
		if strings.HasSuffix(prefix, ".") && strings.HasPrefix(a, prefix) {
			return k
		}
	}
	return ""
}

// inITRole reports whether the roster says the person manages access for
// a living.
func inITRole(p *profile.Person) bool {
	hr := p.HR()
	return hr != nil && (itRole.MatchString(hr.Title) || itRole.MatchString(hr.Department))
}

// escalated is one counted action.
type escalated struct {
	e    *event.Event
	kind string
}

// Detect implements detect.Indicator.
func (d *AccessEscalation) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	owners := accountOwners(in.Pop)
	byPerson := map[string][]escalated{}
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("IAM-10: %w", err)
		}
		for _, e := range p.Audits {
			a := e.Audit
			if a == nil || device.BotLogin(e.Actor().Login) {
				continue
			}
			target := owners[strings.ToLower(a.Target)]
			act := strings.ToLower(a.Action)
			grant := grantActions[act] && (adminPermission.MatchString(a.Permission) ||
				strings.Contains(act, "admin") || strings.HasSuffix(act, "privilege.grant") ||
				strings.HasSuffix(a.Action, "promote_maintainer"))
			switch k := escalationKind(a.Action); {
			case grant && target != "":
				// Rights given to someone on the roster — by someone else, or
				// by themselves.
				byPerson[target] = append(byPerson[target], escalated{e: e, kind: escGainsRights})
				if target != p.ID {
					byPerson[p.ID] = append(byPerson[p.ID], escalated{e: e, kind: escManages})
				}
			case k != "" && !(k == escAddsMember && target == p.ID): // accepting one's own invitation is not counted
				byPerson[p.ID] = append(byPerson[p.ID], escalated{e: e, kind: k})
			}
		}
	}
	var out []detect.Finding
	for _, p := range in.Pop.People {
		if f, ok := d.person(p, byPerson[p.ID]); ok {
			out = append(out, f)
		}
	}
	return out, nil
}

func (d *AccessEscalation) person(p *profile.Person, all []escalated) (detect.Finding, bool) {
	hired := p.Hired()
	if len(all) == 0 || hired.IsZero() || inITRole(p) {
		return detect.Finding{}, false
	}
	var xs []escalated
	for _, x := range all {
		if !x.e.Time.Before(hired) && x.e.Time.Sub(hired) <= escalationDays*24*time.Hour {
			xs = append(xs, x)
		}
	}
	if len(xs) == 0 {
		return detect.Finding{}, false
	}
	slices.SortStableFunc(xs, func(a, b escalated) int { return a.e.Time.Compare(b.e.Time) })
	kinds := map[string]int{}
	targets := map[string]bool{}
	var ev []detect.Evidence
	for _, x := range xs {
		kinds[x.kind]++
		a := x.e.Audit
		if a.Target != "" {
			targets[strings.ToLower(a.Target)] = true
		}
		perm := ""
		if a.Permission != "" {
			perm = " permission " + a.Permission
		}
		ev = append(ev, detect.EvidenceOf(x.e, "%s %s by %s on %s%s (%s), %d days after hire", detect.Stamp(x.e.Time), a.Action,
			accountOf(x.e), cmp.Or(a.Target, a.Repo, a.Org, "(no target)"), perm, x.kind, int(x.e.Time.Sub(hired).Hours()/24)))
	}
	conf := escalationFirst + 0.15*float64(len(xs)-1) + 0.1*float64(max(0, len(targets)-1))
	if kinds[escGainsRights] > 0 || kinds[escProtection] > 0 {
		conf += 0.25
	}
	conf = min(1, conf)
	if xs[0].e.Time.Sub(hired) > escalationFresh*24*time.Hour {
		conf *= lateScale // settled in: more likely a real responsibility
	}
	ev, more := detect.CapEvidence(ev)
	var parts []string
	for _, k := range []string{escAddsMember, escManages, escProtection, escInstalls, escGainsRights} {
		if kinds[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s (%d)", k, kinds[k]))
		}
	}
	title := "no title on the roster"
	if hr := p.HR(); hr.Title != "" || hr.Department != "" {
		title = strings.Trim(hr.Title+", "+hr.Department, ", ")
	}
	return detect.Finding{
		Indicator: d.ID(),
		Person:    p.ID,
		Summary: fmt.Sprintf("within %d days of hire on %s, a %s %s%s", int(xs[len(xs)-1].e.Time.Sub(hired).Hours()/24)+1, hired.UTC().Format("2006-01-02"),
			title, strings.Join(parts, ", "), more),
		Confidence: detect.Round2(conf),
		Evidence:   ev,
	}, true
}
