-- The analyst workbench (rollcall serve): local accounts, sessions, API
-- tokens, failed sign-ins, cases, comments, suppressions, the append-only
-- audit log, and what analysis runs found and read. Like every table,
-- these carry the tenant that owns their rows. Times are unix
-- microseconds, UTC; 0 means unset.

-- +goose Up
CREATE TABLE users (
    tenant        TEXT    NOT NULL DEFAULT 'default',
    name          TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created       INTEGER NOT NULL,
    last_login    INTEGER NOT NULL DEFAULT 0,
    last_visit    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant, name)
);

-- id is a hash of the cookie's secret.
CREATE TABLE sessions (
    tenant    TEXT    NOT NULL DEFAULT 'default',
    id        TEXT    NOT NULL,
    username  TEXT    NOT NULL,
    csrf      TEXT    NOT NULL,
    created   INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    expires   INTEGER NOT NULL,
    addr      TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (tenant, id),
    FOREIGN KEY (tenant, username) REFERENCES users (tenant, name) ON DELETE CASCADE
);
CREATE INDEX sessions_user ON sessions (tenant, username);

-- id is a hash of the token's secret; prefix its first characters.
CREATE TABLE api_tokens (
    tenant    TEXT    NOT NULL DEFAULT 'default',
    id        TEXT    NOT NULL,
    prefix    TEXT    NOT NULL,
    name      TEXT    NOT NULL,
    username  TEXT    NOT NULL,
    created   INTEGER NOT NULL,
    expires   INTEGER NOT NULL DEFAULT 0,
    last_used INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant, id),
    UNIQUE (tenant, prefix),
    FOREIGN KEY (tenant, username) REFERENCES users (tenant, name) ON DELETE CASCADE
);

CREATE TABLE login_failures (
    tenant TEXT    NOT NULL DEFAULT 'default',
    key    TEXT    NOT NULL,              -- "user:<name>" or "addr:<ip>"
    at     INTEGER NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (tenant, key, at);

CREATE TABLE cases (
    id         INTEGER PRIMARY KEY,
    tenant     TEXT    NOT NULL DEFAULT 'default',
    title      TEXT    NOT NULL,
    subject    TEXT    NOT NULL,          -- person or cell
    subject_id TEXT    NOT NULL,
    status     TEXT    NOT NULL,
    assignee   TEXT    NOT NULL DEFAULT '',
    verdict    TEXT    NOT NULL DEFAULT '',
    reason     TEXT    NOT NULL DEFAULT '',
    created_by TEXT    NOT NULL,
    created    INTEGER NOT NULL,
    updated    INTEGER NOT NULL
);
CREATE INDEX cases_subject ON cases (tenant, subject, subject_id);
CREATE INDEX cases_updated ON cases (tenant, updated);

CREATE TABLE case_comments (
    id      INTEGER PRIMARY KEY,
    tenant  TEXT    NOT NULL DEFAULT 'default',
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    author  TEXT    NOT NULL,
    body    TEXT    NOT NULL,
    created INTEGER NOT NULL
);
CREATE INDEX case_comments_case ON case_comments (tenant, case_id);

CREATE TABLE suppressions (
    id         INTEGER PRIMARY KEY,
    tenant     TEXT    NOT NULL DEFAULT 'default',
    person     TEXT    NOT NULL,
    indicator  TEXT    NOT NULL,
    reason     TEXT    NOT NULL,
    case_id    INTEGER NOT NULL DEFAULT 0,
    created_by TEXT    NOT NULL,
    created    INTEGER NOT NULL,
    expires    INTEGER NOT NULL DEFAULT 0,
    revoked_by TEXT    NOT NULL DEFAULT '',
    revoked    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX suppressions_person ON suppressions (tenant, person);

-- Append-only: the triggers refuse to change or remove a logged entry.
CREATE TABLE audit_log (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant TEXT    NOT NULL DEFAULT 'default',
    time   INTEGER NOT NULL,
    actor  TEXT    NOT NULL,
    action TEXT    NOT NULL,
    target TEXT    NOT NULL,
    detail TEXT    NOT NULL,
    addr   TEXT    NOT NULL
);
CREATE INDEX audit_log_tenant ON audit_log (tenant, seq);
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
END;
-- +goose StatementEnd

CREATE TABLE finding_marks (
    tenant    TEXT    NOT NULL DEFAULT 'default',
    person    TEXT    NOT NULL,
    indicator TEXT    NOT NULL,
    seen      INTEGER NOT NULL,
    observed  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant, person, indicator)
) WITHOUT ROWID;

CREATE TABLE source_coverage (
    tenant TEXT    NOT NULL DEFAULT 'default',
    source TEXT    NOT NULL,
    events INTEGER NOT NULL,
    files  INTEGER NOT NULL,
    first  INTEGER NOT NULL DEFAULT 0,
    last   INTEGER NOT NULL DEFAULT 0,
    daily  TEXT    NOT NULL,              -- JSON object: "2006-01-02" → events
    PRIMARY KEY (tenant, source)
) WITHOUT ROWID;

-- +goose Down
DROP TABLE source_coverage;
DROP TABLE finding_marks;
DROP TRIGGER audit_log_no_delete;
DROP TRIGGER audit_log_no_update;
DROP TABLE audit_log;
DROP TABLE suppressions;
DROP TABLE case_comments;
DROP TABLE cases;
DROP TABLE login_failures;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
