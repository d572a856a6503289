// Package activity infers where in the world a person's working day lies
// from the times of their activity, and reads time-zone settings.
//
// Touches collects a person's timestamped activity — successful
// interactive sign-ins, audit actions, commits — folding bursts into one
// touch. Infer fits the touches against a working-week template (busy
// 09:00–17:00 on weekdays, quiet at night and at weekends, with a floor for
// anything) at every UTC offset from −12:00 to +14:00 and returns the best
// offset with a confidence that comes from the margin over the best
// alternative at least three hours away, the share of touches inside the
// fitted working day and the sample size. A flat or two-humped histogram
// (shift work, a night shift kept to look local next to one's own day)
// gives no estimate rather than a guess; commit UTC offsets corroborate or
// weaken the estimate.
//
// Claims (the roster's timezone and home country) and settings (osquery
// clock rows, roster strings) are turned into UTC offsets at a given time,
// so that comparisons are DST-aware. Country zones come from the tz
// database's zone.tab (zones.csv).
package activity

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/event"
)

// Touch is one moment of activity.
type Touch struct {
	At    time.Time // UTC
	Event *event.Event
}

// burstGap folds activity closer than this to the previous touch into it:
// thirty events in one sitting are one touch, so a busy hour does not
// outweigh a day.
const burstGap = 30 * time.Minute

// Touches returns the person's activity touches in time order: successful
// sign-ins other than session ends and automated token refreshes, audit
// actions other than code transfers (git clone/fetch, which CI runs with
// the person's token at any hour) and other than the actions of build
// systems and bots (event.DeviceAutomated), and commits by author time.
func Touches(signIns, audits, commits []*event.Event) []Touch {
	var all []Touch
	for _, e := range signIns {
		si := e.SignIn
		if si == nil || si.Outcome != event.OutcomeSuccess || si.SessionEnd || e.Facts.Device.Has(event.DeviceAutomated) {
			continue
		}
		all = append(all, Touch{At: e.Time.UTC(), Event: e})
	}
	for _, e := range audits {
		if e.Audit == nil || e.Audit.CodeAccess || e.Facts.Device.Has(event.DeviceAutomated) {
			continue
		}
		all = append(all, Touch{At: e.Time.UTC(), Event: e})
	}
	for _, e := range commits {
		if e.Commit == nil || e.Commit.AuthorTime.IsZero() {
			continue
		}
		all = append(all, Touch{At: e.Commit.AuthorTime.UTC(), Event: e})
	}
	sortTouches(all)
	out := all[:0]
	var last time.Time
	for _, t := range all {
		if t.At.IsZero() {
			continue
		}
		if len(out) > 0 && t.At.Sub(last) < burstGap {
			continue
		}
		out = append(out, t)
		last = t.At
	}
	return exactSize(out)
}

// exactSize returns s, copied into an array of its length when growing it
// by append left much more room than it uses: features are kept for the
// whole analysis, and bursts folded away would otherwise stay allocated.
func exactSize[T any](s []T) []T {
	if len(s) == 0 || cap(s)-len(s) <= len(s)/8 {
		return s
	}
	return slices.Clone(s)
}

func sortTouches(ts []Touch) {
	slices.SortStableFunc(ts, func(a, b Touch) int { return a.At.Compare(b.At) })
}

// Histogram counts touches by hour of day in loc (DST-aware).
func Histogram(ts []Touch, loc *time.Location) [24]int {
	var h [24]int
	for _, t := range ts {
		h[t.At.In(loc).Hour()]++
	}
	return h
}

// FormatHistogram writes an hour-of-day histogram as text, in four
// six-hour groups: "00–05h 0 0 0 1 0 0 · 06–11h 2 5 9 12 14 11 · …".
func FormatHistogram(h [24]int) string {
	var b strings.Builder
	for g := 0; g < 24; g += 6 {
		if g > 0 {
			b.WriteString(" · ")
		}
		fmt.Fprintf(&b, "%02d–%02dh", g, g+5)
		for _, n := range h[g : g+6] {
			fmt.Fprintf(&b, " %d", n)
		}
	}
	return b.String()
}

// Kinds counts touches by the source format of their events, for
// summaries: "okta 120, gitlog 40".
func Kinds(ts []Touch) string {
	counts := map[string]int{}
	var order []string
	for _, t := range ts {
		s := t.Event.Prov.Source()
		if s == "" {
			s = string(t.Event.Kind)
		}
		if counts[s] == 0 {
			order = append(order, s)
		}
		counts[s]++
	}
	parts := make([]string, len(order))
	for i, s := range order {
		parts[i] = fmt.Sprintf("%s %d", s, counts[s])
	}
	return strings.Join(parts, ", ")
}
