//! Notices (通知): what a user is told of, and how it reaches them. A notice carries a kind and
//! the ids it is about, never words: the phone words it from `kind` in the user's language, and
//! nothing personal travels through a push service or an SMS gateway. Who is told of what is
//! [`crate::notices`]'s to say.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{AllocationId, ClaimId, NoticeId, PledgeId, RequestId, UserId, WishId};

string_enum! {
    /// What a notice tells of.
    NoticeKind {
        /// A worker confirmed the claimer's delivery or house call.
        ClaimConfirmed = "claim_confirmed",
        /// A worker sent the claim back (with a reason, on the claim).
        ClaimRejected = "claim_rejected",
        /// The hold ends within a day (told once).
        ClaimExpiring = "claim_expiring",
        /// The hold ran out: the units went back to the pool.
        ClaimExpired = "claim_expired",
        /// The household's thanks for a claim, or for a shop's allocated goods.
        ThanksReceived = "thanks_received",
        /// A wish someone held units of was cancelled: their claim ended.
        WishWithdrawn = "wish_withdrawn",
        /// A wish they gave to is fulfilled (every unit handed over).
        WishFulfilled = "wish_fulfilled",
        VolunteerApproved = "volunteer_approved",
        /// Declined after meeting them, with a reason (no command yet: issue 26).
        VolunteerDeclined = "volunteer_declined",
        VolunteerSuspended = "volunteer_suspended",
        /// A worker gave units of the shop's pledge to a wish.
        AllocationMade = "allocation_made",
        /// The shop's goods were handed over.
        AllocationConfirmed = "allocation_confirmed",
        /// To the requester: a worker accepted their request.
        RequestAccepted = "request_accepted",
        /// To the requester: someone is handling it.
        RequestDispatched = "request_dispatched",
        /// To the requester: it is resolved (confirm or reopen it).
        RequestResolved = "request_resolved",
        /// To the requester: it ended (closed after the answer time, declined or merged).
        RequestClosed = "request_closed",
        /// To the workers of its grid: a new request.
        RequestNew = "request_new",
        /// To the workers of its community: a request missed its limit to be accepted or
        /// resolved.
        RequestOverdue = "request_overdue",
        /// To the party-member volunteers: a call for help (支部吹哨).
        CallForVolunteers = "call_for_volunteers",
        /// To whom a request was dispatched (property staff, a worker, a volunteer).
        RequestAssigned = "request_assigned",
    }
}

/// What a notice is about: the ids the phone links it to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeRefs {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wish_id: Option<WishId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim_id: Option<ClaimId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocation_id: Option<AllocationId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<RequestId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pledge_id: Option<PledgeId>,
}

/// A notice to one user: a kind and ids, no text (`GET /api/me/notices`, entity `notice`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notice {
    pub id: NoticeId,
    pub user: UserId,
    pub kind: NoticeKind,
    pub refs: NoticeRefs,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

/// `GET /api/me/notices`: a page of the caller's notices, newest first, and how many of all
/// of theirs are unread (the badge).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticePage {
    pub items: Vec<Notice>,
    pub next: Option<String>,
    pub unread: u32,
}

/// The answer to `POST /api/me/notices/read`: the unread count after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnreadCount {
    pub unread: u32,
}

string_enum! {
    /// What the hold timer reminds of: each once per claim or request.
    Reminder {
        /// The claim's hold ends within a day.
        ClaimHold = "claim_hold",
        /// The request was not accepted in time.
        RequestAccept = "request_accept",
        /// The request was not resolved in time.
        RequestResolve = "request_resolve",
    }
}

string_enum! {
    /// How a notice leaves the app besides the inbox (which always has it).
    NoticeChannel { Push = "push", Sms = "sms" }
}

/// Which kinds a user wants by push and by SMS (`GET/PUT /api/me/preferences`). Absent kinds
/// take their default: push on for every kind, SMS off.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Preferences {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, bool>))]
    pub push: BTreeMap<NoticeKind, bool>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, bool>))]
    pub sms: BTreeMap<NoticeKind, bool>,
}

impl Preferences {
    /// Whether a kind goes out by `channel` when the user never said.
    pub fn default_for(channel: NoticeChannel) -> bool {
        channel == NoticeChannel::Push
    }

