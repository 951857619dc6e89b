//! Who is told of what (通知), decided once: [`drafts`] reads what a command did (its
//! [`Decision`]) and the facts it was decided on, and names each person to tell, the kind of
//! notice and the ids it is about. The server writes them in the command's own transaction,
//! so none is lost and none is doubled; a phone never makes notices.
//!
//! The rules:
//! - nobody is told of what they did themselves, and a replay tells nobody;
//! - a claimer: their claim confirmed, sent back, expired, its hold ending within a day, the
//!   household's thanks, the wish they held withdrawn (cancelled), a wish they gave to
//!   fulfilled (every giver: claimers holding its units and shops whose goods it holds);
//! - a volunteer: their approval and suspension (their ended house calls go with it);
//! - a shop: its goods allocated to a wish, handed over, thanked for;
//! - a requester: their request accepted, dispatched, resolved, and ended (closed after the
//!   answer time, declined or merged);
//! - the workers of a request's grid: a new request (every worker of the community when none
//!   looks after that grid); every worker of the community: a request past a limit;
//! - the party-member volunteers of its grid (of the community when none is of it): a call;
//! - whom a request is dispatched to: that it is theirs.
//!
//! A notice's id is derived from what it tells ([`NoticeDraft::id_for`]): the kind, what it is
//! about, the recipient, and for a step that can happen again (a vetting, a hand-on, a
//! resolution after a reopening, a call) the time of the decision. The store keeps ids unique,
//! so the same event carried out twice (two servers, a retried reminder) cannot tell twice.
//!
//! Also here, how a notice leaves the app: the push payload and SMS parameters (kind and ids
//! only: nothing personal goes through a push service or a gateway), when an SMS may go (not
//! 21:00–08:00 China time unless urgent), how many a phone gets a day, and the retries.

use chrono::{DateTime, Duration, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::clock::{community_today, from_china, to_china};
use crate::decide::{Context, Decision, Facts, Member, Subject, Write};
use crate::gates::Gate;
use crate::ids::{AllocationId, ClaimId, CommunityId, GridId, NoticeId, RequestId, UserId, WishId};
use crate::model::{
    AllocationStatus, ClaimStatus, Notice, NoticeKind, NoticeRefs, Overdue, Reminder,
    RequestStatus, Role, Urgency, VolunteerStatus, WishStatus,
};

/// A notice to write: to whom, of what, about which ids; whether it is about something urgent
/// (an urgent request's SMS is not held back at night).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeDraft {
    pub id: NoticeId,
    pub user: UserId,
    pub kind: NoticeKind,
    pub refs: NoticeRefs,
    pub urgent: bool,
}

/// The namespace of notice ids (UUIDv5).
const NOTICE_IDS: Uuid = Uuid::from_u128(0x6d69_6372_6f77_6973_685f_6e6f_7469_6365);

impl NoticeDraft {
    /// The id of the notice of `kind` about `about` to `user`, at `occasion` (empty for what
    /// happens once).
    pub fn id_for(kind: NoticeKind, about: Uuid, occasion: &str, user: UserId) -> NoticeId {
        let name = format!("{kind}/{about}/{occasion}/{user}");
        NoticeId(Uuid::new_v5(&NOTICE_IDS, name.as_bytes()))
    }

    /// The notice as stored, made at `now`.
    pub fn notice(&self, now: DateTime<Utc>) -> Notice {
        Notice {
            id: self.id,
            user: self.user,
            kind: self.kind,
            refs: self.refs,
            created_at: now,
            read_at: None,
        }
    }
}

/// Kinds told each time their step happens (it can happen again); the rest once per thing.
fn repeats(kind: NoticeKind) -> bool {
    matches!(
        kind,
        NoticeKind::VolunteerApproved
            | NoticeKind::VolunteerDeclined
            | NoticeKind::VolunteerSuspended
            | NoticeKind::RequestDispatched
            | NoticeKind::RequestAssigned
            | NoticeKind::RequestResolved
            | NoticeKind::CallForVolunteers
    )
}

