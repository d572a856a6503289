-- Initial schema. Every table carries the tenant that owns its rows, every
-- key starts with it, and a row-level-security policy limits each table to
-- the rows of the tenant the connection names in the rollcall.tenant
-- setting (the store sets it when it connects). Superusers and roles with
-- BYPASSRLS skip the policies, so run rollcall as an ordinary role (which
-- may own the tables: FORCE applies the policies to the owner too).
--
-- Identifiers and names use the "C" collation: they compare byte-wise, as
-- the store.PeopleQuery sorts require, and index comparisons are memcmp.
-- JSON columns hold the report's nested values exactly as rollcall writes
-- them (json, not jsonb: kept verbatim, and any string Go can encode is
-- accepted).

-- +goose Up
-- One value per saved batch of events; with events.ord it keeps the order
-- events were saved in, whatever order a batch's rows are inserted in.
CREATE SEQUENCE event_batches;

CREATE TABLE events (
    tenant      text COLLATE "C" NOT NULL,
    key         text COLLATE "C" NOT NULL,        -- event.Provenance.Key(): source|file|record|hash
    batch       bigint  NOT NULL,                 -- from event_batches
    ord         integer NOT NULL,                 -- position within the batch
    kind        text    NOT NULL,
    source      text    NOT NULL,
    file        text    NOT NULL,
    record      bigint  NOT NULL,
    line        bigint  NOT NULL DEFAULT 0,
    vendor_id   text    NOT NULL DEFAULT '',      -- the vendor's own event id
    hash        text    NOT NULL DEFAULT '',
    time        timestamptz,                      -- NULL when unknown; microseconds
    actor_id    text    NOT NULL DEFAULT '',
    actor_login text    NOT NULL DEFAULT '',
    actor_email text    NOT NULL DEFAULT '',
    accounts    text[]  NOT NULL DEFAULT '{}',    -- lower-cased logins and emails the record names, for people search
    data        json    NOT NULL,                 -- the normalized event
    PRIMARY KEY (tenant, key)
);
-- As in the SQLite schema, secondary indexes are few: every one costs on
-- the ingest path.
CREATE INDEX events_kind_time ON events (tenant, kind, time);

-- The person each attributed event was resolved to. Unlike the SQLite
-- schema this is a table of its own, not a column of events: updating a
-- column of a wide events row writes a new version of the whole row and of
-- every index entry, while these rows are narrow. No foreign key to events,
-- whose check would lock (and so write to) every events row attributed;
-- SetEventPeople only adds keys that events holds, and events are never
-- deleted. accounts is a copy of events.accounts.
CREATE TABLE event_people (
    tenant   text COLLATE "C" NOT NULL,
    key      text COLLATE "C" NOT NULL,
    person   text COLLATE "C" NOT NULL CHECK (person <> ''),
    accounts text[] NOT NULL,
    PRIMARY KEY (tenant, key)
);
CREATE INDEX event_people_person ON event_people (tenant, person);

-- Logins and emails of the events resolved to each person, for people
-- search. Kept in step with event_people by SetEventPeople.
CREATE TABLE person_accounts (
    tenant  text COLLATE "C" NOT NULL,
    person  text COLLATE "C" NOT NULL,
    account text COLLATE "C" NOT NULL,
    PRIMARY KEY (tenant, person, account)
);

-- One row per tenant: the report's version, notes and scan statistics.
CREATE TABLE results (
    tenant              text COLLATE "C" NOT NULL PRIMARY KEY,
    version             integer NOT NULL,
    files               bigint  NOT NULL,
    records_read        bigint  NOT NULL,
    records_rejected    bigint  NOT NULL,
    events              bigint  NOT NULL,
    people              bigint  NOT NULL,
    unresolved_accounts bigint  NOT NULL,
    by_source           json    NOT NULL,         -- object, or null
    notes               json    NOT NULL          -- array, or null
);

CREATE TABLE clusters (
    tenant   text COLLATE "C" NOT NULL,
    id       text COLLATE "C" NOT NULL,
    position integer NOT NULL,                    -- order in the report
    score    bigint  NOT NULL,
    members  json    NOT NULL,                    -- array of person ids
    PRIMARY KEY (tenant, id)
);

CREATE TABLE cluster_links (
    tenant   text COLLATE "C" NOT NULL,
    cluster  text COLLATE "C" NOT NULL,
    position integer NOT NULL,                    -- order within the cluster
    kind     text    NOT NULL,
    value    text    NOT NULL,
    members  json    NOT NULL,                    -- array of person ids
    PRIMARY KEY (tenant, cluster, position),
    FOREIGN KEY (tenant, cluster) REFERENCES clusters (tenant, id) ON DELETE CASCADE
);
CREATE INDEX cluster_links_value ON cluster_links (tenant, kind, value);

