package profile

import (
	"time"

	"github.com/rollcall/rollcall/internal/enrich/email"
	"github.com/rollcall/rollcall/internal/event"
)

// Ghostwrite is a commit a person's account made under another person's
// author identity.
type Ghostwrite struct {
	Event  *event.Event // the commit, in the author's commit list
	Author string       // the person the author identity resolves to
}

// sameInstant: author and committer times this close mean one act of
// committing (git commit --author); a rebase, cherry-pick or git am sets a
// new committer time.
const sameInstant = time.Minute

// ghostwrites finds, per person on the roster, the commits they made under
// another person's author identity: the committer email is theirs
// (roster and applicant emails, compared as canonical mailboxes), the
// author is someone else, the two emails differ, and both times are the
// same instant. Web-UI merges (committer GitHub <noreply@github.com>)
// match nobody.
func ghostwrites(pop *Population) map[string][]Ghostwrite {
	byMailbox := map[string]string{}
	for _, p := range pop.People {
		if p.HR() == nil {
			continue
		}
		for _, m := range p.Emails() {
			if k := email.Canonical(m); k != "" {
				byMailbox[k] = p.ID
			}
		}
	}
	out := map[string][]Ghostwrite{}
	for _, p := range pop.People {
		for _, e := range p.Commits {
			c := e.Commit
			if c == nil {
				continue
			}
			committerBox := email.Canonical(c.CommitterEmail)
			committer, ok := byMailbox[committerBox]
			if committerBox == "" || !ok || committer == p.ID || committerBox == email.Canonical(c.AuthorEmail) {
				continue
			}
			if d := c.CommitterTime.Sub(c.AuthorTime); d < -sameInstant || d > sameInstant {
				continue
			}
			out[committer] = append(out[committer], Ghostwrite{Event: e, Author: p.ID})
		}
	}
	return out
}
