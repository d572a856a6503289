package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect/list"
	"github.com/rollcall/rollcall/internal/store"
)

// tokenPrefixLen is how much of a token's secret is kept to tell tokens
// apart ("rc_" and 8 characters).
const tokenPrefixLen = 11

type accountView struct {
	User      store.User
	Tokens    []store.Token
	NewSecret string // shown once, right after creation
	Error     string
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) {
	s.showAccount(w, r, http.StatusOK, "", "")
}

func (s *Server) showAccount(w http.ResponseWriter, r *http.Request, code int, secret, msg string) {
	p := who(r)
	u, err := s.cfg.Work.User(r.Context(), p.User)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	toks, err := s.cfg.Work.Tokens(r.Context(), p.User)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	s.render(w, r, code, "account", "Account", "account", accountView{User: u, Tokens: toks, NewSecret: secret, Error: msg})
}

// changePassword checks the current password, sets the new one and ends
// every other session of the user.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	ctx, p := r.Context(), who(r)
	if p.Session == nil {
		s.forbidden(w, r, false, "sign in with a password to change it")
		return
	}
	u, err := s.cfg.Work.User(ctx, p.User)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	// The current-password check is throttled like a sign-in: a stolen
	// session must not become an oracle for guessing the password.
	addr := clientAddr(r)
	at, blocked, err := s.limiter.attempt(ctx, u.Name, addr)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	if blocked {
		s.metrics.loginFailures.Inc()
		w.Header().Set("Retry-After", strconv.Itoa(int(s.cfg.LoginWindow.Seconds())))
		s.showAccount(w, r, http.StatusTooManyRequests, "", "Too many wrong passwords. Wait and try again.")
		return
	}
	if ok, _ := s.limiter.checkPassword(ctx, u.PasswordHash, r.PostFormValue("current")); !ok {
		s.metrics.loginFailures.Inc()
		s.audit(r, "user.password.failure", "user:"+u.Name, "") //nolint:errcheck // logged inside
		s.showAccount(w, r, http.StatusBadRequest, "", "The current password is wrong.")
		return
	}
	if err := s.limiter.succeeded(ctx, u.Name, addr, at); err != nil {
		s.log.Error("clear login failures", "err", err)
	}
	pw := r.PostFormValue("new")
	if pw != r.PostFormValue("repeat") {
		s.showAccount(w, r, http.StatusBadRequest, "", "The new passwords differ.")
		return
	}
	if err := CheckPasswordPolicy(pw); err != nil {
		s.showAccount(w, r, http.StatusBadRequest, "", err.Error())
		return
	}
	if u.PasswordHash, err = s.limiter.hashPassword(ctx, pw); err != nil {
		s.fail(w, r, false, err)
		return
	}
	if err := s.cfg.Work.UpdateUser(ctx, u); err != nil {
		s.fail(w, r, false, err)
		return
	}
	if err := RevokeCredentials(ctx, s.cfg.Work, u.Name); err != nil {
		s.fail(w, r, false, err)
		return
	}
	if err := s.startSession(w, r, u.Name); err != nil {
		s.fail(w, r, false, err)
		return
	}
	s.audit(r, "user.password", "user:"+u.Name, "") //nolint:errcheck // logged inside
	http.Redirect(w, r, "/account?done=password-changed", http.StatusSeeOther)
}

// newToken creates an API token for user and returns its secret.
func (s *Server) newToken(ctx context.Context, user, name string, days int) (string, store.Token, error) {
	secret, err := randomToken(32)
	if err != nil {
		return "", store.Token{}, err
	}
	secret = "rc_" + secret
	t := store.Token{ID: hashSecret(secret), Prefix: secret[:tokenPrefixLen], Name: cut(name, 80), User: user, Created: s.now()}
	if days > 0 {
		t.Expires = t.Created.Add(time.Duration(days) * 24 * time.Hour)
	}
	if err := s.cfg.Work.CreateToken(ctx, t); err != nil {
		return "", t, err
	}
	return secret, t, nil
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	p := who(r)
	days, err := strconv.Atoi(r.PostFormValue("days"))
	if err != nil || days < 0 || days > 3650 {
		days = 90
	}
	secret, t, err := s.newToken(r.Context(), p.User, r.PostFormValue("name"), days)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	s.audit(r, "token.create", "user:"+p.User, t.Prefix) //nolint:errcheck // logged inside
	s.showAccount(w, r, http.StatusOK, secret, "")
}

