//! Claims: made by donors and (approved) volunteers, moved by their owner, confirmed or sent
//! back by a worker of the wish's community, let go by the hold timer, thanked.

use super::*;
use crate::command::{
    may_act_on_claim, may_claim, volunteer_minutes, ClaimWish, ConfirmClaim, RecordThanks,
    RejectClaim, ReleaseClaim,
};
use crate::error::{Field, FieldCode, ValidationErrors};
use crate::rules::{next_claim_status, settle_wish_status, ClaimAction};

/// Households whose contact one volunteer may receive in 24 hours (by booking house calls).
pub const MAX_HOMES_REVEALED_A_DAY: u32 = 3;

pub(super) fn claim_wish(
    claim: &ClaimWish,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
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
    if wish.kind == WishKind::Service {
        // Safeguarding: only volunteers a worker has met go into an elderly person's home.
        let me = facts.actor(ctx);
        if me.and_then(|me| me.volunteer) != Some(VolunteerStatus::Approved) {
            return Err(RuleError::VolunteerNotApproved);
        }
        // Communities are sealed: a volunteer was met and approved by their own community's
        // workers, and goes into homes there only.
        let home = me.and_then(|me| me.community);
        if home.is_none() || facts.grids.get(&wish.grid).copied() != home {
            return Err(RuleError::Forbidden {
                reason: "house calls are booked in your own community only",
            });
        }
        let limit = ctx.policy.max_house_calls;
        if me.is_some_and(|me| me.active_house_calls >= limit) {
            return Err(RuleError::TooManyHouseCalls { limit });
        }
        // Each booking gives a household's address and phone: a few homes a day, not a
        // directory read by booking and releasing.
        if wish.household.is_some()
            && me.is_some_and(|me| me.homes_revealed_today >= MAX_HOMES_REVEALED_A_DAY)
        {
            return Err(RuleError::TooManyReveals {
                limit: MAX_HOMES_REVEALED_A_DAY,
            });
        }
    }
    let valid = claim.validate(wish.kind, wish.needed_by, ctx.now)?;
    if wish.kind == WishKind::Item {
        let limit = ctx.policy.max_claim_units;
        let me = facts.actor(ctx);
        let holding = me.map_or(0, |me| me.active_claim_units);
        let after = holding.saturating_add(valid.quantity);
        if after > limit {
            return Err(RuleError::TooManyClaims { limit, holding });
        }
        // Without a proven phone anyone could sign up twice and hold every unit for a week.
        if let Some(limit) = ctx.policy.unverified_claim_units {
            if after > limit && !me.is_some_and(|me| me.phone_verified) {
                return Err(RuleError::PhoneUnverified { limit });
            }
        }
    }
    let units = wish.units.claim(wish.status, valid.quantity)?;
    let before = wish.counts();
    let after = Counts {
        units,
        status: settle_wish_status(wish.status, units),
    };
    let slot_end = valid.slot.map(|(_, end)| end);
    let mut events = vec![Event {
        action: EventAction::Claim,
        subject: Subject::Claim(claim.id),
        wish: Some(claim.wish_id),
        from: None,
        to: Some(ClaimStatus::Active.into()),
        note: valid.note.clone(),
    }];
    events.extend(wish_moved(claim.wish_id, before, after));
    if let (WishKind::Service, Some(household)) = (wish.kind, wish.household) {
        // The volunteer now receives the household's address and phone: on the record.
        events.push(Event {
            action: EventAction::RevealContact,
            subject: Subject::Household(household),
            wish: Some(claim.wish_id),
            from: None,
            to: None,
            note: String::new(),
        });
    }
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
                hold_until: ctx.policy.hold.hold_until(ctx.now, slot_end),
            }),
        ],
        events,
    })
}

