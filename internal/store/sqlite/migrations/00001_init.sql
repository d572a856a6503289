-- Initial schema. Every table carries the tenant that owns its rows, and
-- every key starts with it, so that one database can hold many tenants.
-- JSON columns hold the report's nested values exactly as rollcall writes
-- them.

-- +goose Up
CREATE TABLE events (
    seq         INTEGER PRIMARY KEY,             -- insertion order
    tenant      TEXT    NOT NULL DEFAULT 'default',
    key         TEXT    NOT NULL,                -- event.Provenance.Key(): source|file|record|hash
    kind        TEXT    NOT NULL,
    source      TEXT    NOT NULL,
    file        TEXT    NOT NULL,
    record      INTEGER NOT NULL,
    line        INTEGER NOT NULL DEFAULT 0,
    vendor_id   TEXT    NOT NULL DEFAULT '',     -- the vendor's own event id
    hash        TEXT    NOT NULL DEFAULT '',
    time        INTEGER,                         -- unix microseconds, UTC; NULL when unknown
    actor_id    TEXT    NOT NULL DEFAULT '',
    actor_login TEXT    NOT NULL DEFAULT '',
    actor_email TEXT    NOT NULL DEFAULT '',
    person      TEXT    NOT NULL DEFAULT '',     -- resolved person id; '' when unresolved
    data        TEXT    NOT NULL,                -- the normalized event as JSON
    UNIQUE (tenant, key)
);
-- Secondary indexes are few on purpose: events arrive file by file, each
-- file spanning the whole scan period, so every time-ordered index takes
-- inserts all over its length and costs a rewrite of most of its pages per
-- batch. The person index skips unattributed events (person = ''), which is
-- every event when it is first saved; queries on it must say person <> ''.
CREATE INDEX events_kind_time ON events (tenant, kind, time);
CREATE INDEX events_person_time ON events (tenant, person, time) WHERE person <> '';

-- Logins and emails of the events resolved to each person, lower-cased,
-- for people search. Rebuilt from events whenever attributions change.
CREATE TABLE person_accounts (
    tenant  TEXT NOT NULL DEFAULT 'default',
    person  TEXT NOT NULL,
    account TEXT NOT NULL,
    PRIMARY KEY (tenant, person, account)
) WITHOUT ROWID;

-- One row per tenant: the report's version, notes and scan statistics.
CREATE TABLE results (
    tenant              TEXT    NOT NULL DEFAULT 'default' PRIMARY KEY,
    version             INTEGER NOT NULL,
    files               INTEGER NOT NULL,
    records_read        INTEGER NOT NULL,
    records_rejected    INTEGER NOT NULL,
    events              INTEGER NOT NULL,
    people              INTEGER NOT NULL,
    unresolved_accounts INTEGER NOT NULL,
    by_source           TEXT    NOT NULL,        -- JSON object, or null
    notes               TEXT    NOT NULL         -- JSON array, or null
);

CREATE TABLE clusters (
    tenant   TEXT    NOT NULL DEFAULT 'default',
    id       TEXT    NOT NULL,
    position INTEGER NOT NULL,                   -- order in the report
    score    INTEGER NOT NULL,
    members  TEXT    NOT NULL,                   -- JSON array of person ids
    PRIMARY KEY (tenant, id)
);

CREATE TABLE cluster_links (
    tenant   TEXT    NOT NULL DEFAULT 'default',
    cluster  TEXT    NOT NULL,
    position INTEGER NOT NULL,                   -- order within the cluster
    kind     TEXT    NOT NULL,
    value    TEXT    NOT NULL,
    members  TEXT    NOT NULL,                   -- JSON array of person ids
    PRIMARY KEY (tenant, cluster, position),
    FOREIGN KEY (tenant, cluster) REFERENCES clusters (tenant, id) ON DELETE CASCADE
);
CREATE INDEX cluster_links_value ON cluster_links (tenant, kind, value);

CREATE TABLE people (
    tenant        TEXT    NOT NULL DEFAULT 'default',
    id            TEXT    NOT NULL,
    position      INTEGER NOT NULL,              -- order in the report
    employee_id   TEXT    NOT NULL,
    candidate_ids TEXT    NOT NULL,              -- JSON array, or null
    name          TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    score         INTEGER NOT NULL,
    level         TEXT    NOT NULL,
    flagged       INTEGER NOT NULL,
    cluster       TEXT    NOT NULL,
    cluster_bonus REAL    NOT NULL,
    capped        TEXT    NOT NULL,
    indicators    TEXT    NOT NULL,              -- JSON array of report.Indicator, evidence included
    search        TEXT    NOT NULL,              -- store.SearchText
    PRIMARY KEY (tenant, id)
);
CREATE INDEX people_score ON people (tenant, score, position);
CREATE INDEX people_level ON people (tenant, level);
CREATE INDEX people_cluster ON people (tenant, cluster);

-- One row per person and indicator that fired.
CREATE TABLE findings (
    tenant     TEXT    NOT NULL DEFAULT 'default',
    person     TEXT    NOT NULL,
    indicator  TEXT    NOT NULL,
    position   INTEGER NOT NULL,                 -- order among the person's indicators
    name       TEXT    NOT NULL,
    stage      TEXT    NOT NULL,
    strength   TEXT    NOT NULL,
    weight     REAL    NOT NULL,
    summary    TEXT    NOT NULL,
    suppressed TEXT    NOT NULL,
    related    TEXT    NOT NULL,                 -- JSON array, or null
    evidence   TEXT    NOT NULL,                 -- JSON array of detect.Evidence
    PRIMARY KEY (tenant, person, indicator),
    FOREIGN KEY (tenant, person) REFERENCES people (tenant, id) ON DELETE CASCADE
);
CREATE INDEX findings_indicator ON findings (tenant, indicator);

CREATE TABLE rejections (
    tenant   TEXT    NOT NULL DEFAULT 'default',
    position INTEGER NOT NULL,
    file     TEXT    NOT NULL,
    line     INTEGER NOT NULL,
    record   INTEGER NOT NULL,
    field    TEXT    NOT NULL,
    reason   TEXT    NOT NULL,
    PRIMARY KEY (tenant, position)
);

CREATE TABLE skipped_files (
    tenant   TEXT    NOT NULL DEFAULT 'default',
    position INTEGER NOT NULL,
    file     TEXT    NOT NULL,
    reason   TEXT    NOT NULL,
    PRIMARY KEY (tenant, position)
);

CREATE TABLE unresolved (
    tenant     TEXT    NOT NULL DEFAULT 'default',
    position   INTEGER NOT NULL,
    source     TEXT    NOT NULL,
    account    TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    events     INTEGER NOT NULL,
    first_seen TEXT    NOT NULL,                 -- RFC 3339 with nanoseconds
    last_seen  TEXT    NOT NULL,
    example    TEXT    NOT NULL,                 -- JSON event.Provenance
    PRIMARY KEY (tenant, position)
);

-- +goose Down
DROP TABLE unresolved;
DROP TABLE skipped_files;
DROP TABLE rejections;
DROP TABLE findings;
DROP TABLE people;
DROP TABLE cluster_links;
DROP TABLE clusters;
DROP TABLE results;
DROP TABLE person_accounts;
DROP TABLE events;
