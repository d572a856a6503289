package pipeline

import (
	"bytes"
	"context"
	"encoding/json"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/enrich"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/identity"
	"github.com/rollcall/rollcall/internal/link"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/profile"
)

// Incremental keeps an analysis up to date over a growing set of events
// (the stream worker's): each Analyse stamps only the events that are new
// since the previous one, derives the person model's features only for the
// people they touch — the people the new events belong to, those whose
// events identity resolution now attributes differently, and everyone
// sharing an identifier of the population indexes with them — and
// evaluates person-scoped indicators (detect.PersonScoped) only for those
// people, keeping everyone else's earlier findings. Population-wide
// indicators, the identity graph and scoring run over everyone, so the
// report is the one a full analysis of the same events makes (the tests
// check it batch by batch).
//
// Everyone is evaluated again when the policy changed (an allow-list entry
// or a suppression changes facts and findings), when the device states
// learnt over the population changed, and on the first call. The zero
// value is ready to use; it is not safe for concurrent use.
type Incremental struct {
	// pop is the population of the last analysis (its features, indexes
	// and device states); the rest of its result is not kept.
	pop     *profile.Population
	polKey  []byte
	stamper *enrich.Stamper
	// ids keeps identity resolution's state between analyses;
	// resolvedFresh counts the analyses that resolved only their fresh
	// events (for the tests).
	ids           identity.Resolver
	resolvedFresh int
	// owners is the person each event was attributed to last time, when
	// the last analysis resolved everyone (nil when it resolved only its
	// fresh events). State.Persist reads it too.
	owners map[*event.Event]string
	// kept holds the last findings of each person-scoped indicator, by
	// indicator id and person.
	kept map[string]map[string][]detect.Finding
	// evaluated is the scope of the last analysis (nil: everyone).
	evaluated map[string]bool
}

// Analyse analyses events (every event so far, in the order a full
// analysis would take them), of which fresh are those no earlier call saw.
// opts.Enricher is applied to the fresh events only.
func (inc *Incremental) Analyse(ctx context.Context, events, fresh []*event.Event, opts Options) (*Result, error) {
	res, err := analyse(ctx, events, fresh, opts, inc)
	if err != nil {
		inc.Reset() // the next analysis starts over
	}
	return res, err
}

// Reset forgets the earlier analyses: the next Analyse evaluates everyone.
func (inc *Incremental) Reset() { *inc = Incremental{} }

// Evaluated returns the people whose person-scoped findings the last
// Analyse evaluated, and false when it evaluated everyone.
func (inc *Incremental) Evaluated() (map[string]bool, bool) {
	return inc.evaluated, inc.evaluated != nil
}

// step is what one analysis carries from its start to its end.
type step struct {
	full    bool // everyone is evaluated
	stamp   []*event.Event
	fresh   []*event.Event
	stamper *enrich.Stamper
	polKey  []byte
	prev    *profile.Population
	scope   map[string]bool // the people evaluated; nil: everyone
	// added are the fresh events by person, when identity resolution
	// resolved only those (nil: it resolved everyone).
	added map[string][]*event.Event
}

func (s *step) prevPop() *profile.Population {
	if s.full || s.prev == nil {
		return nil
	}
	return s.prev
}

// begin decides whether the analysis can be incremental and which events
// to stamp. A nil inc is a one-off full analysis.
func (inc *Incremental) begin(events, fresh []*event.Event, pol *policy.Policy) *step {
	if inc == nil {
		return &step{full: true, stamp: events, stamper: enrich.NewStamper(pol)}
	}
	key, err := json.Marshal(pol)
	if err != nil {
		key = nil // not comparable: never equal
	}
	if inc.pop == nil || key == nil || !bytes.Equal(key, inc.polKey) {
		return &step{full: true, stamp: events, stamper: enrich.NewStamper(pol), polKey: key}
	}
	return &step{stamp: fresh, fresh: fresh, stamper: inc.stamper, polKey: key, prev: inc.pop}
}

// resolve resolves identities and builds the population indexes: for the
// fresh events alone when the kept resolution allows it
// (identity.Resolver), noting whose events they are.
func (inc *Incremental) resolve(s *step, events []*event.Event) *profile.Population {
	if inc == nil {
		pop := identity.Resolve(events)
		profile.BuildIndexes(pop)
		return pop
	}
	fresh := s.fresh
	if s.full {
		fresh = nil
	}
	pop, added := inc.ids.Resolve(events, fresh)
	s.added = added
	if added == nil {
		profile.BuildIndexes(pop)
		return pop
	}
	inc.resolvedFresh++
	profile.ExtendIndexes(pop, s.prev, added)
	return pop
}

// link is entity resolution over the people (link.People). It reads
// their records (roster, applicant, résumé, profile, payout, shipment),
// never their sign-ins, audit actions or commits: when those are all that
// identity resolution added, the previous analysis's result stands.
func (inc *Incremental) link(ctx context.Context, s *step, pop *profile.Population, pol *policy.Policy) (*profile.Linked, error) {
	if inc != nil && s.added != nil && s.prev.Linked != nil {
		return s.prev.Linked, nil
	}
	return link.People(ctx, pop, pol)
}

