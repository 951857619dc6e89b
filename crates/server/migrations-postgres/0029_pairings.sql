-- PostgreSQL twin of migrations/0029_pairings.sql: paired communities (结对帮扶).
CREATE TABLE pairings (
    id          TEXT COLLATE "C" PRIMARY KEY,
    proposer_id TEXT COLLATE "C" NOT NULL REFERENCES communities(id),
    partner_id  TEXT COLLATE "C" NOT NULL REFERENCES communities(id),
    status      TEXT COLLATE "C" NOT NULL CHECK (status IN ('proposed', 'active', 'declined', 'ended')),
    proposed_by TEXT COLLATE "C" NOT NULL REFERENCES users(id),
    decided_by  TEXT COLLATE "C" REFERENCES users(id),
    created_at  TEXT COLLATE "C" NOT NULL,
    updated_at  TEXT COLLATE "C" NOT NULL,
    CHECK (partner_id <> proposer_id)
);
CREATE UNIQUE INDEX pairings_one_live ON pairings (LEAST(proposer_id, partner_id), GREATEST(proposer_id, partner_id))
    WHERE status IN ('proposed', 'active');
CREATE INDEX pairings_by_proposer ON pairings (proposer_id);
CREATE INDEX pairings_by_partner ON pairings (partner_id);
