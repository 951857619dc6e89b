-- A volunteer's service certificate (志愿服务时长证明, issue 28): the totals of their house calls
-- confirmed in a period, taken when it was issued, so the paper and its verification page
-- always read the same numbers whatever is confirmed later. Its id is random (a v4 uuid: the
-- verification link is not to be guessed); the names are as they were at issue. A worker of
-- its community may revoke it, with a reason; it is then no longer valid (never deleted).
CREATE TABLE certificates (
    id             TEXT PRIMARY KEY,
    volunteer_id   TEXT NOT NULL REFERENCES users(id),
    community_id   TEXT NOT NULL REFERENCES communities(id),
    volunteer_name TEXT NOT NULL,
    community_name TEXT NOT NULL,
    period_from    TEXT NOT NULL,
    period_to      TEXT NOT NULL CHECK (period_to >= period_from),
    visits         INTEGER NOT NULL CHECK (visits > 0),
    minutes        INTEGER NOT NULL CHECK (minutes >= 0),
    -- The confirming workers' display names, a JSON array of strings.
    confirmed_by   TEXT NOT NULL,
    issued_at      TEXT NOT NULL,
    revoked_at     TEXT,
    revoked_by     TEXT REFERENCES users(id),
    revoke_reason  TEXT,
    CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL))
);
CREATE INDEX certificates_by_volunteer ON certificates (volunteer_id, issued_at);
