package server

import (
	"net/http"
	"strings"

	"github.com/rollcall/rollcall/internal/store"
)

type casesView struct {
	Cases  []store.Case
	Status string
}

func (s *Server) casesPage(w http.ResponseWriter, r *http.Request) {
	status := r.URL.Query().Get("status")
	if status != store.CaseOpen && status != store.CaseClosed {
		status = ""
	}
	cs, err := s.cfg.Work.ListCases(r.Context(), store.CaseQuery{Status: status})
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	s.render(w, r, http.StatusOK, "cases", "Cases", "cases", casesView{Cases: cs, Status: status})
}

func (s *Server) createCase(w http.ResponseWriter, r *http.Request) {
	c, err := s.openCase(r.Context(), who(r), clientAddr(r), r.PostFormValue("subject"), r.PostFormValue("subject_id"), r.PostFormValue("title"))
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	http.Redirect(w, r, caseURL(c.ID)+"?done=case-created", http.StatusSeeOther)
}

type caseView struct {
	Case         store.Case
	SubjectURL   string
	Comments     []store.Comment
	People       []casePerson
	Suppressions []store.Suppression
	Assignees    []string
	Verdicts     []option
	Error        string
}

// casePerson is one person of the case with the indicators a benign
// verdict could suppress.
type casePerson struct {
	ID, Name   string
	Level      string
	Score      int
	Indicators []caseIndicator
}

type caseIndicator struct {
	ID, Name   string
	Suppressed bool
}

// casePage shows a case; reading it (the people it is about and their
// indicators) is audited.
func (s *Server) casePage(w http.ResponseWriter, r *http.Request) {
	if id, err := pathID(r, "id"); err == nil {
		if err := s.audit(r, "case.view", caseTarget(id), ""); err != nil {
			s.fail(w, r, false, err)
			return
		}
	}
	s.showCase(w, r, http.StatusOK, "")
}

func (s *Server) showCase(w http.ResponseWriter, r *http.Request, code int, msg string) {
	ctx := r.Context()
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	c, err := s.cfg.Work.Case(ctx, id)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	v := caseView{Case: c, Error: msg}
	if c.Subject == store.SubjectCell {
		v.SubjectURL = cellURL(c.SubjectID)
	} else {
		v.SubjectURL = personURL(c.SubjectID)
	}
	if v.Comments, err = s.cfg.Work.Comments(ctx, id); err != nil {
		s.fail(w, r, false, err)
		return
	}
	people, err := s.subjectPeople(ctx, c.Subject, c.SubjectID)
	if err != nil && statusOf(err) != http.StatusNotFound {
		s.fail(w, r, false, err)
		return
	}
	for _, p := range people {
		cp := casePerson{ID: plain(p.ID), Name: plain(p.Name), Level: levelClass(p.Level), Score: p.Score}
		for _, ind := range p.Indicators {
			cp.Indicators = append(cp.Indicators, caseIndicator{ID: plain(ind.ID), Name: plain(ind.Name), Suppressed: ind.Suppressed != ""})
		}
		v.People = append(v.People, cp)
	}
	sups, err := s.cfg.Work.Suppressions(ctx, "")
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	for _, sp := range sups {
		if sp.Case == id {
			v.Suppressions = append(v.Suppressions, sp)
		}
	}
	users, err := s.cfg.Work.Users(ctx)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	for _, u := range users {
		if store.RoleRank(u.Role) >= accessAnalyst.rank() && !u.Disabled {
			v.Assignees = append(v.Assignees, u.Name)
		}
	}
	v.Verdicts = []option{{store.VerdictConfirmed, verdictNames[store.VerdictConfirmed]}, {store.VerdictBenign, verdictNames[store.VerdictBenign]},
		{store.VerdictHRReview, verdictNames[store.VerdictHRReview]}}
	s.render(w, r, code, "case", "Case "+caseTitle(c), "cases", v)
}

func caseTitle(c store.Case) string {
	return "#" + caseTarget(c.ID)[len("case:"):] + " " + plain(c.Title)
}

// caseError shows an analyst's mistake on the case page, or fails.
func (s *Server) caseError(w http.ResponseWriter, r *http.Request, err error) {
	if code := statusOf(err); code == http.StatusBadRequest {
		msg := strings.TrimSuffix(err.Error(), ": "+store.ErrInvalid.Error())
		s.showCase(w, r, code, plain(msg))
		return
	}
	s.fail(w, r, false, err)
}

func (s *Server) updateCase(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, false, invalid("bad form"))
		return
	}
	var patch casePatch
	for name, field := range map[string]**string{"title": &patch.Title, "status": &patch.Status, "assignee": &patch.Assignee} {
		if _, ok := r.PostForm[name]; ok {
			v := r.PostFormValue(name)
			*field = &v
		}
	}
	if _, err := s.editCase(r.Context(), who(r), clientAddr(r), id, patch); err != nil {
		s.caseError(w, r, err)
		return
	}
	http.Redirect(w, r, caseURL(id)+"?done=case-updated", http.StatusSeeOther)
}

func (s *Server) addComment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	if _, err := s.comment(r.Context(), who(r), clientAddr(r), id, r.PostFormValue("body")); err != nil {
		s.caseError(w, r, err)
		return
	}
	http.Redirect(w, r, caseURL(id)+"?done=comment-added#comments", http.StatusSeeOther)
}

// setVerdict records a verdict; checked "suppress" boxes carry
// "PERSON|INDICATOR" pairs (indicator ids never hold "|").
func (s *Server) setVerdict(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, false, invalid("bad form"))
		return
	}
	var sup []suppressRequest
	for _, pair := range r.PostForm["suppress"] {
		i := strings.LastIndexByte(pair, '|')
		person, ind := pair[:max(i, 0)], pair[i+1:]
		if i < 0 {
			s.caseError(w, r, invalid("bad suppression %q", cut(pair, 80)))
			return
		}
		sup = append(sup, suppressRequest{Person: person, Indicator: ind})
	}
	if _, _, err := s.verdict(r.Context(), who(r), clientAddr(r), id, r.PostFormValue("verdict"), r.PostFormValue("reason"), sup); err != nil {
		s.caseError(w, r, err)
		return
	}
	http.Redirect(w, r, caseURL(id)+"?done=verdict-set", http.StatusSeeOther)
}

func (s *Server) revokeSuppression(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	if err := s.revoke(r.Context(), who(r), clientAddr(r), id); err != nil {
		s.fail(w, r, false, err)
		return
	}
	back := r.PostFormValue("back")
	if safeNext(back) != back || back == "/" {
		back = "/admin/policy"
		if !who(r).can(accessAdmin) {
			back = "/cases"
		}
	}
	sep := "?"
	if strings.Contains(back, "?") {
		sep = "&"
	}
	http.Redirect(w, r, back+sep+"done=suppression-revoke", http.StatusSeeOther)
}
