package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/store"
)

// principal is who is making a request: a user signed in through a session
// cookie, or a user's API token.
type principal struct {
	User    string
	Role    string
	Session *store.Session // nil for API tokens
	Token   *store.Token   // nil for sessions
}

// actor is how the audit log names the principal.
func (p *principal) actor() string {
	if p == nil {
		return "-"
	}
	if p.Token != nil {
		return p.User + " (token " + p.Token.Prefix + ")"
	}
	return p.User
}

// can reports whether the principal's role admits a.
func (p *principal) can(a access) bool {
	if a == accessPublic {
		return true
	}
	return p != nil && store.RoleRank(p.Role) >= a.rank()
}

type ctxKey struct{}

// who returns the request's principal, or nil.
func who(r *http.Request) *principal {
	p, _ := r.Context().Value(ctxKey{}).(*principal)
	return p
}

// touchEvery bounds how often a session's or token's last use is written.
const touchEvery = time.Minute

// Cookie names. Under TLS the __Host- prefix makes the browser refuse them
// unless Secure, host-only and for path "/".
func (s *Server) sessionCookie() string {
	if s.cfg.TLS {
		return "__Host-rollcall_session"
	}
	return "rollcall_session"
}

func (s *Server) loginCookie() string {
	if s.cfg.TLS {
		return "__Host-rollcall_login"
	}
	return "rollcall_login"
}

// hashSecret is the stored id of a session or token secret.
func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// authenticate finds the request's principal: an API token in the
// Authorization header, else a session cookie. It returns nil when there
// is none or it is not valid (unknown, expired, idle, or its user is
// disabled).
func (s *Server) authenticate(r *http.Request) *principal {
	ctx, now := r.Context(), s.now()
	if h := r.Header.Get("Authorization"); h != "" {
		secret, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || secret == "" {
			return nil
		}
		tok, err := s.cfg.Work.Token(ctx, hashSecret(strings.TrimSpace(secret)))
		if err != nil || (!tok.Expires.IsZero() && !now.Before(tok.Expires)) {
			return nil
		}
		u, err := s.cfg.Work.User(ctx, tok.User)
		if err != nil || u.Disabled {
			return nil
		}
		if now.Sub(tok.LastUsed) > touchEvery {
			if err := s.cfg.Work.TouchToken(ctx, tok.ID, now); err != nil {
				s.log.Warn("touch token", "err", err)
			}
		}
		return &principal{User: u.Name, Role: u.Role, Token: &tok}
	}
	c, err := r.Cookie(s.sessionCookie())
	if err != nil || c.Value == "" {
		return nil
	}
	se, err := s.cfg.Work.Session(ctx, hashSecret(c.Value))
	if err != nil {
		return nil
	}
	if !now.Before(se.Expires) || now.Sub(se.LastSeen) > s.cfg.IdleTimeout {
		if err := s.cfg.Work.DeleteSession(ctx, se.ID); err != nil {
			s.log.Warn("delete expired session", "err", err)
		}
		return nil
	}
	u, err := s.cfg.Work.User(ctx, se.User)
	if err != nil || u.Disabled {
		return nil
	}
	if now.Sub(se.LastSeen) > touchEvery {
		if err := s.cfg.Work.TouchSession(ctx, se.ID, now); err != nil {
			s.log.Warn("touch session", "err", err)
		}
	}
	return &principal{User: u.Name, Role: u.Role, Session: &se}
}

// checkCSRF reports whether a state-changing request carries its session's
// CSRF token (form field "csrf" or header X-CSRF-Token) and does not come
// from another site. Requests with an API token carry no ambient
// credentials, so they need no CSRF token.
func (s *Server) checkCSRF(r *http.Request, p *principal) bool {
	if p == nil || p.Session == nil {
		return true
	}
	if !sameOrigin(r) {
		return false
	}
	tok := r.Header.Get("X-CSRF-Token")
	if tok == "" {
		tok = r.PostFormValue("csrf")
	}
	return tok != "" && subtle.ConstantTimeCompare([]byte(tok), []byte(p.Session.CSRF)) == 1
}

// sameOrigin rejects requests a browser marks as coming from another site
// (Sec-Fetch-Site) or whose Origin names another host.
func sameOrigin(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "cross-site", "same-site":
		return false
	}
	if o := r.Header.Get("Origin"); o != "" && o != "null" {
		u, err := url.Parse(o)
		if err != nil || !strings.EqualFold(u.Host, r.Host) {
			return false
		}
	}
	return true
}

