package profile

import (
	"math"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/event"
)

// Code-access baselines: how many distinct repositories a person clones,
// fetches or downloads, compared with their own history and with their
// peers (same SCIM department and title, else same department, else
// everyone), so that volume is called a spike only when it departs from
// both. Release and infrastructure engineers who check out every
// repository every day have a high own baseline and, with their team, a
// high peer baseline.
const (
	// CodeGrace is the first days after hire, when a new engineer clones
	// what the team works on: not counted.
	CodeGrace = 14 * 24 * time.Hour
	// minBaselineDays is the active days a personal baseline needs.
	minBaselineDays = 10
	// minPeers is the smallest peer group worth a baseline of its own.
	minPeers = 3
)

// ciUserAgents mark code access by build systems that the enrichment's
// automation check may not know by account.
var ciUserAgents = []string{"github-actions", "actions-runner", "jenkins", "buildkite", "circleci", "gitlab-runner", "teamcity", "dependabot", "renovate"}

// CodeUse is a person's countable code access and its daily volume.
type CodeUse struct {
	// Access is the countable clones, fetches and ZIP downloads, in time
	// order: not by a CI system or bot (user agent, automated account),
	// not in the first CodeGrace after hire.
	Access []*event.Event
	// Daily are the distinct repositories per UTC day with access, in
	// day order.
	Daily []DayCount
}

// DayCount is the distinct repositories accessed on one UTC day.
type DayCount struct {
	Day   time.Time
	Repos int
}

// Usual returns the person's usual busy day: the 90th percentile (nearest
// rank) of their daily distinct repositories, leaving out the days in
// [from, to) (none when both are zero); ok is false with fewer than
// minBaselineDays days left.
func (c *CodeUse) Usual(from, to time.Time) (int, bool) {
	var v []int
	for _, d := range c.Daily {
		if d.Day.Before(from.Truncate(24*time.Hour)) || !d.Day.Before(to) {
			v = append(v, d.Repos)
		}
	}
	if len(v) < minBaselineDays {
		return 0, false
	}
	return p90(v), true
}

// PeerBaseline is a peer group's usual volume of code access.
type PeerBaseline struct {
	Group   string // "Engineering / Release Engineer", "Engineering", or "everyone"
	People  int    // members with code access, the person judged left out
	Busiest int    // 90th percentile (nearest rank) of their busiest days
	// BusiestMedian is the median of their busiest days; Rate and RateP90
	// the median and 90th percentile of their distinct repositories per
	// RateWindow (over members with RateHistory of access; zero when
	// none has).
	BusiestMedian int
	Rate, RateP90 float64
}

// RateWindow is the span of the per-window rate of code access, and
// RateHistory the history a rate needs: one whole window, so that a
// short tenure (or a short export) is still compared with the person's
// own habits before their peers'.
const (
	RateWindow  = 14 * 24 * time.Hour
	RateHistory = RateWindow
)

// Rate is the person's mean number of distinct repositories per
// RateWindow before from, over the span since their first counted access;
// ok is false when that span is shorter than RateHistory.
func (c *CodeUse) Rate(from time.Time) (float64, bool) {
	evs := c.Access
	if len(evs) == 0 || from.Sub(evs[0].Time) < RateHistory {
		return 0, false
	}
	var sum float64
	windows := 0
	for start := evs[0].Time; !start.Add(RateWindow).After(from); start = start.Add(RateWindow) {
		sum += float64(DistinctRepos(evs, start, start.Add(RateWindow)))
		windows++
	}
	if windows == 0 {
		return 0, false
	}
	return sum / float64(windows), true
}

// DistinctRepos counts the distinct repositories of the code-access
// events in [from, to).
func DistinctRepos(evs []*event.Event, from, to time.Time) int {
	seen := map[string]bool{}
	for _, e := range evs {
		if !e.Time.Before(from) && e.Time.Before(to) {
			seen[strings.ToLower(e.Audit.Repo)] = true
		}
	}
	return len(seen)
}

// peerStats are a peer group's members' busiest days and rates, sorted.
type peerStats struct {
	busiest []int
	rates   []float64
}