pub(super) fn release(
    target: &ReleaseClaim,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let claim_id = target.claim_id;
    let claim = facts
        .claims
        .get(&claim_id)
        .ok_or(RuleError::NotFound(Entity::Claim))?;
    let part = match target.quantity {
        None => None,
        Some(quantity) if quantity == claim.quantity => None,
        Some(quantity) if (1..claim.quantity).contains(&quantity) => Some(quantity),
        Some(_) => {
            let mut errors = ValidationErrors::default();
            errors.add(
                Field::Quantity,
                FieldCode::OutOfRange,
                format!("give back 1 to {} units", claim.quantity),
            );
            return Err(RuleError::Validation(errors));
        }
    };
    let Some(given_back) = part else {
        return move_claim(claim_id, ClaimAction::Release, Moves::default(), facts, ctx);
    };
    // Part of it: who may and whether it can still be given back are the full release's rules.
    may_act_on_claim(ctx.actor, claim.owner, ClaimAction::Release)?;
    next_claim_status(claim.status, ClaimAction::Release)?;
    let wish = facts
        .wishes
        .get(&claim.wish_id)
        .ok_or(RuleError::NotFound(Entity::Wish))?;
    let before = wish.counts();
    let units = before
        .units
        .after_claim_change(claim.status, ClaimStatus::Released, given_back);
    let after = Counts {
        units,
        status: settle_wish_status(before.status, units),
    };
    let kept = claim.quantity - given_back;
    let mut events = vec![Event {
        action: EventAction::Release,
        subject: Subject::Claim(claim_id),
        wish: Some(claim.wish_id),
        from: Some(claim.status.into()),
        to: Some(claim.status.into()),
        note: format!("{given_back}/{}", claim.quantity),
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
            Write::ClaimQuantity {
                claim: claim_id,
                before: claim.quantity,
                after: kept,
            },
        ],
        events,
    })
}

pub(super) fn expire(claim: ClaimId, facts: &Facts, ctx: &Context) -> Result<Decision, RuleError> {
    move_claim(claim, ClaimAction::Expire, Moves::default(), facts, ctx)
}

/// The donor brought the item to the station; the volunteer made the visit (once its slot
/// has begun: a visit cannot be done before it starts).
pub(super) fn deliver(claim: ClaimId, facts: &Facts, ctx: &Context) -> Result<Decision, RuleError> {
    if let Some(state) = facts.claims.get(&claim) {
        may_act_on_claim(ctx.actor, state.owner, ClaimAction::Deliver)?;
        if !crate::rules::visit_begun(state.slot.map(|(start, _)| start), ctx.now) {
            return Err(RuleError::field(
                Field::SlotStart,
                FieldCode::BeforeSlot,
                "the visit has not begun yet",
            ));
        }
    }
    move_claim(claim, ClaimAction::Deliver, Moves::default(), facts, ctx)
}

pub(super) fn confirm(
    confirm: &ConfirmClaim,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let minutes = confirm.validate()?;
    move_claim(
        confirm.claim_id,
        ClaimAction::Confirm,
        Moves {
            minutes,
            ..Moves::default()
        },
        facts,
        ctx,
    )
}

pub(super) fn reject(
    reject: &RejectClaim,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    // Who may comes before what they typed.
    if let Some(state) = facts.claims.get(&reject.claim_id) {
        may_act_on_claim(ctx.actor, state.owner, ClaimAction::Reject)?;
    }
    let reason = reject.validate()?;
    move_claim(
        reject.claim_id,
        ClaimAction::Reject,
        Moves {
            reason: Some(reason),
            ..Moves::default()
        },
        facts,
        ctx,
    )
}

pub(super) fn record_thanks(
    thanks: &RecordThanks,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let community = facts.worker_community(ctx)?;
    let claim = facts
        .claims
        .get(&thanks.claim_id)
        .ok_or(RuleError::NotFound(Entity::Claim))?;
    facts.wish_in(claim.wish_id, community)?;
    let text = thanks.validate()?;
    if claim.status != ClaimStatus::Confirmed {
        return Err(RuleError::InvalidState {
            from: claim.status.into(),
            action: EventAction::Thanks,
        });
    }
    Ok(Decision {
        subject: Subject::Claim(thanks.claim_id),
        replayed: false,
        writes: vec![Write::Thanks {
            claim: thanks.claim_id,
            text: text.clone(),
        }],
        events: vec![Event {
            action: EventAction::Thanks,
            subject: Subject::Claim(thanks.claim_id),
            wish: Some(claim.wish_id),
            from: None,
            to: None,
            note: text,
        }],
    })
}

/// What goes with a move besides the new status.
#[derive(Default)]
struct Moves {
    reason: Option<String>,
    /// Minutes a worker credits instead of the slot's length.
    minutes: Option<u32>,
}

