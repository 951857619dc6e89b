-- Bounded costs (issue 23, item 7).
--
-- A push result is kept for replays, but once the client has acknowledged it (its next push
-- starts above it) only what a replay needs stays: the status, the code and the command's
-- fingerprint (a SHA-256 digest; results stored before this kept the command's whole JSON,
-- turned into its digest when acknowledged). The client's results up to
-- `acknowledged_mutation_id` are pruned so.
ALTER TABLE sync_clients ADD COLUMN acknowledged_mutation_id INTEGER NOT NULL DEFAULT 0;

-- Rates (pushed mutations per client and per user): each key's theoretical arrival time, in
-- milliseconds since 1970 (the generic cell rate algorithm: one number per key, however many
-- events). In the database so that every server process on it counts the same pushes.
CREATE TABLE rate_limits (
    key        TEXT PRIMARY KEY,
    full_at_ms INTEGER NOT NULL
);
