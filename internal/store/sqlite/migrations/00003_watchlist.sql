-- The watchlist of burned identities: identifiers of confirmed operatives
-- (store.Watchlist). One row per tenant, kind, value and case; added is unix
-- microseconds, UTC, 0 when unknown.

-- +goose Up
CREATE TABLE watchlist (
    tenant   TEXT    NOT NULL DEFAULT 'default',
    kind     TEXT    NOT NULL,
    value    TEXT    NOT NULL,
    case_ref TEXT    NOT NULL DEFAULT '',
    person   TEXT    NOT NULL DEFAULT '',
    added    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant, kind, value, case_ref)
);

-- +goose Down
DROP TABLE watchlist;
