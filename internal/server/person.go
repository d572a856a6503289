package server

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/pipeline"
	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/store"
)

// Bounds on what one person page shows.
const (
	maxFields   = 80  // original fields per evidence record
	maxFieldLen = 300 // characters per field value
	maxLinked   = 50
)

type personView struct {
	P            personHead
	Reasons      []indicatorView // the strongest indicators, for the summary
	Waterfall    *waterfall      // how the score was built
	Timeline     eventTimeline
	Map          *signInMap
	Indicators   []indicatorView
	Identity     []kv
	Activity     activityView
	Cases        []store.Case
	Suppressions []store.Suppression
	Linked       []linkedPerson
}

type personHead struct {
	ID, Name, EmployeeID string
	CandidateIDs         []string
	Kind                 string
	Score                int
	Level                string
	Flagged              bool
	Cluster              string
	ClusterBonus         string
	Capped               string
}

type indicatorView struct {
	ID, Name, Stage, Strength string
	Weight                    string
	Summary, Suppressed       string
	SuppressionID             int64 // an active suppression that can be revoked here
	Related                   []ref
	Evidence                  []evidenceView // the first shownEvidence records
	MoreEvidence              []evidenceView // the rest, folded away
}

// shownEvidence is how many evidence records an indicator shows unfolded.
const shownEvidence = 5

type ref struct{ ID, Name string }

type evidenceView struct {
	Source, Where, ID, Summary string
	Record                     int
	Fields                     []kv // the record's normalized fields; empty when it is not stored
}

type kv struct{ Key, Value string }

type linkedPerson struct {
	ID, Name string
	Level    string
	Score    int
	Via      string
}

func headOf(p *report.Person) personHead {
	h := personHead{ID: plain(p.ID), Name: plain(p.Name), EmployeeID: plain(p.EmployeeID), Kind: plain(p.Kind), Score: p.Score,
		Level: levelClass(p.Level), Flagged: p.Flagged, Cluster: plain(p.Cluster), Capped: plain(p.Capped)}
	for _, c := range p.CandidateIDs {
		h.CandidateIDs = append(h.CandidateIDs, plain(c))
	}
	if p.ClusterBonus != 0 {
		h.ClusterBonus = strconv.FormatFloat(p.ClusterBonus, 'f', 1, 64)
	}
	return h
}

func (s *Server) personPage(w http.ResponseWriter, r *http.Request) {
	ctx, id := r.Context(), r.PathValue("id")
	p, err := s.person(ctx, id)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	if err := s.audit(r, "person.view", "person:"+cut(id, 100), "evidence shown"); err != nil {
		s.fail(w, r, false, err)
		return
	}
	v, err := s.personView(ctx, &p)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	title := v.P.Name
	if title == "" {
		title = v.P.ID
	}
	s.render(w, r, http.StatusOK, "person", title, "people", v)
}

