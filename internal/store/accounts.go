package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// The analyst workbench (rollcall serve) keeps its own state beside the
// analysis results: local accounts, sessions and API tokens (Accounts),
// cases, comments and suppressions (Cases), the append-only audit log
// (Audit), and what each analysis run found and read (Analyses). Every
// backend that serves the workbench implements Workbench; like Store, every
// row belongs to the tenant the store was opened with. Sessions, login
// failures and the audit log live in the database so that several server
// replicas can share them.

// ErrExists is wrapped by errors about creating something whose key is
// already taken (a user name).
var ErrExists = errors.New("already exists")

// Workbench is everything rollcall serve persists besides Store.
type Workbench interface {
	Accounts
	Cases
	Audit
	Analyses
}

// Roles, from least to most privileged.
const (
	RoleViewer  = "viewer"  // aggregates only: no names, ids or evidence
	RoleAnalyst = "analyst" // people, evidence, cells, cases, ingest
	RoleAdmin   = "admin"   // everything, plus users and the audit log
)

// Roles lists the roles in order of privilege.
var Roles = []string{RoleViewer, RoleAnalyst, RoleAdmin}

// RoleRank orders roles: 1 viewer, 2 analyst, 3 admin, 0 for anything else.
func RoleRank(role string) int {
	for i, r := range Roles {
		if r == role {
			return i + 1
		}
	}
	return 0
}

// User is a local account. PasswordHash is an encoded argon2id hash (see
// internal/server/auth); it never leaves the server.
type User struct {
	Name         string    `json:"name"`
	Role         string    `json:"role"`
	PasswordHash string    `json:"-"`
	Disabled     bool      `json:"disabled"`
	Created      time.Time `json:"created"`
	LastLogin    time.Time `json:"last_login,omitzero"`
	// LastVisit is when the user last looked at the overview; findings
	// first seen after it are "new".
	LastVisit time.Time `json:"last_visit,omitzero"`
}

// Validate reports a user CreateUser must refuse; the error wraps ErrInvalid.
func (u User) Validate() error {
	if u.Name == "" || len(u.Name) > 64 {
		return fmt.Errorf("user name %q: want 1 to 64 characters: %w", u.Name, ErrInvalid)
	}
	for _, c := range u.Name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-' || c == '@') {
			return fmt.Errorf("user name %q: use letters, digits and . _ - @ only: %w", u.Name, ErrInvalid)
		}
	}
	if RoleRank(u.Role) == 0 {
		return fmt.Errorf("user role %q: want viewer, analyst or admin: %w", u.Role, ErrInvalid)
	}
	if u.PasswordHash == "" {
		return fmt.Errorf("user %q has no password: %w", u.Name, ErrInvalid)
	}
	return nil
}

// Session is a signed-in browser. ID is a hash of the cookie's secret, so
// that the table alone does not let anyone sign in.
type Session struct {
	ID       string
	User     string
	CSRF     string // the session's anti-CSRF token
	Created  time.Time
	LastSeen time.Time
	Expires  time.Time // absolute end of the session
	Addr     string    // client address at sign-in
}

// Token is an API token for automation. ID is a hash of the secret the
// caller presents as "Authorization: Bearer …".
type Token struct {
	ID       string    `json:"-"`
	Prefix   string    `json:"prefix"` // the secret's first characters, to tell tokens apart
	Name     string    `json:"name"`
	User     string    `json:"user"`
	Created  time.Time `json:"created"`
	Expires  time.Time `json:"expires,omitzero"` // zero: never
	LastUsed time.Time `json:"last_used,omitzero"`
}

