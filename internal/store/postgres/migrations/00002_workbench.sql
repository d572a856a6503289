-- The analyst workbench (rollcall serve): local accounts, sessions, API
-- tokens, failed sign-ins, cases, comments, suppressions, the append-only
-- audit log, and what analysis runs found and read. They live in the
-- database, not in a server's memory, so that several serve replicas over
-- one database give the same answers: a session started on one replica is
-- valid on every other, sign-in failures count wherever they happen, and
-- the audit log has every replica's entries in one sequence.
--
-- As in 00001_init.sql, every table carries its tenant, every key starts
-- with it, and a row-level-security policy limits each table to the rows
-- of the tenant the connection names in rollcall.tenant. Names use the "C"
-- collation (users are listed byte-wise, as in the SQLite schema).
--
-- Times are timestamptz (microseconds). A time the workbench may leave
-- unset (a last sign-in, an expiry, a revocation) is NULL when unset; a
-- time it always sets is NOT NULL, and Go's zero time, should it come, is
-- stored as itself (year 1), which sorts before every real time, as the
-- SQLite schema's 0 does.

-- +goose Up
CREATE TABLE users (
    tenant        text COLLATE "C" NOT NULL,
    name          text COLLATE "C" NOT NULL,
    role          text        NOT NULL,
    password_hash text        NOT NULL,
    disabled      boolean     NOT NULL DEFAULT false,
    created       timestamptz NOT NULL,
    last_login    timestamptz,
    last_visit    timestamptz,
    PRIMARY KEY (tenant, name)
);

-- id is a hash of the cookie's secret.
CREATE TABLE sessions (
    tenant    text COLLATE "C" NOT NULL,
    id        text COLLATE "C" NOT NULL,
    username  text COLLATE "C" NOT NULL,
    csrf      text        NOT NULL,
    created   timestamptz NOT NULL,
    last_seen timestamptz NOT NULL,
    expires   timestamptz NOT NULL,
    addr      text        NOT NULL DEFAULT '',
    PRIMARY KEY (tenant, id),
    FOREIGN KEY (tenant, username) REFERENCES users (tenant, name) ON DELETE CASCADE
);
CREATE INDEX sessions_user ON sessions (tenant, username);

-- id is a hash of the token's secret; prefix its first characters.
CREATE TABLE api_tokens (
    tenant    text COLLATE "C" NOT NULL,
    id        text COLLATE "C" NOT NULL,
    prefix    text COLLATE "C" NOT NULL,
    name      text        NOT NULL,
    username  text COLLATE "C" NOT NULL,
    created   timestamptz NOT NULL,
    expires   timestamptz,                      -- NULL: never
    last_used timestamptz,
    PRIMARY KEY (tenant, id),
    UNIQUE (tenant, prefix),
    FOREIGN KEY (tenant, username) REFERENCES users (tenant, name) ON DELETE CASCADE
);
CREATE INDEX api_tokens_user ON api_tokens (tenant, username);

