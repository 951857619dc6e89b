-- A claim command counts what its donor already holds (the fair share) and a volunteer's
-- active house calls: the sum reads this index alone (no row of `claims`), then each held
-- wish's kind by its key.
DROP INDEX claims_by_user_status;
CREATE INDEX claims_by_user_status ON claims (user_id, status, wish_id, quantity);
