-- Workers run it: communities, vetted volunteers, households with consent, wishes posted on a
-- household's behalf (with their drop-off station), thanks on claims.

-- A community (社区). A worker sees and changes only their own community's households and
-- wishes; grids belong to one community.
CREATE TABLE communities (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
ALTER TABLE grids ADD COLUMN community_id TEXT REFERENCES communities(id);
CREATE INDEX grids_by_community ON grids (community_id);

-- A database from before communities existed gets one, holding every grid and worker.
INSERT INTO communities (id, name, created_at)
SELECT '00000000-0000-7000-8000-000000000001', '本社区', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE EXISTS (SELECT 1 FROM grids);
UPDATE grids SET community_id = '00000000-0000-7000-8000-000000000001'
WHERE community_id IS NULL AND EXISTS (SELECT 1 FROM communities);

-- Workers belong to a community. Volunteers are vetted by a worker before any house call
-- (safeguarding the elderly): pending → approved, or suspended; the note and date are kept.
ALTER TABLE users ADD COLUMN community_id TEXT REFERENCES communities(id);
ALTER TABLE users ADD COLUMN volunteer_status TEXT
    CHECK (volunteer_status IN ('pending', 'approved', 'suspended'));
ALTER TABLE users ADD COLUMN vetting_note TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN vetted_at TEXT;
ALTER TABLE users ADD COLUMN vetted_by TEXT REFERENCES users(id);
UPDATE users SET community_id = (SELECT id FROM communities ORDER BY id LIMIT 1)
WHERE role = 'worker';
-- Volunteers who registered before vetting existed wait for a worker to meet them.
UPDATE users SET volunteer_status = 'pending' WHERE role = 'volunteer';

-- Households: consent to publish (its date), and whether a child under 14 lives there.
ALTER TABLE households ADD COLUMN consent_on TEXT;
ALTER TABLE households ADD COLUMN minor INTEGER NOT NULL DEFAULT 0 CHECK (minor IN (0, 1));

-- The grid whose station takes a wish's items (its own grid's when NULL).
ALTER TABLE wishes ADD COLUMN station_grid_id TEXT REFERENCES grids(id);
CREATE INDEX wishes_by_household ON wishes (household_id);

-- The household's thanks for a claim, recorded by a worker; the claimer sees it.
ALTER TABLE claims ADD COLUMN thanks TEXT;
ALTER TABLE claims ADD COLUMN thanked_at TEXT;

-- Households and volunteers are synced to workers too: the change log names them. SQLite
-- cannot change a CHECK, so the table is rebuilt with its versions kept.
CREATE TABLE change_log_new (
    version   INTEGER PRIMARY KEY AUTOINCREMENT,
    entity    TEXT NOT NULL
        CHECK (entity IN ('wish', 'claim', 'campaign', 'grid', 'household', 'volunteer')),
    entity_id TEXT NOT NULL
);
INSERT INTO change_log_new (version, entity, entity_id)
SELECT version, entity, entity_id FROM change_log ORDER BY version;
DROP TABLE change_log;
ALTER TABLE change_log_new RENAME TO change_log;
CREATE INDEX change_log_by_entity ON change_log (entity, entity_id);
-- Grids now carry their community; households and volunteers are new to phones.
INSERT INTO change_log (entity, entity_id) SELECT 'grid', id FROM grids ORDER BY position;
INSERT INTO change_log (entity, entity_id) SELECT 'household', id FROM households ORDER BY id;
INSERT INTO change_log (entity, entity_id) SELECT 'volunteer', id FROM users
WHERE role = 'volunteer' ORDER BY id;
