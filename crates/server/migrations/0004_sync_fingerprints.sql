-- A replayed mutation is one sent again under the same id: its command must be the same.
-- Each processed mutation keeps its command's fingerprint (the command as JSON), so that a
-- phone whose numbering went back (restored from an old backup) is told to renumber
-- instead of being answered with another mutation's result.
ALTER TABLE sync_results ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '';
