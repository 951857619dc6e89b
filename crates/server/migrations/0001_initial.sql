-- microwish: the community, its needy households, their wishes, campaigns, pledges
-- and the event log. Ids are UUIDv7 text (grids use short codes); times are RFC 3339
-- UTC text; dates are YYYY-MM-DD. Rules are enforced here as well as in core, so that
-- no server process, however buggy or racing, can store a wish claimed beyond its quantity.

-- Grids (网格), each with its grid station (网格驿站) where items are dropped off.
CREATE TABLE grids (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    station          TEXT NOT NULL,
    station_location TEXT NOT NULL,
    position         INTEGER NOT NULL
);

-- Private: only workers may read these rows. Public queries never join this table.
CREATE TABLE households (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    address    TEXT NOT NULL,
    phone      TEXT NOT NULL,
    grid_id    TEXT NOT NULL REFERENCES grids(id),
    groups     TEXT NOT NULL,            -- JSON array of beneficiary group codes
    notes      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE campaigns (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    starts_on   TEXT,
    ends_on     TEXT,
    created_at  TEXT NOT NULL
);

CREATE TABLE wishes (
    id                TEXT PRIMARY KEY,
    kind              TEXT NOT NULL CHECK (kind IN ('item', 'service')),
    title             TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    category          TEXT NOT NULL,
    status            TEXT NOT NULL
        CHECK (status IN ('draft', 'open', 'claimed', 'fulfilled', 'closed', 'cancelled')),
    quantity          INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 10000),
    -- Unit counters kept by the claim commands (see core::rules::Units).
    claimed           INTEGER NOT NULL DEFAULT 0,
    delivered         INTEGER NOT NULL DEFAULT 0,
    fulfilled         INTEGER NOT NULL DEFAULT 0,
    unit              TEXT NOT NULL,
    alias             TEXT NOT NULL,
    beneficiary_group TEXT NOT NULL,
    grid_id           TEXT NOT NULL REFERENCES grids(id),
    household_id      TEXT REFERENCES households(id),
    needed_by         TEXT,
    campaign_id       TEXT REFERENCES campaigns(id),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    -- The quantity rule, held by the database itself.
    CHECK (0 <= fulfilled AND fulfilled <= delivered AND delivered <= claimed AND claimed <= quantity)
);
CREATE INDEX wishes_by_status ON wishes (status, id);
CREATE INDEX wishes_by_campaign ON wishes (campaign_id);

-- A shopkeeper's bulk pledge (e.g. 104 pairs of children's shoes).
CREATE TABLE pledges (
    id         TEXT PRIMARY KEY,
    shop_name  TEXT NOT NULL,
    item       TEXT NOT NULL,
    quantity   INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 100000),
    unit       TEXT NOT NULL,
    allocated  INTEGER NOT NULL DEFAULT 0,
    note       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    CHECK (0 <= allocated AND allocated <= quantity)
);

CREATE TABLE pledge_variants (
    pledge_id TEXT NOT NULL REFERENCES pledges(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    label     TEXT NOT NULL,
    quantity  INTEGER NOT NULL CHECK (quantity >= 1),
    PRIMARY KEY (pledge_id, position)
);

-- Every state change: who, when, what. Rows are only ever appended.
CREATE TABLE events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    actor_id    TEXT,                     -- NULL for the system (demo seed, hold timer)
    entity      TEXT NOT NULL,            -- 'wish', 'claim', 'pledge', 'campaign', 'household'
    entity_id   TEXT NOT NULL,
    wish_id     TEXT,
    action      TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_by_wish ON events (wish_id, seq);
