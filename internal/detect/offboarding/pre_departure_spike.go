package offboarding

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// PreDepartureSpike is OFF-04: in the last days before a person left, they
// cloned or downloaded far more repositories than is usual for them (or,
// for a short tenure, for their colleagues).
type PreDepartureSpike struct{}

var _ detect.Indicator = (*PreDepartureSpike)(nil)

// ID implements detect.Indicator.
func (*PreDepartureSpike) ID() string { return "OFF-04" }

// Name implements detect.Indicator.
func (*PreDepartureSpike) Name() string { return "Bulk code access in the last days before leaving" }

// Stage implements detect.Indicator.
func (*PreDepartureSpike) Stage() detect.Stage { return detect.StageOffboarding }

// Strength implements detect.Indicator.
func (*PreDepartureSpike) Strength() detect.Strength { return detect.Medium }

// Sources implements detect.Indicator: the format that carries the
// observable (the roster and candidate records it is read against are
// needed by every indicator).
func (*PreDepartureSpike) Sources() []string { return []string{"github"} }

// Weight implements detect.Indicator.
func (*PreDepartureSpike) Weight() float64 { return 30 }

// The final window before departure and the spike rule: at least spikeMin
// distinct repositories in the final window and spikeFactor times the
// baseline per window (profile.CodeUse.Rate).
const (
	finalWindow     = profile.RateWindow
	afterDeparture  = 14 * 24 * time.Hour // access after deprovisioning counts too
	spikeMin        = 10
	spikeFactor     = 4
	peakFactor      = 2 // a day with twice the previous busiest day
	confSpike       = 0.75
	confDoubleSpike = 1.0
)

// Description implements detect.Indicator.
func (*PreDepartureSpike) Description() string {
	return "The roster marks the person as gone (SCIM active=false) and around their departure — the 14 days before " +
		"their last identity-provider sign-in (deprovisioning ends those; without sign-ins, their last activity) and " +
		"anything after it — they cloned, fetched or downloaded as ZIP far more code than usual: at least 10 distinct " +
		"repositories and four times their usual number per 14 days, or at least 10 in one day and twice their previous " +
		"busiest day. 'Usual' is measured over their own earlier history, leaving out their first 14 days, and the " +
		"volume must also exceed what their peers ordinarily do (the 90th percentile of colleagues with the same SCIM " +
		"department and title, else department, else everyone still employed), so that release and infrastructure " +
		"engineers who check out every repository every day stay quiet; for tenures too short for a history of their " +
		"own, 'usual' is the peers' medians. A final fortnight in which three quarters of the repositories were each " +
		"accessed on three days or more is routine (keeping the same checkouts current), not a copy. The FBI reports North Korean IT workers copying code " +
		"and data before they are let go, then extorting the company. The roster's meta.lastModified may record any " +
		"later edit, so the last sign-in stands in for the deactivation date. Known false positives: a leaver archiving " +
		"or handing over their projects at the company's request; release or migration work that happens to fall in the " +
		"last weeks; CI or bot accounts (recognised by user agent and ignored)."
}

// References implements detect.Indicator.
func (*PreDepartureSpike) References() []string {
	return []string{
		"FBI public service announcement I-012325-PSA, North Korean IT workers conducting data extortion, 23 Jan 2025 (data exfiltrated before or upon termination)",
		"GitHub Docs, audit log events for your organization (git.clone, git.fetch, repo.download_zip)",
	}
}

// reposIn counts the distinct repositories of events in [from, to).
func reposIn(evs []*event.Event, from, to time.Time) (int, []*event.Event) {
	seen := map[string]bool{}
	var firsts []*event.Event
	for _, e := range evs {
		if e.Time.Before(from) || !e.Time.Before(to) {
			continue
		}
		if k := strings.ToLower(e.Audit.Repo); !seen[k] {
			seen[k] = true
			firsts = append(firsts, e)
		}
	}
	return len(seen), firsts
}

// routineDays and routineShare: when at least routineShare of the
// repositories of the final window were each accessed on routineDays
// distinct days or more, the window is a habit — keeping checkouts of the
// same repositories current, as release engineers do — not a copy: code
// copied out is fetched once.
const (
	routineDays  = 3
	routineShare = 0.75
)