func (s *Server) personView(ctx context.Context, p *report.Person) (*personView, error) {
	v := &personView{P: headOf(p)}
	events, err := s.cfg.Store.Events(ctx, store.EventQuery{Person: p.ID})
	if err != nil {
		return nil, err
	}
	byRecord := map[pipeline.RecordRef]*event.Event{}
	index := func(evs []*event.Event) {
		for _, e := range evs {
			byRecord[pipeline.RecordKey(e.Prov.Source(), e.Prov.File(), e.Prov.Record)] = e
		}
	}
	index(events)
	sups, err := s.cfg.Work.Suppressions(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	v.Suppressions = sups
	now := s.now()
	names := map[string]string{}
	for _, ind := range p.Indicators {
		iv := indicatorView{ID: plain(ind.ID), Name: plain(ind.Name), Stage: plain(ind.Stage), Strength: strengthName(ind.Strength),
			Weight: strconv.FormatFloat(ind.Points, 'f', 1, 64), Summary: plain(ind.Summary), Suppressed: plain(ind.Suppressed)}
		for _, sp := range sups {
			if sp.Active(now) && strings.EqualFold(sp.Indicator, ind.ID) {
				iv.SuppressionID = sp.ID
				break
			}
		}
		for _, rel := range ind.Related {
			iv.Related = append(iv.Related, ref{ID: plain(rel)})
		}
		// Evidence may cite records of the related people (the other
		// holder of a shared account): look there for what is missing.
		for _, e := range ind.Evidence {
			if byRecord[pipeline.RecordKey(e.Source, e.File, e.Record)] == nil && len(ind.Related) > 0 {
				for _, rel := range ind.Related[:min(len(ind.Related), 5)] {
					more, err := s.cfg.Store.Events(ctx, store.EventQuery{Person: rel, Source: e.Source})
					if err != nil {
						return nil, err
					}
					index(more)
				}
				break
			}
		}
		for _, e := range ind.Evidence {
			ev := evidenceView{Source: plain(e.Source), Where: place(e.File, e.Line), Record: e.Record, ID: plain(e.ID), Summary: plain(e.Summary)}
			if rec := byRecord[pipeline.RecordKey(e.Source, e.File, e.Record)]; rec != nil {
				ev.Fields = fields(rec)
			}
			if len(iv.Evidence) < shownEvidence {
				iv.Evidence = append(iv.Evidence, ev)
			} else {
				iv.MoreEvidence = append(iv.MoreEvidence, ev)
			}
		}
		v.Indicators = append(v.Indicators, iv)
	}
	v.Identity = identity(events)
	v.Activity = activity(events)
	v.Timeline = timeline(events)
	v.Map = buildSignInMap(events)
	v.Waterfall = scoreWaterfall(p)
	v.Reasons = topReasons(p, v.Indicators)
	if v.Cases, err = s.cfg.Work.ListCases(ctx, store.CaseQuery{Subject: store.SubjectPerson, SubjectID: p.ID}); err != nil {
		return nil, err
	}
	if v.Linked, err = s.linked(ctx, p, names); err != nil {
		return nil, err
	}
	for i := range v.Indicators {
		for k := range v.Indicators[i].Related {
			v.Indicators[i].Related[k].Name = names[v.Indicators[i].Related[k].ID]
		}
	}
	return v, nil
}

// linked lists the other members of the person's cell and the people the
// person's findings tie them to, with what joins them. It fills names with
// the people it looked up.
func (s *Server) linked(ctx context.Context, p *report.Person, names map[string]string) ([]linkedPerson, error) {
	via := map[string][]string{}
	var order []string
	add := func(id, how string) {
		if id == p.ID {
			return
		}
		if _, ok := via[id]; !ok {
			order = append(order, id)
		}
		if !slices.Contains(via[id], how) {
			via[id] = append(via[id], how)
		}
	}
	if p.Cluster != "" {
		c, err := s.cluster(ctx, p.Cluster)
		if err == nil {
			for _, l := range c.Links {
				if slices.Contains(l.Members, p.ID) {
					for _, m := range l.Members {
						add(m, "shared "+l.Kind)
					}
				}
			}
			for _, m := range c.Members {
				add(m, "cell "+c.ID)
			}
		}
	}
	for _, ind := range p.Indicators {
		for _, rel := range ind.Related {
			add(rel, ind.ID)
		}
	}
	var out []linkedPerson
	for _, id := range order[:min(len(order), maxLinked)] {
		lp := linkedPerson{ID: plain(id), Level: "unknown", Via: plain(strings.Join(via[id], ", "))}
		if o, err := s.person(ctx, id); err == nil {
			lp.Name, lp.Level, lp.Score = plain(o.Name), levelClass(o.Level), o.Score
			names[id] = lp.Name
		}
		out = append(out, lp)
	}
	return out, nil
}

// maxReasons is how many indicators the summary of a person page names.
const maxReasons = 3

// topReasons are the indicators that added the most points, strongest
// first (views holds p.Indicators' views, in the same order).
func topReasons(p *report.Person, views []indicatorView) []indicatorView {
	idx := make([]int, 0, len(p.Indicators))
	for i, ind := range p.Indicators {
		if ind.Points > 0 && ind.Suppressed == "" {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(p.Indicators[b].Points, p.Indicators[a].Points) })
	var out []indicatorView
	for _, i := range idx[:min(len(idx), maxReasons)] {
		out = append(out, views[i])
	}
	return out
}

// strengthName spells out a catalogue strength.
func strengthName(s string) string {
	switch s {
	case "H":
		return "strong"
	case "M":
		return "medium"
	case "L":
		return "weak"
	}
	return plain(s)
}

// place formats a record's place: "file:line".
func place(file string, line int) string {
	s := plain(file)
	if line > 0 {
		s += ":" + strconv.Itoa(line)
	}
	return s
}

// fields flattens an event into dotted field names and values, as the
// record was normalized, so that an analyst sees the original fields.
func fields(e *event.Event) []kv {
	b, err := json.Marshal(e)
	if err != nil {
		return []kv{{"error", "record cannot be shown"}}
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return []kv{{"error", "record cannot be shown"}}
	}
	delete(m, "prov")
	var out []kv
	flatten("", m, &out)
	slices.SortStableFunc(out, func(a, b kv) int { return strings.Compare(a.Key, b.Key) })
	if len(out) > maxFields {
		out = append(out[:maxFields], kv{"…", fmt.Sprintf("%d more fields", len(out)-maxFields)})
	}
	return out
}

func flatten(prefix string, v any, out *[]kv) {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			key := k
			if prefix != "" {
				key = prefix + "." + k
			}
			flatten(key, val, out)
		}
	case []any:
		for i, val := range x {
			flatten(prefix+"["+strconv.Itoa(i)+"]", val, out)
		}
	case nil:
	case string:
		if x != "" {
			*out = append(*out, kv{plain(prefix), cut(x, maxFieldLen)})
		}
	default:
		*out = append(*out, kv{plain(prefix), cut(fmt.Sprint(x), maxFieldLen)})
	}
}

