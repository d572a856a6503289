package signin

import (
	"context"
	"fmt"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/enrich/activity"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/profile"
)

// ActivityHours is IAM-06: the hours of the person's activity fit a
// working day in another time zone than the one the roster claims.
type ActivityHours struct{}

var _ detect.PersonScoped = (*ActivityHours)(nil)

// ID implements detect.Indicator.
func (*ActivityHours) ID() string { return "IAM-06" }

// Name implements detect.Indicator.
func (*ActivityHours) Name() string { return "Activity hours fit another time zone than claimed" }

// Stage implements detect.Indicator.
func (*ActivityHours) Stage() detect.Stage { return detect.StageIdentity }

// Strength implements detect.Indicator: weak and fairness-sensitive.
func (*ActivityHours) Strength() detect.Strength { return detect.Weak }

// Sources implements detect.Indicator. The roster (scim) supplies the
// claimed zone.
func (*ActivityHours) Sources() []string {
	return []string{"okta", "entra", "gworkspace", "github", "gitlog", "scim"}
}

// Weight implements detect.Indicator.
func (*ActivityHours) Weight() float64 { return 10 }

// Description implements detect.Indicator.
func (*ActivityHours) Description() string {
	return "rollcall estimates the UTC offset of the person's working day from all their timestamped activity — successful " +
		"interactive sign-ins, audit actions (not CI clones and fetches), commit author times; bursts within 30 minutes " +
		"count once — by fitting the hours and weekdays against working-week templates (sign-ins crowd the start of the " +
		"day, other work fills it) at every offset from UTC−12 to UTC+14. The finding fires when that estimate is confident (at least 30 touches on 8 days, two thirds of them " +
		"inside the fitted 08:00–19:00, a clear margin over any offset six hours away; commit UTC offsets that agree raise " +
		"the confidence) and lies four hours or more from every zone the roster claims (its timezone and the zones of the " +
		"home country, DST-aware), with the claimed zone fitting clearly worse. The summary shows the hour-of-day histogram " +
		"in claimed local time. Flat or two-humped hours give no estimate, so shift workers and operatives who keep a night " +
		"shift to look local stay quiet: this signal is easy to evade. Activity in approved travel windows is left out. " +
		"Weak and fairness-sensitive: it never raises anyone above low on its own. Known false positives: people who work " +
		"for a team in another time zone and keep its hours; night owls whose evening work outweighs the day (a minority of " +
		"late hours does not); early risers and late starters whose day is shifted by up to four hours do not either; an HR " +
		"record whose timezone and home country are both out of date."
}

// References implements detect.Indicator.
func (*ActivityHours) References() []string {
	return []string{
		"US Department of State, Treasury and FBI, Guidance on the Democratic People's Republic of Korea Information Technology Workers, May 2022 (work at hours inconsistent with the claimed location)",
		"Security Alliance (SEAL), DPRK IT workers framework, frameworks.securityalliance.dev (work patterns that do not match the claimed time zone)",
	}
}

// Examples implements detect.Indicator.
func (*ActivityHours) Examples() detect.Examples {
	seoul := time.FixedZone("KST", 9*3600)
	chicago := time.FixedZone("CST", -6*3600)
	// Forty weekdays of sign-ins at 10:00, 13:00 and 16:00 Seoul time by
	// someone whose roster says Chicago.
	op := []*event.Event{staff{record: 1, id: "E700", email: "tnguyen@example.com", country: "US", tz: "America/Chicago"}.event()}
	// A night owl in Chicago: the same day plus late evenings.
	owl := []*event.Event{staff{record: 1, id: "E800", email: "rpatel@example.com", country: "US", tz: "America/Chicago"}.event()}
	rec := 0
	for _, d := range weekdaysFrom(exampleStart, 8) {
		for _, h := range []int{10, 13, 16} {
			rec++
			op = append(op, oktaSignIn(rec, "tnguyen@example.com", localAt(d, h, seoul), homeChicago))
			owl = append(owl, oktaSignIn(rec, "rpatel@example.com", localAt(d, h, chicago), homeChicago))
		}
		if d.Day()%2 == 0 {
			rec++
			owl = append(owl, oktaSignIn(rec, "rpatel@example.com", localAt(d, 23, chicago), homeChicago))
		}
	}
	return detect.Examples{
		Positive: detect.Example{Name: "chicago_roster_working_seoul_office_hours", Events: op, Person: "E700"},
		Negative: detect.Example{Name: "night_owl_in_chicago", Events: owl, Person: "E800"},
	}
}

// weekdaysFrom returns the weekdays of weeks weeks from start (a Monday).
func weekdaysFrom(start time.Time, weeks int) []time.Time {
	var out []time.Time
	for w := range weeks {
		for d := range 5 {
			out = append(out, start.AddDate(0, 0, 7*w+d))
		}
	}
	return out
}