// Accounts keeps users, sessions, API tokens and failed sign-ins.
type Accounts interface {
	// CreateUser adds u; the error wraps ErrExists when the name is taken
	// and ErrInvalid when u.Validate fails.
	CreateUser(ctx context.Context, u User) error
	// User returns one user; the error wraps ErrNotFound.
	User(ctx context.Context, name string) (User, error)
	// Users returns every user, by name.
	Users(ctx context.Context) ([]User, error)
	// UpdateUser replaces the role, password hash and disabled flag of the
	// user named u.Name; the error wraps ErrNotFound.
	UpdateUser(ctx context.Context, u User) error
	// SetUserSeen records a sign-in (login) or a look at the overview
	// (visit); zero times are left unchanged.
	SetUserSeen(ctx context.Context, name string, login, visit time.Time) error

	// CreateSession stores a new session.
	CreateSession(ctx context.Context, s Session) error
	// Session returns one session, expired or not; the error wraps
	// ErrNotFound.
	Session(ctx context.Context, id string) (Session, error)
	// TouchSession sets a session's LastSeen.
	TouchSession(ctx context.Context, id string, seen time.Time) error
	// DeleteSession ends one session; ending a missing session is not an
	// error.
	DeleteSession(ctx context.Context, id string) error
	// DeleteUserSessions ends every session of a user.
	DeleteUserSessions(ctx context.Context, user string) error
	// DeleteSessionsBefore removes sessions that expired before t or were
	// last seen before idle, and returns how many.
	DeleteSessionsBefore(ctx context.Context, t, idle time.Time) (int, error)

	// CreateToken stores a new API token.
	CreateToken(ctx context.Context, t Token) error
	// Token returns the token with this id; the error wraps ErrNotFound.
	Token(ctx context.Context, id string) (Token, error)
	// Tokens returns a user's tokens, or everyone's when user is empty,
	// newest first.
	Tokens(ctx context.Context, user string) ([]Token, error)
	// TouchToken sets a token's LastUsed.
	TouchToken(ctx context.Context, id string, used time.Time) error
	// DeleteToken revokes a token of user (any user's when user is
	// empty); the error wraps ErrNotFound when there is no such token.
	DeleteToken(ctx context.Context, user, prefix string) error

	// AddLoginFailure records a failed sign-in under key (a user name or a
	// client address).
	AddLoginFailure(ctx context.Context, key string, at time.Time) error
	// LoginFailures counts the failures recorded under key since t.
	LoginFailures(ctx context.Context, key string, since time.Time) (int, error)
	// ClearLoginFailures forgets key's failures (after a good sign-in) and
	// every failure older than before.
	ClearLoginFailures(ctx context.Context, key string, before time.Time) error
	// ForgetLoginFailure forgets one failure recorded under key at at: a
	// sign-in attempt is recorded before its password is checked (so that
	// parallel attempts cannot all pass the limit), and forgotten when it
	// turns out not to be a failure.
	ForgetLoginFailure(ctx context.Context, key string, at time.Time) error
}

// Case subjects.
const (
	SubjectPerson = "person"
	SubjectCell   = "cell"
)

// Case statuses.
const (
	CaseOpen   = "open"
	CaseClosed = "closed"
)

// Verdicts an analyst records on a case.
const (
	VerdictNone      = ""
	VerdictConfirmed = "confirmed" // confirmed operative
	VerdictBenign    = "benign"    // legitimate; may suppress indicators
	VerdictHRReview  = "hr_review" // needs HR review
)

// Verdicts lists the verdicts that can be recorded.
var Verdicts = []string{VerdictConfirmed, VerdictBenign, VerdictHRReview}

// Case is an investigation of one person or one cell.
type Case struct {
	ID        int64     `json:"id"`
	Title     string    `json:"title"`
	Subject   string    `json:"subject"`    // SubjectPerson or SubjectCell
	SubjectID string    `json:"subject_id"` // person or cell id
	Status    string    `json:"status"`
	Assignee  string    `json:"assignee"`
	Verdict   string    `json:"verdict"`
	Reason    string    `json:"reason"` // why the verdict
	CreatedBy string    `json:"created_by"`
	Created   time.Time `json:"created"`
	Updated   time.Time `json:"updated"`
}

// Validate reports a case CreateCase or UpdateCase must refuse; the error
// wraps ErrInvalid.
func (c Case) Validate() error {
	if c.Subject != SubjectPerson && c.Subject != SubjectCell {
		return fmt.Errorf("case subject %q: want person or cell: %w", c.Subject, ErrInvalid)
	}
	if c.SubjectID == "" {
		return fmt.Errorf("case has no subject id: %w", ErrInvalid)
	}
	if c.Status != CaseOpen && c.Status != CaseClosed {
		return fmt.Errorf("case status %q: want open or closed: %w", c.Status, ErrInvalid)
	}
	if c.Verdict != VerdictNone && c.Verdict != VerdictConfirmed && c.Verdict != VerdictBenign && c.Verdict != VerdictHRReview {
		return fmt.Errorf("case verdict %q: want confirmed, benign or hr_review: %w", c.Verdict, ErrInvalid)
	}
	return nil
}

// CaseQuery selects cases. Zero values select everything.
type CaseQuery struct {
	Status    string
	Subject   string
	SubjectID string
	Assignee  string
}

// Comment is one note on a case.
type Comment struct {
	ID      int64     `json:"id"`
	Case    int64     `json:"case"`
	Author  string    `json:"author"`
	Body    string    `json:"body"`
	Created time.Time `json:"created"`
}

// Suppression stops one indicator from counting for one person: a benign
// verdict with a reason. Analyses feed active suppressions into the
// policy's allow-list (policy.Allow.People). Revoking keeps the row.
type Suppression struct {
	ID        int64     `json:"id"`
	Person    string    `json:"person"`
	Indicator string    `json:"indicator"`
	Reason    string    `json:"reason"`
	Case      int64     `json:"case,omitempty"`
	CreatedBy string    `json:"created_by"`
	Created   time.Time `json:"created"`
	Expires   time.Time `json:"expires,omitzero"` // zero: never
	RevokedBy string    `json:"revoked_by,omitempty"`
	Revoked   time.Time `json:"revoked,omitzero"`
}

