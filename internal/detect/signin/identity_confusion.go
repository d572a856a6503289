package signin

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/identity"
	"github.com/rollcall/rollcall/internal/profile"
)

// IdentityConfusion is IAM-09: the person's accounts appear under other
// people's names, or their code-host handle changes.
type IdentityConfusion struct{}

var _ detect.Indicator = (*IdentityConfusion)(nil)

// ID implements detect.Indicator.
func (*IdentityConfusion) ID() string { return "IAM-09" }

// Name implements detect.Indicator.
func (*IdentityConfusion) Name() string {
	return "Identity confusion: accounts under other names, handle changes"
}

// Stage implements detect.Indicator.
func (*IdentityConfusion) Stage() detect.Stage { return detect.StageIdentity }

// Strength implements detect.Indicator: strong when observed.
func (*IdentityConfusion) Strength() detect.Strength { return detect.Strong }

// Sources implements detect.Indicator.
func (*IdentityConfusion) Sources() []string {
	return []string{"okta", "entra", "github", "github-users", "gitlog", "scim"}
}

// Weight implements detect.Indicator.
func (*IdentityConfusion) Weight() float64 { return 45 }

// Description implements detect.Indicator.
func (*IdentityConfusion) Description() string {
	return "The person's accounts are seen under a personal name that is not theirs — the display name the identity " +
		"provider logs with their sign-ins (Okta actor.displayName, Entra userDisplayName), or the name on their GitHub " +
		"profile — or their code-host handle changes (a user.rename entry in the GitHub audit log, or two GitHub profiles " +
		"resolving to them). Operatives rename accounts and switch handles when a persona is burned or handed to another " +
		"worker, and one account serving a team shows several names. Names are compared with the roster and applicant " +
		"records allowing for order, accents, initials, middle names and nicknames; bare handles and names in another " +
		"script are not compared, and a change of family name under the same given name (marriage) is not counted. A " +
		"name on two or more identity-provider events gives full confidence, a profile name less, a handle change alone " +
		"half. Commits on the work account under another personal name or a handle unrelated to the name (beside commits " +
		"under the name), and commits the account made as a colleague (same-instant author and committer), count at " +
		"0.6–0.7 from three commits; COL-01 weighs commit authorship against HR in the code stage. Known false positives: a display name edited by an " +
		"administrator by mistake; a shared mailbox or delegated account appearing under its owner's account; a " +
		"legitimate rename of a GitHub handle."
}

// References implements detect.Indicator.
func (*IdentityConfusion) References() []string {
	return []string{
		"Security Alliance (SEAL), DPRK IT workers framework, frameworks.securityalliance.dev (sudden name or GitHub handle changes; one persona, several names)",
		"GitHub audit log events: user.rename, docs.github.com/enterprise-cloud@latest/admin/monitoring-activity-in-your-enterprise",
	}
}

// Examples implements detect.Indicator.
func (*IdentityConfusion) Examples() detect.Examples {
	op := []*event.Event{staff{record: 1, id: "E790", email: "cdunn@example.com", name: "Chris Dunn", country: "US"}.event()}
	// Married in March: the IdP shows her new family name from then on.
	wed := []*event.Event{staff{record: 1, id: "E791", email: "dwu@example.com", name: "Diana Wu-Hale", country: "US"}.event()}
	for i := range 10 {
		t := exampleStart.AddDate(0, 0, i)
		e := oktaSignIn(i+1, "cdunn@example.com", t, homeChicago)
		shown := "Chris Dunn"
		if i >= 5 {
			shown = "Pak Song-il"
		}
		e.SetActor(renamed(e.Actor(), shown))
		op = append(op, e)
		w := oktaSignIn(i+1, "dwu@example.com", t, homeChicago)
		shown = "Diana Wu"
		if i >= 5 {
			shown = "Diana Hale"
		}
		w.SetActor(renamed(w.Actor(), shown))
		wed = append(wed, w)
	}
	return detect.Examples{
		Positive: detect.Example{Name: "okta_account_shown_under_another_name", Events: op, Person: "E790"},
		Negative: detect.Example{Name: "family_name_changed_after_marriage", Events: wed, Person: "E791"},
	}
}

