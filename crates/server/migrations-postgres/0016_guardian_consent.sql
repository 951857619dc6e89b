-- A child's guardian consents too (PIPL art. 31): a household where a child under 14 lives
-- has its wishes published only with both dates; clearing either takes them off the public.
ALTER TABLE households ADD COLUMN guardian_consent_on TEXT COLLATE "C";
