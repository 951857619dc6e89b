-- PostgreSQL twin of migrations/0009_held_units.sql: a donor's held item units on their row,
-- kept true by a trigger on claims whatever writes them.
ALTER TABLE users ADD COLUMN held_item_units BIGINT NOT NULL DEFAULT 0
    CHECK (held_item_units >= 0);

UPDATE users SET held_item_units = (
    SELECT COALESCE(SUM(c.quantity), 0) FROM claims c JOIN wishes w ON w.id = c.wish_id
    WHERE c.user_id = users.id AND c.status = 'active' AND w.kind = 'item');

CREATE FUNCTION claims_hold() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'active'
        AND (SELECT kind FROM wishes WHERE id = OLD.wish_id) = 'item' THEN
        UPDATE users SET held_item_units = held_item_units - OLD.quantity WHERE id = OLD.user_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'active'
        AND (SELECT kind FROM wishes WHERE id = NEW.wish_id) = 'item' THEN
        UPDATE users SET held_item_units = held_item_units + NEW.quantity WHERE id = NEW.user_id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER claims_hold_on_insert AFTER INSERT ON claims
FOR EACH ROW WHEN (NEW.status = 'active') EXECUTE FUNCTION claims_hold();
CREATE TRIGGER claims_hold_on_update AFTER UPDATE OF status, quantity, user_id, wish_id ON claims
FOR EACH ROW WHEN (OLD.status = 'active' OR NEW.status = 'active') EXECUTE FUNCTION claims_hold();
CREATE TRIGGER claims_hold_on_delete AFTER DELETE ON claims
FOR EACH ROW WHEN (OLD.status = 'active') EXECUTE FUNCTION claims_hold();
