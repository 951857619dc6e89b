-- Hand-over at the station (issue 28, item 1).
--
-- Every live item claim and allocation carries the short code its giver shows at the grid
-- station; a worker types (or scans) it to confirm the hand-over. The server derives it from
-- the claim's or allocation's id with a key of its own (HMAC-SHA256, the key in
-- `server_keys` under `handover`), so it cannot be guessed from an id; on a collision with a
-- live code of the same community it derives again with a counter. Codes stay on ended rows
-- (a replayed confirmation finds its claim). The rows live before this migration get theirs
-- when the server next starts (SQL cannot derive them). Looked up by code: indexed.
ALTER TABLE claims ADD COLUMN handover_code TEXT
    CHECK (handover_code IS NULL OR length(handover_code) = 6);
ALTER TABLE allocations ADD COLUMN handover_code TEXT
    CHECK (handover_code IS NULL OR length(handover_code) = 6);
CREATE INDEX claims_by_handover_code ON claims (handover_code);
CREATE INDEX allocations_by_handover_code ON allocations (handover_code);
