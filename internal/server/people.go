package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/detect/list"
	"github.com/rollcall/rollcall/internal/report"
	slist "github.com/rollcall/rollcall/internal/source/list"
	"github.com/rollcall/rollcall/internal/store"
)

// peopleFilter is the people list's query, shared by the page, the API
// and the CSV export.
type peopleFilter struct {
	Q, Level, Stage, Indicator, Source, Sort string
}

func filterFrom(r *http.Request) peopleFilter {
	q := r.URL.Query()
	return peopleFilter{Q: strings.TrimSpace(q.Get("q")), Level: q.Get("level"), Stage: q.Get("stage"),
		Indicator: q.Get("indicator"), Source: q.Get("source"), Sort: q.Get("sort")}
}

// values encodes the filter as a query, without empty fields.
func (f peopleFilter) values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"q": f.Q, "level": f.Level, "stage": f.Stage, "indicator": f.Indicator, "source": f.Source, "sort": f.Sort} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// matches applies the filters the store cannot: stage and source.
func (f peopleFilter) matches(p *report.Person) bool {
	if f.Stage == "" && f.Source == "" {
		return true
	}
	for _, ind := range p.Indicators {
		if f.Stage != "" && ind.Stage != f.Stage {
			continue
		}
		if f.Source == "" {
			return true
		}
		for _, e := range ind.Evidence {
			if e.Source == f.Source {
				return true
			}
		}
	}
	return false
}

// findPeople returns one page of the people matching f and how many match.
// limit 0 means everyone.
func (s *Server) findPeople(ctx context.Context, f peopleFilter, limit, offset int) ([]report.Person, int, error) {
	q := store.PeopleQuery{Level: f.Level, Indicator: f.Indicator, Search: f.Q, Sort: f.Sort}
	if f.Stage == "" && f.Source == "" {
		q.Limit, q.Offset = limit, offset
		return s.people(ctx, q)
	}
	all, _, err := s.people(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	var hits []report.Person
	for i := range all {
		if f.matches(&all[i]) {
			hits = append(hits, all[i])
		}
	}
	total := len(hits)
	if offset >= total {
		return nil, total, nil
	}
	hits = hits[offset:]
	if limit > 0 && limit < len(hits) {
		hits = hits[:limit]
	}
	return hits, total, nil
}

type option struct{ Value, Label string }

type personRow struct {
	Rank       int
	ID, Name   string
	EmployeeID string
	Kind       string
	Score      int
	Level      string
	Flagged    bool
	Cluster    string
	Indicators []chip
}

type chip struct {
	ID  string
	Off bool // suppressed
}

type peopleView struct {
	F                                   peopleFilter
	Rows                                []personRow
	Total, Page, Pages                  int
	PrevURL, NextURL, ExportURL         string
	SortScore, SortName, SortID         string
	Levels, Stages, Indicators, Sources []option
}

func rowOf(rank int, p *report.Person) personRow {
	row := personRow{Rank: rank, ID: plain(p.ID), Name: plain(p.Name), EmployeeID: plain(p.EmployeeID), Kind: plain(p.Kind),
		Score: p.Score, Level: levelClass(p.Level), Flagged: p.Flagged, Cluster: plain(p.Cluster)}
	for _, ind := range p.Indicators {
		row.Indicators = append(row.Indicators, chip{ID: plain(ind.ID), Off: ind.Suppressed != ""})
	}
	return row
}

func (s *Server) peoplePage(w http.ResponseWriter, r *http.Request) {
	f := filterFrom(r)
	if (store.PeopleQuery{Sort: f.Sort}).Validate() != nil {
		f.Sort = ""
	}
	pageNo := max(1, intParam(r, "page", 1))
	people, total, err := s.findPeople(r.Context(), f, DefaultPageSize, (pageNo-1)*DefaultPageSize)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	if err := s.audit(r, "people.list", "people", f.values().Encode()); err != nil {
		s.fail(w, r, false, err)
		return
	}
	v := peopleView{F: f, Total: total, Page: pageNo, Pages: (total + DefaultPageSize - 1) / DefaultPageSize}
	for i := range people {
		v.Rows = append(v.Rows, rowOf((pageNo-1)*DefaultPageSize+i+1, &people[i]))
	}
	link := func(mod func(url.Values)) string {
		q := f.values()
		mod(q)
		return "/people?" + q.Encode()
	}
	if pageNo > 1 {
		v.PrevURL = link(func(q url.Values) { q.Set("page", strconv.Itoa(pageNo-1)) })
	}
	if pageNo < v.Pages {
		v.NextURL = link(func(q url.Values) { q.Set("page", strconv.Itoa(pageNo+1)) })
	}
	toggle := func(asc, desc string) string {
		return link(func(q url.Values) {
			if f.Sort == desc {
				q.Set("sort", asc)
			} else {
				q.Set("sort", desc)
			}
		})
	}
	v.SortScore, v.SortName, v.SortID = toggle(store.SortScore, store.SortScoreDesc), toggle(store.SortNameDesc, store.SortName), toggle(store.SortIDDesc, store.SortID)
	v.ExportURL = "/api/v1/export/people.csv?" + f.values().Encode()
	v.Levels = []option{{"", "any level"}}
	for i := len(levels) - 1; i >= 0; i-- {
		v.Levels = append(v.Levels, option{levels[i], levels[i]})
	}
	v.Stages = []option{{"", "any stage"}}
	for _, st := range []detect.Stage{detect.StageHiring, detect.StageOnboarding, detect.StageIdentity, detect.StageEndpoint,
		detect.StageNetwork, detect.StageCode, detect.StagePayroll, detect.StageOffboarding} {
		v.Stages = append(v.Stages, option{string(st), string(st)})
	}
	v.Indicators = []option{{"", "any indicator"}}
	for _, ind := range list.Indicators() {
		v.Indicators = append(v.Indicators, option{ind.ID(), ind.ID() + " " + ind.Name()})
	}
	v.Sources = []option{{"", "any source"}}
	for _, id := range slist.IDs() {
		v.Sources = append(v.Sources, option{id, id})
	}
	s.render(w, r, http.StatusOK, "people", "People", "people", v)
}
