package signin

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/enrich/activity"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// ContinuousSession is IAM-05: the person's account is active for a day
// or more without a break — one session kept alive around the clock, or
// activity that never pauses long enough for anyone to sleep.
type ContinuousSession struct{}

var _ detect.PersonScoped = (*ContinuousSession)(nil)

// ID implements detect.Indicator.
func (*ContinuousSession) ID() string { return "IAM-05" }

// Name implements detect.Indicator.
func (*ContinuousSession) Name() string { return "Sessions or activity continuous for a day or more" }

// Stage implements detect.Indicator.
func (*ContinuousSession) Stage() detect.Stage { return detect.StageIdentity }

// Strength implements detect.Indicator.
func (*ContinuousSession) Strength() detect.Strength { return detect.Medium }

// Sources implements detect.Indicator.
func (*ContinuousSession) Sources() []string {
	return []string{"okta", "entra", "gworkspace", "github", "gitlog"}
}

// Weight implements detect.Indicator.
func (*ContinuousSession) Weight() float64 { return 28 }

// Description implements detect.Indicator.
func (*ContinuousSession) Description() string {
	return "The account is in use for 24 hours or more without a break: either successive human actions (interactive " +
		"sign-ins, audit actions other than CI clones and fetches, commits) never pause for more than three hours, or one " +
		"identity-provider session (Okta externalSessionId, Entra sessionId, from its start to its last event or its end " +
		"event) stays in use for a day or more with no pause longer than six hours. Several people working one identity in " +
		"shifts, or a remote-control set-up kept alive for a team, look like this. Token refreshes by machines (Entra " +
		"non-interactive sign-ins, service principals) and session ends by timeout do not count, so a laptop left awake " +
		"overnight stays quiet. One stretch gives a low-confidence finding; stretches in several weeks give full " +
		"confidence. Known false positives: on-call incidents and release nights worked through; automation that acts " +
		"through a person's account (a script with their token) — its actions should be attributed to a service account."
}

// References implements detect.Indicator.
func (*ContinuousSession) References() []string {
	return []string{
		"US Department of State, Treasury and FBI, Guidance on the Democratic People's Republic of Korea Information Technology Workers, May 2022 (accounts logged in continuously, around the clock)",
		"Microsoft Threat Intelligence, Jasper Sleet: North Korean remote IT workers' evolving tactics, 2025 (long-lived sessions shared by several operators)",
	}
}

// Examples implements detect.Indicator.
func (*ContinuousSession) Examples() detect.Examples {
	shifts := []*event.Event{staff{record: 1, id: "E760", email: "yboyd@example.com", country: "US"}.event()}
	// A laptop left awake overnight: Outlook refreshes its token every
	// hour (Entra non-interactive sign-ins); the person works 09–18.
	awake := []*event.Event{staff{record: 1, id: "E761", email: "zmills@example.com", country: "US"}.event()}
	rec := 0
	for _, d := range weekdaysFrom(exampleStart, 3) {
		if d.Weekday() == time.Tuesday { // a 30-hour stretch every Tuesday
			for h := 0; h <= 30; h += 2 {
				rec++
				shifts = append(shifts, oktaSignIn(rec, "yboyd@example.com", d.Add(time.Duration(h)*time.Hour), homeChicago))
			}
		}
		for h := 0; h < 24; h++ {
			rec++
			e := entraSignIn(rec, "zmills@example.com", d.Add(time.Duration(h)*time.Hour), homeChicago, "Windows10", "LT-761", "managed", "")
			if h > 4 { // before 19:00 Chicago the person works; after, only the token refreshes
				e.SignIn.Action, e.SignIn.Interactive = "nonInteractiveUser", false
			}
			awake = append(awake, e)
		}
	}
	return detect.Examples{
		Positive: detect.Example{Name: "thirty_hour_stretches_every_week", Events: shifts, Person: "E760"},
		Negative: detect.Example{Name: "laptop_awake_overnight_refreshing_tokens", Events: awake, Person: "E761"},
	}
}

const (
	// activityGap: human actions closer than this are one stretch.
	activityGap = 3 * time.Hour
	// sessionGap: a session's events closer than this keep it in use.
	sessionGap = 6 * time.Hour
	// stretchMin: a stretch this long is continuous.
	stretchMin = 24 * time.Hour
)

// stretch is one continuous stretch of use.
type stretch struct {
	first, last *event.Event
	start, end  time.Time
	session     string // session id when the stretch is one session
}

func (s stretch) length() time.Duration { return s.end.Sub(s.start) }

// Detect implements detect.Indicator.
func (d *ContinuousSession) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	return detect.EachPerson(ctx, in, "IAM-05", d.person)
}

