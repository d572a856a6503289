package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"maps"
	"net/netip"
	"reflect"
	"slices"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/source"
	"github.com/rollcall/rollcall/internal/store"
)

// State is what a long-running analyser (the stream worker, serve) keeps
// between analyses of a store: every event of the tenant, enriched once,
// in the store's order (by time, events without a time first), and the
// event owners it last saved. When the store is a store.EventFeed, Load
// reads only the events saved since the last call (and a few batches
// before, which concurrent writers may have committed late), and decodes
// only those it does not hold already: a worker hands the events it has
// just committed over with Add, so that only what other processes stored
// is decoded again. The whole history is read again only the first time,
// and when the state still disagrees with the store's count while nothing
// is being stored.
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
	// rows are the people and clusters last saved, and stats what the
	// last Persist wrote.
	rows  savedRows
	stats SaveStats
	// cov counts the kept events per source, as Coverage would.
	cov coverage
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
		events, last, err := feed.EventsSince(ctx, max(s.cursor-feedOverlap, 0), s.holds)
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
	s.events, s.keys, s.fresh, s.saved, s.cov = nil, nil, nil, nil, coverage{}
	s.inc.Reset()
	var events []*event.Event
	var err error
	if ok {
		events, s.cursor, err = feed.EventsSince(ctx, 0, nil)
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

// Add takes in events that this process has just committed to the store
// (a stream worker's batch), so that Load does not read and decode them
// again, and returns how many were new to the state. Call it only after
// the commit, so that an analysis sees stored events only. Before the
// first Load it takes nothing: that Load reads every stored event. An
// event that the store does not give back as it is (StoredAsIs) is not
// taken either: it comes back changed, possibly under another key, so
// Load takes the stored form of it, once.
func (s *State) Add(events []*event.Event) int {
	if s.keys == nil {
		return 0
	}
	events = slices.DeleteFunc(slices.Clone(events), func(e *event.Event) bool { return !detach(e) })
	return s.takeIn(events)
}

// detach copies every string of e into one block of its own: an adapter's
// strings may share the memory of the whole input record (a stream
// message), which the kept event would otherwise hold on to. Interning
// (takeIn) then replaces the strings that repeat. The values interners
// share between events are left alone (their strings are the interners'
// own). In the same pass it checks what StoredAsIs checks, and reports
// false, leaving e as it was, for an event the store would change.
func detach(e *event.Event) bool {
	var strs []reflect.Value
	n := 0
	stored := walkStrings(reflect.ValueOf(e).Elem(), true, func(v reflect.Value, own bool) bool {
		if !utf8.ValidString(v.String()) {
			return false
		}
		if own && v.CanSet() { // map entries cannot be set; interning copies those of device rows
			strs = append(strs, v)
			n += v.Len()
		}
		return true
	})
	if !stored {
		return false
	}
	block := make([]byte, 0, n)
	for _, v := range strs {
		if v.Len() == 0 {
			continue
		}
		start := len(block)
		block = append(block, v.String()...)
		v.SetString(unsafe.String(&block[start], v.Len()))
	}
	return true
}

// StoredAsIs reports whether a store gives e back as it is: every string
// in it is valid UTF-8 (JSON, which stores keep events in, holds no
// other). State.Add takes only such events.
func StoredAsIs(e *event.Event) bool {
	return eachString(reflect.ValueOf(e).Elem(), func(v reflect.Value) bool { return utf8.ValidString(v.String()) })
}

var (
	timeType = reflect.TypeFor[time.Time]()
	addrType = reflect.TypeFor[netip.Addr]()
	// sharedTypes are the values interners share between events (network
	// contexts and their facts, accounts, file origins): they must never be
	// written through one event.
	sharedTypes = map[reflect.Type]bool{
		reflect.TypeFor[*event.Actor]():    true,
		reflect.TypeFor[*event.Origin]():   true,
		reflect.TypeFor[*event.Network]():  true,
		reflect.TypeFor[*event.IPIntel]():  true,
		reflect.TypeFor[*event.NetFacts](): true,
	}
)

// eachString calls fn with every string reachable from v (fields,
// pointers, slices, map keys and values; times and addresses hold none)
// until fn returns false, and reports whether none did.
func eachString(v reflect.Value, fn func(reflect.Value) bool) bool {
	return walkStrings(v, true, func(v reflect.Value, _ bool) bool { return fn(v) })
}

// walkStrings is eachString telling fn whether a string is v's own, or
// lies in a value interners share between events (sharedTypes).
func walkStrings(v reflect.Value, own bool, fn func(v reflect.Value, own bool) bool) bool {
	switch v.Kind() {
	case reflect.String:
		return fn(v, own)
	case reflect.Pointer, reflect.Interface:
		if sharedTypes[v.Type()] {
			own = false
		}
		return v.IsNil() || walkStrings(v.Elem(), own, fn)
	case reflect.Struct:
		if t := v.Type(); t == timeType || t == addrType {
			return true
		}
		for i := range v.NumField() {
			if !walkStrings(v.Field(i), own, fn) {
				return false
			}
		}
	case reflect.Slice, reflect.Array:
		switch v.Type().Elem().Kind() {
		case reflect.String, reflect.Pointer, reflect.Interface, reflect.Struct, reflect.Slice, reflect.Array, reflect.Map:
			for i := range v.Len() {
				if !walkStrings(v.Index(i), own, fn) {
					return false
				}
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if !walkStrings(it.Key(), own, fn) || !walkStrings(it.Value(), own, fn) {
				return false
			}
		}
	}
	return true
}

// holds reports whether the state holds the event with this stored key.
func (s *State) holds(key string) bool {
	_, ok := s.keys[keyOfString(key)]
	return ok
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

// Persist saves res like the package's Persist, writing only what changed
// since the last Persist of this state: the event owners, and, when the
// store is a store.ResultsPatcher, the people (with their findings and
// finding marks) and clusters (with their links) whose rows differ from
// those saved last. The first save, and a save after a failed one or one
// the store finds stale (another process saved meanwhile), write
// everything.
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
	if res.coverage == nil && len(res.Events) == len(s.events) {
		res.coverage = s.cov.list() // counted as the events came, not again
	}
	rows := digestRows(res.Report)
	var patch *store.ResultsPatch
	if _, ok := s.Store.(store.ResultsPatcher); ok && s.rows.people != nil {
		p := s.rows.patch(res.Report, rows)
		patch = &p
	}
	s.rows = savedRows{} // unknown until saved
	whole, err := persist(ctx, target, res, changed, patch, now)
	s.saved = owners // never changed in place: may be shared with s.inc
	switch {
	case errors.Is(err, errResultsNotSaved):
		s.saved = nil // unknown: save them all next time
	case err == nil:
		s.rows = rows
	}
	s.stats = SaveStats{Owners: len(changed), People: len(res.Report.People), Clusters: len(res.Report.Clusters), Whole: whole}
	if !whole {
		s.stats.People, s.stats.Clusters = len(patch.People)+len(patch.GonePeople), len(patch.Clusters)+len(patch.GoneClusters)
	}
	return err
}

// SaveStats counts what the last Persist wrote: event owners, people
// (with their findings) and clusters (with their links), written or
// deleted, and whether the report was saved whole.
type SaveStats struct {
	Owners, People, Clusters int
	Whole                    bool
}

// Saved returns what the last Persist wrote.
func (s *State) Saved() SaveStats { return s.stats }

// savedRows are digests of the people and clusters a State saved last, by
// id: of the row's position in the report and of everything the row and
// its findings (links) are made of. Nil maps: not known.
type savedRows struct {
	people, clusters map[string]uint64
}

// digestSeed seeds the digests of savedRows: they are compared only
// within the process.
var digestSeed = maphash.MakeSeed()

// digestRows digests every person and cluster of rep.
func digestRows(rep *report.Report) savedRows {
	rows := savedRows{people: make(map[string]uint64, len(rep.People)), clusters: make(map[string]uint64, len(rep.Clusters))}
	var h maphash.Hash
	h.SetSeed(digestSeed)
	enc := json.NewEncoder(&h)
	digest := func(pos int, v any) uint64 {
		h.Reset()
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], uint64(pos))
		h.Write(b[:])
		if err := enc.Encode(v); err != nil {
			// Not encodable: a digest no earlier save has, so the row is
			// written (and the store reports the error).
			return uint64(pos) ^ 0x9e3779b97f4a7c15 ^ h.Sum64()
		}
		return h.Sum64()
	}
	for i := range rep.People {
		rows.people[rep.People[i].ID] = digest(i, &rep.People[i])
	}
	for i := range rep.Clusters {
		rows.clusters[rep.Clusters[i].ID] = digest(i, &rep.Clusters[i])
	}
	return rows
}

