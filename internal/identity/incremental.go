package identity

import (
	"slices"
	"sort"
	"strings"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// Resolver resolves a growing set of events across analyses (the stream
// worker's): it keeps the account index, the learnt logins and the
// unresolved accounts of its last resolution, so that a batch of new
// sign-ins, audit actions and commits costs its own events rather than
// the whole history. Anything else — a roster or applicant record, a
// payout, a shipment, a device, a meeting, a profile or a résumé, a new
// login learnt or unlearnt, an event whose place among the kept ones
// would change what the full resolution makes of them — makes it resolve
// everything again, so that the result is always Resolve's over the same
// events. The zero value is ready to use; it is not safe for concurrent
// use.
type Resolver struct {
	r   *resolver
	pop *profile.Population
}

// Resolve returns the population of events, of which fresh are those the
// previous call did not see (nil: resolve everything), and the fresh
// events it gave each person, by person id, in the order of events: all
// that changed since the previous call (only sign-ins, audit actions and
// commits). added is nil when everything was resolved again (anyone may
// have changed). The returned
// population is new: the previous one, and its people, are left as they
// were (people whose events did not change are shallow copies sharing
// their event lists).
func (rv *Resolver) Resolve(events, fresh []*event.Event) (pop *profile.Population, added map[string][]*event.Event) {
	if rv.r != nil && fresh != nil {
		if pop, added, ok := rv.extend(events, fresh); ok {
			rv.pop = pop
			return pop, added
		}
	}
	rv.r = newResolver()
	rv.pop = rv.r.resolve(events)
	return rv.pop, nil
}

// Reset forgets the kept state: the next Resolve resolves everything.
func (rv *Resolver) Reset() { *rv = Resolver{} }

// extend resolves fresh over the kept state, or reports false when only
// resolving everything again gives Resolve's result. The kept resolver is
// changed either way (a false return is followed by a full resolution).
func (rv *Resolver) extend(events, fresh []*event.Event) (*profile.Population, map[string][]*event.Event, bool) {
	r := rv.r
	for _, e := range fresh {
		switch e.Kind {
		case event.KindSignIn, event.KindAudit, event.KindCommit:
		default:
			return nil, nil, false
		}
	}
	// The fresh events in the order of events; early are those some kept
	// event follows (not in the tail): where one lands among the kept
	// events could change an order Resolve keeps (first account seen,
	// first alias, an unresolved account's first event, ties in time).
	isFresh := make(map[*event.Event]bool, len(fresh))
	for _, e := range fresh {
		isFresh[e] = true
	}
	tail := len(events) - len(fresh)
	if tail < 0 {
		return nil, nil, false
	}
	ordered := events[tail:]
	early := map[*event.Event]bool{}
	if !allIn(ordered, isFresh) { // some fresh events landed among the kept ones
		ordered = make([]*event.Event, 0, len(fresh))
		for i, e := range events {
			if isFresh[e] {
				ordered = append(ordered, e)
				if i < tail {
					early[e] = true
				}
			}
		}
		if len(ordered) != len(fresh) {
			return nil, nil, false // fresh events missing from events, or repeated
		}
	}

	// Logins learnt: a key that stops resolving to one person changes the
	// resolution of the kept events that carry it; one that starts to
	// does too, unless no kept event looked it up in vain (a new
	// account's first sign-in), and is then added as learnLogins would
	// have.
	status := func(k string) bool {
		_, taken := r.accounts[k]
		return (!taken || r.learnt[k]) && len(r.learned[k]) == 1
	}
	stable := true
	for _, e := range ordered {
		if early[e] && rv.aliasMoves(e) {
			return nil, nil, false
		}
		r.learnFrom(e, func(k string) {
			k = strings.ToLower(strings.TrimSpace(k))
			switch now := status(k); {
			case now == r.learnt[k]:
			case now && !r.looked[k]:
				r.accounts.add(k, r.learned[k][0])
				r.learnt[k] = true
			default:
				stable = false
			}
		})
		if !stable {
			return nil, nil, false
		}
	}

	// Attach the fresh events to copies of their people.
	type grown struct {
		orig, p *profile.Person
		added   []*event.Event
	}
	copies := map[string]*grown{}
	unresolved := false // an unresolved account's counts or times changed
	start, end := rv.pop.Start, rv.pop.End
	for _, e := range ordered {
		if e.Time.IsZero() {
			return nil, nil, false // Resolve's bounds of the activity treat these by position
		}
		var had bool // an early event of a known unresolved account could be its first
		if early[e] {
			_, had = r.unres[e.Prov.Source()+"\x00"+r.unresolvedLabel(e)]
		}
		orig := r.resolveAccount(e)
		if orig == nil {
			if had {
				return nil, nil, false
			}
			unresolved = true
			continue
		}
		g := copies[orig.ID]
		if g == nil {
			c := *orig
			c.SignIns, c.Audits, c.Commits = slices.Clip(c.SignIns), slices.Clip(c.Audits), slices.Clip(c.Commits)
			c.Accounts = slices.Clip(c.Accounts)
			g = &grown{orig: orig, p: &c}
			copies[orig.ID] = g
		}
		p := g.p
		if early[e] {
			if k := accountKey(e.Actor()); k != "" && !slices.Contains(p.Accounts, k) {
				return nil, nil, false // a new account: where it is listed depends on the kept events after it
			}
			if tiesKept(orig, e) {
				return nil, nil, false
			}
		}
		attachAccount(p, e)
		g.added = append(g.added, e)
		if start.IsZero() || e.Time.Before(start) {
			start = e.Time
		}
		if e.Time.After(end) {
			end = e.Time
		}
	}

	prev := rv.pop
	pop := &profile.Population{
		People:     make([]*profile.Person, len(prev.People)),
		ByID:       make(map[string]*profile.Person, len(prev.ByID)),
		Unresolved: prev.Unresolved,
		Start:      start,
		End:        end,
	}
	added := make(map[string][]*event.Event, len(copies))
	same := make([]profile.Person, len(prev.People)-len(copies)) // one allocation for the copies of the others
	for i, q := range prev.People {
		if g := copies[q.ID]; g != nil {
			for _, l := range [][]*event.Event{g.p.SignIns, g.p.Audits, g.p.Commits} {
				if !slices.IsSortedFunc(l, func(a, b *event.Event) int { return a.Time.Compare(b.Time) }) {
					profile.SortByTime(l) // stable: what is sorted already stays in place
				}
			}
			q = g.p
			added[q.ID] = g.added
		} else {
			same[0] = *q
			q, same = &same[0], same[1:]
		}
		pop.People[i] = q
		pop.ByID[q.ID] = q
	}
	// The resolver's people are the copies from now on.
	r.pop = pop
	if unresolved {
		pop.Unresolved = r.unresolvedList()
	}
	return pop, added, true
}

// allIn reports whether every one of events is in set, each once, and
// set holds nothing else.
func allIn(events []*event.Event, set map[*event.Event]bool) bool {
	seen := make(map[*event.Event]bool, len(events))
	for _, e := range events {
		if !set[e] || seen[e] {
			return false
		}
		seen[e] = true
	}
	return len(seen) == len(set)
}

// aliasMoves reports whether e, placed before some kept events, names an
// account id whose alias the kept events already gave differently (Resolve
// keeps the first).
func (rv *Resolver) aliasMoves(e *event.Event) bool {
	a := e.Actor()
	mail := firstNonEmpty(realKey(a.Email), realKey(a.Login))
	if realKey(a.ID) == "" || !strings.Contains(mail, "@") {
		return false
	}
	have, seen := rv.r.aliases[aliasKey{e.Prov.Source(), strings.ToLower(a.ID)}]
	return seen && have != strings.ToLower(mail)
}

// tiesKept reports whether one of p's kept events of e's kind has e's
// time: Resolve orders such ties by their place in the events.
func tiesKept(p *profile.Person, e *event.Event) bool {
	var l []*event.Event
	switch e.Kind {
	case event.KindSignIn:
		l = p.SignIns
	case event.KindAudit:
		l = p.Audits
	case event.KindCommit:
		l = p.Commits
	}
	i := sort.Search(len(l), func(i int) bool { return !l[i].Time.Before(e.Time) })
	return i < len(l) && l[i].Time.Equal(e.Time)
}

// unresolvedList is the population's list of unresolved accounts, sorted
// by source and account.
func (r *resolver) unresolvedList() []profile.Unresolved {
	var out []profile.Unresolved
	for _, u := range r.unres {
		out = append(out, *u)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Source != b.Source {
			return a.Source < b.Source
		}
		return a.Account < b.Account
	})
	return out
}
