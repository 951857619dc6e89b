-- PostgreSQL twin of migrations/0021_handover_codes.sql.
ALTER TABLE claims ADD COLUMN handover_code TEXT COLLATE "C"
    CHECK (handover_code IS NULL OR length(handover_code) = 6);
ALTER TABLE allocations ADD COLUMN handover_code TEXT COLLATE "C"
    CHECK (handover_code IS NULL OR length(handover_code) = 6);
CREATE INDEX claims_by_handover_code ON claims (handover_code);
CREATE INDEX allocations_by_handover_code ON allocations (handover_code);
