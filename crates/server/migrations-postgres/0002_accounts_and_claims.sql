-- PostgreSQL twin of migrations/0002_accounts_and_claims.sql.

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    phone         TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('donor', 'volunteer', 'shopkeeper', 'worker')),
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

-- Only a SHA-256 of each session token is stored: a leaked database opens no session.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE claims (
    id                TEXT PRIMARY KEY,
    wish_id           TEXT NOT NULL REFERENCES wishes(id),
    user_id           TEXT NOT NULL REFERENCES users(id),
    quantity          BIGINT NOT NULL CHECK (quantity >= 1),
    note              TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL
        CHECK (status IN ('active', 'delivered', 'confirmed', 'released', 'expired', 'rejected')),
    slot_start        TEXT,
    slot_end          TEXT,
    hold_until        TEXT NOT NULL,
    volunteer_minutes BIGINT NOT NULL DEFAULT 0,
    reject_reason     TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX claims_by_user ON claims (user_id, id);
CREATE INDEX claims_by_wish ON claims (wish_id);
CREATE INDEX claims_active_by_hold ON claims (status, hold_until);
