//! What a command does, decided once. Both the server (in its transaction) and the phone
//! (over its cache, for the optimistic overlay) ask the same question and get the same answer:
//!
//! 1. [`Command::needs`] names what the command reads;
//! 2. each side loads those [`Facts`] (the server from SQL, the phone from IndexedDB's copy);
//! 3. [`decide`] returns a [`Decision`]: the writes to make (counters as compare-and-set
//!    from what was read), the events to record, and what the command produced; or the
//!    [`RuleError`] that refuses it;
//! 4. each side carries the writes out (`store` on the server, [`crate::overlay`] on the phone).
//!
//! A new command is one `needs` arm, one `decide` arm and, if it writes something new, one
//! [`Write`] variant that both sides learn to carry out.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::command::{
    may_act_on_claim, may_claim, volunteer_minutes, Actor, ClaimWish, Command, HoldPolicy, Slot,
};
use crate::error::RuleError;
use crate::ids::{ClaimId, UserId, WishId};
use crate::model::{ClaimStatus, Entity, EventAction, PublicWish, WishKind, WishStatus};
use crate::rules::{next_claim_status, settle_wish_status, ClaimAction, Units};

/// Who acts, when, and under which hold policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context {
    pub actor: Actor,
    pub now: DateTime<Utc>,
    pub hold: HoldPolicy,
}

/// The ids a command reads. A claim's wish is always read with the claim.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Needs {
    pub wishes: Vec<WishId>,
    pub claims: Vec<ClaimId>,
}

/// A wish as the rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WishState {
    pub kind: WishKind,
    pub status: WishStatus,
    pub needed_by: Option<NaiveDate>,
    pub units: Units,
}

impl WishState {
    pub fn of(wish: &PublicWish) -> WishState {
        WishState {
            kind: wish.kind,
            status: wish.status,
            needed_by: wish.needed_by,
            units: Units::of(wish),
        }
    }
}

/// A claim as the rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimState {
    pub wish_id: WishId,
    pub owner: UserId,
    pub quantity: u32,
    pub status: ClaimStatus,
    pub slot: Option<Slot>,
}

/// What was found of what a command needs (absent: no such thing, or not visible).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    pub wishes: HashMap<WishId, WishState>,
    pub claims: HashMap<ClaimId, ClaimState>,
}

/// A wish's counters with the status they settle it in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub units: Units,
    pub status: WishStatus,
}

/// A claim to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewClaim {
    pub id: ClaimId,
    pub wish_id: WishId,
    pub owner: UserId,
    pub quantity: u32,
    pub note: String,
    pub slot: Option<Slot>,
    pub hold_until: DateTime<Utc>,
}

/// One change to make. Counters and statuses carry what they were read as, so the server
/// writes them as compare-and-set: a concurrent change makes the write, and the command, fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Write {
    WishCounts {
        wish: WishId,
        before: Counts,
        after: Counts,
    },
    NewClaim(NewClaim),
    ClaimStatus {
        claim: ClaimId,
        from: ClaimStatus,
        to: ClaimStatus,
        /// Volunteer time credited (confirmed house calls).
        volunteer_minutes: u32,
        /// A worker's reason for sending it back.
        reason: Option<String>,
    },
}

/// What a command is about, for its answer and its events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    Wish(WishId),
    Claim(ClaimId),
}

impl Subject {
    pub fn entity(self) -> Entity {
        match self {
            Subject::Wish(_) => Entity::Wish,
            Subject::Claim(_) => Entity::Claim,
        }
    }

    pub fn id(self) -> uuid::Uuid {
        match self {
            Subject::Wish(id) => id.0,
            Subject::Claim(id) => id.0,
        }
    }
}

/// One entry for the event log; the actor and the time are the context's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub action: EventAction,
    pub subject: Subject,
    /// The wish whose timeline it belongs to.
    pub wish: WishId,
    pub from: Option<&'static str>,
    pub to: Option<&'static str>,
    pub note: String,
}

/// What a command does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// What the command created or changed.
    pub subject: Subject,
    /// It had been done already (a retried create): nothing is written again.
    pub replayed: bool,
    pub writes: Vec<Write>,
    pub events: Vec<Event>,
}

impl Decision {
    fn replay(subject: Subject) -> Decision {
        Decision {
            subject,
            replayed: true,
            writes: Vec::new(),
            events: Vec::new(),
        }
    }

