-- PostgreSQL twin of migrations/0018_session_last_seen.sql.
ALTER TABLE sessions ADD COLUMN last_seen_at TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE sessions SET last_seen_at = created_at;
ALTER TABLE sessions ALTER COLUMN last_seen_at DROP DEFAULT;
