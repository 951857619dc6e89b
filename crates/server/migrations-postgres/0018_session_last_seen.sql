-- PostgreSQL twin of migrations/0018_session_last_seen.sql (the same default, never used:
-- every session is stored with its last use).
ALTER TABLE sessions ADD COLUMN last_seen_at TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE sessions SET last_seen_at = created_at;
