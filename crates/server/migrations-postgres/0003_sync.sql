-- PostgreSQL twin of migrations/0003_sync.sql, with the one real difference between the
-- engines: how a change gets its version.
--
-- SQLite serialises writers, so an AUTOINCREMENT version commits in increasing order. Here
-- transactions commit concurrently: a sequence could hand out 11 to one transaction and 10 to
-- another that commits after it, and a phone that pulled up to 11 would never see 10. So a
-- change is written without a version, and at commit (a deferred constraint trigger, the last
-- thing its transaction does) it takes the next versions from `change_clock` under that row's
-- lock, which is held until the commit is over: the next committer waits for it, so versions
-- become visible in increasing order and a cursor never skips a change. The lock is held only
-- for the commit itself, not for the whole transaction. Writers must run at READ COMMITTED
-- (the default), where a waiting committer reads the clock as the last one left it. The
-- commit also NOTIFYs `microwish_changes` with its top version.
CREATE TABLE change_log (
    version   BIGINT UNIQUE,
    entity    TEXT COLLATE "C" NOT NULL CHECK (entity IN ('wish', 'claim', 'campaign', 'grid')),
    entity_id TEXT COLLATE "C" NOT NULL
);
CREATE INDEX change_log_by_entity ON change_log (entity, entity_id);
-- The changes of transactions that are committing right now (few rows, found at once).
CREATE INDEX change_log_unstamped ON change_log ((1)) WHERE version IS NULL;

CREATE TABLE change_clock (
    only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
    version  BIGINT NOT NULL
);
INSERT INTO change_clock (version) VALUES (0);

CREATE FUNCTION change_log_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    pending BIGINT;
    top     BIGINT;
BEGIN
    -- Uncommitted changes of other transactions are invisible here: what is unstamped is ours
    -- (an earlier firing in this commit may have stamped them all already).
    SELECT count(*) INTO pending FROM change_log WHERE version IS NULL;
    IF pending = 0 THEN
        RETURN NULL;
    END IF;
    UPDATE change_clock SET version = version + pending RETURNING version INTO top;
    UPDATE change_log SET version = numbered.version
    FROM (SELECT ctid AS row_id, top - pending + row_number() OVER (ORDER BY ctid) AS version
          FROM change_log WHERE version IS NULL) AS numbered
    WHERE change_log.ctid = numbered.row_id;
    -- Every server LISTENing hears the new top version when (and only if) this commits, and
    -- pokes its own phones: live updates across instances.
    PERFORM pg_notify('microwish_changes', top::text);
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER change_log_stamp_at_commit AFTER INSERT ON change_log
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION change_log_stamp();

-- What already exists when this migration runs is one change each.
INSERT INTO change_log (entity, entity_id) SELECT 'grid', id FROM grids ORDER BY position;
INSERT INTO change_log (entity, entity_id) SELECT 'campaign', id FROM campaigns ORDER BY id;
INSERT INTO change_log (entity, entity_id) SELECT 'wish', id FROM wishes ORDER BY id;
INSERT INTO change_log (entity, entity_id) SELECT 'claim', id FROM claims ORDER BY id;

CREATE TABLE sync_clients (
    client_id        TEXT COLLATE "C" PRIMARY KEY,
    user_id          TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    last_mutation_id BIGINT NOT NULL DEFAULT 0,
    updated_at       TEXT COLLATE "C" NOT NULL
);

CREATE TABLE sync_results (
    client_id   TEXT COLLATE "C" NOT NULL REFERENCES sync_clients(client_id) ON DELETE CASCADE,
    mutation_id BIGINT NOT NULL,
    status      TEXT COLLATE "C" NOT NULL CHECK (status IN ('applied', 'rejected')),
    code        TEXT COLLATE "C",
    message     TEXT COLLATE "C",
    PRIMARY KEY (client_id, mutation_id)
);