/// The kinds of notice someone of `role` can be told of (the module's rules by role, in
/// [`NoticeKind::ALL`]'s order): what their settings in 我的 offer.
pub fn kinds_for(role: Role) -> Vec<NoticeKind> {
    use NoticeKind::*;
    let claimer = Gate::Claimer.admits(role, None);
    NoticeKind::ALL
        .iter()
        .copied()
        .filter(|kind| match kind {
            ClaimConfirmed | ClaimRejected | ClaimExpiring | ClaimExpired | WishWithdrawn => {
                claimer
            }
            ThanksReceived | WishFulfilled => claimer || role == Role::Shopkeeper,
            VolunteerApproved | VolunteerDeclined | VolunteerSuspended | CallForVolunteers => {
                role == Role::Volunteer
            }
            AllocationMade | AllocationConfirmed => role == Role::Shopkeeper,
            // Every signed-in non-worker may file a request.
            RequestAccepted | RequestDispatched | RequestResolved | RequestClosed => {
                role != Role::Worker
            }
            RequestNew | RequestOverdue => role == Role::Worker,
            RequestAssigned => matches!(role, Role::Worker | Role::Property | Role::Volunteer),
        })
        .collect()
}

/// The notices `decision` makes (see the module's rules), each recipient once per kind and
/// thing.
pub fn drafts(decision: &Decision, facts: &Facts, ctx: &Context) -> Vec<NoticeDraft> {
    let mut tell = Teller {
        ctx,
        drafts: Vec::new(),
    };
    if decision.replayed {
        return tell.drafts;
    }
    for write in &decision.writes {
        match write {
            Write::ClaimStatus { claim, to, .. } => {
                let Some(state) = facts.claims.get(claim) else {
                    continue;
                };
                let kind = match (to, decision.subject) {
                    (ClaimStatus::Confirmed, _) => NoticeKind::ClaimConfirmed,
                    // A cancelled wish ends the claims on it; so does a household's withdrawn
                    // consent (its wishes are taken off the public).
                    (
                        ClaimStatus::Rejected | ClaimStatus::Released,
                        Subject::Wish(_) | Subject::Household(_),
                    ) => NoticeKind::WishWithdrawn,
                    (ClaimStatus::Rejected, _) => NoticeKind::ClaimRejected,
                    (ClaimStatus::Expired, _) => NoticeKind::ClaimExpired,
                    // Given back by its owner; a suspended volunteer's house calls (they are
                    // told of the suspension); delivered by its owner.
                    _ => continue,
                };
                tell.to(state.owner, kind, claim_refs(*claim, state.wish_id), false);
            }
            Write::Thanks { claim, .. } => {
                if let Some(state) = facts.claims.get(claim) {
                    let refs = claim_refs(*claim, state.wish_id);
                    tell.to(state.owner, NoticeKind::ThanksReceived, refs, false);
                }
            }
            Write::AllocationThanks { allocation, .. } => {
                tell.shop(facts, *allocation, NoticeKind::ThanksReceived);
            }
            Write::AllocationStatus {
                allocation,
                to: AllocationStatus::Confirmed,
                ..
            } => tell.shop(facts, *allocation, NoticeKind::AllocationConfirmed),
            Write::NewAllocation(record) => {
                if let Some(pledge) = facts.pledges.get(&record.pledge) {
                    let refs = NoticeRefs {
                        wish_id: Some(record.wish),
                        allocation_id: Some(record.id),
                        pledge_id: Some(record.pledge),
                        ..NoticeRefs::default()
                    };
                    tell.to(pledge.shop, NoticeKind::AllocationMade, refs, false);
                }
            }
            Write::VolunteerStatus { user, from, to, .. } => {
                let kind = match (from, to) {
                    (_, VolunteerStatus::Approved) => NoticeKind::VolunteerApproved,
                    // Turned away before ever being approved: declined, not suspended.
                    (VolunteerStatus::Pending, VolunteerStatus::Suspended) => {
                        NoticeKind::VolunteerDeclined
                    }
                    (_, VolunteerStatus::Suspended) => NoticeKind::VolunteerSuspended,
                    (_, VolunteerStatus::Pending) => continue,
                };
                tell.to(*user, kind, NoticeRefs::default(), false);
            }
            Write::WishCounts {
                wish,
                before,
                after,
            } if after.status == WishStatus::Fulfilled
                && before.status != WishStatus::Fulfilled =>
            {
                let refs = NoticeRefs {
                    wish_id: Some(*wish),
                    ..NoticeRefs::default()
                };
                for giver in facts.givers.get(wish).into_iter().flatten() {
                    tell.to(*giver, NoticeKind::WishFulfilled, refs, false);
                }
            }
            Write::NewRequest(record) => {
                let urgent = record.urgency == Urgency::Urgent;
                for worker in tell.workers_of(facts, record.community, Some(&record.grid)) {
                    tell.to(
                        worker,
                        NoticeKind::RequestNew,
                        request_refs(record.id),
                        urgent,
                    );
                }
            }
            Write::RequestMoved {
                request,
                from,
                to,
                changes,
                ..
            } => tell.request_moved(facts, *request, *from, *to, changes.handler.flatten()),
            Write::Reminded {
                subject: Subject::Claim(claim),
                reminder: Reminder::ClaimHold,
            } => {
                if let Some(state) = facts.claims.get(claim) {
                    let refs = claim_refs(*claim, state.wish_id);
                    tell.to(state.owner, NoticeKind::ClaimExpiring, refs, false);
                }
            }
            Write::Reminded {
                subject: Subject::Request(request),
                reminder,
            } => {
                let Some(state) = facts.requests.get(request) else {
                    continue;
                };
                let limit = match reminder {
                    Reminder::RequestAccept => Overdue::Accept,
                    _ => Overdue::Resolve,
                };
                let urgent = state.urgency == Urgency::Urgent;
                for worker in tell.workers_of(facts, state.community, None) {
                    tell.once_at(
                        worker,
                        NoticeKind::RequestOverdue,
                        request_refs(*request),
                        urgent,
                        limit.as_str(),
                    );
                }
            }
            _ => {}
        }
    }
    tell.drafts
}

