-- PostgreSQL twin of migrations/0006_shops.sql.

ALTER TABLE pledges ADD COLUMN shop_id TEXT REFERENCES users(id);
ALTER TABLE pledges ADD COLUMN category TEXT NOT NULL DEFAULT 'other';
ALTER TABLE pledges ADD COLUMN available_from TEXT;
ALTER TABLE pledges ADD COLUMN yearly BIGINT NOT NULL DEFAULT 0 CHECK (yearly IN (0, 1));
CREATE INDEX pledges_by_shop ON pledges (shop_id);

ALTER TABLE pledge_variants ADD COLUMN allocated BIGINT NOT NULL DEFAULT 0
    CHECK (allocated >= 0 AND allocated <= quantity);

CREATE TABLE allocations (
    id         TEXT PRIMARY KEY,
    pledge_id  TEXT NOT NULL REFERENCES pledges(id),
    wish_id    TEXT NOT NULL REFERENCES wishes(id),
    variant    TEXT,
    quantity   BIGINT NOT NULL CHECK (quantity >= 1),
    status     TEXT NOT NULL CHECK (status IN ('allocated', 'delivered', 'confirmed', 'cancelled')),
    thanks     TEXT,
    thanked_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX allocations_by_pledge ON allocations (pledge_id);
CREATE INDEX allocations_by_wish ON allocations (wish_id);

ALTER TABLE campaigns ADD COLUMN goal BIGINT NOT NULL DEFAULT 0 CHECK (goal >= 0);
ALTER TABLE campaigns ADD COLUMN unit TEXT NOT NULL DEFAULT '件';
ALTER TABLE campaigns ADD COLUMN community_id TEXT REFERENCES communities(id);
UPDATE campaigns SET community_id = (SELECT id FROM communities ORDER BY id LIMIT 1);

ALTER TABLE change_log DROP CONSTRAINT change_log_entity_check;
ALTER TABLE change_log ADD CONSTRAINT change_log_entity_check CHECK (entity IN
    ('wish', 'claim', 'campaign', 'grid', 'household', 'volunteer', 'pledge'));
INSERT INTO change_log (entity, entity_id) SELECT 'pledge', id FROM pledges ORDER BY id;
INSERT INTO change_log (entity, entity_id) SELECT 'campaign', id FROM campaigns ORDER BY id;

CREATE INDEX events_by_entity_action ON events (entity, action);
