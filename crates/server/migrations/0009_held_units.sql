-- A donor's fair share is checked on every claim: the item units they hold in active claims
-- are kept on their row, so the check reads one number instead of summing their claims
-- (a donor holding hundreds of units made that sum most of a claim's cost). Triggers keep it
-- true whatever writes a claim: the claim commands, the hold timer, an operator's SQL.
-- A wish's kind never changes, so a claim's kind is read from its wish when it moves.
ALTER TABLE users ADD COLUMN held_item_units INTEGER NOT NULL DEFAULT 0
    CHECK (held_item_units >= 0);

UPDATE users SET held_item_units = (
    SELECT COALESCE(SUM(c.quantity), 0) FROM claims c JOIN wishes w ON w.id = c.wish_id
    WHERE c.user_id = users.id AND c.status = 'active' AND w.kind = 'item');

CREATE TRIGGER claims_hold_on_insert AFTER INSERT ON claims
WHEN NEW.status = 'active'
    AND (SELECT kind FROM wishes WHERE id = NEW.wish_id) = 'item'
BEGIN
    UPDATE users SET held_item_units = held_item_units + NEW.quantity WHERE id = NEW.user_id;
END;

CREATE TRIGGER claims_hold_on_update AFTER UPDATE OF status, quantity, user_id, wish_id ON claims
WHEN (OLD.status = 'active' OR NEW.status = 'active')
BEGIN
    UPDATE users SET held_item_units = held_item_units - OLD.quantity
    WHERE OLD.status = 'active' AND id = OLD.user_id
        AND (SELECT kind FROM wishes WHERE id = OLD.wish_id) = 'item';
    UPDATE users SET held_item_units = held_item_units + NEW.quantity
    WHERE NEW.status = 'active' AND id = NEW.user_id
        AND (SELECT kind FROM wishes WHERE id = NEW.wish_id) = 'item';
END;

CREATE TRIGGER claims_hold_on_delete AFTER DELETE ON claims
WHEN OLD.status = 'active'
    AND (SELECT kind FROM wishes WHERE id = OLD.wish_id) = 'item'
BEGIN
    UPDATE users SET held_item_units = held_item_units - OLD.quantity WHERE id = OLD.user_id;
END;
