-- Paired communities (结对帮扶, issue 28): a worker of `proposer_id` asked `partner_id` to pair;
-- the partner's workers accept or decline; either side ends it. While active, a shop of either
-- community may pledge to the other. Two communities have at most one live pairing (asked or
-- active) at a time, whichever side asked.
CREATE TABLE pairings (
    id          TEXT PRIMARY KEY,
    proposer_id TEXT NOT NULL REFERENCES communities(id),
    partner_id  TEXT NOT NULL REFERENCES communities(id),
    status      TEXT NOT NULL CHECK (status IN ('proposed', 'active', 'declined', 'ended')),
    proposed_by TEXT NOT NULL REFERENCES users(id),
    -- The worker who last moved it (accepted, declined or ended).
    decided_by  TEXT REFERENCES users(id),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CHECK (partner_id <> proposer_id)
);
CREATE UNIQUE INDEX pairings_one_live ON pairings (MIN(proposer_id, partner_id), MAX(proposer_id, partner_id))
    WHERE status IN ('proposed', 'active');
CREATE INDEX pairings_by_proposer ON pairings (proposer_id);
CREATE INDEX pairings_by_partner ON pairings (partner_id);