/// A claim moves by `action`, and its wish's counters and status follow.
fn move_claim(
    claim_id: ClaimId,
    action: ClaimAction,
    moves: Moves,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let claim = facts
        .claims
        .get(&claim_id)
        .ok_or(RuleError::NotFound(Entity::Claim))?;
    may_act_on_claim(ctx.actor, claim.owner, action)?;
    if matches!(action, ClaimAction::Confirm | ClaimAction::Reject) {
        let community = facts.worker_community(ctx)?;
        facts.wish_in(claim.wish_id, community)?;
    }
    let to = next_claim_status(claim.status, action)?;
    let wish = facts
        .wishes
        .get(&claim.wish_id)
        .ok_or(RuleError::NotFound(Entity::Wish))?;
    let before = wish.counts();
    let (writes, after) = claim_ends(claim_id, claim, to, before, moves)?;
    let mut events = vec![Event {
        action: action.event(),
        subject: Subject::Claim(claim_id),
        wish: Some(claim.wish_id),
        from: Some(claim.status.into()),
        to: Some(to.into()),
        note: writes
            .iter()
            .find_map(|write| match write {
                Write::ClaimStatus {
                    reason: Some(reason),
                    ..
                } => Some(reason.clone()),
                _ => None,
            })
            .unwrap_or_default(),
    }];
    events.extend(wish_moved(claim.wish_id, before, after));
    Ok(Decision {
        subject: Subject::Claim(claim_id),
        replayed: false,
        writes,
        events,
    })
}

/// The writes for `claim` moving to `to` on a wish whose counts are `before`: the wish's new
/// counts (compare-and-set from `before`) and the claim's new status; and those counts.
fn claim_ends(
    claim_id: ClaimId,
    claim: &ClaimState,
    to: ClaimStatus,
    before: Counts,
    moves: Moves,
) -> Result<(Vec<Write>, Counts), RuleError> {
    let units = before
        .units
        .after_claim_change(claim.status, to, claim.quantity);
    let after = Counts {
        units,
        status: settle_wish_status(before.status, units),
    };
    let minutes = match (to, claim.slot) {
        (ClaimStatus::Confirmed, Some(_)) => moves
            .minutes
            .unwrap_or_else(|| volunteer_minutes(to, claim.slot)),
        _ => 0,
    };
    let writes = vec![
        Write::WishCounts {
            wish: claim.wish_id,
            before,
            after,
        },
        Write::ClaimStatus {
            claim: claim_id,
            from: claim.status,
            to,
            volunteer_minutes: minutes,
            reason: moves.reason,
        },
    ];
    Ok((writes, after))
}