    /// Whether `kind` goes out by `channel`.
    pub fn wants(&self, channel: NoticeChannel, kind: NoticeKind) -> bool {
        let chosen = match channel {
            NoticeChannel::Push => &self.push,
            NoticeChannel::Sms => &self.sms,
        };
        chosen
            .get(&kind)
            .copied()
            .unwrap_or(Self::default_for(channel))
    }

    /// Every kind with its setting: what `GET /api/me/preferences` answers.
    pub fn complete(&self) -> Preferences {
        let all = |channel| {
            NoticeKind::ALL
                .iter()
                .map(|kind| (*kind, self.wants(channel, *kind)))
                .collect()
        };
        Preferences {
            push: all(NoticeChannel::Push),
            sms: all(NoticeChannel::Sms),
        }
    }

    /// These preferences with `changes` laid over them (the kinds it names).
    pub fn with(&self, changes: &Preferences) -> Preferences {
        let mut merged = self.clone();
        merged.push.extend(&changes.push);
        merged.sms.extend(&changes.sms);
        merged
    }
}

/// Whether a user can be reached beyond the inbox: they have a push subscription, or chose
/// some kind by SMS (shown to workers beside a volunteer or a member of staff).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reachable {
    pub push: bool,
    pub sms: bool,
}

/// `GET /api/push/key`: the server's VAPID public key (the uncompressed P-256 point,
/// base64url without padding), the phone's `applicationServerKey`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushKey {
    pub key: String,
}

/// The keys of a push subscription, as the browser's `PushSubscription.toJSON()` gives them
/// (base64url).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushKeys {
    pub p256dh: String,
    pub auth: String,
}

/// `POST /api/push/subscriptions`: where to push this device's notices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushSubscription {
    pub endpoint: String,
    pub keys: PushKeys,
}

/// `DELETE /api/push/subscriptions`: stop pushing to this endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PushEndpoint {
    pub endpoint: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_is_on_and_sms_off_until_the_user_says() {
        let mut preferences = Preferences::default();
        for kind in NoticeKind::ALL {
            assert!(preferences.wants(NoticeChannel::Push, *kind));
            assert!(!preferences.wants(NoticeChannel::Sms, *kind));
        }
        preferences.sms.insert(NoticeKind::ClaimExpiring, true);
        preferences.push.insert(NoticeKind::WishFulfilled, false);
        assert!(preferences.wants(NoticeChannel::Sms, NoticeKind::ClaimExpiring));
        assert!(!preferences.wants(NoticeChannel::Push, NoticeKind::WishFulfilled));
        let complete = preferences.complete();
        assert_eq!(complete.push.len(), NoticeKind::ALL.len());
        assert_eq!(complete.sms.len(), NoticeKind::ALL.len());
        assert!(complete.sms[&NoticeKind::ClaimExpiring]);
    }

    #[test]
    fn preferences_read_and_write_kinds_by_name() {
        let json =
            serde_json::json!({"push": {"claim_confirmed": false}, "sms": {"request_new": true}});
        let preferences: Preferences = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(serde_json::to_value(&preferences).unwrap(), json);
        let changed = Preferences::default().with(&preferences);
        assert!(!changed.wants(NoticeChannel::Push, NoticeKind::ClaimConfirmed));
        assert!(changed.wants(NoticeChannel::Sms, NoticeKind::RequestNew));
        let unknown = serde_json::json!({"push": {"lottery_won": true}});
        assert!(serde_json::from_value::<Preferences>(unknown).is_err());
    }

    #[test]
    fn a_notice_carries_only_the_refs_it_has() {
        let notice = Notice {
            id: NoticeId(uuid::Uuid::nil()),
            user: UserId(uuid::Uuid::nil()),
            kind: NoticeKind::ClaimConfirmed,
            refs: NoticeRefs {
                claim_id: Some(ClaimId(uuid::Uuid::nil())),
                ..NoticeRefs::default()
            },
            created_at: chrono::DateTime::UNIX_EPOCH,
            read_at: None,
        };
        let json = serde_json::to_value(&notice).unwrap();
        assert_eq!(json["kind"], "claim_confirmed");
        assert_eq!(json["refs"].as_object().unwrap().len(), 1);
        assert!(json["read_at"].is_null());
        assert_eq!(serde_json::from_value::<Notice>(json).unwrap(), notice);
    }
}
