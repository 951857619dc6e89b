-- Failed logins and registrations, counted per key (a phone from an address, a phone, an
-- address) in a sliding window. In the database, not in one process's memory, so that every
-- server process on it counts the same attempts: a guesser gains nothing by landing on
-- another instance. Times are milliseconds since 1970 (windows are sums and differences).
CREATE TABLE limit_hits (
    key     TEXT NOT NULL,
    at_ms   INTEGER NOT NULL,
    attempt TEXT NOT NULL       -- one login attempt's hits, under each of its keys
);
CREATE INDEX limit_hits_by_key ON limit_hits (key, at_ms);
CREATE INDEX limit_hits_by_attempt ON limit_hits (attempt);
