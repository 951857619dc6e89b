-- PostgreSQL twin of migrations/0012_precise_times.sql: every stored time rewritten to one
-- fixed-width shape, UTC to the microsecond with six digits and a Z
-- ("2026-07-01T02:00:05.300000Z", see store::TIME_FORMAT), so that the text's order (COLLATE
-- "C", byte by byte) is the time's order. The same text rules as SQLite's: the whole seconds,
-- then the fraction's digits (none for a whole second) cut or padded to six; anything not
-- UTC ("+00:00" or "Z") is left alone.
CREATE FUNCTION pg_temp.retimed(old TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN old ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|\+00:00)$'
        THEN left(old, 19) || '.'
            || rpad(COALESCE(substring(old FROM '^.{19}\.([0-9]+)'), ''), 6, '0') || 'Z'
        ELSE old
    END
$$;

UPDATE communities SET created_at = pg_temp.retimed(created_at) WHERE created_at IS NOT NULL;
UPDATE households SET created_at = pg_temp.retimed(created_at) WHERE created_at IS NOT NULL;
UPDATE households SET updated_at = pg_temp.retimed(updated_at) WHERE updated_at IS NOT NULL;
UPDATE campaigns SET created_at = pg_temp.retimed(created_at) WHERE created_at IS NOT NULL;
UPDATE wishes SET created_at = pg_temp.retimed(created_at) WHERE created_at IS NOT NULL;
UPDATE wishes SET updated_at = pg_temp.retimed(updated_at) WHERE updated_at IS NOT NULL;
UPDATE pledges SET created_at = pg_temp.retimed(created_at) WHERE created_at IS NOT NULL;
UPDATE allocations SET created_at = pg_temp.retimed(created_at) WHERE created_at IS NOT NULL;
UPDATE allocations SET updated_at = pg_temp.retimed(updated_at) WHERE updated_at IS NOT NULL;
UPDATE allocations SET thanked_at = pg_temp.retimed(thanked_at) WHERE thanked_at IS NOT NULL;
UPDATE events SET at = pg_temp.retimed(at) WHERE at IS NOT NULL;
UPDATE users SET created_at = pg_temp.retimed(created_at) WHERE created_at IS NOT NULL;
UPDATE users SET vetted_at = pg_temp.retimed(vetted_at) WHERE vetted_at IS NOT NULL;
UPDATE sessions SET created_at = pg_temp.retimed(created_at) WHERE created_at IS NOT NULL;
UPDATE sessions SET expires_at = pg_temp.retimed(expires_at) WHERE expires_at IS NOT NULL;
UPDATE claims SET slot_start = pg_temp.retimed(slot_start) WHERE slot_start IS NOT NULL;
UPDATE claims SET slot_end = pg_temp.retimed(slot_end) WHERE slot_end IS NOT NULL;
UPDATE claims SET hold_until = pg_temp.retimed(hold_until) WHERE hold_until IS NOT NULL;
UPDATE claims SET created_at = pg_temp.retimed(created_at) WHERE created_at IS NOT NULL;
UPDATE claims SET updated_at = pg_temp.retimed(updated_at) WHERE updated_at IS NOT NULL;
UPDATE claims SET thanked_at = pg_temp.retimed(thanked_at) WHERE thanked_at IS NOT NULL;
UPDATE sync_clients SET updated_at = pg_temp.retimed(updated_at) WHERE updated_at IS NOT NULL;

DROP FUNCTION pg_temp.retimed(TEXT);
