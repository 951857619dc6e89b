-- PostgreSQL twin of migrations/0004_sync_fingerprints.sql.
ALTER TABLE sync_results ADD COLUMN fingerprint TEXT COLLATE "C" NOT NULL DEFAULT '';
