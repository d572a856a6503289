package server

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/store"
)

// Case work shared by the UI and the API. Every change is audited; a
// benign verdict may suppress indicators of the people the case is about,
// and suppressing or revoking queues an analysis.

// Limits on analyst-entered text.
const (
	maxTitle   = 200
	maxComment = 10000
	maxReason  = 2000
)

// suppressRequest asks a benign verdict to suppress one indicator for one
// person.
type suppressRequest struct {
	Person    string `json:"person"`
	Indicator string `json:"indicator"`
}

// invalid wraps a message for the analyst as a store.ErrInvalid error.
func invalid(format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), store.ErrInvalid)
}

// subjectPeople returns the people a case is about: the person, or the
// cell's members.
func (s *Server) subjectPeople(ctx context.Context, subject, id string) ([]report.Person, error) {
	switch subject {
	case store.SubjectPerson:
		p, err := s.person(ctx, id)
		if err != nil {
			return nil, err
		}
		return []report.Person{p}, nil
	case store.SubjectCell:
		c, err := s.cluster(ctx, id)
		if err != nil {
			return nil, err
		}
		var out []report.Person
		for _, m := range c.Members {
			p, err := s.person(ctx, m)
			if err != nil {
				continue // no longer scored: nothing to suppress
			}
			out = append(out, p)
		}
		return out, nil
	}
	return nil, invalid("case subject %q: want person or cell", subject)
}

func (s *Server) openCase(ctx context.Context, p *principal, addr, subject, subjectID, title string) (store.Case, error) {
	if _, err := s.subjectPeople(ctx, subject, subjectID); err != nil {
		return store.Case{}, err
	}
	title = cut(title, maxTitle)
	if title == "" {
		title = subject + " " + subjectID
	}
	now := s.now()
	c, err := s.cfg.Work.CreateCase(ctx, store.Case{Title: title, Subject: subject, SubjectID: subjectID, Status: store.CaseOpen,
		Assignee: p.User, CreatedBy: p.User, Created: now, Updated: now})
	if err != nil {
		return c, err
	}
	s.auditAs(ctx, p.actor(), addr, "case.create", caseTarget(c.ID), subject+":"+cut(subjectID, 100)) //nolint:errcheck // logged inside
	return c, nil
}

func caseTarget(id int64) string { return "case:" + strconv.FormatInt(id, 10) }

// casePatch is a change to a case; nil fields stay as they are.
type casePatch struct {
	Title    *string `json:"title"`
	Status   *string `json:"status"`
	Assignee *string `json:"assignee"`
}

func (s *Server) editCase(ctx context.Context, p *principal, addr string, id int64, patch casePatch) (store.Case, error) {
	c, err := s.cfg.Work.Case(ctx, id)
	if err != nil {
		return c, err
	}
	var changes []string
	if patch.Title != nil && cut(*patch.Title, maxTitle) != c.Title {
		c.Title = cut(*patch.Title, maxTitle)
		changes = append(changes, "title")
	}
	if patch.Status != nil && *patch.Status != c.Status {
		c.Status = *patch.Status
		changes = append(changes, "status "+plain(c.Status))
	}
	if patch.Assignee != nil && *patch.Assignee != c.Assignee {
		if a := *patch.Assignee; a != "" {
			u, err := s.cfg.Work.User(ctx, a)
			if err != nil || store.RoleRank(u.Role) < accessAnalyst.rank() || u.Disabled {
				return c, invalid("assignee %q is not an enabled analyst or admin", cut(a, 64))
			}
		}
		c.Assignee = *patch.Assignee
		changes = append(changes, "assignee "+c.Assignee)
	}
	if len(changes) == 0 {
		return c, nil
	}
	c.Updated = s.now()
	if err := s.cfg.Work.UpdateCase(ctx, c); err != nil {
		return c, err
	}
	s.auditAs(ctx, p.actor(), addr, "case.update", caseTarget(c.ID), strings.Join(changes, "; ")) //nolint:errcheck // logged inside
	return c, nil
}

