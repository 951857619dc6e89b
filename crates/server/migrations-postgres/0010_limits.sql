-- PostgreSQL twin of migrations/0010_limits.sql.
-- Failed logins and registrations, counted per key (a phone from an address, a phone, an
-- address) in a sliding window. In the database, not in one process's memory, so that every
-- server process on it counts the same attempts: a guesser gains nothing by landing on
-- another instance. Times are milliseconds since 1970 (windows are sums and differences).
CREATE TABLE limit_hits (
    key     TEXT COLLATE "C" NOT NULL,
    at_ms   BIGINT NOT NULL,
    attempt TEXT COLLATE "C" NOT NULL       -- one login attempt's hits, under each of its keys
);
CREATE INDEX limit_hits_by_key ON limit_hits (key, at_ms);
CREATE INDEX limit_hits_by_attempt ON limit_hits (attempt);
