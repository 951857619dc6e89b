-- Communities are sealed from each other: a pledge may be offered to one community (its
-- workers alone see it and give it out; every community's when NULL), and volunteers and
-- residents of a database with a single community belong to it (a volunteer of no community
-- is vetted by nobody).
ALTER TABLE pledges ADD COLUMN community_id TEXT REFERENCES communities(id);
CREATE INDEX pledges_by_community ON pledges (community_id);

UPDATE users SET community_id = (SELECT id FROM communities)
WHERE community_id IS NULL AND role IN ('volunteer', 'resident')
  AND (SELECT COUNT(*) FROM communities) = 1;