    /// The wishes and claims this decision writes.
    pub fn written(&self) -> (Vec<WishId>, Vec<ClaimId>) {
        let mut wishes = Vec::new();
        let mut claims = Vec::new();
        for write in &self.writes {
            match write {
                Write::WishCounts { wish, .. } => wishes.push(*wish),
                Write::NewClaim(new) => claims.push(new.id),
                Write::ClaimStatus { claim, .. } => claims.push(*claim),
            }
        }
        (wishes, claims)
    }
}

impl Command {
    /// What the command reads.
    pub fn needs(&self) -> Needs {
        match self {
            Command::ClaimWish(claim) => Needs {
                wishes: vec![claim.wish_id],
                // A claim id seen before makes this a retry (or a conflict).
                claims: vec![claim.id],
            },
            Command::ReleaseClaim(target)
            | Command::MarkDelivered(target)
            | Command::ConfirmClaim(target)
            | Command::ExpireClaim(target) => Needs {
                claims: vec![target.claim_id],
                ..Needs::default()
            },
            Command::RejectClaim(reject) => Needs {
                claims: vec![reject.claim_id],
                ..Needs::default()
            },
        }
    }
}

/// What `command` does, given the facts it needs, or why it may not.
pub fn decide(command: &Command, facts: &Facts, ctx: &Context) -> Result<Decision, RuleError> {
    match command {
        Command::ClaimWish(claim) => claim_wish(claim, facts, ctx),
        Command::ReleaseClaim(target) => {
            move_claim(target.claim_id, ClaimAction::Release, None, facts, ctx)
        }
        Command::MarkDelivered(target) => {
            move_claim(target.claim_id, ClaimAction::Deliver, None, facts, ctx)
        }
        Command::ConfirmClaim(target) => {
            move_claim(target.claim_id, ClaimAction::Confirm, None, facts, ctx)
        }
        Command::ExpireClaim(target) => {
            move_claim(target.claim_id, ClaimAction::Expire, None, facts, ctx)
        }
        Command::RejectClaim(reject) => {
            let reason = reject.validate()?;
            move_claim(
                reject.claim_id,
                ClaimAction::Reject,
                Some(reason),
                facts,
                ctx,
            )
        }
    }
}

fn claim_wish(claim: &ClaimWish, facts: &Facts, ctx: &Context) -> Result<Decision, RuleError> {
    let Actor::User { id: user, role } = ctx.actor else {
        return Err(RuleError::Forbidden {
            reason: "only people claim wishes",
        });
    };
    if let Some(existing) = facts.claims.get(&claim.id) {
        // The same claim sent again is a retry; anything else under its id a conflict.
        return if existing.owner == user && existing.wish_id == claim.wish_id {
            Ok(Decision::replay(Subject::Claim(claim.id)))
        } else {
            Err(RuleError::IdConflict)
        };
    }
    let wish = facts
        .wishes
        .get(&claim.wish_id)
        .filter(|wish| wish.status.is_public())
        .ok_or(RuleError::NotFound(Entity::Wish))?;
    may_claim(role, wish.kind)?;
    let valid = claim.validate(wish.kind, wish.needed_by, ctx.now)?;
    let units = wish.units.claim(wish.status, valid.quantity)?;
    let before = Counts {
        units: wish.units,
        status: wish.status,
    };
    let after = Counts {
        units,
        status: settle_wish_status(wish.status, units),
    };
    let slot_end = valid.slot.map(|(_, end)| end);
    let mut events = vec![Event {
        action: EventAction::Claim,
        subject: Subject::Claim(claim.id),
        wish: claim.wish_id,
        from: None,
        to: Some(ClaimStatus::Active.as_str()),
        note: valid.note.clone(),
    }];
    events.extend(wish_moved(claim.wish_id, before, after));
    Ok(Decision {
        subject: Subject::Claim(claim.id),
        replayed: false,
        writes: vec![
            Write::WishCounts {
                wish: claim.wish_id,
                before,
                after,
            },
            Write::NewClaim(NewClaim {
                id: claim.id,
                wish_id: claim.wish_id,
                owner: user,
                quantity: valid.quantity,
                note: valid.note,
                slot: valid.slot,
                hold_until: ctx.hold.hold_until(ctx.now, slot_end),
            }),
        ],
        events,
    })
}

