package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/rollcall/rollcall/internal/store"
)

// The workbench (store.Workbench) keeps its tables beside the analysis
// results: accounts.go (users, sessions, API tokens, failed sign-ins),
// cases.go (cases, comments, suppressions), audit.go (the append-only
// audit log) and analyses.go (finding marks, source coverage). Nothing is
// cached in the process, so every replica over the database reads what any
// replica wrote. Free text that may come from an adversary (audit entries,
// sign-in keys, comments) goes through pgText, so that bytes PostgreSQL
// text refuses never cost an audit entry or a counted failure.

var _ store.Workbench = (*Store)(nil)

// optTime is a nullable time column's value: NULL for the zero time.
func optTime(t time.Time) pgtype.Timestamptz {
	return pgtype.Timestamptz{Time: t, Valid: !t.IsZero()}
}

// timeScanner scans a timestamptz into *t, in UTC; NULL is the zero time.
type timeScanner struct{ t *time.Time }

// ScanTimestamptz implements pgtype.TimestamptzScanner.
func (s timeScanner) ScanTimestamptz(v pgtype.Timestamptz) error {
	if !v.Valid || v.InfinityModifier != pgtype.Finite {
		*s.t = time.Time{}
		return nil
	}
	*s.t = v.Time.UTC()
	return nil
}

// timeOf returns a scan destination for a time column.
func timeOf(t *time.Time) timeScanner { return timeScanner{t} }

// isUnique reports a unique or primary key violation.
func isUnique(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}

// exec runs one statement and returns the rows it affected.
func (s *Store) exec(ctx context.Context, query string, args ...any) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	tag, err := s.pool.Exec(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}

