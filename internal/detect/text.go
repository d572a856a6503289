package detect

import (
	"fmt"
	"slices"
	"time"

	"github.com/rollcall/rollcall/internal/enrich/activity"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/textfmt"
)

// The helpers below are shared by every stage package, so that findings
// word dates, counts and capped evidence the same way. The formatting rules
// themselves live in internal/textfmt (shared with reports, CLI and UI);
// these names only fix the wording findings use.

// Day truncates t to its UTC calendar day, for counting active days.
func Day(t time.Time) time.Time { return activity.DayOf(t) }

// Date writes t's date for summaries ("2025-03-03"), or "an unknown date".
func Date(t time.Time) string { return textfmt.Date(t, "an unknown date") }

// Stamp writes an event time for evidence: "2025-03-03 14:05 UTC".
func Stamp(t time.Time) string { return textfmt.Stamp(t) }

// Plural returns one when n is 1, else many.
func Plural(n int, one, many string) string { return textfmt.Plural(n, one, many) }

// Count writes n and a regular noun: "1 day", "3 days".
func Count(n int, noun string) string { return textfmt.Count(n, noun, noun+"s") }

// CapEvidence keeps the first MaxEvidence records and returns a note for
// the summary saying how many there were ("" when none were left out).
func CapEvidence(ev []Evidence) ([]Evidence, string) {
	if len(ev) <= MaxEvidence {
		return ev, ""
	}
	return ev[:MaxEvidence], fmt.Sprintf(" (first %d of %d records cited)", MaxEvidence, len(ev))
}

// Round2 rounds x to two decimals, for confidences.
func Round2(x float64) float64 { return textfmt.Round2(x) }

// Finish turns findings kept by person id into a list ordered by person,
// with capped evidence (the summary says how many records there were) and
// sorted related people.
func Finish(findings map[string]*Finding) []Finding {
	ids := make([]string, 0, len(findings))
	for id := range findings {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]Finding, 0, len(ids))
	for _, id := range ids {
		f := findings[id]
		var more string
		f.Evidence, more = CapEvidence(f.Evidence)
		f.Summary += more
		slices.Sort(f.Related)
		out = append(out, *f)
	}
	return out
}

// Succeeded reports whether e is a successful sign-in.
func Succeeded(e *event.Event) bool {
	return e.SignIn != nil && e.SignIn.Outcome == event.OutcomeSuccess
}

// DedupEvidence drops repeated citations of one record (same file and
// record), keeping the first, in place.
func DedupEvidence(ev []Evidence) []Evidence {
	type ref struct {
		file   string
		record int
	}
	seen := map[ref]bool{}
	out := ev[:0]
	for _, e := range ev {
		if k := (ref{e.File, e.Record}); !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	return out
}

// MeetingLabel names one attendance of a meeting for evidence: "zoom
// meeting 91234567890 ("Interview: …") joined 2025-03-04 16:02 UTC".
func MeetingLabel(e *event.Event) string {
	m := e.Meeting
	if m == nil {
		return "meeting"
	}
	s := m.Platform + " meeting"
	if m.MeetingID != "" {
		s += " " + m.MeetingID
	}
	if m.Topic != "" {
		s += fmt.Sprintf(" (%q)", m.Topic)
	}
	return s + " joined " + Stamp(e.Time)
}