/// A claim moves by `action`, and its wish's counters and status follow.
fn move_claim(
    claim_id: ClaimId,
    action: ClaimAction,
    reason: Option<String>,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let claim = facts
        .claims
        .get(&claim_id)
        .ok_or(RuleError::NotFound(Entity::Claim))?;
    may_act_on_claim(ctx.actor, claim.owner, action)?;
    let to = next_claim_status(claim.status, action)?;
    let wish = facts
        .wishes
        .get(&claim.wish_id)
        .ok_or(RuleError::NotFound(Entity::Wish))?;
    let units = wish
        .units
        .after_claim_change(claim.status, to, claim.quantity);
    let before = Counts {
        units: wish.units,
        status: wish.status,
    };
    let after = Counts {
        units,
        status: settle_wish_status(wish.status, units),
    };
    let mut events = vec![Event {
        action: action.event(),
        subject: Subject::Claim(claim_id),
        wish: claim.wish_id,
        from: Some(claim.status.as_str()),
        to: Some(to.as_str()),
        note: reason.clone().unwrap_or_default(),
    }];
    events.extend(wish_moved(claim.wish_id, before, after));
    Ok(Decision {
        subject: Subject::Claim(claim_id),
        replayed: false,
        writes: vec![
            Write::WishCounts {
                wish: claim.wish_id,
                before,
                after,
            },
            Write::ClaimStatus {
                claim: claim_id,
                from: claim.status,
                to,
                volunteer_minutes: volunteer_minutes(to, claim.slot),
                reason,
            },
        ],
        events,
    })
}

