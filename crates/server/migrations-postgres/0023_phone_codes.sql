-- PostgreSQL twin of migrations/0023_phone_codes.sql: verified phones and one-time SMS codes.
ALTER TABLE users ADD COLUMN phone_verified_at TEXT COLLATE "C";
CREATE TABLE phone_codes (
    phone      TEXT COLLATE "C" NOT NULL,
    purpose    TEXT COLLATE "C" NOT NULL,
    code_mac   TEXT COLLATE "C" NOT NULL,
    sent_at    TEXT COLLATE "C" NOT NULL,
    expires_at TEXT COLLATE "C" NOT NULL,
    tries      BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (phone, purpose)
);
