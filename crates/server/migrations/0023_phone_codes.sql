-- Verified phones and one-time SMS codes (issue 23, items 4 and 5).
--
-- A number is verified when its owner typed the code sent to it (at sign-up or later), or
-- when the community added the account (the command line, the demo): they know the person.
ALTER TABLE users ADD COLUMN phone_verified_at TEXT;

-- The one live code per number and purpose (register | reset | verify | login). Only its
-- HMAC under the server's key (`server_keys`, name `phone_code`) is kept, never the code;
-- it works until `expires_at` (5 minutes) and for at most 5 tries, and is deleted when used.
CREATE TABLE phone_codes (
    phone      TEXT NOT NULL,
    purpose    TEXT NOT NULL,
    code_mac   TEXT NOT NULL,
    sent_at    TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    tries      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (phone, purpose)
);
