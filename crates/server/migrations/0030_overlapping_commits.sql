-- SQLite twin of migrations-postgres/0030_overlapping_commits.sql, which has nothing to do
-- here: SQLite has one writer at a time, so a change's row id is its version, in commit order.
SELECT 1;
