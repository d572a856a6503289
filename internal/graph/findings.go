package graph

import (
	"slices"
	"strings"

	"github.com/rollcall/rollcall/internal/event"
)

// KindMFADevice links the people one MFA device completed sign-ins for
// (IAM-02): a facilitator holding the phone of several operatives'
// accounts. The indicator has already left out what is not a person's
// device (masked numbers, factor types everyone shares, help-desk tokens
// held by more than cluster.max_identifier_sharers people, service and
// test accounts); the graph takes its full-confidence findings (each
// holder used the device on two or more days) as links.
const KindMFADevice = "mfa_device"

// relatingIndicators are the indicators whose findings relate people
// through one identifier they hold, with the link kind each makes.
var relatingIndicators = map[string]string{"IAM-02": KindMFADevice}

// FindingLink is what the graph reads of an indicator's finding that
// relates people: the caller (the pipeline) builds one per finding with
// related people, so that the graph does not depend on detect.
type FindingLink struct {
	Indicator string // the indicator's id: relatingIndicators says which make links
	Person    string
	Related   []string // the other people the finding ties Person to
	// Confidence is the finding's (0 < c ≤ 1; zero means 1): only
	// full-confidence findings link.
	Confidence float64
	Evidence   []event.Evidence
}

// findingLinks turns relating findings into links: one per group of
// people (the finding's person and its related people), citing the
// finding's records.
func findingLinks(findings []FindingLink) []rawLink {
	var out []rawLink
	seen := map[string]int{}
	for _, f := range findings {
		kind, ok := relatingIndicators[f.Indicator]
		if !ok || len(f.Related) == 0 || f.Confidence != 0 && f.Confidence < 1 {
			continue
		}
		members := slices.Concat([]string{f.Person}, f.Related)
		slices.Sort(members)
		members = slices.Compact(members)
		key := kind + "\x00" + strings.Join(members, "\x00")
		if i, ok := seen[key]; ok {
			for _, ev := range f.Evidence {
				if len(out[i].Evidence) < event.MaxEvidence && !slices.Contains(out[i].Evidence, ev) {
					out[i].Evidence = append(out[i].Evidence, ev)
				}
			}
			continue
		}
		seen[key] = len(out)
		ev := slices.Clone(f.Evidence)
		if len(ev) > event.MaxEvidence {
			ev = ev[:event.MaxEvidence]
		}
		out = append(out, rawLink{key: key, Link: Link{
			Kind:     kind,
			Value:    "one MFA device for " + strings.Join(members, ", ") + " (" + f.Indicator + ")",
			Members:  members,
			Evidence: ev,
		}})
	}
	return out
}
