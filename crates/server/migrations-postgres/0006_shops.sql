-- PostgreSQL twin of migrations/0006_shops.sql.

ALTER TABLE pledges ADD COLUMN shop_id TEXT COLLATE "C" REFERENCES users(id);
ALTER TABLE pledges ADD COLUMN category TEXT COLLATE "C" NOT NULL DEFAULT 'other';
ALTER TABLE pledges ADD COLUMN available_from TEXT COLLATE "C";
ALTER TABLE pledges ADD COLUMN yearly BIGINT NOT NULL DEFAULT 0 CHECK (yearly IN (0, 1));
CREATE INDEX pledges_by_shop ON pledges (shop_id);

ALTER TABLE pledge_variants ADD COLUMN allocated BIGINT NOT NULL DEFAULT 0
    CHECK (allocated >= 0 AND allocated <= quantity);

CREATE TABLE allocations (
    id         TEXT COLLATE "C" PRIMARY KEY,
    pledge_id  TEXT COLLATE "C" NOT NULL REFERENCES pledges(id),
    wish_id    TEXT COLLATE "C" NOT NULL REFERENCES wishes(id),
    variant    TEXT COLLATE "C",
    quantity   BIGINT NOT NULL CHECK (quantity >= 1),
    status     TEXT COLLATE "C" NOT NULL CHECK (status IN ('allocated', 'delivered', 'confirmed', 'cancelled')),
    thanks     TEXT COLLATE "C",
    thanked_at TEXT COLLATE "C",
    created_at TEXT COLLATE "C" NOT NULL,
    updated_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX allocations_by_pledge ON allocations (pledge_id);
CREATE INDEX allocations_by_wish ON allocations (wish_id);

ALTER TABLE campaigns ADD COLUMN goal BIGINT NOT NULL DEFAULT 0 CHECK (goal >= 0);
ALTER TABLE campaigns ADD COLUMN unit TEXT COLLATE "C" NOT NULL DEFAULT '件';
ALTER TABLE campaigns ADD COLUMN community_id TEXT COLLATE "C" REFERENCES communities(id);
UPDATE campaigns SET community_id = (SELECT id FROM communities ORDER BY id LIMIT 1);

ALTER TABLE change_log DROP CONSTRAINT change_log_entity_check;
ALTER TABLE change_log ADD CONSTRAINT change_log_entity_check CHECK (entity IN
    ('wish', 'claim', 'campaign', 'grid', 'household', 'volunteer', 'pledge'));
INSERT INTO change_log (entity, entity_id) SELECT 'pledge', id FROM pledges ORDER BY id;
INSERT INTO change_log (entity, entity_id) SELECT 'campaign', id FROM campaigns ORDER BY id;

CREATE INDEX events_by_entity_action ON events (entity, action);
