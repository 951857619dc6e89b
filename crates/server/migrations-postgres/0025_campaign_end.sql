-- A drive can be ended early (issue 26, campaigns: `end_campaign`): from then on it is no
-- longer listed as ongoing and its page says it has ended. Its dates stay as planned.
ALTER TABLE campaigns ADD COLUMN ended_at TEXT;