CREATE TABLE people (
    tenant        text COLLATE "C" NOT NULL,
    id            text COLLATE "C" NOT NULL,
    position      integer NOT NULL,               -- order in the report
    employee_id   text    NOT NULL,
    candidate_ids json    NOT NULL,               -- array, or null
    name          text COLLATE "C" NOT NULL,
    kind          text    NOT NULL,
    score         bigint  NOT NULL,
    level         text    NOT NULL,
    flagged       boolean NOT NULL,
    cluster       text COLLATE "C" NOT NULL,
    cluster_bonus double precision NOT NULL,
    capped        text    NOT NULL,
    indicators    json    NOT NULL,               -- array of report.Indicator, evidence included
    search        text    NOT NULL,               -- store.SearchText
    PRIMARY KEY (tenant, id)
);
CREATE INDEX people_score ON people (tenant, score, position);
CREATE INDEX people_level ON people (tenant, level);
CREATE INDEX people_cluster ON people (tenant, cluster);

-- One row per person and indicator that fired.
CREATE TABLE findings (
    tenant     text COLLATE "C" NOT NULL,
    person     text COLLATE "C" NOT NULL,
    indicator  text COLLATE "C" NOT NULL,
    position   integer NOT NULL,                  -- order among the person's indicators
    name       text    NOT NULL,
    stage      text    NOT NULL,
    strength   text    NOT NULL,
    weight     double precision NOT NULL,
    summary    text    NOT NULL,
    suppressed text    NOT NULL,
    related    json    NOT NULL,                  -- array, or null
    evidence   json    NOT NULL,                  -- array of detect.Evidence
    PRIMARY KEY (tenant, person, indicator),
    FOREIGN KEY (tenant, person) REFERENCES people (tenant, id) ON DELETE CASCADE
);
CREATE INDEX findings_indicator ON findings (tenant, indicator);

CREATE TABLE rejections (
    tenant   text COLLATE "C" NOT NULL,
    position integer NOT NULL,
    file     text    NOT NULL,
    line     bigint  NOT NULL,
    record   bigint  NOT NULL,
    field    text    NOT NULL,
    reason   text    NOT NULL,
    PRIMARY KEY (tenant, position)
);

CREATE TABLE skipped_files (
    tenant   text COLLATE "C" NOT NULL,
    position integer NOT NULL,
    file     text    NOT NULL,
    reason   text    NOT NULL,
    PRIMARY KEY (tenant, position)
);

CREATE TABLE unresolved (
    tenant     text COLLATE "C" NOT NULL,
    position   integer NOT NULL,
    source     text    NOT NULL,
    account    text    NOT NULL,
    name       text    NOT NULL,
    events     bigint  NOT NULL,
    first_seen text    NOT NULL,                  -- RFC 3339 with nanoseconds and the original offset
    last_seen  text    NOT NULL,
    example    json    NOT NULL,                  -- event.Provenance
    PRIMARY KEY (tenant, position)
);

-- Defence in depth: the store already filters every statement by tenant.
-- current_setting(…, true) is NULL when the setting is missing, which
-- matches no row.
ALTER TABLE events ENABLE ROW LEVEL SECURITY;
ALTER TABLE events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON events USING (tenant = current_setting('rollcall.tenant', true));
ALTER TABLE event_people ENABLE ROW LEVEL SECURITY;
ALTER TABLE event_people FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON event_people USING (tenant = current_setting('rollcall.tenant', true));
ALTER TABLE person_accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE person_accounts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON person_accounts USING (tenant = current_setting('rollcall.tenant', true));
ALTER TABLE results ENABLE ROW LEVEL SECURITY;
ALTER TABLE results FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON results USING (tenant = current_setting('rollcall.tenant', true));
ALTER TABLE clusters ENABLE ROW LEVEL SECURITY;
ALTER TABLE clusters FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON clusters USING (tenant = current_setting('rollcall.tenant', true));
ALTER TABLE cluster_links ENABLE ROW LEVEL SECURITY;
ALTER TABLE cluster_links FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON cluster_links USING (tenant = current_setting('rollcall.tenant', true));
ALTER TABLE people ENABLE ROW LEVEL SECURITY;
ALTER TABLE people FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON people USING (tenant = current_setting('rollcall.tenant', true));
ALTER TABLE findings ENABLE ROW LEVEL SECURITY;
ALTER TABLE findings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON findings USING (tenant = current_setting('rollcall.tenant', true));
ALTER TABLE rejections ENABLE ROW LEVEL SECURITY;
ALTER TABLE rejections FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON rejections USING (tenant = current_setting('rollcall.tenant', true));
ALTER TABLE skipped_files ENABLE ROW LEVEL SECURITY;
ALTER TABLE skipped_files FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON skipped_files USING (tenant = current_setting('rollcall.tenant', true));
ALTER TABLE unresolved ENABLE ROW LEVEL SECURITY;
ALTER TABLE unresolved FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON unresolved USING (tenant = current_setting('rollcall.tenant', true));

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
DROP TABLE event_people;
DROP TABLE events;
DROP SEQUENCE event_batches;