// Active reports whether the suppression is in force at t.
func (s Suppression) Active(t time.Time) bool {
	return s.Revoked.IsZero() && (s.Expires.IsZero() || t.Before(s.Expires))
}

// Cases keeps cases, their comments and the suppressions verdicts create.
type Cases interface {
	// CreateCase stores c (its ID is assigned) and returns it.
	CreateCase(ctx context.Context, c Case) (Case, error)
	// Case returns one case; the error wraps ErrNotFound.
	Case(ctx context.Context, id int64) (Case, error)
	// ListCases returns the matching cases, most recently updated first.
	ListCases(ctx context.Context, q CaseQuery) ([]Case, error)
	// UpdateCase replaces the title, status, assignee, verdict, reason and
	// updated time of case c.ID; the error wraps ErrNotFound.
	UpdateCase(ctx context.Context, c Case) error
	// AddComment stores a comment (its ID is assigned) and returns it; the
	// error wraps ErrNotFound when the case does not exist.
	AddComment(ctx context.Context, c Comment) (Comment, error)
	// Comments returns a case's comments, oldest first.
	Comments(ctx context.Context, caseID int64) ([]Comment, error)

	// AddSuppression stores s (its ID is assigned) and returns it.
	AddSuppression(ctx context.Context, s Suppression) (Suppression, error)
	// RevokeSuppression marks a suppression revoked; the error wraps
	// ErrNotFound when there is no such suppression that is not already
	// revoked.
	RevokeSuppression(ctx context.Context, id int64, by string, at time.Time) error
	// Suppressions returns the suppressions of person (everyone's when
	// empty), revoked ones included, newest first.
	Suppressions(ctx context.Context, person string) ([]Suppression, error)
}

// AuditEntry is one line of the audit log: who did what to which record.
type AuditEntry struct {
	Seq    int64     `json:"seq"` // assigned by AppendAudit, increasing
	Time   time.Time `json:"time"`
	Actor  string    `json:"actor"`  // user name, "token:<prefix>" or "-" before sign-in
	Action string    `json:"action"` // e.g. "person.view", "case.verdict", "login.failure"
	Target string    `json:"target"` // e.g. "person:E1042", "case:7"
	Detail string    `json:"detail"`
	Addr   string    `json:"addr"` // client address
}

// AuditQuery selects audit entries. Zero values select everything.
type AuditQuery struct {
	Actor  string
	Action string // exact action, or a prefix ending in "." ("person.")
	Target string
	Before int64 // only entries with Seq < Before (paging); 0: no bound
	Limit  int   // at most this many; 0 means 100
}

// Audit is the append-only audit log. Backends refuse updates and deletes
// of logged entries.
type Audit interface {
	// AppendAudit logs e (Seq is assigned).
	AppendAudit(ctx context.Context, e AuditEntry) error
	// AuditLog returns the matching entries, newest first.
	AuditLog(ctx context.Context, q AuditQuery) ([]AuditEntry, error)
}

// FindingMark records when the workbench first saw an indicator fire on a
// person (Seen, wall clock) and when the earliest record behind it
// happened (Observed, data time; zero when unknown).
type FindingMark struct {
	Person    string    `json:"person"`
	Indicator string    `json:"indicator"`
	Seen      time.Time `json:"seen"`
	Observed  time.Time `json:"observed,omitzero"`
}

// Coverage is what one source contributed to the stored events: how many,
// over which period, and how many per day, so that gaps are visible.
type Coverage struct {
	Source string         `json:"source"`
	Events int            `json:"events"`
	Files  int            `json:"files"`
	First  time.Time      `json:"first,omitzero"`
	Last   time.Time      `json:"last,omitzero"`
	Daily  map[string]int `json:"daily"` // "2006-01-02" (UTC) → events
}

// Analyses keeps what the workbench derives from each analysis run.
type Analyses interface {
	// MarkFindings records marks whose (person, indicator) is new and
	// leaves existing ones unchanged, so Seen is the first sighting.
	MarkFindings(ctx context.Context, marks []FindingMark) error
	// FindingMarks returns every mark, by Seen then person and indicator.
	FindingMarks(ctx context.Context) ([]FindingMark, error)
	// SetCoverage replaces the per-source coverage.
	SetCoverage(ctx context.Context, c []Coverage) error
	// Coverage returns the per-source coverage, by source.
	Coverage(ctx context.Context) ([]Coverage, error)
}