/// Whether `decision` may tell anyone, judged from its writes alone (what [`drafts`] looks at,
/// without the facts): the server wakes its sender only then, not for every claim.
pub fn may_tell(decision: &Decision) -> bool {
    !decision.replayed
        && decision.writes.iter().any(|write| match write {
            Write::ClaimStatus { .. }
            | Write::Thanks { .. }
            | Write::AllocationThanks { .. }
            | Write::NewAllocation(_)
            | Write::VolunteerStatus { .. }
            | Write::NewRequest(_)
            | Write::RequestMoved { .. }
            | Write::Reminded { .. } => true,
            Write::AllocationStatus { to, .. } => *to == AllocationStatus::Confirmed,
            Write::WishCounts { before, after, .. } => {
                after.status == WishStatus::Fulfilled && before.status != WishStatus::Fulfilled
            }
            _ => false,
        })
}

fn claim_refs(claim: ClaimId, wish: WishId) -> NoticeRefs {
    NoticeRefs {
        claim_id: Some(claim),
        wish_id: Some(wish),
        ..NoticeRefs::default()
    }
}

fn request_refs(request: RequestId) -> NoticeRefs {
    NoticeRefs {
        request_id: Some(request),
        ..NoticeRefs::default()
    }
}

/// Collects the drafts of one decision.
struct Teller<'a> {
    ctx: &'a Context,
    drafts: Vec<NoticeDraft>,
}

impl Teller<'_> {
    /// Tells `user` (unless they did it) of `kind` about `refs`.
    fn to(&mut self, user: UserId, kind: NoticeKind, refs: NoticeRefs, urgent: bool) {
        let occasion = if repeats(kind) {
            self.ctx.now.timestamp_micros().to_string()
        } else {
            String::new()
        };
        self.once_at(user, kind, refs, urgent, &occasion);
    }

    fn once_at(
        &mut self,
        user: UserId,
        kind: NoticeKind,
        refs: NoticeRefs,
        urgent: bool,
        occasion: &str,
    ) {
        if self.ctx.actor.user_id() == Some(user) {
            return;
        }
        let about = refs
            .claim_id
            .map(|id| id.0)
            .or(refs.allocation_id.map(|id| id.0))
            .or(refs.request_id.map(|id| id.0))
            .or(refs.wish_id.map(|id| id.0))
            .or(refs.pledge_id.map(|id| id.0))
            .unwrap_or(user.0);
        let id = NoticeDraft::id_for(kind, about, occasion, user);
        if self.drafts.iter().any(|draft| draft.id == id) {
            return;
        }
        self.drafts.push(NoticeDraft {
            id,
            user,
            kind,
            refs,
            urgent,
        });
    }

    /// Tells the shop whose goods `allocation` holds.
    fn shop(&mut self, facts: &Facts, allocation: AllocationId, kind: NoticeKind) {
        let Some(state) = facts.allocations.get(&allocation) else {
            return;
        };
        let Some(pledge) = facts.pledges.get(&state.pledge) else {
            return;
        };
        let refs = NoticeRefs {
            wish_id: Some(state.wish),
            allocation_id: Some(allocation),
            pledge_id: Some(state.pledge),
            ..NoticeRefs::default()
        };
        self.to(pledge.shop, kind, refs, false);
    }

    /// The workers of `community` who look after `grid`, or all of them when none does (or
    /// no grid is named).
    fn workers_of(
        &self,
        facts: &Facts,
        community: CommunityId,
        grid: Option<&GridId>,
    ) -> Vec<UserId> {
        let team = facts.teams.get(&community);
        of_grid(team.map(|team| &team.workers[..]).unwrap_or(&[]), grid)
    }

    fn request_moved(
        &mut self,
        facts: &Facts,
        id: RequestId,
        from: RequestStatus,
        to: RequestStatus,
        handler: Option<crate::model::Handler>,
    ) {
        let Some(request) = facts.requests.get(&id) else {
            return;
        };
        let refs = request_refs(id);
        let urgent = request.urgency == Urgency::Urgent;
        let to_requester = match (from, to) {
            (RequestStatus::Submitted, RequestStatus::Accepted) => {
                Some(NoticeKind::RequestAccepted)
            }
            (_, RequestStatus::Dispatched) => Some(NoticeKind::RequestDispatched),
            (_, RequestStatus::Resolved) => Some(NoticeKind::RequestResolved),
            (_, RequestStatus::Closed | RequestStatus::Declined | RequestStatus::Merged) => {
                Some(NoticeKind::RequestClosed)
            }
            _ => None,
        };
        if let (Some(kind), Some(requester)) = (to_requester, request.requester) {
            self.to(requester, kind, refs, urgent);
        }
        match to {
            // Dispatched by a worker (a volunteer taking a call holds it already).
            RequestStatus::Dispatched if from != RequestStatus::Calling => {
                if let Some(handler) = handler {
                    self.to(handler.user_id, NoticeKind::RequestAssigned, refs, urgent);
                }
            }
            RequestStatus::Calling => {
                let team = facts.teams.get(&request.community);
                let members = team.map(|team| &team.party_members[..]).unwrap_or(&[]);
                for volunteer in of_grid(members, Some(&request.grid)) {
                    self.to(volunteer, NoticeKind::CallForVolunteers, refs, urgent);
                }
            }
            _ => {}
        }
    }
}

