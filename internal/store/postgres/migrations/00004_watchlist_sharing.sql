-- Tenants that share their watchlist of burned identities with each other
-- (store.WatchlistSharing): a tenant listed here reads the entries of every
-- other tenant listed here. No row: the tenant's list is its own. Every
-- tenant may see who opted in; only a tenant itself may opt in or out. The
-- watchlist's rows of an opted-in tenant become readable (never writable)
-- by the other opted-in tenants.

-- +goose Up
CREATE TABLE watchlist_sharing (
    tenant text COLLATE "C" NOT NULL PRIMARY KEY,
    since  timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE watchlist_sharing ENABLE ROW LEVEL SECURITY;
ALTER TABLE watchlist_sharing FORCE ROW LEVEL SECURITY;
CREATE POLICY sharing_read ON watchlist_sharing FOR SELECT USING (true);
CREATE POLICY sharing_own ON watchlist_sharing FOR ALL
    USING (tenant = current_setting('rollcall.tenant', true))
    WITH CHECK (tenant = current_setting('rollcall.tenant', true));
CREATE POLICY shared_rows ON watchlist FOR SELECT USING (
    EXISTS (SELECT 1 FROM watchlist_sharing s WHERE s.tenant = watchlist.tenant)
    AND EXISTS (SELECT 1 FROM watchlist_sharing s WHERE s.tenant = current_setting('rollcall.tenant', true)));

-- +goose Down
DROP POLICY shared_rows ON watchlist;
DROP TABLE watchlist_sharing;
