-- The watchlist of burned identities: identifiers of confirmed operatives
-- (store.Watchlist). One row per tenant, kind, value and case; like every
-- table, limited by row-level security to the connection's tenant. added is
-- NULL when unknown.

-- +goose Up
CREATE TABLE watchlist (
    tenant   text COLLATE "C" NOT NULL,
    kind     text COLLATE "C" NOT NULL,
    value    text COLLATE "C" NOT NULL,
    case_ref text COLLATE "C" NOT NULL DEFAULT '',
    person   text             NOT NULL DEFAULT '',
    added    timestamptz,
    PRIMARY KEY (tenant, kind, value, case_ref)
);
ALTER TABLE watchlist ENABLE ROW LEVEL SECURITY;
ALTER TABLE watchlist FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON watchlist USING (tenant = current_setting('rollcall.tenant', true));

-- +goose Down
DROP TABLE watchlist;
