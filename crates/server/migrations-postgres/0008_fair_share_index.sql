-- PostgreSQL twin of migrations/0008_fair_share_index.sql.
DROP INDEX claims_by_user_status;
CREATE INDEX claims_by_user_status ON claims (user_id, status, wish_id, quantity);
