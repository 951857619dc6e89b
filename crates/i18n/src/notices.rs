//! Notices (通知): each kind's words (a notice carries a kind and ids, never text), the inbox,
//! "notify me" and the alert settings in 我的, and whether a worker can reach someone.
//! public/sw.js keeps a copy of each kind's words for the lock screen (the service worker cannot
//! run the app); `notice_tests.rs` fails when the two differ.

use microwish_core::{NoticeKind, Reachable};

use super::{fill, Texts};

/// A notice's kind, as a short line: the inbox's heading of it, the lock screen's title and
/// the name of its setting.
pub struct NoticeKindTexts {
    pub claim_confirmed: &'static str,
    pub claim_rejected: &'static str,
    pub claim_expiring: &'static str,
    pub claim_expired: &'static str,
    pub thanks_received: &'static str,
    pub wish_withdrawn: &'static str,
    pub wish_fulfilled: &'static str,
    pub volunteer_approved: &'static str,
    pub volunteer_declined: &'static str,
    pub volunteer_suspended: &'static str,
    pub allocation_made: &'static str,
    pub allocation_confirmed: &'static str,
    pub request_accepted: &'static str,
    pub request_dispatched: &'static str,
    pub request_resolved: &'static str,
    pub request_closed: &'static str,
    pub request_new: &'static str,
    pub request_overdue: &'static str,
    pub call_for_volunteers: &'static str,
    pub request_assigned: &'static str,
}

/// The inbox, "notify me" and the alert settings.
pub struct NoticeTexts {
    /// The tab and the page: 通知.
    pub title: &'static str,
    /// `{n}` notices not read yet.
    pub unread: &'static str,
    /// Marks an unread notice for those who cannot see the dot.
    pub unread_mark: &'static str,
    pub mark_all: &'static str,
    pub empty: &'static str,
    pub empty_hint: &'static str,
    /// While a notice tapped on the lock screen is looked up.
    pub opening: &'static str,
    /// The lock screen's line under a notice's title.
    pub push_body: &'static str,
    pub settings: &'static str,
    pub notify_me: &'static str,
    pub notify_hint: &'static str,
    pub notify_working: &'static str,
    pub notify_on: &'static str,
    pub notify_stop: &'static str,
    pub notify_blocked: &'static str,
    pub notify_unsupported: &'static str,
    pub notify_failed: &'static str,
    pub needs_network: &'static str,
    pub choices: &'static str,
    pub choices_intro: &'static str,
    pub kind_column: &'static str,
    pub push_column: &'static str,
    pub sms_column: &'static str,
    pub push_not_on_here: &'static str,
    pub sms_unavailable: &'static str,
    pub choices_offline: &'static str,
    pub choices_failed: &'static str,
    pub reachable_push_sms: &'static str,
    pub reachable_push: &'static str,
    pub reachable_sms: &'static str,
    pub reachable_none: &'static str,
}

impl Texts {
    /// A notice kind's words.
    pub fn notice_kind(&self, kind: NoticeKind) -> &'static str {
        let words = &self.notice_kinds;
        match kind {
            NoticeKind::ClaimConfirmed => words.claim_confirmed,
            NoticeKind::ClaimRejected => words.claim_rejected,
            NoticeKind::ClaimExpiring => words.claim_expiring,
            NoticeKind::ClaimExpired => words.claim_expired,
            NoticeKind::ThanksReceived => words.thanks_received,
            NoticeKind::WishWithdrawn => words.wish_withdrawn,
            NoticeKind::WishFulfilled => words.wish_fulfilled,
            NoticeKind::VolunteerApproved => words.volunteer_approved,
            NoticeKind::VolunteerDeclined => words.volunteer_declined,
            NoticeKind::VolunteerSuspended => words.volunteer_suspended,
            NoticeKind::AllocationMade => words.allocation_made,
            NoticeKind::AllocationConfirmed => words.allocation_confirmed,
            NoticeKind::RequestAccepted => words.request_accepted,
            NoticeKind::RequestDispatched => words.request_dispatched,
            NoticeKind::RequestResolved => words.request_resolved,
            NoticeKind::RequestClosed => words.request_closed,
            NoticeKind::RequestNew => words.request_new,
            NoticeKind::RequestOverdue => words.request_overdue,
            NoticeKind::CallForVolunteers => words.call_for_volunteers,
            NoticeKind::RequestAssigned => words.request_assigned,
        }
    }

    /// "3 条未读" / "3 unread".
    pub fn unread(&self, n: usize) -> String {
        fill(self.notices.unread, &[("n", n.to_string())])
    }

    /// Claims waiting for a worker, for screen readers beside 待确认's badge.
    pub fn waiting(&self, n: usize) -> String {
        fill(self.nav.waiting, &[("n", n.to_string())])
    }

    /// What a badge shows: the count, or "99+".
    pub fn badge(&self, n: usize) -> String {
        if n > 99 {
            "99+".to_owned()
        } else {
            n.to_string()
        }
    }

    /// Whether a worker can reach someone beyond the app (a volunteer's or staff's card).
    pub fn reachable(&self, reachable: Reachable) -> &'static str {
        let words = &self.notices;
        match (reachable.push, reachable.sms) {
            (true, true) => words.reachable_push_sms,
            (true, false) => words.reachable_push,
            (false, true) => words.reachable_sms,
            (false, false) => words.reachable_none,
        }
    }

    /// What public/sw.js shows for a notice in this language: each kind's words by its name,
    /// and the line under them. The service worker's copy must equal this.
    pub fn push_words(&self) -> serde_json::Value {
        let kinds: serde_json::Map<String, serde_json::Value> = NoticeKind::ALL
            .iter()
            .map(|kind| (kind.as_str().to_owned(), self.notice_kind(*kind).into()))
            .collect();
        serde_json::json!({"kinds": kinds, "body": self.notices.push_body})
    }
}
