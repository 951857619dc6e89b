-- Notices (通知): what each user is told of, and how it leaves the app (Web Push, SMS).

-- One notice per event per recipient: its id is derived from the event (core's notices.rs),
-- so the same event carried out twice (two servers, a retried reminder) cannot tell twice.
-- A notice has no text: the phone words it from `kind`.
CREATE TABLE notices (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users(id),
    kind          TEXT NOT NULL CHECK (kind IN (
        'claim_confirmed', 'claim_rejected', 'claim_expiring', 'claim_expired',
        'thanks_received', 'wish_withdrawn', 'wish_fulfilled', 'volunteer_approved',
        'volunteer_declined', 'volunteer_suspended', 'allocation_made', 'allocation_confirmed',
        'request_accepted', 'request_dispatched', 'request_resolved', 'request_closed',
        'request_new', 'request_overdue', 'call_for_volunteers', 'request_assigned')),
    -- What it is about (no foreign keys: a notice outlives nothing it names, and requests
    -- have their own migration).
    wish_id       TEXT,
    claim_id      TEXT,
    allocation_id TEXT,
    request_id    TEXT,
    pledge_id     TEXT,
    -- About an urgent request: its SMS is not held back at night.
    urgent        INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
    created_at    TEXT NOT NULL,
    read_at       TEXT,
    -- Its deliveries (push, SMS) have been queued by a server's sender.
    queued        INTEGER NOT NULL DEFAULT 0 CHECK (queued IN (0, 1))
);
-- A user's inbox, newest first; their unread count; what no sender has queued yet.
CREATE INDEX notices_of_user ON notices (user_id, created_at, id);
CREATE INDEX notices_unread ON notices (user_id) WHERE read_at IS NULL;
CREATE INDEX notices_to_queue ON notices (created_at) WHERE queued = 0;

-- Where a device wants its user's notices pushed (its browser's push service), with the keys
-- the payload is encrypted to (RFC 8291). One endpoint is one device: a new login there takes
-- it over.
CREATE TABLE push_subscriptions (
    endpoint   TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id),
    p256dh     TEXT NOT NULL,
    auth       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX push_subscriptions_of_user ON push_subscriptions (user_id);

-- What a user chose, by channel and kind; a kind not here has its default (push on, SMS off).
CREATE TABLE notice_preferences (
    user_id TEXT NOT NULL REFERENCES users(id),
    channel TEXT NOT NULL CHECK (channel IN ('push', 'sms')),
    kind    TEXT NOT NULL,
    enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    PRIMARY KEY (user_id, channel, kind)
);

-- The durable delivery queue: one row per notice, channel and target (an endpoint, a phone),
-- its id the delivery's idempotency key (sent as the push `Topic` and the SMS `key`). A
-- sender leases due rows, sends, and marks them; a server killed meanwhile leaves them
-- pending, sent again after the lease, with the same key.
CREATE TABLE deliveries (
    id           TEXT PRIMARY KEY,
    notice_id    TEXT NOT NULL REFERENCES notices(id),
    channel      TEXT NOT NULL CHECK (channel IN ('push', 'sms')),
    target       TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'gone', 'dropped')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    due_at       TEXT NOT NULL,
    leased_until TEXT,
    created_at   TEXT NOT NULL,
    sent_at      TEXT,
    error        TEXT,
    UNIQUE (notice_id, channel, target)
);
CREATE INDEX deliveries_due ON deliveries (due_at) WHERE status = 'pending';
-- SMS sent to a phone in a day (at most 10).
CREATE INDEX deliveries_sent_to ON deliveries (target, sent_at) WHERE channel = 'sms';

-- Keys the server makes once and keeps (the VAPID key pair for Web Push).
CREATE TABLE server_keys (
    name       TEXT PRIMARY KEY,
    secret     TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- What the hold timer has reminded of (a claim's hold ending, a request's missed limit),
-- each once whatever servers run the timer.
CREATE TABLE reminders (
    subject    TEXT NOT NULL,
    reminder   TEXT NOT NULL CHECK (reminder IN ('claim_hold', 'request_accept', 'request_resolve')),
    at         TEXT NOT NULL,
    PRIMARY KEY (subject, reminder)
);

-- Notices are synced to their user: the change log names them (and every entity core knows).
CREATE TABLE change_log_new (
    version   INTEGER PRIMARY KEY AUTOINCREMENT,
    entity    TEXT NOT NULL CHECK (entity IN
        ('wish', 'claim', 'campaign', 'grid', 'household', 'volunteer', 'pledge', 'request',
         'building', 'staff', 'notice')),
    entity_id TEXT NOT NULL
);
INSERT INTO change_log_new (version, entity, entity_id)
SELECT version, entity, entity_id FROM change_log ORDER BY version;
DROP TABLE change_log;
ALTER TABLE change_log_new RENAME TO change_log;
CREATE INDEX change_log_by_entity ON change_log (entity, entity_id);
