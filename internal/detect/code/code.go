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
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
)

// allowOf returns the policy's allow-lists, or nil without a policy.
func allowOf(in *detect.Input) *policy.Allow {
	if in.Policy == nil {
		return nil
	}
	return &in.Policy.Allow
}

// day is a UTC calendar day, for counting distinct days.
func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

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

// capEvidence keeps the first detect.MaxEvidence records and returns a
// note for the summary saying how many were left out ("" when none).
func capEvidence(ev []detect.Evidence) ([]detect.Evidence, string) {
	if len(ev) <= detect.MaxEvidence {
		return ev, ""
	}
	return ev[:detect.MaxEvidence], fmt.Sprintf(" (first %d of %d records cited)", detect.MaxEvidence, len(ev))
}

// round2 rounds a confidence to two decimals so that findings compare and
// print stably.
func round2(x float64) float64 { return float64(int(x*100+0.5)) / 100 }

// plural writes "1 commit" or "3 commits".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
