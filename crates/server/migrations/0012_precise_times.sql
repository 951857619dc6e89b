-- Every time is now stored in one fixed-width shape: UTC to the microsecond, always six digits
-- and a Z ("2026-07-01T02:00:05.300000Z", see store::TIME_FORMAT), so that the text's order is
-- the time's order and `hold_until <= ?` compares times. Until now times were RFC 3339 of
-- varying width ("…:05+00:00", "…:05.3+00:00", "…:05.123456789+00:00", and "…:05.300Z" from
-- 0005's strftime); this rewrites every stored time (dates, YYYY-MM-DD, stay as they are).
-- Everything the server wrote was UTC ("+00:00" or "Z"); anything else is left alone.

-- Each distinct old text once, with its new shape: the whole seconds, then the fraction's
-- digits (none for a whole second) cut or padded to six.
CREATE TEMP TABLE retimed (old TEXT PRIMARY KEY, new TEXT);
INSERT OR IGNORE INTO retimed (old)
          SELECT created_at FROM communities
UNION ALL SELECT created_at FROM households
UNION ALL SELECT updated_at FROM households
UNION ALL SELECT created_at FROM campaigns
UNION ALL SELECT created_at FROM wishes
UNION ALL SELECT updated_at FROM wishes
UNION ALL SELECT created_at FROM pledges
UNION ALL SELECT created_at FROM allocations
UNION ALL SELECT updated_at FROM allocations
UNION ALL SELECT thanked_at FROM allocations
UNION ALL SELECT at FROM events
UNION ALL SELECT created_at FROM users
UNION ALL SELECT vetted_at FROM users
UNION ALL SELECT created_at FROM sessions
UNION ALL SELECT expires_at FROM sessions
UNION ALL SELECT slot_start FROM claims
UNION ALL SELECT slot_end FROM claims
UNION ALL SELECT hold_until FROM claims
UNION ALL SELECT created_at FROM claims
UNION ALL SELECT updated_at FROM claims
UNION ALL SELECT thanked_at FROM claims
UNION ALL SELECT updated_at FROM sync_clients;
DELETE FROM retimed
WHERE old IS NULL
   OR old NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*'
   OR NOT (old GLOB '*Z' OR old GLOB '*+00:00');

-- The fraction is what follows the seconds' dot up to the zone ("123456789", "3", or none).
UPDATE retimed SET new = substr(old, 1, 19) || '.' || substr(
    CASE WHEN substr(old, 20, 1) = '.'
        THEN substr(old, 21, length(old) - 20 - CASE WHEN old GLOB '*Z' THEN 1 ELSE 6 END)
        ELSE ''
    END || '000000', 1, 6) || 'Z';

UPDATE communities SET created_at = (SELECT new FROM retimed WHERE old = created_at)
WHERE created_at IN (SELECT old FROM retimed);
UPDATE households SET created_at = (SELECT new FROM retimed WHERE old = created_at)
WHERE created_at IN (SELECT old FROM retimed);
UPDATE households SET updated_at = (SELECT new FROM retimed WHERE old = updated_at)
WHERE updated_at IN (SELECT old FROM retimed);
UPDATE campaigns SET created_at = (SELECT new FROM retimed WHERE old = created_at)
WHERE created_at IN (SELECT old FROM retimed);
UPDATE wishes SET created_at = (SELECT new FROM retimed WHERE old = created_at)
WHERE created_at IN (SELECT old FROM retimed);
UPDATE wishes SET updated_at = (SELECT new FROM retimed WHERE old = updated_at)
WHERE updated_at IN (SELECT old FROM retimed);
UPDATE pledges SET created_at = (SELECT new FROM retimed WHERE old = created_at)
WHERE created_at IN (SELECT old FROM retimed);
UPDATE allocations SET created_at = (SELECT new FROM retimed WHERE old = created_at)
WHERE created_at IN (SELECT old FROM retimed);
UPDATE allocations SET updated_at = (SELECT new FROM retimed WHERE old = updated_at)
WHERE updated_at IN (SELECT old FROM retimed);
UPDATE allocations SET thanked_at = (SELECT new FROM retimed WHERE old = thanked_at)
WHERE thanked_at IN (SELECT old FROM retimed);
UPDATE events SET at = (SELECT new FROM retimed WHERE old = at)
WHERE at IN (SELECT old FROM retimed);
UPDATE users SET created_at = (SELECT new FROM retimed WHERE old = created_at)
WHERE created_at IN (SELECT old FROM retimed);
UPDATE users SET vetted_at = (SELECT new FROM retimed WHERE old = vetted_at)
WHERE vetted_at IN (SELECT old FROM retimed);
UPDATE sessions SET created_at = (SELECT new FROM retimed WHERE old = created_at)
WHERE created_at IN (SELECT old FROM retimed);
UPDATE sessions SET expires_at = (SELECT new FROM retimed WHERE old = expires_at)
WHERE expires_at IN (SELECT old FROM retimed);
UPDATE claims SET slot_start = (SELECT new FROM retimed WHERE old = slot_start)
WHERE slot_start IN (SELECT old FROM retimed);
UPDATE claims SET slot_end = (SELECT new FROM retimed WHERE old = slot_end)
WHERE slot_end IN (SELECT old FROM retimed);
UPDATE claims SET hold_until = (SELECT new FROM retimed WHERE old = hold_until)
WHERE hold_until IN (SELECT old FROM retimed);
UPDATE claims SET created_at = (SELECT new FROM retimed WHERE old = created_at)
WHERE created_at IN (SELECT old FROM retimed);
UPDATE claims SET updated_at = (SELECT new FROM retimed WHERE old = updated_at)
WHERE updated_at IN (SELECT old FROM retimed);
UPDATE claims SET thanked_at = (SELECT new FROM retimed WHERE old = thanked_at)
WHERE thanked_at IN (SELECT old FROM retimed);
UPDATE sync_clients SET updated_at = (SELECT new FROM retimed WHERE old = updated_at)
WHERE updated_at IN (SELECT old FROM retimed);

DROP TABLE retimed;
