-- PostgreSQL twin of migrations/0005_workers.sql (a CHECK is changed in place here, where
-- SQLite rebuilds the table).

CREATE TABLE communities (
    id         TEXT COLLATE "C" PRIMARY KEY,
    name       TEXT COLLATE "C" NOT NULL UNIQUE,
    created_at TEXT COLLATE "C" NOT NULL
);
ALTER TABLE grids ADD COLUMN community_id TEXT COLLATE "C" REFERENCES communities(id);
CREATE INDEX grids_by_community ON grids (community_id);

INSERT INTO communities (id, name, created_at)
SELECT '00000000-0000-7000-8000-000000000001', '本社区',
       to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
WHERE EXISTS (SELECT 1 FROM grids);
UPDATE grids SET community_id = '00000000-0000-7000-8000-000000000001'
WHERE community_id IS NULL AND EXISTS (SELECT 1 FROM communities);

ALTER TABLE users ADD COLUMN community_id TEXT COLLATE "C" REFERENCES communities(id);
ALTER TABLE users ADD COLUMN volunteer_status TEXT COLLATE "C"
    CHECK (volunteer_status IN ('pending', 'approved', 'suspended'));
ALTER TABLE users ADD COLUMN vetting_note TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN vetted_at TEXT COLLATE "C";
ALTER TABLE users ADD COLUMN vetted_by TEXT COLLATE "C" REFERENCES users(id);
UPDATE users SET community_id = (SELECT id FROM communities ORDER BY id LIMIT 1)
WHERE role = 'worker';
UPDATE users SET volunteer_status = 'pending' WHERE role = 'volunteer';

ALTER TABLE households ADD COLUMN consent_on TEXT COLLATE "C";
ALTER TABLE households ADD COLUMN minor BIGINT NOT NULL DEFAULT 0 CHECK (minor IN (0, 1));

ALTER TABLE wishes ADD COLUMN station_grid_id TEXT COLLATE "C" REFERENCES grids(id);
CREATE INDEX wishes_by_household ON wishes (household_id);

ALTER TABLE claims ADD COLUMN thanks TEXT COLLATE "C";
ALTER TABLE claims ADD COLUMN thanked_at TEXT COLLATE "C";

ALTER TABLE change_log DROP CONSTRAINT change_log_entity_check;
ALTER TABLE change_log ADD CONSTRAINT change_log_entity_check
    CHECK (entity IN ('wish', 'claim', 'campaign', 'grid', 'household', 'volunteer'));
INSERT INTO change_log (entity, entity_id) SELECT 'grid', id FROM grids ORDER BY position;
INSERT INTO change_log (entity, entity_id) SELECT 'household', id FROM households ORDER BY id;
INSERT INTO change_log (entity, entity_id) SELECT 'volunteer', id FROM users
WHERE role = 'volunteer' ORDER BY id;
