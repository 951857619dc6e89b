-- Sessions end when unused (`serve --session-idle-days`, 14 by default), not only 30 days
-- after sign-in: each remembers when it was last used (written at most hourly, so that reads
-- stay reads). Sessions from before start counting from their sign-in.
ALTER TABLE sessions ADD COLUMN last_seen_at TEXT NOT NULL DEFAULT '';
UPDATE sessions SET last_seen_at = created_at;
