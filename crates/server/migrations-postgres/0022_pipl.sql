-- PostgreSQL twin of migrations/0022_pipl.sql: deleted accounts and households keep their
-- rows without their private fields; when the privacy notice was accepted at sign-up.
ALTER TABLE users ADD COLUMN deleted_at TEXT COLLATE "C";
ALTER TABLE users ADD COLUMN privacy_accepted_at TEXT COLLATE "C";
ALTER TABLE households ADD COLUMN deleted_at TEXT COLLATE "C";