// routine reports whether the code access in [from, to) is the same
// repositories again and again (see routineDays).
func routine(evs []*event.Event, from, to time.Time) bool {
	days := map[string]map[time.Time]bool{}
	for _, e := range evs {
		if e.Time.Before(from) || !e.Time.Before(to) {
			continue
		}
		k := strings.ToLower(e.Audit.Repo)
		if days[k] == nil {
			days[k] = map[time.Time]bool{}
		}
		days[k][e.Time.UTC().Truncate(24*time.Hour)] = true
	}
	n := 0
	for _, d := range days {
		if len(d) >= routineDays {
			n++
		}
	}
	return len(days) > 0 && float64(n) >= routineShare*float64(len(days))
}

// peakDay is the most distinct repositories accessed within 24 hours among
// events in [from, to), and the events of that day.
func peakDay(evs []*event.Event, from, to time.Time) (int, []*event.Event) {
	var in []*event.Event
	for _, e := range evs {
		if !e.Time.Before(from) && e.Time.Before(to) {
			in = append(in, e)
		}
	}
	best, bestN := []*event.Event(nil), 0
	lo := 0
	for hi := range in {
		for in[hi].Time.Sub(in[lo].Time) > 24*time.Hour {
			lo++
		}
		if n, _ := reposIn(in[lo:hi+1], in[lo].Time, in[hi].Time.Add(time.Nanosecond)); n > bestN {
			best, bestN = in[lo:hi+1], n
		}
	}
	return bestN, best
}

// departure is when the person left, as far as the data says: their last
// identity-provider sign-in (deprovisioning ends those, while code hosts
// and endpoints may log on), else their last activity of any kind.
func departure(p *profile.Person) time.Time {
	if n := len(p.SignIns); n > 0 {
		return p.SignIns[n-1].Time
	}
	return lastActivity(p)
}

// spike is what the final window shows against the usual.
type spike struct {
	total, peak          int     // distinct repositories in the window; on its busiest day
	usualTotal           float64 // usual distinct repositories per 14 days
	usualPeak            int     // previous busiest day
	whose                string  // "their own" or "colleagues'"
	totalHit, peakHit    bool
	firsts, peakEvents   []*event.Event
	windowFrom, windowTo time.Time
	peers                profile.PeerBaseline // compared with besides the person's own usual; zero when not
}

// Detect implements detect.Indicator.
func (d *PreDepartureSpike) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	var out []detect.Finding
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("OFF-04: %w", err)
		}
		if !departed(p) {
			continue
		}
		code := &p.Features.Code
		evs := code.Access
		left := departure(p)
		if len(evs) == 0 || left.IsZero() {
			continue
		}
		sp := spike{windowFrom: left.Add(-finalWindow), windowTo: left.Add(afterDeparture), whose: "their own"}
		sp.total, sp.firsts = reposIn(evs, sp.windowFrom, sp.windowTo)
		sp.peak, sp.peakEvents = peakDay(evs, sp.windowFrom, sp.windowTo)
		peers, hasPeers := in.Pop.PeersOf(p)
		var own bool
		if sp.usualTotal, own = code.Rate(sp.windowFrom); own {
			sp.usualPeak, _ = peakDay(evs, evs[0].Time, sp.windowFrom)
		} else if hasPeers {
			sp.usualTotal, sp.usualPeak, sp.whose = peers.Rate, peers.BusiestMedian, "colleagues' ("+peers.Group+")"
		}
		sp.totalHit = float64(sp.total) >= max(float64(spikeMin), spikeFactor*sp.usualTotal)
		sp.peakHit = sp.peak >= max(spikeMin, peakFactor*sp.usualPeak)
		if own && hasPeers {
			// Above the person's own usual, and beyond what their peers
			// ordinarily do: a release engineer's every-day checkout of
			// every repository is not a spike.
			sp.totalHit = sp.totalHit && float64(sp.total) > peers.RateP90
			sp.peakHit = sp.peakHit && sp.peak > peers.Busiest
			sp.peers = peers
		}
		if !sp.totalHit && !sp.peakHit || routine(evs, sp.windowFrom, sp.windowTo) {
			continue
		}
		out = append(out, d.finding(p, left, sp))
	}
	return out, nil
}

