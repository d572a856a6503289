package code

import (
	"cmp"
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

// CommitIdentity is COL-01: commits resolved to the person are authored
// under another person's name or email, or under several identities.
type CommitIdentity struct{}

var _ detect.Indicator = (*CommitIdentity)(nil)

// ID implements detect.Indicator.
func (*CommitIdentity) ID() string { return "COL-01" }

// Name implements detect.Indicator.
func (*CommitIdentity) Name() string {
	return "Commit author identity differs from the HR identity, or several identities on one account"
}

// Stage implements detect.Indicator.
func (*CommitIdentity) Stage() detect.Stage { return detect.StageCode }

// Strength implements detect.Indicator.
func (*CommitIdentity) Strength() detect.Strength { return detect.Medium }

// Sources implements detect.Indicator. The roster (scim) supplies the HR
// identity.
func (*CommitIdentity) Sources() []string { return []string{"gitlog", "scim"} }

// Weight implements detect.Indicator.
func (*CommitIdentity) Weight() float64 { return 28 }

// Description implements detect.Indicator.
func (*CommitIdentity) Description() string {
	return "The commits that resolve to the person (by author email) are authored under a personal name that is not " +
		"theirs, or from an email that is not theirs, at least three times or under two or more other identities: " +
		"someone else writes the code on this account, or one account serves a team behind the persona. Names are " +
		"compared with the roster and applicant records allowing for order, accents, initials, middle names and common " +
		"nicknames (Bob for Robert); handles made of the person's name or email (jroe, jane-roe92), GitHub noreply " +
		"addresses of their logins, addresses on the roster or applicant records and personal addresses holding their " +
		"name count as theirs. An unrelated address under the person's own name counts at half confidence (a second " +
		"identity behind the persona, or a personal address never given to HR), and so does a handle unrelated to the " +
		"name beside commits under the name (not a tool's default such as root or ubuntu). Commits the person made under another " +
		"employee's identity count too: the committer is them, the author someone else on the roster, at the same instant " +
		"(git commit --author; a rebase, cherry-pick or web merge sets its own committer or time). Names in " +
		"another script than the roster's and bare handles that name nobody are not compared. Known false positives: a " +
		"git configuration copied from a colleague's machine or a shared build box; legal name changes not yet on the " +
		"roster; pair programming on a colleague's checkout or with --author."
}

// References implements detect.Indicator.
func (*CommitIdentity) References() []string {
	return []string{
		"Security Alliance (SEAL), DPRK IT workers framework, frameworks.securityalliance.dev (commit identities that do not match the claimed developer; name and handle changes)",
	}
}

// Examples implements detect.Indicator.
func (*CommitIdentity) Examples() detect.Examples {
	op := []*event.Event{rosterRecord(1, "E910", "Jane Roe", "jroe@example.com", "US", "NY", "")}
	for i, d := range weekdayCommits(1, "Jane Roe", "jroe@example.com", exampleStart, 2, cst, 10, 15) {
		if i%2 == 1 {
			a := d.Actor()
			a.DisplayName = "Chol Min"
			d.Commit.AuthorName = "Chol Min"
			d.SetActor(a)
		}
		op = append(op, d)
	}
	// Robert commits as "Bob Smith", as "bsmith" and from a personal
	// address with his name in it that the roster holds.
	ok := []*event.Event{rosterRecord(1, "E911", "Robert Smith", "rsmith@example.com", "US", "NY", "", "bob.smith.dev@mail.example")}
	ok = append(ok, weekdayCommits(1, "Bob Smith", "rsmith@example.com", exampleStart, 1, cst, 10)...)
	ok = append(ok, weekdayCommits(6, "bsmith", "bob.smith.dev@mail.example", exampleStart.AddDate(0, 0, 7), 1, cst, 10)...)
	return detect.Examples{
		Positive: detect.Example{Name: "account_commits_under_another_name", Events: op, Person: "E910"},
		Negative: detect.Example{Name: "nickname_handle_and_personal_email", Events: ok, Person: "E911"},
	}
}

const (
	// identityMinCommits: commits under other identities needed for a
	// finding, unless there are identityMinNames of them (each with at
	// least two commits).
	identityMinCommits = 3
	identityMinNames   = 2
	// emailOnlyScale scales findings without another personal name (only
	// an unknown address or an unrelated handle).
	emailOnlyScale = 0.5
)

// Detect implements detect.Indicator.
func (d *CommitIdentity) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	var out []detect.Finding
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("COL-01: %w", err)
		}
		if f, ok := d.person(p, p.Features.Ghostwrites); ok {
			out = append(out, f)
		}
	}
	return out, nil
}

