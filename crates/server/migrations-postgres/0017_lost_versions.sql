-- PostgreSQL twin of migrations/0017_lost_versions.sql: versions a restore took away. After a
-- pg_restore the README's step records the range and moves change_clock past it.
CREATE TABLE lost_versions (
    after_version   BIGINT NOT NULL,
    through_version BIGINT NOT NULL,
    restored_at     TEXT COLLATE "C" NOT NULL,
    CHECK (through_version >= after_version)
);
