-- The strength of a cell link (report.Link.Strength): how much one
-- identifier of its kind ties people, shown beside it.

-- +goose Up
ALTER TABLE cluster_links ADD COLUMN strength REAL NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE cluster_links DROP COLUMN strength;