/// The wish's own timeline entry when its status moved.
fn wish_moved(wish: WishId, before: Counts, after: Counts) -> Option<Event> {
    (before.status != after.status).then(|| Event {
        action: EventAction::Status,
        subject: Subject::Wish(wish),
        wish,
        from: Some(before.status.as_str()),
        to: Some(after.status.as_str()),
        note: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::{ClaimRef, RejectClaim};
    use crate::model::Role;
    use crate::ProblemCode;
    use chrono::{Duration, TimeZone};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 7, 1, 2, 0, 0).unwrap()
    }

    fn ctx(actor: Actor) -> Context {
        Context {
            actor,
            now: now(),
            hold: HoldPolicy::default(),
        }
    }

    fn user(role: Role) -> Actor {
        Actor::User {
            id: UserId::generate(),
            role,
        }
    }

    fn open(quantity: u32) -> WishState {
        WishState {
            kind: WishKind::Item,
            status: WishStatus::Open,
            needed_by: None,
            units: Units::new(quantity),
        }
    }

    fn claim_of(wish: WishId, quantity: i64) -> ClaimWish {
        ClaimWish {
            id: ClaimId::generate(),
            wish_id: wish,
            quantity,
            note: None,
            slot_start: None,
            slot_end: None,
        }
    }

    #[test]
    fn a_claim_takes_units_and_settles_the_wish() {
        let wish = WishId::generate();
        let facts = Facts {
            wishes: HashMap::from([(wish, open(2))]),
            ..Facts::default()
        };
        let donor = user(Role::Donor);
        let claim = claim_of(wish, 2);
        let decision = decide(&Command::ClaimWish(claim.clone()), &facts, &ctx(donor)).unwrap();
        let Write::WishCounts { after, .. } = decision.writes[0] else {
            panic!("counters first")
        };
        assert_eq!(
            (after.units.claimed, after.status),
            (2, WishStatus::Claimed)
        );
        let Write::NewClaim(new) = &decision.writes[1] else {
            panic!("then the claim")
        };
        assert_eq!(new.owner, donor.user_id().unwrap());
        assert_eq!(new.hold_until, now() + Duration::days(7));
        let actions: Vec<_> = decision.events.iter().map(|e| e.action).collect();
        assert_eq!(actions, [EventAction::Claim, EventAction::Status]);
        assert_eq!(decision.written(), (vec![wish], vec![claim.id]));
    }

    #[test]
    fn a_retried_claim_is_a_replay_and_a_reused_id_a_conflict() {
        let wish = WishId::generate();
        let donor = user(Role::Donor);
        let claim = claim_of(wish, 1);
        let facts = Facts {
            wishes: HashMap::from([(wish, open(1))]),
            claims: HashMap::from([(
                claim.id,
                ClaimState {
                    wish_id: wish,
                    owner: donor.user_id().unwrap(),
                    quantity: 1,
                    status: ClaimStatus::Active,
                    slot: None,
                },
            )]),
        };
        let again = decide(&Command::ClaimWish(claim.clone()), &facts, &ctx(donor)).unwrap();
        assert!(again.replayed && again.writes.is_empty());
        let stranger = user(Role::Donor);
        let refusal = decide(&Command::ClaimWish(claim), &facts, &ctx(stranger)).unwrap_err();
        assert_eq!(refusal, RuleError::IdConflict);
    }

    #[test]
    fn drafts_and_unknown_wishes_cannot_be_claimed() {
        let wish = WishId::generate();
        let mut draft = open(1);
        draft.status = WishStatus::Draft;
        let facts = Facts {
            wishes: HashMap::from([(wish, draft)]),
            ..Facts::default()
        };
        let command = Command::ClaimWish(claim_of(wish, 1));
        let donor = ctx(user(Role::Donor));
        assert_eq!(
            decide(&command, &facts, &donor).unwrap_err(),
            RuleError::NotFound(Entity::Wish)
        );
        let nothing = Facts::default();
        assert_eq!(
            decide(&command, &nothing, &donor).unwrap_err().code(),
            ProblemCode::NotFound
        );
    }

    #[test]
    fn moving_a_claim_moves_its_wish_and_credits_confirmed_house_calls() {
        let wish = WishId::generate();
        let claim = ClaimId::generate();
        let volunteer = user(Role::Volunteer);
        let slot = (now(), now() + Duration::minutes(45));
        let mut service = open(1);
        service.kind = WishKind::Service;
        service.units.claimed = 1;
        service.units.delivered = 1;
        service.status = WishStatus::Claimed;
        let facts = Facts {
            wishes: HashMap::from([(wish, service)]),
            claims: HashMap::from([(
                claim,
                ClaimState {
                    wish_id: wish,
                    owner: volunteer.user_id().unwrap(),
                    quantity: 1,
                    status: ClaimStatus::Delivered,
                    slot: Some(slot),
                },
            )]),
        };
        let confirm = Command::ConfirmClaim(ClaimRef { claim_id: claim });
        let refused = decide(&confirm, &facts, &ctx(volunteer)).unwrap_err();
        assert_eq!(refused.code(), ProblemCode::Forbidden);
        let decision = decide(&confirm, &facts, &ctx(user(Role::Worker))).unwrap();
        assert!(decision.writes.contains(&Write::ClaimStatus {
            claim,
            from: ClaimStatus::Delivered,
            to: ClaimStatus::Confirmed,
            volunteer_minutes: 45,
            reason: None,
        }));
        let Write::WishCounts { after, .. } = decision.writes[0] else {
            panic!()
        };
        assert_eq!(after.status, WishStatus::Fulfilled);

        let reject = Command::RejectClaim(RejectClaim {
            claim_id: claim,
            reason: " 没有上门 ".into(),
        });
        let decision = decide(&reject, &facts, &ctx(user(Role::Worker))).unwrap();
        assert_eq!(decision.events[0].note, "没有上门");
        let Write::WishCounts { after, .. } = decision.writes[0] else {
            panic!()
        };
        assert_eq!((after.units.claimed, after.status), (0, WishStatus::Open));
    }

    #[test]
    fn only_the_system_lets_a_claim_expire() {
        let claim = ClaimId::generate();
        let command = Command::ExpireClaim(ClaimRef { claim_id: claim });
        let facts = Facts::default();
        assert_eq!(
            decide(&command, &facts, &ctx(Actor::System)).unwrap_err(),
            RuleError::NotFound(Entity::Claim)
        );
        let wish = WishId::generate();
        let owner = user(Role::Donor);
        let facts = Facts {
            wishes: HashMap::from([(wish, open(1))]),
            claims: HashMap::from([(
                claim,
                ClaimState {
                    wish_id: wish,
                    owner: owner.user_id().unwrap(),
                    quantity: 1,
                    status: ClaimStatus::Active,
                    slot: None,
                },
            )]),
        };
        assert!(decide(&command, &facts, &ctx(owner)).is_err());
        assert!(decide(&command, &facts, &ctx(Actor::System)).is_ok());
    }
}
