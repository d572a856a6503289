package server

import (
	"net/http"
	"strconv"

	"github.com/rollcall/rollcall/internal/store"
)

// caseJSON is a case with its comments and the suppressions it made.
type caseJSON struct {
	store.Case
	Comments     []store.Comment     `json:"comments"`
	Suppressions []store.Suppression `json:"suppressions"`
}

func (s *Server) apiCases(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	cs, err := s.cfg.Work.ListCases(r.Context(), store.CaseQuery{Status: q.Get("status"), Subject: q.Get("subject"),
		SubjectID: q.Get("subject_id"), Assignee: q.Get("assignee")})
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"cases": nonNil(cs)})
}

type newCaseJSON struct {
	Subject   string `json:"subject"`
	SubjectID string `json:"subject_id"`
	Title     string `json:"title"`
}

func (s *Server) apiCreateCase(w http.ResponseWriter, r *http.Request) {
	var in newCaseJSON
	if err := decodeBody(r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	c, err := s.openCase(r.Context(), who(r), clientAddr(r), in.Subject, in.SubjectID, in.Title)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	s.writeCase(w, r, http.StatusCreated, c)
}

func (s *Server) writeCase(w http.ResponseWriter, r *http.Request, code int, c store.Case) {
	ctx := r.Context()
	out := caseJSON{Case: c, Suppressions: []store.Suppression{}}
	var err error
	if out.Comments, err = s.cfg.Work.Comments(ctx, c.ID); err != nil {
		s.fail(w, r, true, err)
		return
	}
	out.Comments = nonNil(out.Comments)
	sups, err := s.cfg.Work.Suppressions(ctx, "")
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	for _, sp := range sups {
		if sp.Case == c.ID {
			out.Suppressions = append(out.Suppressions, sp)
		}
	}
	writeJSON(w, code, out)
}

func (s *Server) apiCase(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	c, err := s.cfg.Work.Case(r.Context(), id)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	s.writeCase(w, r, http.StatusOK, c)
}

func (s *Server) apiUpdateCase(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	var patch casePatch
	if err := decodeBody(r, &patch); err != nil {
		s.fail(w, r, true, err)
		return
	}
	c, err := s.editCase(r.Context(), who(r), clientAddr(r), id, patch)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	s.writeCase(w, r, http.StatusOK, c)
}

func (s *Server) apiAddComment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	var in struct {
		Body string `json:"body"`
	}
	if err := decodeBody(r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	cm, err := s.comment(r.Context(), who(r), clientAddr(r), id, in.Body)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusCreated, cm)
}

type verdictJSON struct {
	Verdict  string            `json:"verdict"`
	Reason   string            `json:"reason"`
	Suppress []suppressRequest `json:"suppress"`
}

func (s *Server) apiSetVerdict(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	var in verdictJSON
	if err := decodeBody(r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	c, _, err := s.verdict(r.Context(), who(r), clientAddr(r), id, in.Verdict, in.Reason, in.Suppress)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	s.writeCase(w, r, http.StatusOK, c)
}

func (s *Server) apiSuppressions(w http.ResponseWriter, r *http.Request) {
	sups, err := s.cfg.Work.Suppressions(r.Context(), r.URL.Query().Get("person"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"suppressions": nonNil(sups)})
}

func (s *Server) apiRevokeSuppression(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	if err := s.revoke(r.Context(), who(r), clientAddr(r), id); err != nil {
		s.fail(w, r, true, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	before, _ := strconv.ParseInt(q.Get("before"), 10, 64)
	entries, err := s.cfg.Work.AuditLog(r.Context(), store.AuditQuery{Actor: q.Get("actor"), Action: q.Get("action"),
		Target: q.Get("target"), Before: before, Limit: min(intParam(r, "limit", 100), maxAPILimit)})
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": nonNil(entries)})
}

func (s *Server) apiUsers(w http.ResponseWriter, r *http.Request) {
	users, err := s.cfg.Work.Users(r.Context())
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": nonNil(users)})
}

func (s *Server) apiCreateUser(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name     string `json:"name"`
		Role     string `json:"role"`
		Password string `json:"password"`
	}
	if err := decodeBody(r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	u, err := s.addUser(r.Context(), in.Name, in.Role, in.Password)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	s.audit(r, "user.create", "user:"+u.Name, "role "+u.Role) //nolint:errcheck // logged inside
	writeJSON(w, http.StatusCreated, u)
}