// localAt is hour:00 in loc on the date of d (its UTC date).
func localAt(d time.Time, hour int, loc *time.Location) time.Time {
	y, m, dd := d.UTC().Date()
	return time.Date(y, m, dd, hour, 0, 0, 0, loc).UTC()
}

const (
	// hoursMinShift: the estimate must lie this far (minutes, around the
	// clock) from every claimed offset.
	hoursMinShift = 240
	// hoursMinGap: and fit better than the best claimed zone by this mean
	// log-likelihood per touch.
	hoursMinGap, hoursFullGap = 0.3, 1.5
	// nightFrom, nightTo: claimed-local hours cited as evidence.
	nightFrom, nightTo = 22, 6
)

// Detect implements detect.Indicator.
func (d *ActivityHours) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	allow := in.Allow()
	return detect.EachPerson(ctx, in, "IAM-06", func(p *profile.Person) (detect.Finding, bool) { return d.person(p, allow) })
}

func (d *ActivityHours) person(p *profile.Person, allow *policy.Allow) (detect.Finding, bool) {
	claim := p.Features.Claim
	if !p.Features.HasClaim {
		return detect.Finding{}, false
	}
	ts, v := p.Features.Working, p.Features.WorkZone
	if !p.Features.HasWorkZone || v.Shift < hoursMinShift || v.Gap < hoursMinGap {
		return detect.Finding{}, false
	}
	// Show the hours in the zone the roster names; else in the claimed
	// zone that fits best.
	shown := v.Zone
	if z, ok := claim.RosterZone(); ok {
		shown = z
	}
	loc := shown.Loc
	hist := activity.Histogram(ts, loc)
	ev := []detect.Evidence{detect.EvidenceOf(claim.Roster, "roster: %s", claim.Describe())}
	var night int
	for _, t := range ts {
		h := t.At.In(loc).Hour()
		if h < nightFrom && h >= nightTo {
			continue
		}
		night++
		ev = append(ev, detect.EvidenceOf(t.Event, "%s %s at %s %s local time",
			t.At.Format("2006-01-02 15:04 UTC"), describeTouch(t.Event), t.At.In(loc).Format("15:04"), shown.Name))
	}
	ev, more := detect.CapEvidence(ev)
	conf := v.Confidence * (0.6 + 0.4*min(1, (v.Gap-hoursMinGap)/(hoursFullGap-hoursMinGap)))
	summary := fmt.Sprintf("activity fits a working day at %s (confidence %.2f; %d touches on %d days: %s), %s from the "+
		"nearest claimed zone (%s, %s; %s); %d of %d touches (%.0f%%) fall between %02d:00 and %02d:00 in %s; "+
		"hours in %s: %s%s",
		activity.FormatOffset(v.Offset), v.Confidence, v.Touches, v.Days, activity.Kinds(ts),
		hoursText(v.Shift), v.Zone.Name, activity.FormatOffsets(v.Offsets), claim.Describe(),
		night, len(ts), 100*float64(night)/float64(len(ts)), nightFrom, nightTo, shown.Name, shown.Name,
		activity.FormatHistogram(hist), more)
	if v.Commits > 0 {
		summary += fmt.Sprintf("; commits mostly stamped %s (%.0f%% of %d with a non-UTC offset)",
			activity.FormatOffset(v.CommitOffset), 100*v.CommitShare, v.Commits)
	}
	return detect.Finding{
		Indicator:  d.ID(),
		Person:     p.ID,
		Summary:    summary,
		Confidence: detect.Round2(max(0.01, conf)),
		Evidence:   ev,
	}, true
}

// hoursText writes a shift in minutes as "14 hours" or "5.5 hours".
func hoursText(min int) string {
	if min%60 == 0 {
		return detect.Count(min/60, "hour")
	}
	return fmt.Sprintf("%.1f hours", float64(min)/60)
}

// describeTouch names what a touch was: "okta user.session.start",
// "gitlog commit 1a2b3c4".
func describeTouch(e *event.Event) string {
	switch {
	case e.SignIn != nil:
		return e.Prov.Source() + " " + e.SignIn.Action
	case e.Audit != nil:
		return e.Prov.Source() + " " + e.Audit.Action
	case e.Commit != nil:
		h := e.Commit.Hash
		if len(h) > 7 {
			h = h[:7]
		}
		return fmt.Sprintf("commit %s (author time %s)", h, e.Commit.AuthorTime.Format("15:04 -0700"))
	}
	return string(e.Kind)
}

// PersonScoped implements detect.PersonScoped: a finding about a person
// depends on that person's own model alone.
func (d *ActivityHours) PersonScoped() {}
