-- A shop can take back what of its pledge is not yet given out (issue 26, shops:
-- `withdraw_pledge`): from then on nothing is left to allocate; what went out still goes.
ALTER TABLE pledges ADD COLUMN withdrawn_at TEXT;