// patch is how rep, digested as now, differs from the saved rows.
func (saved savedRows) patch(rep *report.Report, now savedRows) store.ResultsPatch {
	var p store.ResultsPatch
	for i := range rep.People {
		id := rep.People[i].ID
		if d, ok := saved.people[id]; !ok || d != now.people[id] {
			p.People = append(p.People, i)
		}
	}
	for i := range rep.Clusters {
		id := rep.Clusters[i].ID
		if d, ok := saved.clusters[id]; !ok || d != now.clusters[id] {
			p.Clusters = append(p.Clusters, i)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(saved.people)) {
		if _, ok := now.people[id]; !ok {
			p.GonePeople = append(p.GonePeople, id)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(saved.clusters)) {
		if _, ok := now.clusters[id]; !ok {
			p.GoneClusters = append(p.GoneClusters, id)
		}
	}
	return p
}

// withWork is a store whose workbench analyses are kept by another object.
type withWork struct {
	store.Store
	store.Analyses
}

// PatchResults patches the store's results, or saves them whole when it
// cannot patch them.
func (w withWork) PatchResults(ctx context.Context, r *store.Results, p store.ResultsPatch) error {
	if pr, ok := w.Store.(store.ResultsPatcher); ok {
		return pr.PatchResults(ctx, r, p)
	}
	return w.Store.SaveResults(ctx, r)
}

// takeIn adds events to the state, enriched, skipping those it holds
// already, and keeps the store's order: by time (events without a time
// first), ties in the order they were taken in. It returns how many it
// added.
func (s *State) takeIn(events []*event.Event) int {
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
		s.cov.add(e)
		add = append(add, e)
	}
	if len(add) == 0 {
		return 0
	}
	s.fresh = append(s.fresh, add...)
	slices.SortStableFunc(add, byTime)
	if len(s.events) == 0 || byTime(s.events[len(s.events)-1], add[0]) <= 0 {
		s.events = append(s.events, add...)
		return len(add)
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
	return len(add)
}

// recordKey identifies a kept event: 128 bits of the SHA-256 of its
// provenance key (event.Provenance.Key), a sixth of the string's memory.
type recordKey [16]byte

func keyOf(e *event.Event) recordKey { return keyOfString(e.Prov.Key()) }

// keyOfString is the recordKey of a provenance key. A key the store had
// to change (PostgreSQL text holds no NUL or invalid UTF-8) does not match
// its event's: that event is decoded again, and recognised as held then.
func keyOfString(key string) recordKey {
	sum := sha256.Sum256([]byte(key))
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
