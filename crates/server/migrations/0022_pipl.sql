-- PIPL basics (issue 23, item 8).
--
-- A deleted account keeps its row (its claims and the households' timelines point at it) but
-- not its person: the name, phone and password are erased when `deleted_at` is set (the phone
-- becomes `erased:` and the id, so the number may sign up again). Deleted accounts never sign
-- in and are never listed.
ALTER TABLE users ADD COLUMN deleted_at TEXT;
-- When the person ticked "我已阅读并同意隐私说明" at sign-up (none: added by the command
-- line, or an app from before the notice).
ALTER TABLE users ADD COLUMN privacy_accepted_at TEXT;

-- A deleted household keeps its row (fulfilled wishes still count in the community's
-- numbers and point at it) but no private field: name, address, phone and notes are emptied
-- when `deleted_at` is set, and no worker reads it again.
ALTER TABLE households ADD COLUMN deleted_at TEXT;
