-- PostgreSQL twin of migrations/0002_accounts_and_claims.sql.

CREATE TABLE users (
    id            TEXT COLLATE "C" PRIMARY KEY,
    phone         TEXT COLLATE "C" NOT NULL UNIQUE,
    display_name  TEXT COLLATE "C" NOT NULL,
    role          TEXT COLLATE "C" NOT NULL CHECK (role IN ('donor', 'volunteer', 'shopkeeper', 'worker')),
    password_hash TEXT COLLATE "C" NOT NULL,
    created_at    TEXT COLLATE "C" NOT NULL
);

-- Only a SHA-256 of each session token is stored: a leaked database opens no session.
CREATE TABLE sessions (
    token_hash TEXT COLLATE "C" PRIMARY KEY,
    user_id    TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT COLLATE "C" NOT NULL,
    expires_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE claims (
    id                TEXT COLLATE "C" PRIMARY KEY,
    wish_id           TEXT COLLATE "C" NOT NULL REFERENCES wishes(id),
    user_id           TEXT COLLATE "C" NOT NULL REFERENCES users(id),
    quantity          BIGINT NOT NULL CHECK (quantity >= 1),
    note              TEXT COLLATE "C" NOT NULL DEFAULT '',
    status            TEXT COLLATE "C" NOT NULL
        CHECK (status IN ('active', 'delivered', 'confirmed', 'released', 'expired', 'rejected')),
    slot_start        TEXT COLLATE "C",
    slot_end          TEXT COLLATE "C",
    hold_until        TEXT COLLATE "C" NOT NULL,
    volunteer_minutes BIGINT NOT NULL DEFAULT 0,
    reject_reason     TEXT COLLATE "C",
    created_at        TEXT COLLATE "C" NOT NULL,
    updated_at        TEXT COLLATE "C" NOT NULL
);
CREATE INDEX claims_by_user ON claims (user_id, id);
CREATE INDEX claims_by_wish ON claims (wish_id);
CREATE INDEX claims_active_by_hold ON claims (status, hold_until);
