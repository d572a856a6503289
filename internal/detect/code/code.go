// Package code holds the code-and-collaboration indicators (catalogue
// section "Code & collaboration"): what git history and the code host say
// about who writes the code and from where — commit author identities
// compared with the HR roster, and commit UTC offsets and hours compared
// with the claimed home. One file per indicator; this file holds what they
// share.
package code

import (
	"fmt"
	"strings"

	"github.com/rollcall/rollcall/internal/event"
)

// shortHash shows the first seven characters of a commit hash.
func shortHash(c *event.Commit) string {
	if len(c.Hash) > 7 {
		return c.Hash[:7]
	}
	return c.Hash
}

// describeCommit names a commit for evidence: "commit 1a2b3c4 in
// acme/api by Jane Doe <jane@acme.example> at 2025-03-04 10:12 +0900".
func describeCommit(c *event.Commit) string {
	var b strings.Builder
	b.WriteString("commit " + shortHash(c))
	if c.Repo != "" {
		b.WriteString(" in " + c.Repo)
	}
	fmt.Fprintf(&b, " by %s <%s> at %s", c.AuthorName, c.AuthorEmail, c.AuthorTime.Format("2006-01-02 15:04 -0700"))
	return b.String()
}