/// The members who look after `grid`, or all of them when none does (or no grid is named):
/// news is never left with nobody.
fn of_grid(members: &[Member], grid: Option<&GridId>) -> Vec<UserId> {
    let ours: Vec<UserId> = members
        .iter()
        .filter(|member| grid.is_some() && member.grid.as_ref() == grid)
        .map(|member| member.id)
        .collect();
    if ours.is_empty() {
        members.iter().map(|member| member.id).collect()
    } else {
        ours
    }
}

/// What a push message carries: the notice's id, kind and refs; the phone words it. No name,
/// address or phone of anyone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushPayload {
    pub id: NoticeId,
    pub kind: NoticeKind,
    pub refs: NoticeRefs,
}

impl PushPayload {
    pub fn of(notice: &Notice) -> PushPayload {
        PushPayload {
            id: notice.id,
            kind: notice.kind,
            refs: notice.refs,
        }
    }
}

/// How long before an active claim's hold ends its claimer is reminded (once).
pub const HOLD_REMINDER: Duration = Duration::days(1);

/// How long a push service keeps a message for an offline phone (its `TTL`), and how long a
/// delivery is tried at all.
pub const PUSH_TTL: Duration = Duration::days(1);

/// The most SMS one phone receives in a community day.
pub const SMS_PER_PHONE_PER_DAY: u32 = 10;

/// When an SMS made at `now` may go: at once, or at 08:00 China time when made between 21:00
/// and 08:00 (unless `urgent`: held back, never dropped).
pub fn sms_due(now: DateTime<Utc>, urgent: bool) -> DateTime<Utc> {
    let morning = NaiveTime::from_hms_opt(8, 0, 0).expect("08:00");
    let evening = NaiveTime::from_hms_opt(21, 0, 0).expect("21:00");
    let time = to_china(now).time();
    if urgent || (morning..evening).contains(&time) {
        return now;
    }
    let today = community_today(now);
    let day = if time >= evening {
        today.succ_opt().unwrap_or(today)
    } else {
        today
    };
    from_china(day, morning)
}

/// When to try a failed delivery again after `attempts` tries: 10 s, doubling, at most an
/// hour apart.
pub fn retry_after(attempts: u32) -> Duration {
    let seconds = 10_i64 << attempts.saturating_sub(1).min(9);
    Duration::seconds(seconds.min(3_600))
}

/// What an SMS gateway receives for a notice: the template (its kind) and its parameters, the
/// ids it is about (the gateway's template words it; nothing personal is sent).
pub fn sms_params(notice: &Notice) -> serde_json::Value {
    serde_json::to_value(notice.refs).unwrap_or_default()
}

#[cfg(test)]
mod tests;
