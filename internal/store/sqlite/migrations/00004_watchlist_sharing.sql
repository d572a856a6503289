-- Tenants that share their watchlist of burned identities with each other
-- (store.WatchlistSharing): a tenant listed here reads the entries of every
-- other tenant listed here. No row: the tenant's list is its own.

-- +goose Up
CREATE TABLE watchlist_sharing (
    tenant TEXT    NOT NULL PRIMARY KEY,
    since  INTEGER NOT NULL DEFAULT 0
);

-- +goose Down
DROP TABLE watchlist_sharing;