func (s *Server) deleteToken(w http.ResponseWriter, r *http.Request) {
	p := who(r)
	owner := p.User
	if p.can(accessAdmin) {
		owner = "" // admins may revoke anyone's token
	}
	prefix := r.PathValue("prefix")
	if err := s.cfg.Work.DeleteToken(r.Context(), owner, prefix); err != nil {
		s.fail(w, r, false, err)
		return
	}
	s.audit(r, "token.delete", "token:"+cut(prefix, 20), "") //nolint:errcheck // logged inside
	back := "/account?done=token-deleted"
	if r.PostFormValue("back") == "users" {
		back = "/admin/users?done=token-deleted"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

type usersView struct {
	Users  []store.User
	Tokens []store.Token
	Roles  []string
	Error  string
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) {
	s.showUsers(w, r, http.StatusOK, "")
}

func (s *Server) showUsers(w http.ResponseWriter, r *http.Request, code int, msg string) {
	users, err := s.cfg.Work.Users(r.Context())
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	toks, err := s.cfg.Work.Tokens(r.Context(), "")
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	s.render(w, r, code, "users", "Users", "users", usersView{Users: users, Tokens: toks, Roles: store.Roles, Error: msg})
}

// addUser creates a user after checking the password policy.
func (s *Server) addUser(ctx context.Context, name, role, pw string) (store.User, error) {
	if err := CheckPasswordPolicy(pw); err != nil {
		return store.User{}, fmt.Errorf("%w: %w", store.ErrInvalid, err)
	}
	hash, err := s.limiter.hashPassword(ctx, pw)
	if err != nil {
		return store.User{}, err
	}
	u := store.User{Name: name, Role: role, PasswordHash: hash, Created: s.now()}
	return u, s.cfg.Work.CreateUser(ctx, u)
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSpace(r.PostFormValue("name"))
	u, err := s.addUser(r.Context(), name, r.PostFormValue("role"), r.PostFormValue("password"))
	if err != nil {
		if statusOf(err) == http.StatusInternalServerError {
			s.fail(w, r, false, err)
			return
		}
		s.showUsers(w, r, statusOf(err), userError(err))
		return
	}
	s.audit(r, "user.create", "user:"+u.Name, "role "+u.Role) //nolint:errcheck // logged inside
	http.Redirect(w, r, "/admin/users?done=user-created", http.StatusSeeOther)
}

// userError explains a refused user change without internal detail.
func userError(err error) string {
	switch {
	case errors.Is(err, store.ErrExists):
		return "A user with that name exists."
	case errors.Is(err, errLastAdmin):
		return errLastAdmin.Error()
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && errors.Is(err, store.ErrInvalid) {
		msg = strings.TrimSuffix(msg, ": "+store.ErrInvalid.Error())
	}
	return plain(msg)
}

var errLastAdmin = errors.New("that would leave no enabled admin")

// updateUser changes a user's role, disables or enables them, or sets a
// new password. Disabling or a new password ends the user's sessions.
func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u, err := s.cfg.Work.User(ctx, r.PathValue("name"))
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	var changes []string
	if role := r.PostFormValue("role"); role != "" && role != u.Role {
		changes = append(changes, "role "+u.Role+" → "+role)
		u.Role = role
	}
	if disabled := r.PostFormValue("disabled") == "on"; disabled != u.Disabled {
		changes = append(changes, "disabled "+strconv.FormatBool(disabled))
		u.Disabled = disabled
	}
	if pw := r.PostFormValue("password"); pw != "" {
		if err := CheckPasswordPolicy(pw); err != nil {
			s.showUsers(w, r, http.StatusBadRequest, err.Error())
			return
		}
		if u.PasswordHash, err = s.limiter.hashPassword(ctx, pw); err != nil {
			s.fail(w, r, false, err)
			return
		}
		changes = append(changes, "password reset")
	}
	if err := s.keepAnAdmin(ctx, u); err != nil {
		s.showUsers(w, r, http.StatusBadRequest, userError(err))
		return
	}
	if err := s.cfg.Work.UpdateUser(ctx, u); err != nil {
		s.showUsers(w, r, statusOf(err), userError(err))
		return
	}
	if u.Disabled || slices.Contains(changes, "password reset") {
		if err := RevokeCredentials(ctx, s.cfg.Work, u.Name); err != nil {
			s.fail(w, r, false, err)
			return
		}
	}
	s.audit(r, "user.update", "user:"+u.Name, strings.Join(changes, "; ")) //nolint:errcheck // logged inside
	http.Redirect(w, r, "/admin/users?done=user-updated", http.StatusSeeOther)
}

// keepAnAdmin refuses a change to u that leaves no enabled admin.
func (s *Server) keepAnAdmin(ctx context.Context, u store.User) error {
	return KeepAnAdmin(ctx, s.cfg.Work, u)
}

// KeepAnAdmin refuses a change to u that would leave work without an
// enabled admin account, with an error that says so.
func KeepAnAdmin(ctx context.Context, work store.Workbench, u store.User) error {
	if u.Role == store.RoleAdmin && !u.Disabled {
		return nil
	}
	users, err := work.Users(ctx)
	if err != nil {
		return err
	}
	for _, o := range users {
		if o.Name != u.Name && o.Role == store.RoleAdmin && !o.Disabled {
			return nil
		}
	}
	return errLastAdmin
}

type auditView struct {
	Entries       []store.AuditEntry
	Actor, Action string
	Target        string
	NextURL       string
	Actions       []string
}

// auditActions are the actions the audit log records, for the filter.
var auditActions = []string{"login.", "logout", "person.", "cell.", "people.", "case.", "suppression.", "ingest",
	"export.", "user.", "token."}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	aq := store.AuditQuery{Actor: q.Get("actor"), Action: q.Get("action"), Target: q.Get("target"),
		Before: int64(intParam(r, "before", 0)), Limit: DefaultPageSize * 2}
	entries, err := s.cfg.Work.AuditLog(r.Context(), aq)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	v := auditView{Entries: entries, Actor: plain(aq.Actor), Action: plain(aq.Action), Target: plain(aq.Target), Actions: auditActions}
	if len(entries) == aq.Limit {
		next := url.Values{"actor": {aq.Actor}, "action": {aq.Action}, "target": {aq.Target},
			"before": {strconv.FormatInt(entries[len(entries)-1].Seq, 10)}}
		v.NextURL = "/audit?" + next.Encode()
	}
	s.render(w, r, http.StatusOK, "audit", "Audit log", "audit", v)
}

type policyView struct {
	Levels       []levelThreshold
	Weights      []weightRow
	StageDecay   float64
	Bonus        float64
	Suppressions []store.Suppression
	AllowCounts  []labelCount
}

type levelThreshold struct {
	Level string
	Min   float64
}

type weightRow struct {
	ID, Name, Stage, Strength string
	Weight                    float64
	FromPolicy, Weak          bool
}

type labelCount struct {
	Label string
	Count int
}

// policyPage shows the scoring policy in force and every suppression.
func (s *Server) policyPage(w http.ResponseWriter, r *http.Request) {
	pol := s.cfg.Policy
	v := policyView{
		Levels: []levelThreshold{{"low", pol.Levels.Low}, {"medium", pol.Levels.Medium}, {"high", pol.Levels.High},
			{"critical", pol.Levels.Critical}},
		StageDecay: pol.StageDecay,
		Bonus:      pol.Cluster.Bonus,
		AllowCounts: []labelCount{{"sanctioned VPN networks", len(pol.Allow.VPNASNs)}, {"egress ranges", len(pol.Allow.Egress)},
			{"approved travel", len(pol.Allow.Travel)}, {"shared addresses", len(pol.Allow.SharedAddresses)},
			{"sanctioned tools", len(pol.Allow.Tools)}, {"person suppressions in the policy file", len(pol.Allow.People)}},
	}
	for _, ind := range list.Indicators() {
		wt, fromPolicy := pol.Weight(ind.ID())
		if !fromPolicy {
			wt = ind.Weight()
		}
		v.Weights = append(v.Weights, weightRow{ID: ind.ID(), Name: ind.Name(), Stage: string(ind.Stage()),
			Strength: string(ind.Strength()), Weight: wt, FromPolicy: fromPolicy, Weak: pol.IsWeak(ind.ID())})
	}
	sups, err := s.cfg.Work.Suppressions(r.Context(), "")
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	v.Suppressions = sups
	s.render(w, r, http.StatusOK, "policy", "Policy", "policy", v)
}

// RevokeCredentials ends every session of user and revokes their API
// tokens: after a password change or reset, nothing obtained with the old
// password keeps working.
func RevokeCredentials(ctx context.Context, work store.Accounts, user string) error {
	if err := work.DeleteUserSessions(ctx, user); err != nil {
		return err
	}
	toks, err := work.Tokens(ctx, user)
	if err != nil {
		return err
	}
	for _, t := range toks {
		if err := work.DeleteToken(ctx, user, t.Prefix); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	return nil
}