// renameActions are audit actions that change an account's handle.
var renameActions = map[string]bool{"user.rename": true}

// otherName is one name other than the person's, with the events showing
// it.
type otherName struct {
	name   string
	source string
	kind   nameKind
	events []*event.Event
}

// nameKind is where another name was seen, which sets how many sightings
// make a finding and how strong it is.
type nameKind int

const (
	idpName     nameKind = iota // identity-provider display name: 2 events, full confidence
	profileName                 // GitHub profile name: 1 profile, 0.7
	commitName                  // commit author on the work account: 3 commits, 0.6
	ghostName                   // the work account committing as a colleague: 3 commits, 0.7
)

var (
	nameMinEvents  = [...]int{idpName: 2, profileName: 1, commitName: 3, ghostName: 3}
	nameConfidence = [...]float64{idpName: 1, profileName: 0.7, commitName: 0.6, ghostName: 0.7}
)

// handle recognises a one-word handle in the Latin alphabet.
var handle = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9._-]{2,38}$`)

// Detect implements detect.Indicator.
func (d *IdentityConfusion) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	owners := accountOwners(in.Pop)
	// Renames of an account by someone else (an owner renaming a member)
	// name the renamed person as the target.
	renamedBy := map[string][]*event.Event{}
	for _, q := range in.Pop.People {
		for _, e := range q.Audits {
			if e.Audit == nil || !renameActions[strings.ToLower(e.Audit.Action)] {
				continue
			}
			if t := owners[strings.ToLower(e.Audit.Target)]; t != "" && t != q.ID {
				renamedBy[t] = append(renamedBy[t], e)
			}
		}
	}
	var out []detect.Finding
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("IAM-09: %w", err)
		}
		if f, ok := d.person(p, renamedBy[p.ID], p.Features.Ghostwrites); ok {
			out = append(out, f)
		}
	}
	return out, nil
}

// accountOwners maps lower-cased account keys to their person.
func accountOwners(pop *profile.Population) map[string]string {
	out := map[string]string{}
	for _, p := range pop.People {
		keys := append(slices.Clone(p.Accounts), p.Emails()...)
		if hr := p.HR(); hr != nil {
			keys = append(keys, strings.ToLower(hr.UserName))
			if local, _, ok := strings.Cut(strings.ToLower(hr.UserName), "@"); ok {
				keys = append(keys, local)
			}
		}
		for _, k := range keys {
			if k != "" {
				out[k] = p.ID
			}
		}
	}
	return out
}

// marriedName reports whether name keeps the person's given name with
// another family name.
func marriedName(p *profile.Person, name string) bool {
	n := strings.Fields(identity.NormalizeName(name))
	if len(n) < 2 {
		return false
	}
	for _, known := range identity.PersonNames(p) {
		k := strings.Fields(identity.NormalizeName(known))
		if len(k) >= 2 && k[0] == n[0] {
			return true
		}
	}
	return false
}

func (d *IdentityConfusion) person(p *profile.Person, renamedByOthers []*event.Event, ghosted []profile.Ghostwrite) (detect.Finding, bool) {
	if p.HR() == nil {
		return detect.Finding{}, false
	}
	names := map[string]*otherName{}
	var order []string
	add := func(name, source string, kind nameKind, e *event.Event) {
		k := fmt.Sprint(kind) + "\x00" + identity.NormalizeName(name)
		o := names[k]
		if o == nil {
			o = &otherName{name: name, source: source, kind: kind}
			names[k] = o
			order = append(order, k)
		}
		o.events = append(o.events, e)
	}
	// A person signs in under one display name thousands of times:
	// compare each distinct name once.
	verdicts := map[string]identity.NameVerdict{}
	compare := func(name string) identity.NameVerdict {
		v, ok := verdicts[name]
		if !ok {
			v = identity.CompareName(p, name)
			verdicts[name] = v
		}
		return v
	}
	note := func(name, source string, kind nameKind, e *event.Event) {
		if compare(name) == identity.NameDiffers && !marriedName(p, name) {
			add(name, source, kind, e)
		}
	}
	for _, e := range p.SignIns {
		if detect.Succeeded(e) && e.Actor().DisplayName != "" {
			note(e.Actor().DisplayName, e.Prov.Source()+" display name", idpName, e)
		}
	}
	// Commits on the work account: other personal names, and handles
	// unrelated to the name beside commits under the name.
	work := map[string]bool{identity.NormalizeEmail(p.HR().UserName): true}
	for _, em := range p.HR().Emails {
		work[identity.NormalizeEmail(em)] = true
	}
	var onWork []*event.Event
	ownName := false
	for _, e := range p.Commits {
		if c := e.Commit; c != nil && work[identity.NormalizeEmail(c.AuthorEmail)] {
			onWork = append(onWork, e)
			ownName = ownName || compare(c.AuthorName) == identity.NameMatches
		}
	}
	for _, e := range onWork {
		c := e.Commit
		switch compare(c.AuthorName) {
		case identity.NameDiffers:
			note(c.AuthorName, "commit author on "+c.AuthorEmail, commitName, e)
		case identity.NameUnknown:
			if ownName && handle.MatchString(c.AuthorName) && !identity.DefaultAuthorName(c.AuthorName) {
				add(c.AuthorName, "commit author handle on "+c.AuthorEmail, commitName, e)
			}
		}
	}
	for _, g := range ghosted {
		add(g.Event.Commit.AuthorName, "author of commits made by this person's account", ghostName, g.Event)
	}
	logins := map[string]*event.Event{}
	for _, e := range p.Profiles {
		if pr := e.Profile; pr != nil {
			if pr.Name != "" {
				note(pr.Name, "GitHub profile name", profileName, e)
			}
			if l := strings.ToLower(pr.Login); l != "" && logins[l] == nil {
				logins[l] = e
			}
		}
	}
	var renames []*event.Event
	for _, e := range p.Audits {
		if e.Audit != nil && renameActions[strings.ToLower(e.Audit.Action)] {
			renames = append(renames, e)
		}
	}
	renames = append(renames, renamedByOthers...)
	var conf float64
	var parts []string
	var ev []detect.Evidence
	for _, k := range order {
		o := names[k]
		if len(o.events) < nameMinEvents[o.kind] {
			continue // a single odd event: not enough to call it
		}
		conf = max(conf, nameConfidence[o.kind])
		parts = append(parts, fmt.Sprintf("%q as %s on %s", o.name, o.source, detect.Count(len(o.events), "record")))
		for _, e := range o.events {
			ev = append(ev, detect.EvidenceOf(e, "%s %s shown as %q (roster: %q)", detect.Stamp(e.Time), o.source, o.name, p.HR().Name))
		}
	}
	if len(renames) > 0 || len(logins) >= 2 {
		conf = max(conf, 0.5)
		for _, e := range renames {
			ev = append(ev, detect.EvidenceOf(e, "%s %s by %s (target %s)", detect.Stamp(e.Time), e.Audit.Action, accountOf(e), e.Audit.Target))
		}
		if len(renames) > 0 {
			parts = append(parts, fmt.Sprintf("handle renamed %s", detect.Count(len(renames), "time")))
		}
		if len(logins) >= 2 {
			ls := make([]string, 0, len(logins))
			for l := range logins {
				ls = append(ls, l)
			}
			slices.Sort(ls)
			parts = append(parts, "GitHub profiles "+strings.Join(ls, ", "))
			for _, l := range ls {
				ev = append(ev, detect.EvidenceOf(logins[l], "GitHub profile %s", l))
			}
		}
	}
	if len(parts) == 0 {
		return detect.Finding{}, false
	}
	ev, more := detect.CapEvidence(ev)
	return detect.Finding{
		Indicator:  d.ID(),
		Person:     p.ID,
		Summary:    fmt.Sprintf("roster name %q; accounts also seen as %s%s", p.HR().Name, strings.Join(parts, "; "), more),
		Confidence: conf,
		Evidence:   ev,
	}, true
}

// renamed is a with another display name.
func renamed(a event.Actor, name string) event.Actor {
	a.DisplayName = name
	return a
}
