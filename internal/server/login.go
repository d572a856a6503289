package server

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/store"
)

type loginView struct {
	Token string // the pre-sign-in CSRF token (double-submit cookie)
	Next  string
	Name  string
	Error string
}

// loginPage shows the sign-in form with a fresh pre-sign-in CSRF token,
// held in a cookie and in the form (double submit). Someone signed in sees
// it too, to sign in as someone else: the new session replaces theirs.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.showLogin(w, r, http.StatusOK, "", "")
}

func (s *Server) showLogin(w http.ResponseWriter, r *http.Request, code int, name, msg string) {
	tok, err := randomToken(24)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	http.SetCookie(w, s.cookie(s.loginCookie(), tok, 0))
	next := r.URL.Query().Get("next")
	if r.Method == http.MethodPost {
		next = r.PostFormValue("next")
	}
	s.render(w, r, code, "login", "Sign in", "", loginView{Token: tok, Next: safeNext(next), Name: plain(name), Error: msg})
}

// login checks a user name and password. Attempts are refused once a user
// name or a client address has too many recent failures; a good password
// starts a new session (any session id the browser already had is
// discarded) and every outcome is audited.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, err := r.Cookie(s.loginCookie())
	form := r.PostFormValue("login_token")
	if err != nil || c.Value == "" || form == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(form)) != 1 || !sameOrigin(r) {
		s.showLogin(w, r, http.StatusForbidden, "", "The sign-in form expired. Please try again.")
		return
	}
	name := strings.TrimSpace(r.PostFormValue("username"))
	pw := r.PostFormValue("password")
	addr := clientAddr(r)

	at, blocked, err := s.limiter.attempt(ctx, name, addr)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	if blocked {
		s.metrics.loginFailures.Inc()
		s.auditAs(ctx, "-", addr, "login.throttled", "user:"+cut(name, 64), "")
		w.Header().Set("Retry-After", strconv.Itoa(int(s.cfg.LoginWindow.Seconds())))
		s.showLogin(w, r, http.StatusTooManyRequests, name,
			"Too many failed sign-ins. Wait "+strconv.Itoa(int(s.cfg.LoginWindow.Minutes()))+" minutes and try again.")
		return
	}

	ok := false
	u, err := s.cfg.Work.User(ctx, name)
	switch {
	case err == nil && !u.Disabled:
		ok, err = s.limiter.checkPassword(ctx, u.PasswordHash, pw)
		if err != nil {
			s.log.Error("password hash", "user", u.Name, "err", err)
		}
	case err == nil || errors.Is(err, store.ErrNotFound):
		s.limiter.checkPassword(ctx, dummyHash(), pw) //nolint:errcheck // equal timing only
	default:
		s.fail(w, r, false, err)
		return
	}
	if !ok {
		// The attempt stays recorded as a failure.
		s.metrics.loginFailures.Inc()
		s.auditAs(ctx, "-", addr, "login.failure", "user:"+cut(name, 64), "")
		s.showLogin(w, r, http.StatusUnauthorized, name, "Wrong user name or password.")
		return
	}
	if err := s.limiter.succeeded(ctx, name, addr, at); err != nil {
		s.log.Error("clear login failures", "err", err)
	}
	if err := s.startSession(w, r, u.Name); err != nil {
		s.fail(w, r, false, err)
		return
	}
	http.SetCookie(w, s.cookie(s.loginCookie(), "", -1))
	if err := s.cfg.Work.SetUserSeen(ctx, u.Name, s.now(), time.Time{}); err != nil {
		s.log.Warn("record sign-in", "err", err)
	}
	s.auditAs(ctx, u.Name, addr, "login.success", "user:"+u.Name, "")
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

// logout ends the session.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	p := who(r)
	if p.Session != nil {
		if err := s.cfg.Work.DeleteSession(r.Context(), p.Session.ID); err != nil {
			s.fail(w, r, false, err)
			return
		}
	}
	http.SetCookie(w, s.cookie(s.sessionCookie(), "", -1))
	s.audit(r, "logout", "user:"+p.User, "") //nolint:errcheck // logged inside
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// audit appends an entry for the request's principal. Handlers that show
// personal data fail when it cannot be written.
func (s *Server) audit(r *http.Request, action, target, detail string) error {
	return s.auditAs(r.Context(), who(r).actor(), clientAddr(r), action, target, detail)
}

func (s *Server) auditAs(ctx context.Context, actor, addr, action, target, detail string) error {
	err := s.cfg.Work.AppendAudit(ctx, store.AuditEntry{Time: s.now(), Actor: actor, Action: action, Target: target,
		Detail: detail, Addr: addr})
	if err != nil {
		s.log.Error("audit log", "action", action, "err", err)
	}
	return err
}