// handleName recognises a handle: one word of letters and digits (with
// dots, dashes, underscores), in the Latin alphabet.
var handleName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9._-]{2,38}$`)

// alias is one identity other than the person's on their commits.
type alias struct {
	label   string // "Name <email>"
	why     string
	commits []*event.Event
}

func (d *CommitIdentity) person(p *profile.Person, ghost []profile.Ghostwrite) (detect.Finding, bool) {
	if len(p.Commits)+len(ghost) == 0 || p.HR() == nil {
		return detect.Finding{}, false
	}
	aliases := map[string]*alias{}
	var foreign, named int
	var related []string
	for _, g := range ghost {
		e, c := g.Event, g.Event.Commit
		if !slices.Contains(related, g.Author) {
			related = append(related, g.Author)
		}
		foreign++
		named++
		key := "ghost\x00" + identity.NormalizeEmail(c.AuthorEmail)
		a := aliases[key]
		if a == nil {
			a = &alias{label: fmt.Sprintf("%q <%s>", c.AuthorName, c.AuthorEmail), why: "committed by this person as another employee"}
			aliases[key] = a
		}
		a.commits = append(a.commits, e)
	}
	ownName := slices.ContainsFunc(p.Commits, func(e *event.Event) bool {
		return e.Commit != nil && identity.CompareName(p, e.Commit.AuthorName) == identity.NameMatches
	})
	for _, e := range p.Commits {
		c := e.Commit
		if c == nil {
			continue
		}
		// An address that is neither on record nor made of the person's
		// name is another identity, also under their own name (a second
		// account behind the persona) — but weaker: it may be a personal
		// address they never gave HR. So is a handle unrelated to their
		// name beside commits under their name (two identities on one
		// account), unless it is a tool's default ("root").
		var why []string
		name := identity.CompareName(p, c.AuthorName)
		switch {
		case name == identity.NameDiffers:
			why = append(why, "name differs")
			named++
		case name == identity.NameUnknown && ownName && handleName.MatchString(c.AuthorName) && !identity.DefaultAuthorName(c.AuthorName):
			why = append(why, "handle unrelated to the person's name")
		}
		if c.AuthorEmail != "" && !identity.EmailOfPerson(p, c.AuthorEmail) {
			why = append(why, "email differs")
		}
		if len(why) == 0 {
			continue
		}
		foreign++
		key := identity.NormalizeName(c.AuthorName) + "\x00" + identity.NormalizeEmail(c.AuthorEmail)
		a := aliases[key]
		if a == nil {
			a = &alias{label: fmt.Sprintf("%q <%s>", c.AuthorName, c.AuthorEmail), why: strings.Join(why, "; ")}
			aliases[key] = a
		}
		a.commits = append(a.commits, e)
	}
	var repeated int
	for _, a := range aliases {
		if len(a.commits) >= 2 {
			repeated++
		}
	}
	if foreign < identityMinCommits && repeated < identityMinNames {
		return detect.Finding{}, false
	}
	list := make([]*alias, 0, len(aliases))
	for _, a := range aliases {
		list = append(list, a)
	}
	slices.SortFunc(list, func(a, b *alias) int {
		if c := cmp.Compare(len(b.commits), len(a.commits)); c != 0 {
			return c
		}
		return strings.Compare(a.label, b.label)
	})
	share := float64(foreign) / float64(len(p.Commits)+len(ghost))
	slices.Sort(related)
	conf := 0.4 + 0.6*share
	if len(list) >= identityMinNames {
		conf += 0.2 // several identities on one account
	}
	if named == 0 {
		conf *= emailOnlyScale // the person's own name with an unknown address
	}
	ev := []detect.Evidence{detect.EvidenceOf(p.Roster, "roster: %s <%s>", p.HR().Name, strings.Join(p.HR().Emails, ", "))}
	// The first commit of each identity first, then the rest in order.
	cited := map[*event.Event]bool{}
	for _, a := range list {
		e := a.commits[0]
		cited[e] = true
		ev = append(ev, detect.EvidenceOf(e, "%s: author %s is not the person's (%s)", describeCommit(e.Commit), a.label, a.why))
	}
	for _, a := range list {
		for _, e := range a.commits[1:] {
			if !cited[e] {
				ev = append(ev, detect.EvidenceOf(e, "%s: author %s", describeCommit(e.Commit), a.label))
			}
		}
	}
	ev, more := detect.CapEvidence(ev)
	identities := "1 identity"
	if len(list) > 1 {
		identities = fmt.Sprintf("%d identities", len(list))
	}
	parts := make([]string, len(list))
	for i, a := range list {
		parts[i] = fmt.Sprintf("%s ×%d (%s)", a.label, len(a.commits), a.why)
	}
	return detect.Finding{
		Indicator: d.ID(),
		Related:   related,
		Person:    p.ID,
		Summary: fmt.Sprintf("%d of %d commits (%.0f%%) are authored under %s other than the roster's %q: %s%s",
			foreign, len(p.Commits)+len(ghost), 100*share, identities, p.HR().Name, strings.Join(parts, "; "), more),
		Confidence: detect.Round2(min(1, conf)),
		Evidence:   ev,
	}, true
}