// activityStretches splits the person's human actions where they pause
// for longer than activityGap and keeps the stretches of a day or more.
func activityStretches(p *profile.Person) []stretch {
	ts := p.Features.Touches
	var out []stretch
	for i := 0; i < len(ts); {
		j := i
		for j+1 < len(ts) && ts[j+1].At.Sub(ts[j].At) <= activityGap {
			j++
		}
		if s := (stretch{first: ts[i].Event, last: ts[j].Event, start: ts[i].At, end: ts[j].At}); s.length() >= stretchMin {
			out = append(out, s)
		}
		i = j + 1
	}
	return out
}

// sessionStretches finds identity-provider sessions in use for a day or
// more without a pause longer than sessionGap.
func sessionStretches(p *profile.Person) []stretch {
	bySession := map[string][]*event.Event{}
	var ids []string
	for _, e := range p.SignIns {
		si := e.SignIn
		if si.SessionID == "" || si.Outcome == event.OutcomeFailure || automatedAction[si.Action] {
			continue
		}
		if bySession[si.SessionID] == nil {
			ids = append(ids, si.SessionID)
		}
		bySession[si.SessionID] = append(bySession[si.SessionID], e)
	}
	var out []stretch
	for _, id := range ids {
		es := bySession[id]
		// A session in use: no long pause between its events.
		for i := 0; i < len(es); {
			j := i
			for j+1 < len(es) && es[j+1].Time.Sub(es[j].Time) <= sessionGap {
				j++
			}
			if s := (stretch{first: es[i], last: es[j], start: es[i].Time, end: es[j].Time, session: id}); s.length() >= stretchMin {
				out = append(out, s)
			}
			i = j + 1
		}
	}
	return out
}

// automatedAction are sign-in actions machines perform (Entra token
// refreshes, service principals).
var automatedAction = map[string]bool{"nonInteractiveUser": true, "servicePrincipal": true, "managedIdentity": true}

// merge orders stretches and drops those that overlap an earlier one.
func merge(ss []stretch) []stretch {
	slices.SortFunc(ss, func(a, b stretch) int { return a.start.Compare(b.start) })
	var out []stretch
	for _, s := range ss {
		if n := len(out); n > 0 && !s.start.After(out[n-1].end) {
			if s.end.After(out[n-1].end) {
				out[n-1].end, out[n-1].last = s.end, s.last
			}
			continue
		}
		out = append(out, s)
	}
	return out
}

func (d *ContinuousSession) person(p *profile.Person) (detect.Finding, bool) {
	ss := merge(append(activityStretches(p), sessionStretches(p)...))
	if len(ss) == 0 {
		return detect.Finding{}, false
	}
	var starts []time.Time
	var longest time.Duration
	var ev []detect.Evidence
	var parts []string
	for _, s := range ss {
		starts = append(starts, detect.Day(s.start))
		longest = max(longest, s.length())
		how := "actions never paused for more than 3 h"
		if s.session != "" {
			how = "session " + s.session + " in use without a pause of more than 6 h"
		}
		parts = append(parts, fmt.Sprintf("%s to %s (%s)", detect.Stamp(s.start), detect.Stamp(s.end), hoursOf(s.length())))
		ev = append(ev,
			detect.EvidenceOf(s.first, "%s %s: start of a %s stretch — %s", detect.Stamp(s.start), describeTouch(s.first), hoursOf(s.length()), how),
			detect.EvidenceOf(s.last, "%s %s: end of the stretch that began %s", detect.Stamp(s.end), describeTouch(s.last), detect.Stamp(s.start)))
	}
	conf := 0.35
	switch weeks := activity.Weeks(starts); {
	case len(ss) >= 3 && weeks >= 2:
		conf = 1
	case len(ss) >= 2:
		conf = 0.65
	}
	ev, more := detect.CapEvidence(ev)
	stretches := "1 stretch"
	if len(ss) > 1 {
		stretches = fmt.Sprintf("%d stretches", len(ss))
	}
	return detect.Finding{
		Indicator: d.ID(),
		Person:    p.ID,
		Summary: fmt.Sprintf("%s of continuous use of 24 h or more (longest %s): %s%s",
			stretches, hoursOf(longest), strings.Join(parts, "; "), more),
		Confidence: conf,
		Evidence:   ev,
	}, true
}

// hoursOf writes a duration in whole hours: "31 h".
func hoursOf(d time.Duration) string { return fmt.Sprintf("%d h", int(d.Hours())) }

// PersonScoped implements detect.PersonScoped: a finding about a person
// depends on that person's own model alone.
func (d *ContinuousSession) PersonScoped() {}
