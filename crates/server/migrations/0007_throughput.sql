-- A user's active claims, found without reading their whole history: the rules count a
-- volunteer's active house calls on every booking (and will count a donor's held units).
CREATE INDEX claims_by_user_status ON claims (user_id, status);
