-- Residents' requests (诉求: 居民点单 → 派单 → 办理 → 回访): the community's buildings, the
-- requests filed about them with their photos, two new roles (residents, who file them, and
-- the property company's staff, who handle those dispatched to them) and party-member
-- volunteers (党员), who answer the grid's calls for help.

-- The roles CHECK grows and volunteers may be party members. SQLite cannot change a CHECK, so
-- the users table is rebuilt. Other tables refer to it (claims, pledges, sessions, …): inside
-- this migration's transaction the foreign keys are checked at its commit, the old table's
-- rows are put back under the same ids before then, and what dropping it cascaded to
-- (sessions, sync clients and their results) is put back too. Nobody is signed out.
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE kept_users AS SELECT * FROM users;
CREATE TEMP TABLE kept_sessions AS SELECT * FROM sessions;
CREATE TEMP TABLE kept_sync_clients AS SELECT * FROM sync_clients;
CREATE TEMP TABLE kept_sync_results AS SELECT * FROM sync_results;
DROP TABLE users;
CREATE TABLE users (
    id               TEXT PRIMARY KEY,
    phone            TEXT NOT NULL UNIQUE,     -- normalised 11-digit mainland mobile
    display_name     TEXT NOT NULL,
    role             TEXT NOT NULL
        CHECK (role IN ('donor', 'volunteer', 'shopkeeper', 'worker', 'resident', 'property')),
    password_hash    TEXT NOT NULL,            -- argon2id PHC string
    created_at       TEXT NOT NULL,
    -- A worker's or property staff's community; the one a resident (or volunteer) lives in.
    community_id     TEXT REFERENCES communities(id),
    volunteer_status TEXT CHECK (volunteer_status IN ('pending', 'approved', 'suspended')),
    vetting_note     TEXT NOT NULL DEFAULT '',
    vetted_at        TEXT,
    vetted_by        TEXT REFERENCES users(id),
    held_item_units  INTEGER NOT NULL DEFAULT 0 CHECK (held_item_units >= 0),
    -- A volunteer a worker marked a party member (党员): they answer the calls for help.
    party_member     INTEGER NOT NULL DEFAULT 0 CHECK (party_member IN (0, 1))
);
INSERT INTO users (id, phone, display_name, role, password_hash, created_at, community_id,
                   volunteer_status, vetting_note, vetted_at, vetted_by, held_item_units)
SELECT id, phone, display_name, role, password_hash, created_at, community_id,
       volunteer_status, vetting_note, vetted_at, vetted_by, held_item_units
FROM kept_users;
INSERT INTO sessions SELECT * FROM kept_sessions
WHERE token_hash NOT IN (SELECT token_hash FROM sessions);
INSERT INTO sync_clients SELECT * FROM kept_sync_clients
WHERE client_id NOT IN (SELECT client_id FROM sync_clients);
INSERT INTO sync_results SELECT * FROM kept_sync_results r
WHERE NOT EXISTS (SELECT 1 FROM sync_results s
                  WHERE s.client_id = r.client_id AND s.mutation_id = r.mutation_id);
DROP TABLE kept_users;
DROP TABLE kept_sessions;
DROP TABLE kept_sync_clients;
DROP TABLE kept_sync_results;
-- Dropped with the old table (0011), and a party member's marking changes what they see too.
CREATE TRIGGER vetting_moves_auth_epoch
AFTER UPDATE OF role, volunteer_status, community_id, party_member ON users
BEGIN
    UPDATE auth_epoch SET epoch = epoch + 1;
END;
-- The staff a worker dispatches to: a community's workers and property staff.
CREATE INDEX users_by_community ON users (community_id, role);

-- A building (幢) of a community, in one of its grids (public: a request names its building,
-- never its unit on the board).
CREATE TABLE buildings (
    id           TEXT PRIMARY KEY,
    community_id TEXT NOT NULL REFERENCES communities(id),
    grid_id      TEXT NOT NULL REFERENCES grids(id),
    name         TEXT NOT NULL,
    position     INTEGER NOT NULL,
    UNIQUE (community_id, name)
);
CREATE INDEX buildings_by_grid ON buildings (grid_id, position);

-- A resident's request. Private: its words, unit, place, photos and whom to call are read by
-- its requester, its community's workers and its handler only (core's visibility); the board
-- shows its category, building, day and the public summary a worker wrote.
CREATE TABLE requests (
    id              TEXT PRIMARY KEY,
    community_id    TEXT NOT NULL REFERENCES communities(id),
    grid_id         TEXT NOT NULL REFERENCES grids(id),     -- the building's
    building_id     TEXT NOT NULL REFERENCES buildings(id),
    unit            TEXT,
    place           TEXT,
    category        TEXT NOT NULL
        CHECK (category IN ('repair', 'cleaning', 'safety', 'neighbour', 'help', 'suggestion', 'other')),
    description     TEXT NOT NULL,
    urgency         TEXT NOT NULL CHECK (urgency IN ('normal', 'urgent')),
    contact_ok      INTEGER NOT NULL CHECK (contact_ok IN (0, 1)),
    channel         TEXT NOT NULL CHECK (channel IN ('app', 'phone', 'visit', 'wechat_group')),
    status          TEXT NOT NULL CHECK (status IN
        ('submitted', 'accepted', 'calling', 'dispatched', 'in_progress', 'resolved', 'closed',
         'declined', 'merged')),
    -- Who filed it: the resident, or the worker who logged it on someone's behalf.
    requester_id    TEXT NOT NULL REFERENCES users(id),
    -- Logged by a worker (1) for this person (either may be unknown: an anonymous tip).
    on_behalf       INTEGER NOT NULL DEFAULT 0 CHECK (on_behalf IN (0, 1)),
    on_behalf_name  TEXT,
    on_behalf_phone TEXT,
    handler_kind    TEXT CHECK (handler_kind IN ('worker', 'property', 'volunteer')),
    handler_id      TEXT REFERENCES users(id),
    accept_by       TEXT NOT NULL,
    resolve_by      TEXT NOT NULL,
    accepted_at     TEXT,
    resolved_at     TEXT,
    closed_at       TEXT,                                   -- closed, declined or merged
    rating          INTEGER CHECK (rating BETWEEN 1 AND 5),
    rating_note     TEXT,
    public_summary  TEXT,
    wish_id         TEXT REFERENCES wishes(id),
    merged_into     TEXT REFERENCES requests(id),
    reopen_count    INTEGER NOT NULL DEFAULT 0 CHECK (reopen_count >= 0),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK ((handler_kind IS NULL) = (handler_id IS NULL))
);
-- The grid's inbox (a community's requests, by grid and status), what a requester filed,
-- what a handler holds, the requests turned into a wish, and the resolved ones (the board,
-- the timer that closes those left unanswered).
CREATE INDEX requests_inbox ON requests (community_id, grid_id, status);
CREATE INDEX requests_by_requester ON requests (requester_id);
CREATE INDEX requests_by_handler ON requests (handler_id);
CREATE INDEX requests_by_wish ON requests (wish_id);
CREATE INDEX requests_by_resolution ON requests (status, resolved_at);

