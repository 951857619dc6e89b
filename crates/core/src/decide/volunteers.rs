//! Vetting volunteers (safeguarding the elderly): a worker approves them after meeting
//! them (and may mark them party members, who answer the calls for help), or suspends them,
//! which ends their house calls with the reason.

use super::*;
use crate::command::VolunteerDecision;

pub(super) fn approve(
    decision: &VolunteerDecision,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let community = facts.worker_community(ctx)?;
    let from = volunteer_status(decision.user_id, community, facts)?;
    let note = decision.validate(false)?;
    let user = decision.user_id;
    let was_member = facts.users.get(&user).is_some_and(|user| user.party_member);
    let marking: Vec<Write> = decision
        .party_member
        .filter(|member| *member != was_member)
        .map(|party_member| Write::PartyMember { user, party_member })
        .into_iter()
        .collect();
    if from == VolunteerStatus::Approved {
        if marking.is_empty() {
            return Ok(Decision::replay(Subject::Volunteer(user)));
        }
        // Already approved: only their record changes, on the record.
        return Ok(Decision {
            subject: Subject::Volunteer(user),
            replayed: false,
            writes: marking,
            events: vec![Event {
                action: EventAction::Update,
                subject: Subject::Volunteer(user),
                wish: None,
                from: Some(from.into()),
                to: Some(from.into()),
                note,
            }],
        });
    }
    Ok(vetted(
        user,
        from,
        VolunteerStatus::Approved,
        note,
        marking,
        Vec::new(),
    ))
}

pub(super) fn suspend(
    decision: &VolunteerDecision,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let community = facts.worker_community(ctx)?;
    let from = volunteer_status(decision.user_id, community, facts)?;
    let reason = decision.validate(true)?;
    if from == VolunteerStatus::Suspended {
        return Ok(Decision::replay(Subject::Volunteer(decision.user_id)));
    }
    // Their house calls end now, with the reason; the address leaves their phone.
    let mut house_calls: Vec<(ClaimId, ClaimState)> = facts
        .claims
        .iter()
        .filter(|(_, claim)| {
            claim.owner == decision.user_id
                && claim.status == ClaimStatus::Active
                && facts
                    .wishes
                    .get(&claim.wish_id)
                    .is_some_and(|wish| wish.kind == WishKind::Service)
        })
        .map(|(id, claim)| (*id, *claim))
        .collect();
    house_calls.sort_by_key(|(id, _)| *id);
    let (writes, events) = super::claims::end_claims(
        &house_calls,
        ClaimStatus::Released,
        &reason,
        facts,
        &mut HashMap::new(),
    )?;
    Ok(vetted(
        decision.user_id,
        from,
        VolunteerStatus::Suspended,
        reason,
        writes,
        events,
    ))
}

/// A volunteer of the worker's `community`: another community's (or one of none) is vetted by
/// nobody here, as good as absent (communities are sealed).
fn volunteer_status(
    user: UserId,
    community: CommunityId,
    facts: &Facts,
) -> Result<VolunteerStatus, RuleError> {
    facts
        .users
        .get(&user)
        .filter(|user| user.role == Role::Volunteer && user.community == Some(community))
        .map(|user| user.volunteer.unwrap_or(VolunteerStatus::Pending))
        .ok_or(RuleError::NotFound(Entity::Volunteer))
}

