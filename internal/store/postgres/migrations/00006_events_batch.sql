-- The save batch of events, indexed: a stream worker reads the events saved
-- since its last analysis (EventsSince, batch > cursor) without scanning
-- the whole history.

-- +goose Up
CREATE INDEX events_batch ON events (tenant, batch);

-- +goose Down
DROP INDEX events_batch;