// scope returns the people to evaluate (nil: everyone) once identity
// resolution and the population indexes are done.
func (inc *Incremental) scope(s *step, pop *profile.Population) map[string]bool {
	if inc == nil {
		return nil
	}
	var owners, prevOwners map[*event.Event]string
	if s.added == nil {
		owners, prevOwners = eventOwners(pop), inc.owners
	}
	inc.owners = owners
	if s.full || !pop.DeviceStates.Equal(s.prev.DeviceStates) {
		s.full = true
		return nil
	}
	var touched map[string]bool
	if s.added != nil {
		touched = make(map[string]bool, len(s.added))
		for id := range s.added {
			touched[id] = true
		}
	} else {
		if prevOwners == nil {
			prevOwners = eventOwners(s.prev)
		}
		touched = ownersChanged(s, pop, owners, prevOwners)
	}
	scope := pop.Index.Linked(touched)
	for id := range s.prev.Index.Linked(touched) {
		scope[id] = true
	}
	for id := range scope {
		if pop.Person(id) == nil {
			delete(scope, id) // gone (an applicant now known as an employee)
		}
	}
	s.scope = scope
	return scope
}

// ownersChanged returns, after a full identity resolution, the people
// whose events changed since the previous analysis: the owners of the
// fresh events, of the events attributed differently (owners against
// prevOwners), and the people the previous analysis did not know.
func ownersChanged(s *step, pop *profile.Population, owners, prevOwners map[*event.Event]string) map[string]bool {
	touched := map[string]bool{}
	for _, e := range s.fresh {
		if id := owners[e]; id != "" {
			touched[id] = true
		}
	}
	for e, id := range owners {
		if was := prevOwners[e]; was != id {
			touched[id] = true
			if was != "" {
				touched[was] = true
			}
		}
	}
	for e, was := range prevOwners {
		if _, ok := owners[e]; !ok {
			touched[was] = true
		}
	}
	for _, p := range pop.People {
		if s.prev.Person(p.ID) == nil {
			touched[p.ID] = true
		}
	}
	return touched
}

// inputs gives each indicator its input: person-scoped indicators whose
// earlier findings are kept see the scope, the others everyone.
func (inc *Incremental) inputs(inds []detect.Indicator, in *detect.Input, scope map[string]bool) []*detect.Input {
	out := make([]*detect.Input, len(inds))
	var scoped *detect.Input
	for i, ind := range inds {
		out[i] = in
		if _, ok := ind.(detect.PersonScoped); !ok || scope == nil || inc.kept[ind.ID()] == nil {
			continue
		}
		if scoped == nil {
			c := *in
			c.Scope = scope
			scoped = &c
		}
		out[i] = scoped
	}
	return out
}

// merge completes the findings of scoped indicators with the kept findings
// of the people out of scope, in the population's order (the order a
// person-scoped indicator emits them in), and keeps the result for next
// time.
func (inc *Incremental) merge(inds []detect.Indicator, inputs []*detect.Input, out [][]detect.Finding, pop *profile.Population) [][]detect.Finding {
	if inc == nil {
		return out
	}
	kept := make(map[string]map[string][]detect.Finding)
	for i, ind := range inds {
		if _, ok := ind.(detect.PersonScoped); !ok {
			continue
		}
		byPerson := map[string][]detect.Finding{}
		for _, f := range out[i] {
			byPerson[f.Person] = append(byPerson[f.Person], f)
		}
		if scope := inputs[i].Scope; scope != nil {
			for id, fs := range inc.kept[ind.ID()] {
				if !scope[id] && pop.Person(id) != nil {
					byPerson[id] = fs
				}
			}
			all := make([]detect.Finding, 0, len(out[i]))
			for _, p := range pop.People {
				all = append(all, byPerson[p.ID]...)
			}
			out[i] = all
		}
		kept[ind.ID()] = byPerson
	}
	inc.kept = kept
	return out
}

// end keeps what the next analysis needs.
func (inc *Incremental) end(s *step, res *Result) {
	if inc == nil {
		return
	}
	inc.pop, inc.polKey, inc.stamper = res.Pop, s.polKey, s.stamper
	inc.evaluated = s.scope
}

// eventOwners maps every event attributed to a person to that person's id
// (store.EventPeople's map, by event).
func eventOwners(pop *profile.Population) map[*event.Event]string {
	n := 0
	for _, p := range pop.People {
		n += len(p.SignIns) + len(p.Audits) + len(p.Commits) + len(p.Devices) + len(p.Payouts) + len(p.Shipments) +
			len(p.Profiles) + len(p.Resumes) + len(p.Applicants) + len(p.Meetings) + 1
	}
	out := make(map[*event.Event]string, n)
	for _, p := range pop.People {
		p.EachEvent(func(e *event.Event) { out[e] = p.ID })
	}
	return out
}
