package pipeline

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source"
	"github.com/rollcall/rollcall/internal/store"
)

// State is what a long-running analyser (the stream worker, serve) keeps
// between analyses of a store: every event of the tenant, enriched once,
// in the store's order (by time, events without a time first), and the
// event owners it last saved. When the store is a store.EventFeed, Load
// reads only the events saved since the last call (and a few batches
// before, which concurrent writers may have committed late); the whole
// history is read again only the first time, and when the state still
// disagrees with the store's count while nothing is being stored.
type State struct {
	Store store.Store
	// Work, when set, receives the finding marks and coverage instead of
	// Store (a workbench kept apart from the events).
	Work store.Analyses
	// Enricher, when set, is applied once to every event taken in; the
	// analysis of Events then needs none.
	Enricher func(*event.Event)

	events []*event.Event
	keys   map[recordKey]struct{}
	intern *source.Interner
	saved  map[*event.Event]string // event owners as last saved (nil: unknown)
	cursor int64                   // store.EventFeed cursor
	// offCount is the store's count at the last Load after which the
	// state did not match it; -1 (or 0 before any) when it matched.
	offCount int
	off      bool
	// fresh are the events taken in since the last Analyse, and inc the
	// incremental analysis they update.
	fresh []*event.Event
	inc   Incremental
}

// feedOverlap is how many save batches before its cursor Load re-reads,
// for batches that concurrent writers committed after a later one was
// read. Re-read events are recognised by their key and skipped.
const feedOverlap = 32

// Events returns the kept events; they must not be changed.
func (s *State) Events() []*event.Event { return s.events }

// Load brings the state up to date with the store, whose event count was
// count just before, and returns how many events it read. After it,
// Current tells whether the state holds exactly count events.
func (s *State) Load(ctx context.Context, count int) (int, error) {
	feed, ok := s.Store.(store.EventFeed)
	if ok && s.keys != nil && !(s.off && s.offCount == count) {
		events, last, err := feed.EventsSince(ctx, max(s.cursor-feedOverlap, 0))
		if err != nil {
			return 0, fmt.Errorf("loading new events: %w", err)
		}
		s.cursor = max(s.cursor, last)
		s.takeIn(events)
		s.settle(count)
		return len(events), nil
	}
	// First load, a store without a feed, or a state that still disagrees
	// with a store nobody writes to: read everything, and analyse
	// everything again.
	s.events, s.keys, s.fresh, s.saved = nil, nil, nil, nil
	s.inc.Reset()
	var events []*event.Event
	var err error
	if ok {
		events, s.cursor, err = feed.EventsSince(ctx, 0)
	} else {
		events, err = s.Store.Events(ctx, store.EventQuery{})
	}
	if err != nil {
		return 0, fmt.Errorf("loading events: %w", err)
	}
	s.takeIn(events)
	s.settle(count)
	return len(events), nil
}

func (s *State) settle(count int) {
	s.off, s.offCount = len(s.events) != count, count
}

// Current reports whether the last Load left the state holding as many
// events as the store counted: when it does not (writers were busy), the
// next Load catches up, reading everything again if the store has not
// changed meanwhile.
func (s *State) Current() bool { return !s.off }

// Analyse analyses the kept events incrementally (Incremental): only the
// people the events taken in since the last call touch are re-evaluated.
// The events were enriched when taken in, so opts.Enricher is not used.
func (s *State) Analyse(ctx context.Context, opts Options) (*Result, error) {
	opts.Enricher = nil
	fresh := s.fresh
	s.fresh = nil
	return s.inc.Analyse(ctx, s.events, fresh, opts)
}

// Evaluated returns the people the last Analyse re-evaluated, and false
// when it evaluated everyone (see Incremental.Evaluated).
func (s *State) Evaluated() (map[string]bool, bool) { return s.inc.Evaluated() }

// Persist saves res like the package's Persist, writing only the event
// owners that changed since the last Persist of this state.
func (s *State) Persist(ctx context.Context, res *Result, now time.Time) error {
	var target store.Store = s.Store
	if s.Work != nil {
		target = withWork{s.Store, s.Work}
	}
	owners := s.inc.owners
	if s.inc.pop != res.Pop || owners == nil {
		owners = eventOwners(res.Pop)
	}
	changed := make(map[string]string)
	if s.saved == nil {
		for e, id := range owners {
			changed[e.Prov.Key()] = id
		}
	} else {
		for e := range s.saved {
			if _, ok := owners[e]; !ok {
				changed[e.Prov.Key()] = ""
			}
		}
		for e, id := range owners {
			if s.saved[e] != id {
				changed[e.Prov.Key()] = id
			}
		}
	}
	err := persist(ctx, target, res, changed, now)
	s.saved = owners // never changed in place: may be shared with s.inc
	if errors.Is(err, errResultsNotSaved) {
		s.saved = nil // unknown: save them all next time
	}
	return err
}

// withWork is a store whose workbench analyses are kept by another object.
type withWork struct {
	store.Store
	store.Analyses
}

// takeIn adds events to the state, enriched, skipping those it holds
// already, and keeps the store's order: by time (events without a time
// first), ties in the order they were taken in.
func (s *State) takeIn(events []*event.Event) {
	if s.keys == nil {
		s.keys = make(map[recordKey]struct{}, len(events))
	}
	if s.intern == nil {
		s.intern = source.NewInterner()
	}
	var add []*event.Event
	for _, e := range events {
		k := keyOf(e)
		if _, ok := s.keys[k]; ok {
			continue
		}
		s.keys[k] = struct{}{}
		// Events decoded from the store share no strings: intern those
		// that repeat, so that the kept history costs what a scan's does.
		s.intern.Event(e)
		if s.Enricher != nil {
			s.Enricher(e)
		}
		add = append(add, e)
	}
	if len(add) == 0 {
		return
	}
	s.fresh = append(s.fresh, add...)
	slices.SortStableFunc(add, byTime)
	if len(s.events) == 0 || byTime(s.events[len(s.events)-1], add[0]) <= 0 {
		s.events = append(s.events, add...)
		return
	}
	merged := make([]*event.Event, 0, len(s.events)+len(add))
	i, j := 0, 0
	for i < len(s.events) && j < len(add) {
		if byTime(add[j], s.events[i]) < 0 {
			merged = append(merged, add[j])
			j++
		} else {
			merged = append(merged, s.events[i])
			i++
		}
	}
	merged = append(merged, s.events[i:]...)
	s.events = append(merged, add[j:]...)
}

// recordKey identifies a kept event: 128 bits of the SHA-256 of its
// provenance key (event.Provenance.Key), a sixth of the string's memory.
type recordKey [16]byte

func keyOf(e *event.Event) recordKey {
	sum := sha256.Sum256([]byte(e.Prov.Key()))
	return recordKey(sum[:16])
}

// byTime orders events as the store returns them: without a time first,
// then by time.
func byTime(x, y *event.Event) int {
	switch {
	case x.Time.IsZero() && y.Time.IsZero():
		return 0
	case x.Time.IsZero():
		return -1
	case y.Time.IsZero():
		return 1
	}
	return x.Time.Compare(y.Time)
}