// codeUse derives a person's CodeUse.
func codeUse(p *Person) CodeUse {
	hired := p.Hired()
	var c CodeUse
	for _, e := range p.Audits {
		a := e.Audit
		if !a.CodeAccess || a.Repo == "" || e.Facts.Device.Has(event.DeviceAutomated) {
			continue
		}
		ua := strings.ToLower(a.UserAgent)
		if slices.ContainsFunc(ciUserAgents, func(s string) bool { return strings.Contains(ua, s) }) {
			continue
		}
		if !hired.IsZero() && e.Time.Before(hired.Add(CodeGrace)) {
			continue
		}
		c.Access = append(c.Access, e)
	}
	seen := map[string]bool{}
	for _, e := range c.Access {
		day := e.Time.UTC().Truncate(24 * time.Hour)
		if n := len(c.Daily); n == 0 || !c.Daily[n-1].Day.Equal(day) {
			c.Daily = append(c.Daily, DayCount{Day: day})
			clear(seen)
		}
		if k := strings.ToLower(e.Audit.Repo); !seen[k] {
			seen[k] = true
			c.Daily[len(c.Daily)-1].Repos++
		}
	}
	return c
}

// peerKeys are the peer groups of a person, narrowest first.
func peerKeys(p *Person) []string {
	hr := p.HR()
	if hr == nil || strings.TrimSpace(hr.Department) == "" {
		return []string{"everyone"}
	}
	dept := strings.TrimSpace(hr.Department)
	keys := []string{dept, "everyone"}
	if t := strings.TrimSpace(hr.Title); t != "" {
		keys = append([]string{dept + " / " + t}, keys...)
	}
	return keys
}

// Busiest returns the most distinct repositories the person accessed in
// one UTC day (0 when none).
func (c *CodeUse) Busiest() int {
	n := 0
	for _, d := range c.Daily {
		n = max(n, d.Repos)
	}
	return n
}

// buildPeers collects, per peer group, the busiest days of the people
// still employed (a leaver's last weeks are what is being judged), sorted.
func buildPeers(pop *Population) {
	pop.Peers = map[string]*peerStats{}
	for _, p := range pop.People {
		if !peer(p) {
			continue
		}
		c := &p.Features.Code
		rate, ok := c.Rate(c.Access[len(c.Access)-1].Time.Add(time.Nanosecond))
		for _, k := range peerKeys(p) {
			st := pop.Peers[k]
			if st == nil {
				st = &peerStats{}
				pop.Peers[k] = st
			}
			st.busiest = append(st.busiest, c.Busiest())
			if ok {
				st.rates = append(st.rates, rate)
			}
		}
	}
	for _, st := range pop.Peers {
		slices.Sort(st.busiest)
		slices.Sort(st.rates)
	}
}

// peer reports whether p counts in peer baselines: employed, with code
// access.
func peer(p *Person) bool {
	hr := p.HR()
	return hr != nil && hr.Active && len(p.Features.Code.Daily) > 0
}

// PeersOf returns the baseline of the narrowest peer group of p with at
// least minPeers members other than p; ok is false when there is none.
func (pop *Population) PeersOf(p *Person) (PeerBaseline, bool) {
	self := peer(p)
	for _, k := range peerKeys(p) {
		st := pop.Peers[k]
		if st == nil {
			continue
		}
		busiest, rates := st.busiest, st.rates
		if self { // leave the person out of their own baseline
			c := &p.Features.Code
			busiest = without(busiest, c.Busiest())
			if r, ok := c.Rate(c.Access[len(c.Access)-1].Time.Add(time.Nanosecond)); ok {
				rates = without(rates, r)
			}
		}
		if len(busiest) < minPeers {
			continue
		}
		b := PeerBaseline{Group: k, People: len(busiest), Busiest: p90(busiest), BusiestMedian: busiest[len(busiest)/2]}
		if len(rates) > 0 {
			b.Rate, b.RateP90 = rates[len(rates)/2], p90(rates)
		}
		return b, true
	}
	return PeerBaseline{}, false
}

// without returns sorted v without one element equal to x.
func without[T int | float64](v []T, x T) []T {
	if i, found := slices.BinarySearch(v, x); found {
		return slices.Delete(slices.Clone(v), i, i+1)
	}
	return v
}

// p90 is the 90th percentile (nearest rank) of v; 0 for none.
func p90[T int | float64](v []T) T {
	if len(v) == 0 {
		return 0
	}
	s := v
	if !slices.IsSorted(s) {
		s = slices.Clone(v)
		slices.Sort(s)
	}
	return s[int(math.Ceil(0.9*float64(len(s))))-1]
}
