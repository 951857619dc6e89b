-- PostgreSQL twin of migrations/0013_requests.sql (here a CHECK is simply replaced).

ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('donor', 'volunteer', 'shopkeeper', 'worker', 'resident', 'property'));
ALTER TABLE users ADD COLUMN party_member BIGINT NOT NULL DEFAULT 0 CHECK (party_member IN (0, 1));
DROP TRIGGER vetting_moves_auth_epoch ON users;
CREATE TRIGGER vetting_moves_auth_epoch
AFTER UPDATE OF role, volunteer_status, community_id, party_member ON users
FOR EACH STATEMENT EXECUTE FUNCTION auth_epoch_move();
CREATE INDEX users_by_community ON users (community_id, role);

CREATE TABLE buildings (
    id           TEXT COLLATE "C" PRIMARY KEY,
    community_id TEXT COLLATE "C" NOT NULL REFERENCES communities(id),
    grid_id      TEXT COLLATE "C" NOT NULL REFERENCES grids(id),
    name         TEXT COLLATE "C" NOT NULL,
    position     BIGINT NOT NULL,
    UNIQUE (community_id, name)
);
CREATE INDEX buildings_by_grid ON buildings (grid_id, position);

CREATE TABLE requests (
    id              TEXT COLLATE "C" PRIMARY KEY,
    community_id    TEXT COLLATE "C" NOT NULL REFERENCES communities(id),
    grid_id         TEXT COLLATE "C" NOT NULL REFERENCES grids(id),
    building_id     TEXT COLLATE "C" NOT NULL REFERENCES buildings(id),
    unit            TEXT COLLATE "C",
    place           TEXT COLLATE "C",
    category        TEXT COLLATE "C" NOT NULL
        CHECK (category IN ('repair', 'cleaning', 'safety', 'neighbour', 'help', 'suggestion', 'other')),
    description     TEXT COLLATE "C" NOT NULL,
    urgency         TEXT COLLATE "C" NOT NULL CHECK (urgency IN ('normal', 'urgent')),
    contact_ok      BIGINT NOT NULL CHECK (contact_ok IN (0, 1)),
    channel         TEXT COLLATE "C" NOT NULL CHECK (channel IN ('app', 'phone', 'visit', 'wechat_group')),
    status          TEXT COLLATE "C" NOT NULL CHECK (status IN
        ('submitted', 'accepted', 'calling', 'dispatched', 'in_progress', 'resolved', 'closed',
         'declined', 'merged')),
    requester_id    TEXT COLLATE "C" NOT NULL REFERENCES users(id),
    on_behalf       BIGINT NOT NULL DEFAULT 0 CHECK (on_behalf IN (0, 1)),
    on_behalf_name  TEXT COLLATE "C",
    on_behalf_phone TEXT COLLATE "C",
    handler_kind    TEXT COLLATE "C" CHECK (handler_kind IN ('worker', 'property', 'volunteer')),
    handler_id      TEXT COLLATE "C" REFERENCES users(id),
    accept_by       TEXT COLLATE "C" NOT NULL,
    resolve_by      TEXT COLLATE "C" NOT NULL,
    accepted_at     TEXT COLLATE "C",
    resolved_at     TEXT COLLATE "C",
    closed_at       TEXT COLLATE "C",
    rating          BIGINT CHECK (rating BETWEEN 1 AND 5),
    rating_note     TEXT COLLATE "C",
    public_summary  TEXT COLLATE "C",
    wish_id         TEXT COLLATE "C" REFERENCES wishes(id),
    merged_into     TEXT COLLATE "C" REFERENCES requests(id),
    reopen_count    BIGINT NOT NULL DEFAULT 0 CHECK (reopen_count >= 0),
    created_at      TEXT COLLATE "C" NOT NULL,
    updated_at      TEXT COLLATE "C" NOT NULL,
    CHECK ((handler_kind IS NULL) = (handler_id IS NULL))
);
CREATE INDEX requests_inbox ON requests (community_id, grid_id, status);
CREATE INDEX requests_by_requester ON requests (requester_id);
CREATE INDEX requests_by_handler ON requests (handler_id);
CREATE INDEX requests_by_wish ON requests (wish_id);
CREATE INDEX requests_by_resolution ON requests (status, resolved_at);

CREATE TABLE request_photos (
    id         TEXT COLLATE "C" PRIMARY KEY,
    request_id TEXT COLLATE "C" NOT NULL REFERENCES requests(id),
    stage      TEXT COLLATE "C" NOT NULL CHECK (stage IN ('before', 'after')),
    width      BIGINT NOT NULL,
    height     BIGINT NOT NULL,
    bytes      BYTEA NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX request_photos_by_request ON request_photos (request_id, created_at);

ALTER TABLE change_log DROP CONSTRAINT change_log_entity_check;
ALTER TABLE change_log ADD CONSTRAINT change_log_entity_check CHECK (entity IN
    ('wish', 'claim', 'campaign', 'grid', 'household', 'volunteer', 'pledge', 'request',
     'building', 'staff'));
INSERT INTO change_log (entity, entity_id) SELECT 'staff', id FROM users
WHERE role = 'worker' ORDER BY id;
