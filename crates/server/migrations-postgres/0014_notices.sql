-- PostgreSQL twin of migrations/0014_notices.sql.

CREATE TABLE notices (
    id            TEXT COLLATE "C" PRIMARY KEY,
    user_id       TEXT COLLATE "C" NOT NULL REFERENCES users(id),
    kind          TEXT COLLATE "C" NOT NULL CHECK (kind IN (
        'claim_confirmed', 'claim_rejected', 'claim_expiring', 'claim_expired',
        'thanks_received', 'wish_withdrawn', 'wish_fulfilled', 'volunteer_approved',
        'volunteer_declined', 'volunteer_suspended', 'allocation_made', 'allocation_confirmed',
        'request_accepted', 'request_dispatched', 'request_resolved', 'request_closed',
        'request_new', 'request_overdue', 'call_for_volunteers', 'request_assigned')),
    wish_id       TEXT COLLATE "C",
    claim_id      TEXT COLLATE "C",
    allocation_id TEXT COLLATE "C",
    request_id    TEXT COLLATE "C",
    pledge_id     TEXT COLLATE "C",
    urgent        BIGINT NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
    created_at    TEXT COLLATE "C" NOT NULL,
    read_at       TEXT COLLATE "C",
    queued        BIGINT NOT NULL DEFAULT 0 CHECK (queued IN (0, 1))
);
CREATE INDEX notices_of_user ON notices (user_id, created_at, id);
CREATE INDEX notices_unread ON notices (user_id) WHERE read_at IS NULL;
CREATE INDEX notices_to_queue ON notices (created_at) WHERE queued = 0;

CREATE TABLE push_subscriptions (
    endpoint   TEXT COLLATE "C" PRIMARY KEY,
    user_id    TEXT COLLATE "C" NOT NULL REFERENCES users(id),
    p256dh     TEXT COLLATE "C" NOT NULL,
    auth       TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX push_subscriptions_of_user ON push_subscriptions (user_id);

CREATE TABLE notice_preferences (
    user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id),
    channel TEXT COLLATE "C" NOT NULL CHECK (channel IN ('push', 'sms')),
    kind    TEXT COLLATE "C" NOT NULL,
    enabled BIGINT NOT NULL CHECK (enabled IN (0, 1)),
    PRIMARY KEY (user_id, channel, kind)
);

CREATE TABLE deliveries (
    id           TEXT COLLATE "C" PRIMARY KEY,
    notice_id    TEXT COLLATE "C" NOT NULL REFERENCES notices(id),
    channel      TEXT COLLATE "C" NOT NULL CHECK (channel IN ('push', 'sms')),
    target       TEXT COLLATE "C" NOT NULL,
    status       TEXT COLLATE "C" NOT NULL CHECK (status IN ('pending', 'sent', 'gone', 'dropped')),
    attempts     BIGINT NOT NULL DEFAULT 0,
    due_at       TEXT COLLATE "C" NOT NULL,
    leased_until TEXT COLLATE "C",
    created_at   TEXT COLLATE "C" NOT NULL,
    sent_at      TEXT COLLATE "C",
    error        TEXT COLLATE "C",
    UNIQUE (notice_id, channel, target)
);
CREATE INDEX deliveries_due ON deliveries (due_at) WHERE status = 'pending';
CREATE INDEX deliveries_sent_to ON deliveries (target, sent_at) WHERE channel = 'sms';

CREATE TABLE server_keys (
    name       TEXT COLLATE "C" PRIMARY KEY,
    secret     TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL
);

CREATE TABLE reminders (
    subject    TEXT COLLATE "C" NOT NULL,
    reminder   TEXT COLLATE "C" NOT NULL CHECK (reminder IN ('claim_hold', 'request_accept', 'request_resolve')),
    at         TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (subject, reminder)
);

ALTER TABLE change_log DROP CONSTRAINT change_log_entity_check;
ALTER TABLE change_log ADD CONSTRAINT change_log_entity_check CHECK (entity IN
    ('wish', 'claim', 'campaign', 'grid', 'household', 'volunteer', 'pledge', 'request',
     'building', 'staff', 'notice'));