/// Ends each of `claims` (by a worker's decision: a cancelled wish, a suspended volunteer)
/// with `to` and `reason`, chaining the counts of wishes they share; the events say so.
pub(super) fn end_claims(
    claims: &[(ClaimId, ClaimState)],
    to: ClaimStatus,
    reason: &str,
    facts: &Facts,
    counts: &mut HashMap<WishId, Counts>,
) -> Result<(Vec<Write>, Vec<Event>), RuleError> {
    let mut writes = Vec::new();
    let mut events = Vec::new();
    for (id, claim) in claims {
        if !matches!(claim.status, ClaimStatus::Active | ClaimStatus::Delivered) {
            continue;
        }
        let before = match counts.get(&claim.wish_id) {
            Some(counts) => *counts,
            None => {
                let wish = facts
                    .wishes
                    .get(&claim.wish_id)
                    .ok_or(RuleError::NotFound(Entity::Wish))?;
                wish.counts()
            }
        };
        let moves = Moves {
            reason: Some(reason.to_owned()),
            minutes: None,
        };
        let (more, after) = claim_ends(*id, claim, to, before, moves)?;
        counts.insert(claim.wish_id, after);
        writes.extend(more);
        let action = match to {
            ClaimStatus::Released => EventAction::Release,
            _ => EventAction::Reject,
        };
        events.push(Event {
            action,
            subject: Subject::Claim(*id),
            wish: Some(claim.wish_id),
            from: Some(claim.status.into()),
            to: Some(to.into()),
            note: reason.to_owned(),
        });
    }
    Ok((writes, events))
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::command::ClaimRef;
    use crate::ProblemCode;
    use chrono::Duration;

    #[test]
    fn part_of_a_claim_is_given_back_and_the_rest_stays_held() {
        let mut world = World::new();
        let wish = world.wish(5, WishKind::Item);
        let donor = world.user(Role::Donor);
        let claim = claim_of(wish, 4);
        world
            .apply(donor, &Command::ClaimWish(claim.clone()))
            .unwrap();
        let give_back = |quantity| {
            Command::ReleaseClaim(ReleaseClaim {
                claim_id: claim.id,
                quantity: Some(quantity),
            })
        };
        // Nothing, or more than is held, is not a give-back.
        for wrong in [0, 5] {
            let refused = world.decide(donor, &give_back(wrong)).unwrap_err();
            assert_eq!(refused.code(), ProblemCode::ValidationFailed, "{wrong}");
        }
        // Another donor may not.
        let other = world.user(Role::Donor);
        assert!(world.decide(other, &give_back(1)).is_err());

        world.apply(donor, &give_back(3)).unwrap();
        let held = &world.facts.claims[&claim.id];
        assert_eq!((held.quantity, held.status), (1, ClaimStatus::Active));
        let wish = &world.facts.wishes[&wish];
        assert_eq!((wish.units.claimed, wish.status), (1, WishStatus::Open));
        assert_eq!(
            world.facts.users[&donor.user_id().unwrap()].active_claim_units,
            1
        );
        // All that is left, given back: the claim ends as a full release.
        let decision = world.apply(donor, &give_back(1)).unwrap();
        assert!(decision.writes.iter().any(|write| matches!(
            write,
            Write::ClaimStatus {
                to: ClaimStatus::Released,
                ..
            }
        )));
    }

    #[test]
    fn a_claim_takes_units_and_settles_the_wish() {
        let mut world = World::new();
        let wish = world.wish(2, WishKind::Item);
        let donor = world.user(Role::Donor);
        let claim = claim_of(wish, 2);
        let decision = world
            .decide(donor, &Command::ClaimWish(claim.clone()))
            .unwrap();
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
        let written = decision.written();
        assert_eq!(
            (written.wishes, written.claims),
            (vec![wish], vec![claim.id])
        );
    }

    #[test]
    fn a_donor_holds_a_fair_share_at_once_and_more_after_delivering() {
        let mut world = World::new();
        let wish = world.wish(100, WishKind::Item);
        let donor = world.user(Role::Donor);
        let limit = Policy::default().max_claim_units;
        let big = claim_of(wish, i64::from(limit) - 2);
        world
            .apply(donor, &Command::ClaimWish(big.clone()))
            .unwrap();
        world
            .apply(donor, &Command::ClaimWish(claim_of(wish, 2)))
            .unwrap();
        let one_more = Command::ClaimWish(claim_of(wish, 1));
        let refusal = world.decide(donor, &one_more).unwrap_err();
        assert_eq!(
            refusal,
            RuleError::TooManyClaims {
                limit,
                holding: limit
            }
        );
        assert_eq!(refusal.code(), ProblemCode::TooManyClaims);
        // Someone else is not held back by it.
        let neighbour = world.user(Role::Donor);
        world.decide(neighbour, &one_more).unwrap();
        // Delivering frees the share.
        world
            .apply(
                donor,
                &Command::MarkDelivered(ClaimRef { claim_id: big.id }),
            )
            .unwrap();
        world.decide(donor, &one_more).unwrap();
    }

    #[test]
    fn a_retried_claim_is_a_replay_and_a_reused_id_a_conflict() {
        let mut world = World::new();
        let wish = world.wish(1, WishKind::Item);
        let donor = world.user(Role::Donor);
        let claim = claim_of(wish, 1);
        world
            .apply(donor, &Command::ClaimWish(claim.clone()))
            .unwrap();
        let again = world
            .decide(donor, &Command::ClaimWish(claim.clone()))
            .unwrap();
        assert!(again.replayed && again.writes.is_empty());
        let stranger = world.user(Role::Donor);
        let refusal = world
            .decide(stranger, &Command::ClaimWish(claim))
            .unwrap_err();
        assert_eq!(refusal, RuleError::IdConflict);
    }

    #[test]
    fn drafts_and_unknown_wishes_cannot_be_claimed() {
        let mut world = World::new();
        let wish = world.wish(1, WishKind::Item);
        world.facts.wishes.get_mut(&wish).unwrap().status = WishStatus::Draft;
        let donor = world.user(Role::Donor);
        let command = Command::ClaimWish(claim_of(wish, 1));
        assert_eq!(
            world.decide(donor, &command).unwrap_err(),
            RuleError::NotFound(Entity::Wish)
        );
        let elsewhere = Command::ClaimWish(claim_of(WishId::generate(), 1));
        assert_eq!(
            world.decide(donor, &elsewhere).unwrap_err().code(),
            ProblemCode::NotFound
        );
    }

    #[test]
    fn only_approved_volunteers_book_house_calls_and_only_a_few_at_once() {
        let mut world = World::new();
        let visit = |world: &mut World| {
            let wish = world.wish(1, WishKind::Service);
            let mut claim = claim_of(wish, 1);
            claim.slot_start = Some(now() + Duration::hours(2));
            claim.slot_end = Some(now() + Duration::hours(3));
            Command::ClaimWish(claim)
        };
        let newcomer = world.volunteer(VolunteerStatus::Pending);
        let first = visit(&mut world);
        assert_eq!(
            world.decide(newcomer, &first).unwrap_err().code(),
            ProblemCode::VolunteerNotApproved
        );
        let suspended = world.volunteer(VolunteerStatus::Suspended);
        assert_eq!(
            world.decide(suspended, &first).unwrap_err(),
            RuleError::VolunteerNotApproved
        );
        let vetted = world.volunteer(VolunteerStatus::Approved);
        let decision = world.apply(vetted, &first).unwrap();
        assert!(
            decision
                .events
                .iter()
                .any(|event| event.action == EventAction::RevealContact),
            "the reveal is on the record"
        );
        for _ in 0..2 {
            let next = visit(&mut world);
            world.apply(vetted, &next).unwrap();
        }
        let fourth = visit(&mut world);
        assert_eq!(
            world.decide(vetted, &fourth).unwrap_err(),
            RuleError::TooManyHouseCalls { limit: 3 }
        );
    }

    #[test]
    fn where_the_server_limits_unproven_phones_they_hold_that_many_units_until_verified() {
        let mut world = World::new();
        let wish = world.wish(100, WishKind::Item);
        let strict = Policy {
            unverified_claim_units: Some(1),
            ..Policy::default()
        };
        let decide_under = |world: &World, actor, command: &Command, policy| {
            decide(
                command,
                &world.facts,
                &Context {
                    policy,
                    ..world.ctx(actor)
                },
            )
        };
        let fresh = world.user(Role::Donor);
        let two = Command::ClaimWish(claim_of(wish, 2));
        let one = Command::ClaimWish(claim_of(wish, 1));
        let refused = decide_under(&world, fresh, &two, strict).unwrap_err();
        assert_eq!(refused, RuleError::PhoneUnverified { limit: 1 });
        assert_eq!(refused.code(), ProblemCode::PhoneUnverified);
        assert_eq!(refused.code().status(), 403);
        decide_under(&world, fresh, &one, strict).unwrap();
        // One unit held: a second is the limit's too.
        let holding = world.person(UserState {
            active_claim_units: 1,
            ..World::someone(Role::Donor, None)
        });
        assert_eq!(
            decide_under(&world, holding, &one, strict).unwrap_err(),
            RuleError::PhoneUnverified { limit: 1 }
        );
        // A proven phone holds the fair share like anyone; without the setting nobody is held.
        let verified = world.person(UserState {
            phone_verified: true,
            ..World::someone(Role::Donor, None)
        });
        decide_under(&world, verified, &two, strict).unwrap();
        decide_under(&world, fresh, &two, Policy::default()).unwrap();
    }

    #[test]
    fn a_volunteer_receives_three_homes_contacts_a_day_at_most() {
        let mut world = World::new();
        let wish = world.wish(1, WishKind::Service);
        let mut claim = claim_of(wish, 1);
        claim.slot_start = Some(now() + Duration::hours(2));
        claim.slot_end = Some(now() + Duration::hours(3));
        let booking = Command::ClaimWish(claim);
        let curious = world.person(UserState {
            volunteer: Some(VolunteerStatus::Approved),
            homes_revealed_today: MAX_HOMES_REVEALED_A_DAY,
            ..World::someone(Role::Volunteer, Some(world.community))
        });
        let refused = world.decide(curious, &booking).unwrap_err();
        assert_eq!(refused, RuleError::TooManyReveals { limit: 3 });
        assert_eq!(refused.code().status(), 429);
        let fresh = world.person(UserState {
            volunteer: Some(VolunteerStatus::Approved),
            homes_revealed_today: MAX_HOMES_REVEALED_A_DAY - 1,
            ..World::someone(Role::Volunteer, Some(world.community))
        });
        world.apply(fresh, &booking).unwrap();
    }

    #[test]
    fn a_volunteer_books_house_calls_in_their_own_community_only() {
        let mut world = World::new();
        let wish = world.wish(1, WishKind::Service);
        let mut claim = claim_of(wish, 1);
        claim.slot_start = Some(now() + Duration::hours(2));
        claim.slot_end = Some(now() + Duration::hours(3));
        let booking = Command::ClaimWish(claim);
        let elsewhere = world.volunteer_elsewhere(VolunteerStatus::Approved);
        assert_eq!(
            world.decide(elsewhere, &booking).unwrap_err().code(),
            ProblemCode::Forbidden
        );
        let nowhere = world.person(UserState {
            volunteer: Some(VolunteerStatus::Approved),
            ..World::someone(Role::Volunteer, None)
        });
        assert_eq!(
            world.decide(nowhere, &booking).unwrap_err().code(),
            ProblemCode::Forbidden
        );
        let here = world.volunteer(VolunteerStatus::Approved);
        world.apply(here, &booking).unwrap();
    }

    #[test]
    fn a_house_call_is_done_only_once_it_began_and_its_hours_count_when_confirmed() {
        let mut world = World::new();
        let wish = world.wish(1, WishKind::Service);
        let volunteer = world.volunteer(VolunteerStatus::Approved);
        let mut claim = claim_of(wish, 1);
        claim.slot_start = Some(now() + Duration::hours(20));
        claim.slot_end = Some(now() + Duration::hours(21));
        let id = claim.id;
        world.apply(volunteer, &Command::ClaimWish(claim)).unwrap();
        let done = Command::MarkDelivered(ClaimRef { claim_id: id });
        let Err(RuleError::Validation(errors)) = world.decide(volunteer, &done) else {
            panic!("a visit tomorrow is not done today")
        };
        assert_eq!(errors.0[0].code, FieldCode::BeforeSlot);
        world.now = now() + Duration::hours(20) + Duration::minutes(5);
        world.apply(volunteer, &done).unwrap();
        let worker = world.worker();
        let confirm = Command::ConfirmClaim(ConfirmClaim {
            claim_id: id,
            minutes: Some(75),
        });
        let decision = world.apply(worker, &confirm).unwrap();
        assert!(decision.writes.iter().any(|write| matches!(
            write,
            Write::ClaimStatus {
                to: ClaimStatus::Confirmed,
                volunteer_minutes: 75,
                ..
            }
        )));
        let Write::WishCounts { after, .. } = decision.writes[0] else {
            panic!()
        };
        assert_eq!(after.status, WishStatus::Fulfilled);
        let thanks = Command::RecordThanks(RecordThanks {
            claim_id: id,
            text: " 谢谢陈师傅! ".into(),
        });
        let decision = world.decide(worker, &thanks).unwrap();
        assert_eq!(
            decision.writes,
            [Write::Thanks {
                claim: id,
                text: "谢谢陈师傅!".into()
            }]
        );
    }

    #[test]
    fn workers_confirm_and_send_back_only_in_their_own_community() {
        let mut world = World::new();
        let wish = world.wish(2, WishKind::Item);
        let donor = world.user(Role::Donor);
        let claim = claim_of(wish, 1);
        let id = claim.id;
        world.apply(donor, &Command::ClaimWish(claim)).unwrap();
        let reject = Command::RejectClaim(RejectClaim {
            claim_id: id,
            reason: " 没有送到 ".into(),
        });
        let outsider = world.worker_elsewhere();
        assert_eq!(
            world.decide(outsider, &reject).unwrap_err(),
            RuleError::NotFound(Entity::Wish)
        );
        assert_eq!(
            world.decide(donor, &reject).unwrap_err().code(),
            ProblemCode::Forbidden,
            "who may comes before what they typed"
        );
        let worker = world.worker();
        let decision = world.decide(worker, &reject).unwrap();
        assert_eq!(decision.events[0].note, "没有送到");
    }

    #[test]
    fn only_the_system_lets_a_claim_expire() {
        let mut world = World::new();
        let wish = world.wish(1, WishKind::Item);
        let owner = world.user(Role::Donor);
        let claim = claim_of(wish, 1);
        let id = claim.id;
        let command = Command::ExpireClaim(ClaimRef { claim_id: id });
        assert_eq!(
            world.decide(Actor::System, &command).unwrap_err(),
            RuleError::NotFound(Entity::Claim)
        );
        world.apply(owner, &Command::ClaimWish(claim)).unwrap();
        assert!(world.decide(owner, &command).is_err());
        assert!(world.decide(Actor::System, &command).is_ok());
    }
}
