-- Sync (push/pull after Replicache): a global, monotonically increasing version per
-- change, the last mutation applied per client, and each mutation's result for replays.

-- Every change of a syncable entity appends a row; a pull returns the entities changed
-- after the client's cursor (the highest version it has seen). Writers are serialised
-- by SQLite, so versions commit in increasing order and a cursor never skips a change.
CREATE TABLE change_log (
    version   INTEGER PRIMARY KEY AUTOINCREMENT,
    entity    TEXT NOT NULL CHECK (entity IN ('wish', 'claim', 'campaign', 'grid')),
    entity_id TEXT NOT NULL
);
CREATE INDEX change_log_by_entity ON change_log (entity, entity_id);

-- What already exists when this migration runs is one change each.
INSERT INTO change_log (entity, entity_id) SELECT 'grid', id FROM grids ORDER BY position;
INSERT INTO change_log (entity, entity_id) SELECT 'campaign', id FROM campaigns ORDER BY id;
INSERT INTO change_log (entity, entity_id) SELECT 'wish', id FROM wishes ORDER BY id;
INSERT INTO change_log (entity, entity_id) SELECT 'claim', id FROM claims ORDER BY id;

-- A client (one device, one login) and the last of its mutations the server has
-- processed, stored in the same transaction as the mutation's effects.
CREATE TABLE sync_clients (
    client_id        TEXT PRIMARY KEY,
    user_id          TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    last_mutation_id INTEGER NOT NULL DEFAULT 0,
    updated_at       TEXT NOT NULL
);

-- The result of each processed mutation, so that a replay answers the same.
CREATE TABLE sync_results (
    client_id   TEXT NOT NULL REFERENCES sync_clients(client_id) ON DELETE CASCADE,
    mutation_id INTEGER NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('applied', 'rejected')),
    code        TEXT,
    message     TEXT,
    PRIMARY KEY (client_id, mutation_id)
);