fn vetted(
    user: UserId,
    from: VolunteerStatus,
    to: VolunteerStatus,
    note: String,
    mut writes: Vec<Write>,
    mut events: Vec<Event>,
) -> Decision {
    writes.push(Write::VolunteerStatus {
        user,
        from,
        to,
        note: note.clone(),
    });
    events.push(Event {
        action: match to {
            VolunteerStatus::Suspended => EventAction::Suspend,
            _ => EventAction::Approve,
        },
        subject: Subject::Volunteer(user),
        wish: None,
        from: Some(from.into()),
        to: Some(to.into()),
        note,
    });
    Decision {
        subject: Subject::Volunteer(user),
        replayed: false,
        writes,
        events,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::command::ClaimWish;
    use crate::ProblemCode;
    use chrono::Duration;

    #[test]
    fn a_worker_approves_after_meeting_and_a_suspension_ends_the_house_calls() {
        let mut world = World::new();
        let volunteer = world.volunteer(VolunteerStatus::Pending);
        let id = volunteer.user_id().unwrap();
        let approve = Command::ApproveVolunteer(VolunteerDecision {
            user_id: id,
            note: "党员报到,已面谈".into(),
            party_member: None,
        });
        let donor = world.user(Role::Donor);
        assert_eq!(
            world.decide(donor, &approve).unwrap_err().code(),
            ProblemCode::Forbidden
        );
        let worker = world.worker();
        world.apply(worker, &approve).unwrap();
        assert!(world.decide(worker, &approve).unwrap().replayed);

        let wish = world.wish(1, WishKind::Service);
        let booking = ClaimWish {
            id: ClaimId::generate(),
            wish_id: wish,
            quantity: 1,
            note: None,
            slot_start: Some(now() + Duration::hours(2)),
            slot_end: Some(now() + Duration::hours(3)),
        };
        world
            .apply(volunteer, &Command::ClaimWish(booking.clone()))
            .unwrap();
        let suspend = |note: &str| {
            Command::SuspendVolunteer(VolunteerDecision {
                user_id: id,
                note: note.into(),
                party_member: None,
            })
        };
        assert!(
            world.decide(worker, &suspend("")).is_err(),
            "a reason is needed"
        );
        let decision = world.apply(worker, &suspend("多次未按约上门")).unwrap();
        assert!(decision.writes.contains(&Write::ClaimStatus {
            claim: booking.id,
            from: ClaimStatus::Active,
            to: ClaimStatus::Released,
            volunteer_minutes: 0,
            reason: Some("多次未按约上门".into()),
        }));
        assert_eq!(
            world.facts.wishes[&wish].units.claimed, 0,
            "back in the pool"
        );
        assert_eq!(
            world
                .decide(
                    volunteer,
                    &Command::ClaimWish(ClaimWish {
                        id: ClaimId::generate(),
                        ..booking
                    })
                )
                .unwrap_err(),
            RuleError::VolunteerNotApproved
        );
    }

    #[test]
    fn a_worker_marks_a_volunteer_a_party_member_on_approval_or_after() {
        let mut world = World::new();
        let volunteer = world.volunteer(VolunteerStatus::Pending);
        let id = volunteer.user_id().unwrap();
        let worker = world.worker();
        let approve = |party_member| {
            Command::ApproveVolunteer(VolunteerDecision {
                user_id: id,
                note: "党员报到".into(),
                party_member,
            })
        };
        let decision = world.apply(worker, &approve(Some(true))).unwrap();
        assert!(decision.writes.contains(&Write::PartyMember {
            user: id,
            party_member: true
        }));
        assert!(world.facts.users[&id].party_member);
        assert_eq!(decision.written().volunteers, [id, id]);
        // Approved already: the same again is a replay, a change is written on its own.
        assert!(world.decide(worker, &approve(Some(true))).unwrap().replayed);
        assert!(world.decide(worker, &approve(None)).unwrap().replayed);
        let unmark = world.apply(worker, &approve(Some(false))).unwrap();
        assert_eq!(
            unmark.writes,
            [Write::PartyMember {
                user: id,
                party_member: false
            }]
        );
        assert_eq!(unmark.events[0].action, EventAction::Update);
        assert!(!world.facts.users[&id].party_member);
    }

    #[test]
    fn a_worker_vets_only_their_own_communitys_volunteers() {
        let mut world = World::new();
        let theirs = world.volunteer_elsewhere(VolunteerStatus::Pending);
        let mine = world.volunteer(VolunteerStatus::Pending);
        let worker = world.worker();
        let other_worker = world.worker_elsewhere();
        let decision = |user: Actor, suspend: bool| {
            let decision = VolunteerDecision {
                user_id: user.user_id().unwrap(),
                note: "已面谈".into(),
                party_member: None,
            };
            if suspend {
                Command::SuspendVolunteer(decision)
            } else {
                Command::ApproveVolunteer(decision)
            }
        };
        for suspend in [false, true] {
            for (by, whom) in [(worker, theirs), (other_worker, mine)] {
                assert_eq!(
                    world.decide(by, &decision(whom, suspend)).unwrap_err(),
                    RuleError::NotFound(Entity::Volunteer),
                    "another community's volunteer is as good as absent"
                );
            }
        }
        world.apply(worker, &decision(mine, false)).unwrap();
        world.apply(other_worker, &decision(theirs, false)).unwrap();
        // A volunteer of no community is nobody's to vet.
        let nobodys = world.person(UserState {
            volunteer: Some(VolunteerStatus::Pending),
            ..World::someone(Role::Volunteer, None)
        });
        assert_eq!(
            world.decide(worker, &decision(nobodys, false)).unwrap_err(),
            RuleError::NotFound(Entity::Volunteer)
        );
    }

    #[test]
    fn only_volunteers_are_vetted() {
        let mut world = World::new();
        let donor = world.user(Role::Donor);
        let worker = world.worker();
        let approve = Command::ApproveVolunteer(VolunteerDecision {
            user_id: donor.user_id().unwrap(),
            note: String::new(),
            party_member: None,
        });
        assert_eq!(
            world.decide(worker, &approve).unwrap_err(),
            RuleError::NotFound(Entity::Volunteer)
        );
    }
}