// startSession signs user in: any session the request already carries is
// ended (so that a session id planted before sign-in is worthless) and a
// new one with a fresh id and CSRF token is set.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, user string) error {
	ctx, now := r.Context(), s.now()
	if c, err := r.Cookie(s.sessionCookie()); err == nil && c.Value != "" {
		if err := s.cfg.Work.DeleteSession(ctx, hashSecret(c.Value)); err != nil {
			return err
		}
	}
	secret, err := randomToken(32)
	if err != nil {
		return err
	}
	csrf, err := randomToken(32)
	if err != nil {
		return err
	}
	se := store.Session{ID: hashSecret(secret), User: user, CSRF: csrf, Created: now, LastSeen: now,
		Expires: now.Add(s.cfg.SessionTTL), Addr: clientAddr(r)}
	if err := s.cfg.Work.CreateSession(ctx, se); err != nil {
		return err
	}
	http.SetCookie(w, s.cookie(s.sessionCookie(), secret, s.cfg.SessionTTL))
	return nil
}

// cookie builds an HttpOnly, SameSite=Strict cookie, Secure under TLS. A
// negative maxAge deletes it; zero makes it last for the browser session.
func (s *Server) cookie(name, value string, maxAge time.Duration) *http.Cookie {
	c := &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, Secure: s.cfg.TLS, SameSite: http.SameSiteStrictMode}
	switch {
	case maxAge < 0:
		c.MaxAge, c.Value = -1, ""
	case maxAge > 0:
		c.MaxAge = int(maxAge / time.Second)
	}
	return c
}

// clientAddr is the client's IP address (no port).
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// safeNext returns next when it is a path on this server, else "/": the
// sign-in page must not become an open redirect.
func safeNext(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n\t") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "/"
	}
	return next
}

// loginLimiter refuses sign-in attempts after too many recent failures for
// one user name or from one client address. Failures are kept in the
// database, so every replica sees them. An attempt is recorded as a
// failure before its password is checked and counted with it, so that
// attempts made in parallel cannot all pass the limit; one that succeeds
// is forgotten. It also bounds how many password hashes are computed at
// once (each argon2id hash takes 46 MiB).
type loginLimiter struct {
	work      store.Accounts
	now       func() time.Time
	userLimit int
	addrLimit int
	window    time.Duration
	hashing   chan struct{} // one slot per password hash computed at once
}

func newLoginLimiter(work store.Accounts, now func() time.Time, userLimit, addrLimit int, window time.Duration) *loginLimiter {
	return &loginLimiter{work: work, now: now, userLimit: userLimit, addrLimit: addrLimit, window: window,
		hashing: make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))}
}

func userKey(name string) string {
	name = strings.ToLower(strings.TrimSpace(name))
	if len(name) > 64 {
		name = name[:64]
	}
	return "user:" + name
}

func addrKey(addr string) string { return "addr:" + addr }

// attempt records an attempt for user from addr and reports whether it
// must be refused: the failures in the window, this attempt included, pass
// a limit. A refused attempt is forgotten (it checks no password). at
// identifies the attempt for succeeded.
func (l *loginLimiter) attempt(ctx context.Context, user, addr string) (at time.Time, blocked bool, err error) {
	at = l.now()
	uk, ak := userKey(user), addrKey(addr)
	if err := errors.Join(l.work.AddLoginFailure(ctx, uk, at), l.work.AddLoginFailure(ctx, ak, at)); err != nil {
		return at, false, err
	}
	since := at.Add(-l.window)
	nu, err := l.work.LoginFailures(ctx, uk, since)
	if err != nil {
		return at, false, err
	}
	na, err := l.work.LoginFailures(ctx, ak, since)
	if err != nil {
		return at, false, err
	}
	if nu > l.userLimit || na > l.addrLimit {
		return at, true, errors.Join(l.work.ForgetLoginFailure(ctx, uk, at), l.work.ForgetLoginFailure(ctx, ak, at))
	}
	return at, false, nil
}

// succeeded forgets the user's failures and this attempt's address entry.
func (l *loginLimiter) succeeded(ctx context.Context, user, addr string, at time.Time) error {
	return errors.Join(l.work.ClearLoginFailures(ctx, userKey(user), l.now().Add(-l.window)),
		l.work.ForgetLoginFailure(ctx, addrKey(addr), at))
}

// errBusy is returned when the request ended while waiting to hash.
var errBusy = errors.New("too many password checks at once; try again")

// hash runs fn, which computes a password hash, once a hashing slot is
// free, or returns errBusy when ctx ends first.
func (l *loginLimiter) hash(ctx context.Context, fn func()) error {
	select {
	case l.hashing <- struct{}{}:
	case <-ctx.Done():
		return errBusy
	}
	defer func() { <-l.hashing }()
	fn()
	return nil
}

// checkPassword is CheckPassword within the hashing bound.
func (l *loginLimiter) checkPassword(ctx context.Context, encoded, pw string) (ok bool, err error) {
	if herr := l.hash(ctx, func() { ok, err = CheckPassword(encoded, pw) }); herr != nil {
		return false, herr
	}
	return ok, err
}

// hashPassword is HashPassword within the hashing bound.
func (l *loginLimiter) hashPassword(ctx context.Context, pw string) (h string, err error) {
	if herr := l.hash(ctx, func() { h, err = HashPassword(pw) }); herr != nil {
		return "", herr
	}
	return h, err
}
