-- Shops and numbers: pledges by shopkeepers with sizes, allocations of pledged units to
-- wishes (counted as claimed units of the wish), campaigns with a goal.

-- A pledge belongs to the shopkeeper who made it; it has a category, may be yearly, and
-- may be available from a date. (`item` is the pledge's title.)
ALTER TABLE pledges ADD COLUMN shop_id TEXT REFERENCES users(id);
ALTER TABLE pledges ADD COLUMN category TEXT NOT NULL DEFAULT 'other';
ALTER TABLE pledges ADD COLUMN available_from TEXT;
ALTER TABLE pledges ADD COLUMN yearly INTEGER NOT NULL DEFAULT 0 CHECK (yearly IN (0, 1));
CREATE INDEX pledges_by_shop ON pledges (shop_id);

-- Each variant counts its own allocated units: never more than it holds.
ALTER TABLE pledge_variants ADD COLUMN allocated INTEGER NOT NULL DEFAULT 0
    CHECK (allocated >= 0 AND allocated <= quantity);

-- Units of a pledge (of one variant) given to a wish: allocated → delivered → confirmed,
-- or cancelled (its units return to the pledge and the wish).
CREATE TABLE allocations (
    id         TEXT PRIMARY KEY,
    pledge_id  TEXT NOT NULL REFERENCES pledges(id),
    wish_id    TEXT NOT NULL REFERENCES wishes(id),
    variant    TEXT,
    quantity   INTEGER NOT NULL CHECK (quantity >= 1),
    status     TEXT NOT NULL CHECK (status IN ('allocated', 'delivered', 'confirmed', 'cancelled')),
    thanks     TEXT,
    thanked_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX allocations_by_pledge ON allocations (pledge_id);
CREATE INDEX allocations_by_wish ON allocations (wish_id);

-- A campaign's goal ("30 个书包") and the community that runs it.
ALTER TABLE campaigns ADD COLUMN goal INTEGER NOT NULL DEFAULT 0 CHECK (goal >= 0);
ALTER TABLE campaigns ADD COLUMN unit TEXT NOT NULL DEFAULT '件';
ALTER TABLE campaigns ADD COLUMN community_id TEXT REFERENCES communities(id);
UPDATE campaigns SET community_id = (SELECT id FROM communities ORDER BY id LIMIT 1);

-- Pledges are synced to their shop and to workers: the change log names them.
CREATE TABLE change_log_new (
    version   INTEGER PRIMARY KEY AUTOINCREMENT,
    entity    TEXT NOT NULL CHECK (entity IN
        ('wish', 'claim', 'campaign', 'grid', 'household', 'volunteer', 'pledge')),
    entity_id TEXT NOT NULL
);
INSERT INTO change_log_new (version, entity, entity_id)
SELECT version, entity, entity_id FROM change_log ORDER BY version;
DROP TABLE change_log;
ALTER TABLE change_log_new RENAME TO change_log;
CREATE INDEX change_log_by_entity ON change_log (entity, entity_id);
INSERT INTO change_log (entity, entity_id) SELECT 'pledge', id FROM pledges ORDER BY id;
INSERT INTO change_log (entity, entity_id) SELECT 'campaign', id FROM campaigns ORDER BY id;

-- The workers' report finds confirmed house calls by their events.
CREATE INDEX events_by_entity_action ON events (entity, action);
