package server

import (
	_ "embed"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/store"
)

//go:embed openapi.yaml
var openapiSpec []byte

// maxAPILimit bounds one page of the API's lists.
const maxAPILimit = 1000

func (s *Server) openapi(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	w.Write(openapiSpec) //nolint:errcheck // the client went away
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if _, err := s.cfg.Store.EventCount(r.Context()); err != nil {
		s.log.Error("health check", "err", err)
		apiError(w, http.StatusServiceUnavailable, "store unavailable")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// summaryJSON is GET /api/v1/summary: aggregates only, no personal data.
type summaryJSON struct {
	People    int              `json:"people"`
	Flagged   int              `json:"flagged"`
	ByLevel   map[string]int   `json:"by_level"`
	Cells     int              `json:"cells"`
	OpenCases int              `json:"open_cases"`
	Stats     report.Stats     `json:"stats"`
	Sources   []store.Coverage `json:"sources"`
	Findings  findingsSeries   `json:"findings_over_time"`
	Analysis  Status           `json:"analysis"`
}

func (s *Server) apiSummary(w http.ResponseWriter, r *http.Request) {
	sm, err := s.summarise(r)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	people := map[string]*report.Person{}
	for i := range sm.rep.People {
		people[sm.rep.People[i].ID] = &sm.rep.People[i]
	}
	cov := sm.cov
	if cov == nil {
		cov = []store.Coverage{}
	}
	writeJSON(w, http.StatusOK, summaryJSON{People: len(sm.rep.People), Flagged: sm.flagged, ByLevel: sm.byLevel,
		Cells: len(sm.rep.Clusters), OpenCases: sm.cases, Stats: sm.rep.Stats, Sources: cov,
		Findings: findingsOverTime(sm.marks, people), Analysis: s.analysis.snapshot()})
}

func (s *Server) apiIngestStatus(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.analysis.snapshot())
}

// peoplePage is GET /api/v1/people.
type peoplePageJSON struct {
	Total  int             `json:"total"`
	Offset int             `json:"offset"`
	People []report.Person `json:"people"`
}

func (s *Server) apiPeople(w http.ResponseWriter, r *http.Request) {
	f := filterFrom(r)
	limit := min(intParam(r, "limit", 100), maxAPILimit)
	if limit == 0 {
		limit = 100
	}
	offset := intParam(r, "offset", 0)
	people, total, err := s.findPeople(r.Context(), f, limit, offset)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	if err := s.audit(r, "people.list", "people", f.values().Encode()); err != nil {
		s.fail(w, r, true, err)
		return
	}
	if people == nil {
		people = []report.Person{}
	}
	writeJSON(w, http.StatusOK, peoplePageJSON{Total: total, Offset: offset, People: people})
}

func (s *Server) apiPerson(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	p, err := s.person(r.Context(), id)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	if err := s.audit(r, "person.view", "person:"+cut(id, 100), "api"); err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// apiPersonEvents returns the normalized records resolved to a person: the
// evidence behind their findings and their whole activity.
func (s *Server) apiPersonEvents(w http.ResponseWriter, r *http.Request) {
	ctx, id := r.Context(), r.PathValue("id")
	if _, err := s.person(ctx, id); err != nil {
		s.fail(w, r, true, err)
		return
	}
	limit := min(intParam(r, "limit", 1000), 10000)
	q := store.EventQuery{Person: id, Source: r.URL.Query().Get("source"), Limit: limit}
	events, err := s.cfg.Store.Events(ctx, q)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	if err := s.audit(r, "person.evidence", "person:"+cut(id, 100), "api"); err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"person": id, "events": nonNil(events)})
}

// findingJSON is one row of GET /api/v1/findings.
type findingJSON struct {
	Person     string    `json:"person"`
	Name       string    `json:"name"`
	Level      string    `json:"level"`
	Indicator  string    `json:"indicator"`
	Title      string    `json:"title"`
	Stage      string    `json:"stage"`
	Weight     float64   `json:"weight"` // the indicator's weight under the policy
	Points     float64   `json:"points"` // points the finding added to the score
	Summary    string    `json:"summary"`
	Suppressed string    `json:"suppressed,omitempty"`
	Seen       time.Time `json:"seen,omitzero"`
	Observed   time.Time `json:"observed,omitzero"`
}

func (s *Server) apiFindings(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	var since time.Time
	if v := q.Get("since"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			apiError(w, http.StatusBadRequest, "since: want an RFC 3339 time")
			return
		}
		since = t
	}
	people, _, err := s.people(ctx, store.PeopleQuery{Indicator: q.Get("indicator"), Level: q.Get("level")})
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	marks, err := s.cfg.Work.FindingMarks(ctx)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	seen := map[string]store.FindingMark{}
	for _, m := range marks {
		seen[m.Person+"\x00"+m.Indicator] = m
	}
	out := []findingJSON{}
	for _, p := range people {
		for _, ind := range p.Indicators {
			if f := q.Get("indicator"); f != "" && ind.ID != f {
				continue
			}
			m := seen[p.ID+"\x00"+ind.ID]
			if !since.IsZero() && !m.Seen.After(since) {
				continue
			}
			out = append(out, findingJSON{Person: p.ID, Name: p.Name, Level: p.Level, Indicator: ind.ID, Title: ind.Name, Stage: ind.Stage,
				Weight: ind.Weight, Points: ind.Points, Summary: ind.Summary, Suppressed: ind.Suppressed, Seen: m.Seen, Observed: m.Observed})
		}
	}
	if err := s.audit(r, "people.findings", "findings", q.Encode()); err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"findings": out})
}

func (s *Server) apiCells(w http.ResponseWriter, r *http.Request) {
	cs, err := s.clusters(r.Context())
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"cells": nonNil(cs)})
}

func (s *Server) apiCell(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	c, err := s.cluster(r.Context(), id)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	if err := s.audit(r, "cell.view", "cell:"+cut(id, 100), "api"); err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// decodeBody reads a JSON request body into v, refusing unknown fields.
func decodeBody(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return invalid("request body: %v", err)
	}
	if dec.Decode(&struct{}{}) != io.EOF {
		return invalid("request body: one JSON object expected")
	}
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// apiIngest takes files as multipart/form-data (field "file") or one file
// as the raw body (?name=…&format=…); ?wait=true answers after the
// analysis finished.
func (s *Server) apiIngest(w http.ResponseWriter, r *http.Request) {
	var uploads []Upload
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		var err error
		if uploads, err = multipartUploads(r); err != nil {
			apiError(w, http.StatusBadRequest, err.Error())
			return
		}
	} else {
		q := r.URL.Query()
		name := q.Get("name")
		if name == "" {
			name = "api-upload"
		}
		uploads = []Upload{{Name: name, Format: q.Get("format"), Body: r.Body}}
	}
	wait := r.URL.Query().Get("wait") == "true"
	res, err := s.Ingest(r.Context(), uploads, wait)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			apiError(w, http.StatusRequestEntityTooLarge, "the upload is larger than the server accepts")
			return
		}
		s.fail(w, r, true, err)
		return
	}
	s.audit(r, "ingest", "api", ingestDetail(res)) //nolint:errcheck // logged inside
	code := http.StatusAccepted
	if wait {
		code = http.StatusOK
	}
	writeJSON(w, code, res)
}