-- A request's photos as the server re-encoded them (JPEG, no metadata): `before` from the
-- requester, `after` from the handler, at most three of each (core's rule).
CREATE TABLE request_photos (
    id         TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES requests(id),
    stage      TEXT NOT NULL CHECK (stage IN ('before', 'after')),
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    bytes      BLOB NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX request_photos_by_request ON request_photos (request_id, created_at);

-- Requests, buildings and the community's staff are synced: the change log names them (a
-- call is a view of a request, never logged on its own).
CREATE TABLE change_log_new (
    version   INTEGER PRIMARY KEY AUTOINCREMENT,
    entity    TEXT NOT NULL CHECK (entity IN
        ('wish', 'claim', 'campaign', 'grid', 'household', 'volunteer', 'pledge', 'request',
         'building', 'staff')),
    entity_id TEXT NOT NULL
);
INSERT INTO change_log_new (version, entity, entity_id)
SELECT version, entity, entity_id FROM change_log ORDER BY version;
DROP TABLE change_log;
ALTER TABLE change_log_new RENAME TO change_log;
CREATE INDEX change_log_by_entity ON change_log (entity, entity_id);
-- The workers already there are staff to dispatch to.
INSERT INTO change_log (entity, entity_id) SELECT 'staff', id FROM users
WHERE role = 'worker' ORDER BY id;