// CreateUser implements store.Accounts.
func (s *Store) CreateUser(ctx context.Context, u store.User) error {
	if err := u.Validate(); err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	_, err := s.exec(ctx, `INSERT INTO users (tenant, name, role, password_hash, disabled, created, last_login, last_visit)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		s.tenant, u.Name, u.Role, u.PasswordHash, u.Disabled, u.Created, optTime(u.LastLogin), optTime(u.LastVisit))
	if isUnique(err) {
		return fmt.Errorf("create user %q: %w", u.Name, store.ErrExists)
	}
	if err != nil {
		return fmt.Errorf("create user %q: %w", u.Name, err)
	}
	return nil
}

const userCols = `name, role, password_hash, disabled, created, last_login, last_visit`

func scanUser(row pgx.Row) (store.User, error) {
	var u store.User
	err := row.Scan(&u.Name, &u.Role, &u.PasswordHash, &u.Disabled, timeOf(&u.Created), timeOf(&u.LastLogin), timeOf(&u.LastVisit))
	return u, err
}

// User implements store.Accounts.
func (s *Store) User(ctx context.Context, name string) (store.User, error) {
	u, err := scanUser(s.pool.QueryRow(ctx, `SELECT `+userCols+` FROM users WHERE tenant = $1 AND name = $2`, s.tenant, pgText(name)))
	if err != nil {
		return store.User{}, fmt.Errorf("user %q: %w", name, notFound(err))
	}
	return u, nil
}

// Users implements store.Accounts.
func (s *Store) Users(ctx context.Context) ([]store.User, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+userCols+` FROM users WHERE tenant = $1 ORDER BY name`, s.tenant)
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.User, error) { return scanUser(row) })
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	return out, nil
}

// UpdateUser implements store.Accounts.
func (s *Store) UpdateUser(ctx context.Context, u store.User) error {
	if err := u.Validate(); err != nil {
		return fmt.Errorf("update user: %w", err)
	}
	n, err := s.exec(ctx, `UPDATE users SET role = $3, password_hash = $4, disabled = $5 WHERE tenant = $1 AND name = $2`,
		s.tenant, u.Name, u.Role, u.PasswordHash, u.Disabled)
	if err != nil {
		return fmt.Errorf("update user %q: %w", u.Name, err)
	}
	if n == 0 {
		return fmt.Errorf("update user %q: %w", u.Name, store.ErrNotFound)
	}
	return nil
}

// SetUserSeen implements store.Accounts.
func (s *Store) SetUserSeen(ctx context.Context, name string, login, visit time.Time) error {
	_, err := s.exec(ctx, `UPDATE users SET last_login = coalesce($3, last_login), last_visit = coalesce($4, last_visit)
		WHERE tenant = $1 AND name = $2`, s.tenant, pgText(name), optTime(login), optTime(visit))
	if err != nil {
		return fmt.Errorf("user %q seen: %w", name, err)
	}
	return nil
}

// CreateSession implements store.Accounts.
func (s *Store) CreateSession(ctx context.Context, se store.Session) error {
	if se.ID == "" || se.User == "" {
		return fmt.Errorf("create session: no id or user: %w", store.ErrInvalid)
	}
	_, err := s.exec(ctx, `INSERT INTO sessions (tenant, id, username, csrf, created, last_seen, expires, addr)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		s.tenant, se.ID, se.User, se.CSRF, se.Created, se.LastSeen, se.Expires, pgText(se.Addr))
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// Session implements store.Accounts.
func (s *Store) Session(ctx context.Context, id string) (store.Session, error) {
	var se store.Session
	err := s.pool.QueryRow(ctx, `SELECT id, username, csrf, created, last_seen, expires, addr
		FROM sessions WHERE tenant = $1 AND id = $2`, s.tenant, id).
		Scan(&se.ID, &se.User, &se.CSRF, timeOf(&se.Created), timeOf(&se.LastSeen), timeOf(&se.Expires), &se.Addr)
	if err != nil {
		return store.Session{}, fmt.Errorf("session: %w", notFound(err))
	}
	return se, nil
}

// TouchSession implements store.Accounts.
func (s *Store) TouchSession(ctx context.Context, id string, seen time.Time) error {
	if _, err := s.exec(ctx, `UPDATE sessions SET last_seen = $3 WHERE tenant = $1 AND id = $2`, s.tenant, id, seen); err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// DeleteSession implements store.Accounts.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	if _, err := s.exec(ctx, `DELETE FROM sessions WHERE tenant = $1 AND id = $2`, s.tenant, id); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions implements store.Accounts.
func (s *Store) DeleteUserSessions(ctx context.Context, user string) error {
	if _, err := s.exec(ctx, `DELETE FROM sessions WHERE tenant = $1 AND username = $2`, s.tenant, user); err != nil {
		return fmt.Errorf("delete sessions of %q: %w", user, err)
	}
	return nil
}

// DeleteSessionsBefore implements store.Accounts.
func (s *Store) DeleteSessionsBefore(ctx context.Context, t, idle time.Time) (int, error) {
	n, err := s.exec(ctx, `DELETE FROM sessions WHERE tenant = $1 AND (expires < $2 OR last_seen < $3)`, s.tenant, t, idle)
	if err != nil {
		return 0, fmt.Errorf("delete old sessions: %w", err)
	}
	return int(n), nil
}

// CreateToken implements store.Accounts.
func (s *Store) CreateToken(ctx context.Context, t store.Token) error {
	if t.ID == "" || t.Prefix == "" || t.User == "" {
		return fmt.Errorf("create token: no id, prefix or user: %w", store.ErrInvalid)
	}
	_, err := s.exec(ctx, `INSERT INTO api_tokens (tenant, id, prefix, name, username, created, expires, last_used)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		s.tenant, t.ID, t.Prefix, pgText(t.Name), t.User, t.Created, optTime(t.Expires), optTime(t.LastUsed))
	if isUnique(err) {
		return fmt.Errorf("create token: %w", store.ErrExists)
	}
	if err != nil {
		return fmt.Errorf("create token: %w", err)
	}
	return nil
}

const tokenCols = `id, prefix, name, username, created, expires, last_used`

func scanToken(row pgx.Row) (store.Token, error) {
	var t store.Token
	err := row.Scan(&t.ID, &t.Prefix, &t.Name, &t.User, timeOf(&t.Created), timeOf(&t.Expires), timeOf(&t.LastUsed))
	return t, err
}

// Token implements store.Accounts.
func (s *Store) Token(ctx context.Context, id string) (store.Token, error) {
	t, err := scanToken(s.pool.QueryRow(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE tenant = $1 AND id = $2`, s.tenant, id))
	if err != nil {
		return store.Token{}, fmt.Errorf("token: %w", notFound(err))
	}
	return t, nil
}

// Tokens implements store.Accounts.
func (s *Store) Tokens(ctx context.Context, user string) ([]store.Token, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+tokenCols+` FROM api_tokens
		WHERE tenant = $1 AND ($2 = '' OR username = $2) ORDER BY created DESC, prefix`, s.tenant, user)
	if err != nil {
		return nil, fmt.Errorf("tokens: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Token, error) { return scanToken(row) })
	if err != nil {
		return nil, fmt.Errorf("tokens: %w", err)
	}
	return out, nil
}

// TouchToken implements store.Accounts.
func (s *Store) TouchToken(ctx context.Context, id string, used time.Time) error {
	if _, err := s.exec(ctx, `UPDATE api_tokens SET last_used = $3 WHERE tenant = $1 AND id = $2`, s.tenant, id, optTime(used)); err != nil {
		return fmt.Errorf("touch token: %w", err)
	}
	return nil
}

// DeleteToken implements store.Accounts.
func (s *Store) DeleteToken(ctx context.Context, user, prefix string) error {
	n, err := s.exec(ctx, `DELETE FROM api_tokens WHERE tenant = $1 AND prefix = $2 AND ($3 = '' OR username = $3)`,
		s.tenant, pgText(prefix), user)
	if err != nil {
		return fmt.Errorf("delete token %q: %w", prefix, err)
	}
	if n == 0 {
		return fmt.Errorf("delete token %q: %w", prefix, store.ErrNotFound)
	}
	return nil
}

// AddLoginFailure implements store.Accounts.
func (s *Store) AddLoginFailure(ctx context.Context, key string, at time.Time) error {
	if _, err := s.exec(ctx, `INSERT INTO login_failures (tenant, key, at) VALUES ($1, $2, $3)`, s.tenant, pgText(key), at); err != nil {
		return fmt.Errorf("login failure: %w", err)
	}
	return nil
}

// LoginFailures implements store.Accounts.
func (s *Store) LoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM login_failures WHERE tenant = $1 AND key = $2 AND at >= $3`,
		s.tenant, pgText(key), since).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("login failures: %w", err)
	}
	return n, nil
}

// ClearLoginFailures implements store.Accounts.
func (s *Store) ClearLoginFailures(ctx context.Context, key string, before time.Time) error {
	_, err := s.exec(ctx, `DELETE FROM login_failures WHERE tenant = $1 AND (key = $2 OR at < $3)`, s.tenant, pgText(key), before)
	if err != nil {
		return fmt.Errorf("clear login failures: %w", err)
	}
	return nil
}

// ForgetLoginFailure implements store.Accounts.
func (s *Store) ForgetLoginFailure(ctx context.Context, key string, at time.Time) error {
	_, err := s.exec(ctx, `DELETE FROM login_failures WHERE ctid =
		(SELECT ctid FROM login_failures WHERE tenant = $1 AND key = $2 AND at = $3 LIMIT 1)`, s.tenant, pgText(key), at)
	if err != nil {
		return fmt.Errorf("forget login failure: %w", err)
	}
	return nil
}
