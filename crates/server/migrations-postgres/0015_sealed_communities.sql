-- PostgreSQL twin of migrations/0015_sealed_communities.sql.
ALTER TABLE pledges ADD COLUMN community_id TEXT COLLATE "C" REFERENCES communities(id);
CREATE INDEX pledges_by_community ON pledges (community_id);

UPDATE users SET community_id = (SELECT id FROM communities)
WHERE community_id IS NULL AND role IN ('volunteer', 'resident')
  AND (SELECT COUNT(*) FROM communities) = 1;
