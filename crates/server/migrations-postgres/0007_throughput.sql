-- PostgreSQL twin of migrations/0007_throughput.sql.
CREATE INDEX claims_by_user_status ON claims (user_id, status);
