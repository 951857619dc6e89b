-- PostgreSQL twin of migrations/0026_certificates.sql: volunteers' service certificates.
CREATE TABLE certificates (
    id             TEXT COLLATE "C" PRIMARY KEY,
    volunteer_id   TEXT COLLATE "C" NOT NULL REFERENCES users(id),
    community_id   TEXT COLLATE "C" NOT NULL REFERENCES communities(id),
    volunteer_name TEXT NOT NULL,
    community_name TEXT NOT NULL,
    period_from    TEXT COLLATE "C" NOT NULL,
    period_to      TEXT COLLATE "C" NOT NULL CHECK (period_to >= period_from),
    visits         BIGINT NOT NULL CHECK (visits > 0),
    minutes        BIGINT NOT NULL CHECK (minutes >= 0),
    confirmed_by   TEXT NOT NULL,
    issued_at      TEXT COLLATE "C" NOT NULL,
    revoked_at     TEXT COLLATE "C",
    revoked_by     TEXT COLLATE "C" REFERENCES users(id),
    revoke_reason  TEXT,
    CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL))
);
CREATE INDEX certificates_by_volunteer ON certificates (volunteer_id, issued_at);