CREATE TABLE login_failures (
    tenant text COLLATE "C" NOT NULL,
    key    text COLLATE "C" NOT NULL,           -- "user:<name>" or "addr:<ip>"
    at     timestamptz NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (tenant, key, at);
CREATE INDEX login_failures_at ON login_failures (tenant, at);

-- Case, comment and suppression ids come from one sequence per table,
-- shared by every tenant (as SQLite's rowids are).
CREATE TABLE cases (
    tenant     text COLLATE "C" NOT NULL,
    id         bigint GENERATED ALWAYS AS IDENTITY,
    title      text        NOT NULL,
    subject    text        NOT NULL,            -- person or cell
    subject_id text COLLATE "C" NOT NULL,
    status     text        NOT NULL,
    assignee   text COLLATE "C" NOT NULL DEFAULT '',
    verdict    text        NOT NULL DEFAULT '',
    reason     text        NOT NULL DEFAULT '',
    created_by text COLLATE "C" NOT NULL,
    created    timestamptz NOT NULL,
    updated    timestamptz NOT NULL,
    PRIMARY KEY (tenant, id)
);
CREATE INDEX cases_subject ON cases (tenant, subject, subject_id);
CREATE INDEX cases_updated ON cases (tenant, updated);

CREATE TABLE case_comments (
    tenant  text COLLATE "C" NOT NULL,
    id      bigint GENERATED ALWAYS AS IDENTITY,
    case_id bigint      NOT NULL,
    author  text COLLATE "C" NOT NULL,
    body    text        NOT NULL,
    created timestamptz NOT NULL,
    PRIMARY KEY (tenant, id),
    FOREIGN KEY (tenant, case_id) REFERENCES cases (tenant, id) ON DELETE CASCADE
);
CREATE INDEX case_comments_case ON case_comments (tenant, case_id);

CREATE TABLE suppressions (
    tenant     text COLLATE "C" NOT NULL,
    id         bigint GENERATED ALWAYS AS IDENTITY,
    person     text COLLATE "C" NOT NULL,
    indicator  text COLLATE "C" NOT NULL,
    reason     text        NOT NULL,
    case_id    bigint      NOT NULL DEFAULT 0, -- 0: made without a case
    created_by text COLLATE "C" NOT NULL,
    created    timestamptz NOT NULL,
    expires    timestamptz,                     -- NULL: never
    revoked_by text COLLATE "C" NOT NULL DEFAULT '',
    revoked    timestamptz,                     -- NULL: in force
    PRIMARY KEY (tenant, id)
);
CREATE INDEX suppressions_person ON suppressions (tenant, person);

-- Append-only: a statement-level trigger refuses every UPDATE, DELETE and
-- TRUNCATE, whoever runs it (the tables' owner and superusers included,
-- and whether or not the statement would touch a row). Changing a logged
-- entry takes a schema change first (the owner dropping or disabling the
-- trigger) or a superuser turning triggers off for the session; run
-- rollcall as a role that does not own the tables to rule out the first.
-- seq comes from one sequence, whichever replica appends.
CREATE TABLE audit_log (
    tenant text COLLATE "C" NOT NULL,
    seq    bigint GENERATED ALWAYS AS IDENTITY,
    time   timestamptz NOT NULL,
    actor  text COLLATE "C" NOT NULL,
    action text COLLATE "C" NOT NULL,
    target text COLLATE "C" NOT NULL,
    detail text        NOT NULL,
    addr   text        NOT NULL,
    PRIMARY KEY (tenant, seq)
);
-- +goose StatementBegin
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'rollcall only ever inserts into audit_log';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

CREATE TABLE finding_marks (
    tenant    text COLLATE "C" NOT NULL,
    person    text COLLATE "C" NOT NULL,
    indicator text COLLATE "C" NOT NULL,
    seen      timestamptz NOT NULL,
    observed  timestamptz,                      -- NULL: unknown
    PRIMARY KEY (tenant, person, indicator)
);

CREATE TABLE source_coverage (
    tenant text COLLATE "C" NOT NULL,
    source text COLLATE "C" NOT NULL,
    events bigint NOT NULL,
    files  bigint NOT NULL,
    first  timestamptz,
    last   timestamptz,
    daily  json   NOT NULL,                     -- object: "2006-01-02" → events
    PRIMARY KEY (tenant, source)
);

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON users USING (tenant = current_setting('rollcall.tenant', true));
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON sessions USING (tenant = current_setting('rollcall.tenant', true));
ALTER TABLE api_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON api_tokens USING (tenant = current_setting('rollcall.tenant', true));
ALTER TABLE login_failures ENABLE ROW LEVEL SECURITY;
ALTER TABLE login_failures FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON login_failures USING (tenant = current_setting('rollcall.tenant', true));
ALTER TABLE cases ENABLE ROW LEVEL SECURITY;
ALTER TABLE cases FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON cases USING (tenant = current_setting('rollcall.tenant', true));
ALTER TABLE case_comments ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_comments FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON case_comments USING (tenant = current_setting('rollcall.tenant', true));
ALTER TABLE suppressions ENABLE ROW LEVEL SECURITY;
ALTER TABLE suppressions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON suppressions USING (tenant = current_setting('rollcall.tenant', true));
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON audit_log USING (tenant = current_setting('rollcall.tenant', true));
ALTER TABLE finding_marks ENABLE ROW LEVEL SECURITY;
ALTER TABLE finding_marks FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON finding_marks USING (tenant = current_setting('rollcall.tenant', true));
ALTER TABLE source_coverage ENABLE ROW LEVEL SECURITY;
ALTER TABLE source_coverage FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON source_coverage USING (tenant = current_setting('rollcall.tenant', true));

-- +goose Down
DROP TABLE source_coverage;
DROP TABLE finding_marks;
DROP TABLE audit_log;
DROP FUNCTION audit_log_refuse_change();
DROP TABLE suppressions;
DROP TABLE case_comments;
DROP TABLE cases;
DROP TABLE login_failures;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
