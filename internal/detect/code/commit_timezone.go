package code

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/enrich/activity"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/profile"
)

// CommitTimezone is COL-02: the UTC offsets git stamped on the person's
// commits, or the hours of those commits, do not fit the claimed home.
type CommitTimezone struct{}

var _ detect.PersonScoped = (*CommitTimezone)(nil)

// ID implements detect.Indicator.
func (*CommitTimezone) ID() string { return "COL-02" }

// Name implements detect.Indicator.
func (*CommitTimezone) Name() string {
	return "Commit UTC offsets or hours inconsistent with the claimed location"
}

// Stage implements detect.Indicator.
func (*CommitTimezone) Stage() detect.Stage { return detect.StageCode }

// Strength implements detect.Indicator: weak and fairness-sensitive.
func (*CommitTimezone) Strength() detect.Strength { return detect.Weak }

// Sources implements detect.Indicator. The roster (scim) supplies the
// claimed zone.
func (*CommitTimezone) Sources() []string { return []string{"gitlog", "scim"} }

// Weight implements detect.Indicator.
func (*CommitTimezone) Weight() float64 { return 8 }

// Description implements detect.Indicator.
func (*CommitTimezone) Description() string {
	return "Git records the author's UTC offset with every commit (the clock of the machine that made it). The finding " +
		"fires when at least five of the person's commits, on three or more days and making up at least 30% of their " +
		"commits with a non-zero offset, carry an offset two hours or more from every offset of the claimed zones at that " +
		"date (the roster timezone and the zones of the home state or country, DST-aware) — e.g. +0900 or +0800 on the " +
		"commits of a US employee; or when the hours of the commits alone fit a working day four hours or more from the " +
		"claim (see IAM-06). Offsets of +0000 are ignored: CI runners, containers, cloud development environments and " +
		"rebasing tools write them. Commits in approved travel windows are ignored. Weak and fairness-sensitive: it " +
		"never raises anyone above low on its own. Known false positives: distributed teams and people who work on a " +
		"remote development machine set to another region's time; real travel without a travel window; laptops whose " +
		"clock was never set after purchase abroad."
}

// References implements detect.Indicator.
func (*CommitTimezone) References() []string {
	return []string{
		"defirisk, RD-F-119: commit time-zone offsets inconsistent with a contributor's claimed location (+0900 / +0800)",
		"Security Alliance (SEAL), DPRK IT workers framework, frameworks.securityalliance.dev (work patterns that do not match the claimed time zone)",
	}
}

// Examples implements detect.Indicator.
func (*CommitTimezone) Examples() detect.Examples {
	op := []*event.Event{rosterRecord(1, "E900", "Mark Ellis", "mellis@example.com", "US", "TX", "America/Chicago")}
	op = append(op, weekdayCommits(1, "Mark Ellis", "mellis@example.com", exampleStart, 4, kst, 10, 15)...)
	// A Chicago developer whose container builds and rebases stamp +0000.
	ci := []*event.Event{rosterRecord(1, "E901", "Dana Kim", "dkim@example.com", "US", "IL", "America/Chicago")}
	ci = append(ci, weekdayCommits(1, "Dana Kim", "dkim@example.com", exampleStart, 2, cst, 10, 15)...)
	ci = append(ci, weekdayCommits(21, "Dana Kim", "dkim@example.com", exampleStart.AddDate(0, 0, 14), 2, utcZone, 16, 21)...)
	return detect.Examples{
		Positive: detect.Example{Name: "us_developer_committing_at_plus_0900", Events: op, Person: "E900"},
		Negative: detect.Example{Name: "commits_stamped_utc_by_containers", Events: ci, Person: "E901"},
	}
}

const (
	// offsetMinGap: a commit offset this far (minutes) from every claimed
	// offset is foreign; nearer ones are neighbouring zones and DST.
	offsetMinGap = 120
	// Foreign offsets count when there are at least this many commits on
	// this many days, making up this share of non-zero-offset commits.
	offsetMinCommits = 5
	offsetMinDays    = 3
	offsetMinShare   = 0.3
	// offsetFullDays: the number of days that gives full confidence.
	offsetFullDays = 10
	// Hours-only findings: as IAM-06 (commit hours alone).
	commitHoursMinShift = 240
	commitHoursMinGap   = 0.3
	commitHoursScale    = 0.7
)

// Detect implements detect.Indicator.
func (d *CommitTimezone) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	allow := in.Allow()
	return detect.EachPerson(ctx, in, "COL-02", func(p *profile.Person) (detect.Finding, bool) { return d.person(p, allow) })
}

