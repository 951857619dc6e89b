//! How a user is reached beyond the inbox: their devices' push subscriptions and their
//! choices by kind (push, SMS).

use chrono::{DateTime, Utc};
use microwish_core::{NoticeChannel, Phone, Preferences, PushSubscription, UserId};

use super::sql::Pool;
use super::{parse_stored, stamp};
use crate::error::{ApiError, ApiResult};
use crate::writer::Tx;

/// Pushes `user`'s notices to `subscription`'s endpoint from now on (a device that was
/// another user's is theirs now).
pub fn subscribe(
    tx: &Tx,
    user: UserId,
    subscription: &PushSubscription,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    super::run(
        tx,
        "INSERT INTO push_subscriptions (endpoint, user_id, p256dh, auth, created_at) \
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id, \
         p256dh = excluded.p256dh, auth = excluded.auth, created_at = excluded.created_at",
        crate::args![
            subscription.endpoint,
            user.to_string(),
            subscription.keys.p256dh,
            subscription.keys.auth,
            stamp(now),
        ],
    )?;
    Ok(())
}

/// Stops pushing to `endpoint` for `user` (someone else's endpoint is left alone).
pub fn unsubscribe(tx: &Tx, user: UserId, endpoint: &str) -> ApiResult<usize> {
    super::run(
        tx,
        "DELETE FROM push_subscriptions WHERE endpoint = ? AND user_id = ?",
        crate::args![endpoint, user.to_string()],
    )
}

/// Forgets an endpoint its push service says is gone (404/410).
pub fn forget(tx: &Tx, endpoint: &str) -> ApiResult<()> {
    super::run(
        tx,
        "DELETE FROM push_subscriptions WHERE endpoint = ?",
        crate::args![endpoint],
    )?;
    Ok(())
}

/// A subscription's keys (p256dh, auth), if it is still there.
pub fn keys(tx: &Tx, endpoint: &str) -> ApiResult<Option<(String, String)>> {
    tx.query_row(
        "SELECT p256dh, auth FROM push_subscriptions WHERE endpoint = ?",
        crate::args![endpoint],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
}

/// What `user` chose (kinds never chosen are absent: their defaults apply).
pub async fn preferences(db: &Pool, user: UserId) -> ApiResult<Preferences> {
    let rows: Vec<(String, String, i64)> = db
        .fetch_all(
            "SELECT channel, kind, enabled FROM notice_preferences WHERE user_id = ?",
            crate::args![user.to_string()],
        )
        .await?;
    preferences_of(rows)
}

fn preferences_of(rows: Vec<(String, String, i64)>) -> ApiResult<Preferences> {
    let mut preferences = Preferences::default();
    for (channel, kind, enabled) in rows {
        let channel: NoticeChannel = parse_stored(&channel)?;
        let chosen = match channel {
            NoticeChannel::Push => &mut preferences.push,
            NoticeChannel::Sms => &mut preferences.sms,
        };
        // A kind this version no longer knows is skipped, not an error.
        if let Ok(kind) = kind.parse() {
            chosen.insert(kind, enabled != 0);
        }
    }
    Ok(preferences)
}

/// Records what `user` chose for the kinds `changes` names.
pub fn set_preferences(tx: &Tx, user: UserId, changes: &Preferences) -> ApiResult<()> {
    let chosen = [
        (NoticeChannel::Push, &changes.push),
        (NoticeChannel::Sms, &changes.sms),
    ];
    for (channel, kinds) in chosen {
        for (kind, enabled) in kinds {
            super::run(
                tx,
                "INSERT INTO notice_preferences (user_id, channel, kind, enabled) \
                 VALUES (?, ?, ?, ?) ON CONFLICT (user_id, channel, kind) \
                 DO UPDATE SET enabled = excluded.enabled",
                crate::args![user.to_string(), channel.as_str(), kind.as_str(), *enabled],
            )?;
        }
    }
    Ok(())
}

/// Where a notice to `user` may go: what they chose, their devices' endpoints, their phone.
pub struct Reach {
    pub preferences: Preferences,
    pub endpoints: Vec<String>,
    pub phone: Option<Phone>,
}

/// [`Reach`] of `user`, in the write transaction (the sender queues deliveries by it).
pub fn reach(tx: &Tx, user: UserId) -> ApiResult<Reach> {
    let user = user.to_string();
    let rows = tx.query(
        "SELECT channel, kind, enabled FROM notice_preferences WHERE user_id = ?",
        crate::args![&user],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )?;
    let endpoints = tx.query(
        "SELECT endpoint FROM push_subscriptions WHERE user_id = ? ORDER BY endpoint",
        crate::args![&user],
        |row| row.get(0),
    )?;
    let phone: Option<String> = tx.query_row(
        "SELECT phone FROM users WHERE id = ?",
        crate::args![&user],
        |row| row.get(0),
    )?;
    Ok(Reach {
        preferences: preferences_of(rows)?,
        endpoints,
        phone: phone
            .map(|phone| {
                Phone::parse(&phone).map_err(|_| ApiError::Corrupt(format!("phone {phone:?}")))
            })
            .transpose()?,
    })
}
