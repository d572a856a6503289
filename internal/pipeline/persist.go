package pipeline

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/store"
)

// WithSuppressions returns base with every suppression active at now (a
// benign verdict an analyst gave in the workbench) added to allow.people,
// so that every mode — scan --db, serve, worker — scores the same store
// the same way. A store that keeps no cases (not a store.Cases) adds
// nothing. Expiry is judged at now, so the entries passed on never expire.
// The store's watchlist of burned identifiers (confirmed verdicts, imported
// lists) joins the policy's watchlist the same way.
func WithSuppressions(ctx context.Context, base *policy.Policy, st any, now time.Time) (*policy.Policy, error) {
	if base == nil {
		base = policy.Default()
	}
	cases, ok := st.(store.Cases)
	if !ok {
		return base, nil
	}
	sups, err := cases.Suppressions(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("reading suppressions: %w", err)
	}
	pol := *base
	pol.Allow.People = slices.Clone(base.Allow.People)
	for _, sp := range sups {
		if !sp.Active(now) {
			continue
		}
		reason := "benign verdict by " + sp.CreatedBy + ": " + sp.Reason
		if sp.Case != 0 {
			reason += " (case " + strconv.FormatInt(sp.Case, 10) + ")"
		}
		pol.Allow.People = append(pol.Allow.People, policy.PersonEntry{Person: sp.Person, Indicator: sp.Indicator,
			Entry: policy.Entry{Reason: reason}})
	}
	if err := withWatchlist(ctx, &pol, st); err != nil {
		return nil, err
	}
	return &pol, nil
}

// Persist saves what an analysis concluded into st: the report (built at
// the edge from the result), which person each event belongs to, and,
// when st keeps the workbench (store.Analyses), finding marks (first seen
// now) and per-source coverage of events. A long-running analyser saves
// only the owners that changed instead (State.Persist).
func Persist(ctx context.Context, st store.Store, res *Result, now time.Time) error {
	_, err := persist(ctx, st, res, store.EventPeople(res.Pop), nil, now)
	return err
}

// errResultsNotSaved marks a persist that failed before saving anything.
var errResultsNotSaved = errors.New("results not saved")

// persist saves the report, the changed event owners (event key → person
// id, "" for none) and the workbench's marks and coverage. With a patch
// (st is then a store.ResultsPatcher), only the people and clusters it
// names are written, and only their findings marked; a patch the store
// finds stale saves the whole report instead. It reports whether the
// report was saved whole.
func persist(ctx context.Context, st store.Store, res *Result, changed map[string]string, patch *store.ResultsPatch, now time.Time) (bool, error) {
	marked := res.Report
	var err error
	if patch != nil {
		err = st.(store.ResultsPatcher).PatchResults(ctx, report.ToStore(res.Report), *patch)
		if errors.Is(err, store.ErrStale) {
			patch, err = nil, nil
		}
	}
	if patch == nil {
		err = st.SaveResults(ctx, report.ToStore(res.Report))
	} else {
		marked = &report.Report{People: make([]report.Person, len(patch.People))}
		for i, p := range patch.People {
			marked.People[i] = res.Report.People[p]
		}
	}
	whole := patch == nil
	if err != nil {
		return whole, fmt.Errorf("saving results: %w: %w", errResultsNotSaved, err)
	}
	if len(changed) > 0 {
		if err := st.SetEventPeople(ctx, changed); err != nil {
			return whole, fmt.Errorf("saving event owners: %w: %w", errResultsNotSaved, err)
		}
	}
	if an, ok := st.(store.Analyses); ok {
		if err := an.MarkFindings(ctx, FindingMarks(marked, res.Events, now)); err != nil {
			return whole, fmt.Errorf("saving finding marks: %w", err)
		}
		if err := an.SetCoverage(ctx, res.Coverage()); err != nil {
			return whole, fmt.Errorf("saving coverage: %w", err)
		}
	}
	return whole, nil
}

// RecordRef names an input record the way evidence does. It is a map key
// that costs no allocation, unlike the string it replaces.
type RecordRef struct {
	Source, File string
	Record       int
}

// RecordKey names an input record the way evidence does.
func RecordKey(src, file string, record int) RecordRef {
	return RecordRef{Source: src, File: file, Record: record}
}

// FindingMarks marks every finding of rep as seen now, observed at the
// time of its earliest evidence record.
func FindingMarks(rep *report.Report, events []*event.Event, now time.Time) []store.FindingMark {
	need := map[RecordRef]time.Time{}
	for _, p := range rep.People {
		for _, ind := range p.Indicators {
			for _, e := range ind.Evidence {
				need[RecordKey(e.Source, e.File, e.Record)] = time.Time{}
			}
		}
	}
	for _, e := range events {
		k := RecordKey(e.Prov.Source(), e.Prov.File(), e.Prov.Record)
		if _, ok := need[k]; ok && !e.Time.IsZero() {
			need[k] = e.Time.UTC()
		}
	}
	var marks []store.FindingMark
	for _, p := range rep.People {
		for _, ind := range p.Indicators {
			m := store.FindingMark{Person: p.ID, Indicator: ind.ID, Seen: now}
			for _, e := range ind.Evidence {
				t := need[RecordKey(e.Source, e.File, e.Record)]
				if !t.IsZero() && (m.Observed.IsZero() || t.Before(m.Observed)) {
					m.Observed = t
				}
			}
			marks = append(marks, m)
		}
	}
	return marks
}

// Coverage counts events per source: files, period and events per day.
func Coverage(events []*event.Event) []store.Coverage {
	var c coverage
	for _, e := range events {
		c.add(e)
	}
	return c.list()
}

// coverage counts events per source as they come (Coverage).
type coverage struct {
	by    map[string]*store.Coverage
	files map[string]map[string]bool
}

func (c *coverage) add(e *event.Event) {
	if c.by == nil {
		c.by, c.files = map[string]*store.Coverage{}, map[string]map[string]bool{}
	}
	src := e.Prov.Source()
	sc := c.by[src]
	if sc == nil {
		sc = &store.Coverage{Source: src, Daily: map[string]int{}}
		c.by[src], c.files[src] = sc, map[string]bool{}
	}
	sc.Events++
	c.files[src][e.Prov.File()] = true
	if t := e.Time.UTC(); !e.Time.IsZero() {
		if sc.First.IsZero() || t.Before(sc.First) {
			sc.First = t
		}
		if t.After(sc.Last) {
			sc.Last = t
		}
		sc.Daily[t.Format(time.DateOnly)]++
	}
}

// list returns the counts by source, in the order of the sources' names;
// they share nothing with c.
func (c *coverage) list() []store.Coverage {
	out := make([]store.Coverage, 0, len(c.by))
	for _, src := range slices.Sorted(maps.Keys(c.by)) {
		sc := *c.by[src]
		sc.Files = len(c.files[src])
		sc.Daily = maps.Clone(sc.Daily)
		out = append(out, sc)
	}
	return out
}