func (s *Server) comment(ctx context.Context, p *principal, addr string, id int64, body string) (store.Comment, error) {
	body = strings.TrimSpace(body)
	if body == "" {
		return store.Comment{}, invalid("the comment is empty")
	}
	if len(body) > maxComment {
		return store.Comment{}, invalid("the comment is longer than %d bytes", maxComment)
	}
	now := s.now()
	cm, err := s.cfg.Work.AddComment(ctx, store.Comment{Case: id, Author: p.User, Body: body, Created: now})
	if err != nil {
		return cm, err
	}
	if c, err := s.cfg.Work.Case(ctx, id); err == nil {
		c.Updated = now
		s.cfg.Work.UpdateCase(ctx, c) //nolint:errcheck // the comment is saved; ordering only
	}
	s.auditAs(ctx, p.actor(), addr, "case.comment", caseTarget(id), "") //nolint:errcheck // logged inside
	return cm, nil
}

// verdict records a verdict with its reason. A benign verdict may suppress
// indicators that fire on the people of the case; the analysis then
// reruns, and the suppressed indicators stop counting.
func (s *Server) verdict(ctx context.Context, p *principal, addr string, id int64, verdict, reason string, sup []suppressRequest) (store.Case, []store.Suppression, error) {
	c, err := s.cfg.Work.Case(ctx, id)
	if err != nil {
		return c, nil, err
	}
	reason = strings.TrimSpace(reason)
	if !slices.Contains(store.Verdicts, verdict) {
		return c, nil, invalid("verdict %q: want confirmed, benign or hr_review", cut(verdict, 40))
	}
	if reason == "" {
		return c, nil, invalid("a verdict needs a reason")
	}
	if len(reason) > maxReason {
		return c, nil, invalid("the reason is longer than %d bytes", maxReason)
	}
	if len(sup) > 0 && verdict != store.VerdictBenign {
		return c, nil, invalid("only a benign verdict can suppress indicators")
	}
	people, err := s.subjectPeople(ctx, c.Subject, c.SubjectID)
	if err != nil {
		return c, nil, err
	}
	for _, rq := range sup {
		if !fires(people, rq.Person, rq.Indicator) {
			return c, nil, invalid("indicator %q does not fire on %q in this case", cut(rq.Indicator, 20), cut(rq.Person, 64))
		}
	}
	now := s.now()
	c.Verdict, c.Reason, c.Updated = verdict, reason, now
	if err := s.cfg.Work.UpdateCase(ctx, c); err != nil {
		return c, nil, err
	}
	s.auditAs(ctx, p.actor(), addr, "case.verdict", caseTarget(c.ID), verdict+": "+cut(reason, 200)) //nolint:errcheck // logged inside
	var added []store.Suppression
	for _, rq := range sup {
		sp, err := s.cfg.Work.AddSuppression(ctx, store.Suppression{Person: rq.Person, Indicator: rq.Indicator, Reason: reason,
			Case: c.ID, CreatedBy: p.User, Created: now})
		if err != nil {
			return c, added, err
		}
		added = append(added, sp)
		s.auditAs(ctx, p.actor(), addr, "suppression.add", "person:"+cut(rq.Person, 100), rq.Indicator+" (case "+strconv.FormatInt(c.ID, 10)+")") //nolint:errcheck // logged inside
	}
	burned, err := s.burn(ctx, p, addr, c, people)
	if err != nil {
		return c, added, err
	}
	if len(added) > 0 || burned > 0 {
		s.analysis.request()
	}
	return c, added, nil
}

// fires reports whether indicator fired on person, one of people.
func fires(people []report.Person, person, indicator string) bool {
	for _, p := range people {
		if p.ID != person {
			continue
		}
		for _, ind := range p.Indicators {
			if ind.ID == indicator {
				return true
			}
		}
	}
	return false
}

func (s *Server) revoke(ctx context.Context, p *principal, addr string, id int64) error {
	sups, err := s.cfg.Work.Suppressions(ctx, "")
	if err != nil {
		return err
	}
	var target string
	for _, sp := range sups {
		if sp.ID == id {
			target = "person:" + cut(sp.Person, 100)
			if sp.Indicator != "" {
				target += " " + sp.Indicator
			}
		}
	}
	if err := s.cfg.Work.RevokeSuppression(ctx, id, p.User, s.now()); err != nil {
		return err
	}
	s.auditAs(ctx, p.actor(), addr, "suppression.revoke", target, "suppression "+strconv.FormatInt(id, 10)) //nolint:errcheck // logged inside
	s.analysis.request()
	return nil
}
