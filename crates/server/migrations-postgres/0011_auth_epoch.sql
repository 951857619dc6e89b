-- PostgreSQL twin of migrations/0011_auth_epoch.sql.
CREATE TABLE auth_epoch (
    only_row BIGINT PRIMARY KEY CHECK (only_row = 1),
    epoch    BIGINT NOT NULL
);
INSERT INTO auth_epoch (only_row, epoch) VALUES (1, 0);

CREATE FUNCTION auth_epoch_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE auth_epoch SET epoch = epoch + 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER sessions_end_moves_auth_epoch AFTER DELETE ON sessions
FOR EACH STATEMENT EXECUTE FUNCTION auth_epoch_move();
CREATE TRIGGER vetting_moves_auth_epoch
AFTER UPDATE OF role, volunteer_status, community_id ON users
FOR EACH STATEMENT EXECUTE FUNCTION auth_epoch_move();
