package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/store"
)

var _ store.Workbench = (*Store)(nil)

// usec is a workbench time column: unix microseconds, 0 for the zero time.
func usec(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// fromUsec undoes usec.
func fromUsec(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.UnixMicro(n).UTC()
}

// isUnique reports a UNIQUE or PRIMARY KEY constraint failure.
func isUnique(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// exec runs one statement in a write transaction and returns the rows it
// affected.
func (s *Store) exec(ctx context.Context, query string, args ...any) (int64, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, query, args...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// CreateUser implements store.Accounts.
func (s *Store) CreateUser(ctx context.Context, u store.User) error {
	if err := u.Validate(); err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	_, err := s.exec(ctx, `INSERT INTO users (tenant, name, role, password_hash, disabled, created, last_login, last_visit)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		s.tenant, u.Name, u.Role, u.PasswordHash, u.Disabled, usec(u.Created), usec(u.LastLogin), usec(u.LastVisit))
	if isUnique(err) {
		return fmt.Errorf("create user %q: %w", u.Name, store.ErrExists)
	}
	if err != nil {
		return fmt.Errorf("create user %q: %w", u.Name, err)
	}
	return nil
}

const userCols = `name, role, password_hash, disabled, created, last_login, last_visit`

func scanUser(sc scanner) (store.User, error) {
	var u store.User
	var created, login, visit int64
	if err := sc.Scan(&u.Name, &u.Role, &u.PasswordHash, &u.Disabled, &created, &login, &visit); err != nil {
		return u, err
	}
	u.Created, u.LastLogin, u.LastVisit = fromUsec(created), fromUsec(login), fromUsec(visit)
	return u, nil
}

// User implements store.Accounts.
func (s *Store) User(ctx context.Context, name string) (store.User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE tenant = ? AND name = ?`, s.tenant, name))
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("user %q: %w", name, store.ErrNotFound)
	}
	if err != nil {
		return u, fmt.Errorf("user %q: %w", name, err)
	}
	return u, nil
}

// Users implements store.Accounts.
func (s *Store) Users(ctx context.Context) ([]store.User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+userCols+` FROM users WHERE tenant = ? ORDER BY name`, s.tenant)
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	defer rows.Close()
	var out []store.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("users: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	return out, nil
}

// UpdateUser implements store.Accounts.
func (s *Store) UpdateUser(ctx context.Context, u store.User) error {
	if err := u.Validate(); err != nil {
		return fmt.Errorf("update user: %w", err)
	}
	n, err := s.exec(ctx, `UPDATE users SET role = ?, password_hash = ?, disabled = ? WHERE tenant = ? AND name = ?`,
		u.Role, u.PasswordHash, u.Disabled, s.tenant, u.Name)
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
	_, err := s.exec(ctx, `UPDATE users SET
		last_login = CASE WHEN ? = 0 THEN last_login ELSE ? END,
		last_visit = CASE WHEN ? = 0 THEN last_visit ELSE ? END
		WHERE tenant = ? AND name = ?`,
		usec(login), usec(login), usec(visit), usec(visit), s.tenant, name)
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
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		s.tenant, se.ID, se.User, se.CSRF, usec(se.Created), usec(se.LastSeen), usec(se.Expires), se.Addr)
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// Session implements store.Accounts.
func (s *Store) Session(ctx context.Context, id string) (store.Session, error) {
	var se store.Session
	var created, seen, expires int64
	err := s.db.QueryRowContext(ctx, `SELECT id, username, csrf, created, last_seen, expires, addr
		FROM sessions WHERE tenant = ? AND id = ?`, s.tenant, id).
		Scan(&se.ID, &se.User, &se.CSRF, &created, &seen, &expires, &se.Addr)
	if errors.Is(err, sql.ErrNoRows) {
		return se, fmt.Errorf("session: %w", store.ErrNotFound)
	}
	if err != nil {
		return se, fmt.Errorf("session: %w", err)
	}
	se.Created, se.LastSeen, se.Expires = fromUsec(created), fromUsec(seen), fromUsec(expires)
	return se, nil
}

// TouchSession implements store.Accounts.
func (s *Store) TouchSession(ctx context.Context, id string, seen time.Time) error {
	if _, err := s.exec(ctx, `UPDATE sessions SET last_seen = ? WHERE tenant = ? AND id = ?`, usec(seen), s.tenant, id); err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// DeleteSession implements store.Accounts.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	if _, err := s.exec(ctx, `DELETE FROM sessions WHERE tenant = ? AND id = ?`, s.tenant, id); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions implements store.Accounts.
func (s *Store) DeleteUserSessions(ctx context.Context, user string) error {
	if _, err := s.exec(ctx, `DELETE FROM sessions WHERE tenant = ? AND username = ?`, s.tenant, user); err != nil {
		return fmt.Errorf("delete sessions of %q: %w", user, err)
	}
	return nil
}

// DeleteSessionsBefore implements store.Accounts.
func (s *Store) DeleteSessionsBefore(ctx context.Context, t, idle time.Time) (int, error) {
	n, err := s.exec(ctx, `DELETE FROM sessions WHERE tenant = ? AND (expires < ? OR last_seen < ?)`,
		s.tenant, usec(t), usec(idle))
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
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		s.tenant, t.ID, t.Prefix, t.Name, t.User, usec(t.Created), usec(t.Expires), usec(t.LastUsed))
	if isUnique(err) {
		return fmt.Errorf("create token: %w", store.ErrExists)
	}
	if err != nil {
		return fmt.Errorf("create token: %w", err)
	}
	return nil
}

const tokenCols = `id, prefix, name, username, created, expires, last_used`

func scanToken(sc scanner) (store.Token, error) {
	var t store.Token
	var created, expires, used int64
	if err := sc.Scan(&t.ID, &t.Prefix, &t.Name, &t.User, &created, &expires, &used); err != nil {
		return t, err
	}
	t.Created, t.Expires, t.LastUsed = fromUsec(created), fromUsec(expires), fromUsec(used)
	return t, nil
}

// Token implements store.Accounts.
func (s *Store) Token(ctx context.Context, id string) (store.Token, error) {
	t, err := scanToken(s.db.QueryRowContext(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE tenant = ? AND id = ?`, s.tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("token: %w", store.ErrNotFound)
	}
	if err != nil {
		return t, fmt.Errorf("token: %w", err)
	}
	return t, nil
}

// Tokens implements store.Accounts.
func (s *Store) Tokens(ctx context.Context, user string) ([]store.Token, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+tokenCols+` FROM api_tokens
		WHERE tenant = ? AND (? = '' OR username = ?) ORDER BY created DESC, prefix`, s.tenant, user, user)
	if err != nil {
		return nil, fmt.Errorf("tokens: %w", err)
	}
	defer rows.Close()
	var out []store.Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("tokens: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("tokens: %w", err)
	}
	return out, nil
}

// TouchToken implements store.Accounts.
func (s *Store) TouchToken(ctx context.Context, id string, used time.Time) error {
	if _, err := s.exec(ctx, `UPDATE api_tokens SET last_used = ? WHERE tenant = ? AND id = ?`, usec(used), s.tenant, id); err != nil {
		return fmt.Errorf("touch token: %w", err)
	}
	return nil
}

// DeleteToken implements store.Accounts.
func (s *Store) DeleteToken(ctx context.Context, user, prefix string) error {
	n, err := s.exec(ctx, `DELETE FROM api_tokens WHERE tenant = ? AND prefix = ? AND (? = '' OR username = ?)`,
		s.tenant, prefix, user, user)
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
	if _, err := s.exec(ctx, `INSERT INTO login_failures (tenant, key, at) VALUES (?, ?, ?)`, s.tenant, key, usec(at)); err != nil {
		return fmt.Errorf("login failure: %w", err)
	}
	return nil
}

// LoginFailures implements store.Accounts.
func (s *Store) LoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM login_failures WHERE tenant = ? AND key = ? AND at >= ?`,
		s.tenant, key, usec(since)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("login failures: %w", err)
	}
	return n, nil
}

// ClearLoginFailures implements store.Accounts.
func (s *Store) ClearLoginFailures(ctx context.Context, key string, before time.Time) error {
	_, err := s.exec(ctx, `DELETE FROM login_failures WHERE tenant = ? AND (key = ? OR at < ?)`, s.tenant, key, usec(before))
	if err != nil {
		return fmt.Errorf("clear login failures: %w", err)
	}
	return nil
}

// ForgetLoginFailure implements store.Accounts.
func (s *Store) ForgetLoginFailure(ctx context.Context, key string, at time.Time) error {
	_, err := s.exec(ctx, `DELETE FROM login_failures WHERE rowid =
		(SELECT rowid FROM login_failures WHERE tenant = ? AND key = ? AND at = ? LIMIT 1)`, s.tenant, key, usec(at))
	if err != nil {
		return fmt.Errorf("forget login failure: %w", err)
	}
	return nil
}
