-- Each server process keeps the sessions it has read in memory for a few seconds
-- (auth::SessionCache). So that a logout or a change of vetting made through one server
-- reaches the others at once, not after those seconds, this number grows whenever a session
-- ends or a user's role, vetting or community changes (triggers: whatever writes them), and
-- every server drops what it keeps when it sees the number move (it looks four times a second).
CREATE TABLE auth_epoch (
    only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
    epoch    INTEGER NOT NULL
);
INSERT INTO auth_epoch (only_row, epoch) VALUES (1, 0);

CREATE TRIGGER sessions_end_moves_auth_epoch AFTER DELETE ON sessions
BEGIN
    UPDATE auth_epoch SET epoch = epoch + 1;
END;

CREATE TRIGGER vetting_moves_auth_epoch
AFTER UPDATE OF role, volunteer_status, community_id ON users
BEGIN
    UPDATE auth_epoch SET epoch = epoch + 1;
END;