func (d *CommitTimezone) person(p *profile.Person, allow *policy.Allow) (detect.Finding, bool) {
	if len(p.Commits) == 0 {
		return detect.Finding{}, false
	}
	claim := p.Features.Claim
	if !p.Features.HasClaim {
		return detect.Finding{}, false
	}
	// Offsets.
	var stamped int
	var foreign []*event.Event
	byOffset := map[int]int{}
	days := map[time.Time]bool{}
	// Before a relocation abroad the commits answered to the old home
	// (profile.Timeline): only those since judge the roster's zone.
	since := p.Features.Homes.CurrentSince()
	for _, e := range p.Commits {
		c := e.Commit
		if c == nil || c.AuthorTime.IsZero() || c.AuthorTime.Before(since) || activity.InTravel(allow, p.ID, c.AuthorTime) {
			continue
		}
		_, secs := c.AuthorTime.Zone()
		off := secs / 60
		if off == 0 {
			continue
		}
		stamped++
		if activity.Gap([]int{off}, claim.Offsets(c.AuthorTime)) < offsetMinGap {
			continue
		}
		foreign = append(foreign, e)
		byOffset[off]++
		days[detect.Day(c.AuthorTime)] = true
	}
	var conf float64
	var parts []string
	var ev []detect.Evidence
	ev = append(ev, detect.EvidenceOf(claim.Roster, "roster: %s", claim.Describe()))
	if share := float64(len(foreign)) / float64(max(1, stamped)); len(foreign) >= offsetMinCommits &&
		len(days) >= offsetMinDays && share >= offsetMinShare {
		conf = (0.4 + 0.6*share) * (0.6 + 0.4*min(1, float64(len(days))/offsetFullDays))
		parts = append(parts, fmt.Sprintf("%s of %d with a non-zero UTC offset (%.0f%%), on %s, carry %s, none within two "+
			"hours of the claimed %s (%s)", detect.Count(len(foreign), "commit"), stamped, 100*share, detect.Count(len(days), "day"),
			offsetCounts(byOffset), activity.FormatOffsets(claim.Offsets(foreign[0].Commit.AuthorTime)), claim.Describe()))
		for _, e := range foreign {
			ev = append(ev, detect.EvidenceOf(e, "%s: offset %s", describeCommit(e.Commit), e.Commit.AuthorTime.Format("-0700")))
		}
	}
	// Hours of the commits alone.
	ts := p.Features.CommitHours
	if v, ok := p.Features.CommitZone, p.Features.HasCommitZone; ok && v.Shift >= commitHoursMinShift && v.Gap >= commitHoursMinGap {
		shown := v.Zone
		if z, ok := claim.RosterZone(); ok {
			shown = z
		}
		conf = max(conf, v.Confidence*commitHoursScale)
		parts = append(parts, fmt.Sprintf("commit hours fit a working day at %s (confidence %.2f, %d commits on %d days), "+
			"%.1f hours from the nearest claimed zone %s; commit hours in %s: %s", activity.FormatOffset(v.Offset),
			v.Confidence, v.Touches, v.Days, float64(v.Shift)/60, v.Zone.Name, shown.Name,
			activity.FormatHistogram(activity.Histogram(ts, shown.Loc))))
		if len(ev) == 1 { // no foreign offsets cited: cite the night commits
			for _, t := range ts {
				if h := t.At.In(shown.Loc).Hour(); h >= 22 || h < 6 {
					ev = append(ev, detect.EvidenceOf(t.Event, "%s: %s %s local time", describeCommit(t.Event.Commit),
						t.At.In(shown.Loc).Format("15:04"), shown.Name))
				}
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
		Summary:    strings.Join(parts, "; ") + more,
		Confidence: detect.Round2(math.Max(0.01, min(1, conf))),
		Evidence:   ev,
	}, true
}

// offsetCounts writes offsets by count, most first: "+0900 ×12, +0800 ×3".
func offsetCounts(m map[int]int) string {
	offs := make([]int, 0, len(m))
	for o := range m {
		offs = append(offs, o)
	}
	slices.SortFunc(offs, func(a, b int) int {
		if c := cmp.Compare(m[b], m[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	parts := make([]string, len(offs))
	for i, o := range offs {
		parts[i] = fmt.Sprintf("%s ×%d", time.Date(2000, 1, 1, 0, 0, 0, 0, time.FixedZone("", o*60)).Format("-0700"), m[o])
	}
	return strings.Join(parts, ", ")
}

// PersonScoped implements detect.PersonScoped: a finding about a person
// depends on that person's own model alone.
func (d *CommitTimezone) PersonScoped() {}