// identity lists what the roster and applicant records claim.
func identity(events []*event.Event) []kv {
	var out []kv
	add := func(k string, vals ...string) {
		var keep []string
		for _, v := range vals {
			if v = cut(v, maxFieldLen); v != "" && !slices.Contains(keep, v) {
				keep = append(keep, v)
			}
		}
		if len(keep) > 0 {
			out = append(out, kv{k, strings.Join(keep, " · ")})
		}
	}
	for _, e := range events {
		switch {
		case e.Person != nil:
			p := e.Person
			add("roster name", p.Name)
			add("user name", p.UserName)
			add("emails", p.Emails...)
			add("phones", p.Phones...)
			for _, a := range p.Addresses {
				add("address ("+plain(a.Type)+")", addressText(a))
			}
			add("time zone", p.Timezone)
			add("title", p.Title, p.Department)
			add("employee type", p.EmployeeType)
			add("hired", day(p.Created))
		case e.Applicant != nil:
			a := e.Applicant
			add("applicant "+plain(a.CandidateID), a.Name)
			add("applicant emails", a.Emails...)
			add("applicant phones", a.Phones...)
			add("applicant addresses", a.Addresses...)
			add("websites", a.Websites...)
			add("social media", a.SocialMedia...)
		case e.Profile != nil:
			add("code-host profile", e.Profile.Login, e.Profile.Name, e.Profile.Blog, e.Profile.Location)
		}
	}
	return out
}

func addressText(a event.Address) string {
	if a.Formatted != "" {
		return a.Formatted
	}
	var parts []string
	for _, p := range []string{a.Street, a.Locality, a.Region, a.PostalCode, a.Country} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}
