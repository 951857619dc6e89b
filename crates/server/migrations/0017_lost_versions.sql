-- Versions a restore took away (DESIGN.md: `restore` makes every phone from before it start
-- over). The restored database's change log ended at `after_version`; the live one had
-- reached `through_version`. The restore numbers on past `through_version` (its own mark is
-- `through_version + 1`, the top a pull reports until the next change), so no version is
-- handed out twice, and a pull whose cursor is at or below `through_version` starts over
-- (core's sync::must_start_over): the phone sends again what the server no longer has.
CREATE TABLE lost_versions (
    after_version   INTEGER NOT NULL,
    through_version INTEGER NOT NULL,
    restored_at     TEXT NOT NULL,
    CHECK (through_version >= after_version)
);
