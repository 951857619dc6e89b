-- Commits that overlap. Until now a change took its version at commit, under the one-row
-- `change_clock`'s lock held until the commit was over (0003_sync.sql): commits took turns,
-- each paying its own log sync, and a second server only added waiting (two servers made
-- 0.61x what one made).
--
-- Now a change is written without a version and keeps none through its commit: commits wait
-- for nobody. It is numbered after it has committed, by `change_log_stamp()`, which a server
-- calls after a batch that logged changes (before it answers, so an acknowledged write is in
-- the next pull, whichever server is asked) and while it watches for other servers' changes.
-- One call numbers everything committed and not yet numbered, for every writer at once.
-- Stampers take turns at the clock's row, held until their own commit, so versions still
-- become visible in increasing order and no cursor skips a change; a pull reads only what has
-- a version. A stamp is a few rows' update; a writer no longer waits behind other commits.
DROP TRIGGER change_log_stamp_at_commit ON change_log;
DROP FUNCTION change_log_stamp();

-- Numbers every committed, unnumbered change; the newest version. Called on its own, outside
-- any other work (`SELECT change_log_stamp()`), at READ COMMITTED: each statement below sees
-- what has committed by the time it runs (a function that is not STABLE takes a new snapshot
-- per statement), so the numbering starts after the clock's lock is ours and sees the last
-- stamper's work.
CREATE FUNCTION change_log_stamp() RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
    top     BIGINT;
    stamped BIGINT;
BEGIN
    -- Nothing to number (what is uncommitted is invisible here): no lock, no log sync.
    IF NOT EXISTS (SELECT 1 FROM change_log WHERE version IS NULL) THEN
        RETURN (SELECT version FROM change_clock);
    END IF;
    SELECT version INTO top FROM change_clock FOR UPDATE;
    -- One pass, whatever the count: each row numbered in the order it was written.
    UPDATE change_log SET version = numbered.version
    FROM (SELECT ctid AS row_id, top + row_number() OVER (ORDER BY ctid) AS version
          FROM change_log WHERE version IS NULL) AS numbered
    WHERE change_log.ctid = numbered.row_id;
    GET DIAGNOSTICS stamped = ROW_COUNT;
    IF stamped = 0 THEN
        -- The stamper before us numbered them while we waited for the clock.
        RETURN top;
    END IF;
    UPDATE change_clock SET version = top + stamped;
    -- Every server LISTENing hears the new top version when (and only if) this commits, and
    -- pokes its own phones: live updates across instances.
    PERFORM pg_notify('microwish_changes', (top + stamped)::text);
    RETURN top + stamped;
END;
$$;

-- What is written before a server first stamps (this migration's own history included) is
-- numbered now.
SELECT change_log_stamp();