func (d *PreDepartureSpike) finding(p *profile.Person, left time.Time, sp spike) detect.Finding {
	conf := confSpike
	if sp.totalHit && sp.peakHit || float64(sp.total) >= 2*max(float64(spikeMin), spikeFactor*sp.usualTotal) {
		conf = confDoubleSpike
	}
	var parts []string
	if sp.totalHit {
		parts = append(parts, fmt.Sprintf("%d distinct repositories in the 14 days before leaving (%s usual: %.1f per 14 days)", sp.total, sp.whose, sp.usualTotal))
	}
	if sp.peakHit {
		parts = append(parts, fmt.Sprintf("%d in one day from %s (%s busiest day before: %d)", sp.peak, sp.peakEvents[0].Time.Format("2006-01-02 15:04"), sp.whose, sp.usualPeak))
	}
	summary := fmt.Sprintf("left (roster inactive; last sign-in or activity %s) after cloning or downloading %s", detect.Date(left), strings.Join(parts, "; "))
	if pb := sp.peers; pb.People > 0 {
		summary += fmt.Sprintf("; above their peers too (%s, %d people: 90th percentile %.1f per 14 days, busiest day %d)", pb.Group, pb.People, pb.RateP90, pb.Busiest)
	}
	ev := []detect.Evidence{detect.EvidenceOf(p.Roster, "roster record of %s: active=false", p.ID)}
	// The busiest day first, then the rest of the window.
	_, cited := reposIn(sp.peakEvents, sp.windowFrom, sp.windowTo)
	if sp.totalHit {
		for _, e := range sp.firsts {
			if !slices.ContainsFunc(cited, func(c *event.Event) bool { return strings.EqualFold(c.Audit.Repo, e.Audit.Repo) }) {
				cited = append(cited, e)
			}
		}
	}
	for _, e := range cited {
		ev = append(ev, detect.EvidenceOf(e, "%s of %s on %s", e.Audit.Action, e.Audit.Repo, detect.Date(e.Time)))
	}
	ev, note := detect.CapEvidence(ev)
	return detect.Finding{Indicator: d.ID(), Person: p.ID, Summary: summary + note, Confidence: conf, Evidence: ev}
}

// steadyAccess makes one access a day to one of five repositories for
// days days from start, numbered from first.
func steadyAccess(first int, employee string, start time.Time, days int) []*event.Event {
	var out []*event.Event
	for i := range days {
		out = append(out, auditRecord(first+i, employee, "git.fetch", fmt.Sprintf("acme/service-%d", i%5), start.AddDate(0, 0, i)))
	}
	return out
}

// Examples implements detect.Indicator: a leaver who fetched five
// repositories steadily for months and downloaded thirty in the final
// week; and a leaver whose last weeks look like every other week.
func (*PreDepartureSpike) Examples() detect.Examples {
	start := exampleHired.AddDate(0, 0, 20)
	lastDay := start.AddDate(0, 0, 150)
	pos := []*event.Event{rosterRecord(1, "E4001", "Kevin Tran", false, event.Address{})}
	pos = append(pos, steadyAccess(1, "E4001", start, 150)...)
	for i := range 30 {
		pos = append(pos, auditRecord(200+i, "E4001", "repo.download_zip", fmt.Sprintf("acme/repo-%02d", i), lastDay.Add(time.Duration(-i)*3*time.Hour)))
	}
	neg := []*event.Event{rosterRecord(1, "E4002", "Hannah Weiss", false, event.Address{})}
	neg = append(neg, steadyAccess(1, "E4002", start, 150)...)
	return detect.Examples{
		Positive: detect.Example{Name: "final_week_bulk_download", Events: pos, Person: "E4001"},
		Negative: detect.Example{Name: "ordinary_last_weeks", Events: neg, Person: "E4002"},
	}
}
