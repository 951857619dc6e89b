//! Wishes as workers post them on a household's behalf: drafted or published, edited,
//! cancelled (whoever holds a claim is told why), closed once fulfilled, all within the
//! worker's community.

use super::*;
use crate::clock::community_today;
use crate::command::{CancelWish, CloseWish, NewWish, WishUpdate};
use crate::error::{Field, FieldCode};
use crate::public_text::Private;
use crate::rules::settle_wish_status;

pub(super) fn create(new: &NewWish, facts: &Facts, ctx: &Context) -> Result<Decision, RuleError> {
    let community = facts.worker_community(ctx)?;
    if facts.wishes.contains_key(&new.id) {
        // A retry (or a mutation sent twice) answers the wish made the first time.
        return match facts.wish_in(new.id, community) {
            Ok(_) => Ok(Decision::replay(Subject::Wish(new.id))),
            Err(_) => Err(RuleError::IdConflict),
        };
    }
    let household = facts
        .household_in(new.household_id, community)
        .map_err(|_| {
            RuleError::field(
                Field::HouseholdId,
                FieldCode::Unknown,
                "not a household of your community",
            )
        })?;
    let texts = new.validate(Private::of(household), community_today(ctx.now))?;
    if new.publish && !household.consents_to_publish() {
        return Err(RuleError::ConsentMissing);
    }
    let station = new
        .station
        .clone()
        .unwrap_or_else(|| household.grid.clone());
    check_station(&station, facts, community)?;
    check_campaign(new.campaign_id, community, facts)?;
    let status = if new.publish {
        WishStatus::Open
    } else {
        WishStatus::Draft
    };
    let record = WishRecord {
        id: new.id,
        household: household.id,
        kind: new.kind,
        title: texts.title,
        description: texts.description,
        category: new.category,
        quantity: texts.quantity,
        unit: texts.unit,
        alias: texts.alias,
        group: new
            .group
            .or_else(|| household.groups.first().copied())
            .unwrap_or(BeneficiaryGroup::Other),
        grid: household.grid.clone(),
        station,
        needed_by: new.needed_by,
        campaign_id: new.campaign_id,
        status,
    };
    Ok(Decision {
        subject: Subject::Wish(new.id),
        replayed: false,
        writes: vec![Write::NewWish(record)],
        events: vec![Event {
            action: if new.publish {
                EventAction::Publish
            } else {
                EventAction::Draft
            },
            subject: Subject::Wish(new.id),
            wish: Some(new.id),
            from: None,
            to: Some(status.into()),
            note: String::new(),
        }],
    })
}

pub(super) fn update(
    update: &WishUpdate,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let community = facts.worker_community(ctx)?;
    let wish = facts.wish_in(update.wish_id, community)?;
    let household = wish.household.and_then(|id| facts.households.get(&id));
    let private = household.map_or(Private::NOBODY, Private::of);
    let (changes, quantity) =
        update
            .patch
            .validate(wish.kind, private, community_today(ctx.now))?;
    if wish.status.is_final() {
        return Err(RuleError::InvalidState {
            from: wish.status.into(),
            action: EventAction::Update,
        });
    }
    if let Some(station) = &changes.station {
        check_station(station, facts, community)?;
    }
    check_campaign(changes.campaign_id.flatten(), community, facts)?;
    let mut units = wish.units;
    if let Some(quantity) = quantity {
        if quantity < units.claimed {
            return Err(RuleError::field(
                Field::Quantity,
                FieldCode::BelowClaimed,
                format!("{} are already claimed", units.claimed),
            ));
        }
        units.quantity = quantity;
    }
    let published = update.patch.publish && wish.status == WishStatus::Draft;
    // A deleted household (read as none) consents to nothing any more.
    let consents = match wish.household {
        Some(_) => household.is_some_and(Household::consents_to_publish),
        None => true,
    };
    if published && !consents {
        return Err(RuleError::ConsentMissing);
    }
    let status = if published {
        settle_wish_status(WishStatus::Open, units)
    } else {
        settle_wish_status(wish.status, units)
    };
    let before = wish.counts();
    let after = Counts { units, status };
    let mut writes = Vec::new();
    if after != before {
        writes.push(Write::WishCounts {
            wish: update.wish_id,
            before,
            after,
        });
    }
    if !changes.is_empty() {
        writes.push(Write::WishFields {
            wish: update.wish_id,
            changes,
        });
    }
    let mut events = vec![Event {
        action: if published {
            EventAction::Publish
        } else {
            EventAction::Update
        },
        subject: Subject::Wish(update.wish_id),
        wish: Some(update.wish_id),
        from: published.then_some(WishStatus::Draft.into()),
        to: published.then_some(status.into()),
        note: String::new(),
    }];
    if !published {
        events.extend(wish_moved(update.wish_id, before, after));
    }
    Ok(Decision {
        subject: Subject::Wish(update.wish_id),
        replayed: false,
        writes,
        events,
    })
}

/// The household's published wishes not yet fulfilled go back to drafts: what it consented
/// to is withdrawn. Whoever holds a claim on them is sent back with `reason` (told the wish was
/// withdrawn); what was confirmed stays confirmed.
pub(super) fn unpublish_all(
    household: HouseholdId,
    reason: &str,
    facts: &Facts,
) -> Result<(Vec<Write>, Vec<Event>), RuleError> {
    let mut wishes: Vec<(&WishId, &WishState)> = facts
        .wishes
        .iter()
        .filter(|(_, wish)| {
            wish.household == Some(household)
                && matches!(wish.status, WishStatus::Open | WishStatus::Claimed)
        })
        .collect();
    wishes.sort_by_key(|(id, _)| **id);
    let (mut writes, mut events) = (Vec::new(), Vec::new());
    for (id, wish) in wishes {
        let mut claims: Vec<(ClaimId, ClaimState)> = facts
            .claims
            .iter()
            .filter(|(_, claim)| claim.wish_id == *id && claim.status == ClaimStatus::Active)
            .map(|(id, claim)| (*id, *claim))
            .collect();
        claims.sort_by_key(|(id, _)| *id);
        let mut counts = HashMap::new();
        let (more, ended) =
            super::claims::end_claims(&claims, ClaimStatus::Rejected, reason, facts, &mut counts)?;
        writes.extend(more);
        events.extend(ended);
        let before = counts.remove(id).unwrap_or(wish.counts());
        writes.push(Write::WishCounts {
            wish: *id,
            before,
            after: Counts {
                units: before.units,
                status: WishStatus::Draft,
            },
        });
        events.push(Event {
            action: EventAction::Unpublish,
            subject: Subject::Wish(*id),
            wish: Some(*id),
            from: Some(before.status.into()),
            to: Some(WishStatus::Draft.into()),
            note: reason.to_owned(),
        });
    }
    Ok((writes, events))
}

pub(super) fn cancel(
    cancel: &CancelWish,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let community = facts.worker_community(ctx)?;
    let wish = facts.wish_in(cancel.wish_id, community)?;
    let reason = cancel.validate()?;
    if wish.status.is_final() {
        return Err(RuleError::InvalidState {
            from: wish.status.into(),
            action: EventAction::Cancel,
        });
    }
    // Whoever holds a claim on it is sent back, with the reason.
    let mut claims: Vec<(ClaimId, ClaimState)> = facts
        .claims
        .iter()
        .filter(|(_, claim)| claim.wish_id == cancel.wish_id)
        .map(|(id, claim)| (*id, *claim))
        .collect();
    claims.sort_by_key(|(id, _)| *id);
    let mut counts = HashMap::new();
    let (mut writes, mut events) =
        super::claims::end_claims(&claims, ClaimStatus::Rejected, &reason, facts, &mut counts)?;
    let before = counts.remove(&cancel.wish_id).unwrap_or(wish.counts());
    let after = Counts {
        units: before.units,
        status: WishStatus::Cancelled,
    };
    writes.push(Write::WishCounts {
        wish: cancel.wish_id,
        before,
        after,
    });
    events.push(Event {
        action: EventAction::Cancel,
        subject: Subject::Wish(cancel.wish_id),
        wish: Some(cancel.wish_id),
        from: Some(wish.status.into()),
        to: Some(WishStatus::Cancelled.into()),
        note: reason,
    });
    Ok(Decision {
        subject: Subject::Wish(cancel.wish_id),
        replayed: false,
        writes,
        events,
    })
}

/// A fulfilled wish is closed (thanked, archived): `fulfilled` → `closed`, nothing else.
pub(super) fn close(
    close: &CloseWish,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let community = facts.worker_community(ctx)?;
    let wish = facts.wish_in(close.wish_id, community)?;
    if wish.status != WishStatus::Fulfilled {
        return Err(RuleError::InvalidState {
            from: wish.status.into(),
            action: EventAction::Close,
        });
    }
    let before = wish.counts();
    let after = Counts {
        status: WishStatus::Closed,
        ..before
    };
    Ok(Decision {
        subject: Subject::Wish(close.wish_id),
        replayed: false,
        writes: vec![Write::WishCounts {
            wish: close.wish_id,
            before,
            after,
        }],
        events: vec![Event {
            action: EventAction::Close,
            subject: Subject::Wish(close.wish_id),
            wish: Some(close.wish_id),
            from: Some(before.status.into()),
            to: Some(after.status.into()),
            note: String::new(),
        }],
    })
}

fn check_station(station: &GridId, facts: &Facts, community: CommunityId) -> Result<(), RuleError> {
    if facts.grid_in(station, community) {
        Ok(())
    } else {
        Err(RuleError::field(
            Field::Station,
            FieldCode::Unknown,
            "not a station of your community",
        ))
    }
}

/// A campaign of the worker's `community`: another community's is as good as absent
/// (communities are sealed). One whose community a phone's cache does not know yet passes
/// there; the server always knows.
fn check_campaign(
    campaign: Option<CampaignId>,
    community: CommunityId,
    facts: &Facts,
) -> Result<(), RuleError> {
    let Some(campaign) = campaign else {
        return Ok(());
    };
    match facts.campaigns.get(&campaign) {
        Some(Some(runs)) if *runs == community => Ok(()),
        Some(None) => Ok(()),
        _ => Err(RuleError::field(
            Field::CampaignId,
            FieldCode::Unknown,
            "not a campaign of your community",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::command::{ConfirmClaim, WishPatch};
    use crate::ProblemCode;

    fn new_wish(world: &World, publish: bool) -> NewWish {
        NewWish {
            id: WishId::generate(),
            household_id: world.household,
            kind: WishKind::Item,
            title: "冬季棉被".into(),
            description: "1.8米的床".into(),
            category: Category::Daily,
            quantity: 2,
            unit: "床".into(),
            alias: "王爷爷".into(),
            group: None,
            station: None,
            needed_by: None,
            campaign_id: None,
            publish,
        }
    }

    #[test]
    fn a_wish_joins_only_its_own_communitys_campaign() {
        let mut world = World::new();
        let worker = world.worker();
        let (ours, theirs) = (CampaignId::generate(), CampaignId::generate());
        world.facts.campaigns.insert(ours, Some(world.community));
        world.facts.campaigns.insert(theirs, Some(world.other));
        let into = |campaign| {
            Command::CreateWish(NewWish {
                campaign_id: Some(campaign),
                ..new_wish(&world, false)
            })
        };
        for campaign in [theirs, CampaignId::generate()] {
            let RuleError::Validation(errors) = world.decide(worker, &into(campaign)).unwrap_err()
            else {
                panic!("a field error")
            };
            assert_eq!(errors.0[0].field, Field::CampaignId);
        }
        world.apply(worker, &into(ours)).unwrap();
    }

    #[test]
    fn a_worker_edits_and_ends_only_their_own_communitys_drive() {
        use crate::command::{CampaignRef, CampaignUpdate};
        let mut world = World::new();
        let worker = world.worker();
        let (ours, theirs) = (CampaignId::generate(), CampaignId::generate());
        world.facts.campaigns.insert(ours, Some(world.community));
        world.facts.campaigns.insert(theirs, Some(world.other));
        let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 6, d).unwrap();
        let update = |campaign_id, ends_on| {
            Command::UpdateCampaign(CampaignUpdate {
                campaign_id,
                title: " 六一童心愿 ".into(),
                description: String::new(),
                goal: 40,
                unit: "件".into(),
                starts_on: day(1),
                ends_on,
            })
        };
        let decision = world.apply(worker, &update(ours, day(30))).unwrap();
        let Write::CampaignChanged(record) = &decision.writes[0] else {
            panic!("{decision:?}")
        };
        assert_eq!((record.title.as_str(), record.goal), ("六一童心愿", 40));
        // Checked as a new drive is: it cannot end before it starts.
        let RuleError::Validation(errors) = world
            .decide(
                worker,
                &update(ours, chrono::NaiveDate::from_ymd_opt(2026, 5, 1).unwrap()),
            )
            .unwrap_err()
        else {
            panic!("a field error")
        };
        assert!(errors.has(Field::EndsOn));
        let end = |campaign_id| Command::EndCampaign(CampaignRef { campaign_id });
        let decision = world.apply(worker, &end(ours)).unwrap();
        assert!(
            matches!(decision.writes[0], Write::CampaignEnded { campaign, .. } if campaign == ours)
        );
        for command in [
            update(theirs, day(30)),
            end(theirs),
            end(CampaignId::generate()),
        ] {
            assert_eq!(
                world.decide(worker, &command).unwrap_err(),
                RuleError::NotFound(Entity::Campaign),
                "another community's drive is as good as absent"
            );
        }
        let donor = world.user(Role::Donor);
        assert!(world.decide(donor, &end(ours)).is_err(), "workers only");
    }

    #[test]
    fn a_worker_posts_a_draft_publishes_it_and_a_retry_makes_no_second_wish() {
        let mut world = World::new();
        let worker = world.worker();
        let new = new_wish(&world, false);
        let command = Command::CreateWish(new.clone());
        let decision = world.apply(worker, &command).unwrap();
        let Write::NewWish(record) = &decision.writes[0] else {
            panic!()
        };
        assert_eq!(record.status, WishStatus::Draft);
        assert_eq!(record.grid, world.grid, "the household's grid");
        assert_eq!(record.group, BeneficiaryGroup::ElderlyAlone);
        assert_eq!(decision.written().households, vec![world.household]);
        assert!(world.decide(worker, &command).unwrap().replayed);

        let publish = Command::UpdateWish(WishUpdate {
            wish_id: new.id,
            patch: WishPatch {
                publish: true,
                ..WishPatch::default()
            },
        });
        let decision = world.apply(worker, &publish).unwrap();
        assert_eq!(decision.events[0].action, EventAction::Publish);
        assert_eq!(world.facts.wishes[&new.id].status, WishStatus::Open);
    }

    #[test]
    fn only_workers_post_and_only_for_households_of_their_community() {
        let mut world = World::new();
        let command = Command::CreateWish(new_wish(&world, true));
        for role in [Role::Donor, Role::Volunteer, Role::Shopkeeper] {
            let someone = world.user(role);
            assert_eq!(
                world.decide(someone, &command).unwrap_err().code(),
                ProblemCode::Forbidden
            );
        }
        let outsider = world.worker_elsewhere();
        let Err(RuleError::Validation(errors)) = world.decide(outsider, &command) else {
            panic!()
        };
        assert!(errors.has(Field::HouseholdId));
        let mut named = new_wish(&world, true);
        named.alias = "王成".into();
        let worker = world.worker();
        let Err(RuleError::Validation(errors)) = world.decide(worker, &Command::CreateWish(named))
        else {
            panic!()
        };
        assert!(errors.has(Field::Alias), "the real name never shows");
    }

    #[test]
    fn quantity_never_goes_below_what_is_claimed() {
        let mut world = World::new();
        let worker = world.worker();
        let wish = world.wish(3, WishKind::Item);
        let donor = world.user(Role::Donor);
        world
            .apply(donor, &Command::ClaimWish(claim_of(wish, 2)))
            .unwrap();
        let shrink = |quantity| {
            Command::UpdateWish(WishUpdate {
                wish_id: wish,
                patch: WishPatch {
                    quantity: Some(quantity),
                    ..WishPatch::default()
                },
            })
        };
        let Err(RuleError::Validation(errors)) = world.decide(worker, &shrink(1)) else {
            panic!()
        };
        assert_eq!(errors.0[0].code, FieldCode::BelowClaimed);
        world.apply(worker, &shrink(2)).unwrap();
        assert_eq!(world.facts.wishes[&wish].status, WishStatus::Claimed);
    }

    #[test]
    fn cancelling_sends_every_claim_back_with_the_reason() {
        let mut world = World::new();
        let worker = world.worker();
        let wish = world.wish(3, WishKind::Item);
        let mut claims = Vec::new();
        for _ in 0..2 {
            let donor = world.user(Role::Donor);
            let claim = claim_of(wish, 1);
            claims.push(claim.id);
            world.apply(donor, &Command::ClaimWish(claim)).unwrap();
        }
        let cancel = Command::CancelWish(CancelWish {
            wish_id: wish,
            reason: "受助人已搬离".into(),
        });
        let decision = world.apply(worker, &cancel).unwrap();
        for claim in claims {
            assert_eq!(world.facts.claims[&claim].status, ClaimStatus::Rejected);
            assert!(decision
                .events
                .iter()
                .any(|e| e.subject == Subject::Claim(claim) && e.note == "受助人已搬离"));
        }
        let state = &world.facts.wishes[&wish];
        assert_eq!(
            (state.status, state.units.claimed),
            (WishStatus::Cancelled, 0)
        );
        assert_eq!(
            world.decide(worker, &cancel).unwrap_err().code(),
            ProblemCode::InvalidState
        );
    }

    #[test]
    fn a_wish_is_published_only_with_the_households_consent_and_a_childs_guardians() {
        let mut world = World::new();
        let worker = world.worker();
        let household = world.household;
        world
            .facts
            .households
            .get_mut(&household)
            .unwrap()
            .consent_on = None;
        let refused = world.decide(worker, &Command::CreateWish(new_wish(&world, true)));
        assert_eq!(refused.unwrap_err(), RuleError::ConsentMissing);
        assert_eq!(ProblemCode::ConsentMissing.status(), 409);
        // A draft may wait for the consent; publishing it may not.
        let draft = new_wish(&world, false);
        world
            .apply(worker, &Command::CreateWish(draft.clone()))
            .unwrap();
        let publish = Command::UpdateWish(WishUpdate {
            wish_id: draft.id,
            patch: WishPatch {
                publish: true,
                ..WishPatch::default()
            },
        });
        assert_eq!(
            world.decide(worker, &publish).unwrap_err(),
            RuleError::ConsentMissing
        );
        // A child: the household's consent is not enough without the guardian's.
        let home = world.facts.households.get_mut(&household).unwrap();
        home.consent_on = Some(now().date_naive());
        home.minor = true;
        assert_eq!(
            world.decide(worker, &publish).unwrap_err(),
            RuleError::ConsentMissing
        );
        world
            .facts
            .households
            .get_mut(&household)
            .unwrap()
            .guardian_consent_on = Some(now().date_naive());
        world.apply(worker, &publish).unwrap();
        assert_eq!(world.facts.wishes[&draft.id].status, WishStatus::Open);
    }

    #[test]
    fn withdrawing_consent_unpublishes_the_wishes_and_ends_their_claims_with_a_reason() {
        use crate::command::{HouseholdPatch, HouseholdUpdate};
        let mut world = World::new();
        let worker = world.worker();
        let wish = world.wish(3, WishKind::Item);
        let donor = world.user(Role::Donor);
        let claim = claim_of(wish, 2);
        world
            .apply(donor, &Command::ClaimWish(claim.clone()))
            .unwrap();
        let withdraw = Command::UpdateHousehold(HouseholdUpdate {
            household_id: world.household,
            patch: HouseholdPatch {
                consent_on: Some(None),
                ..HouseholdPatch::default()
            },
        });
        assert_eq!(withdraw.needs().wishes_of_households, vec![world.household]);
        let decision = world.apply(worker, &withdraw).unwrap();
        assert_eq!(world.facts.claims[&claim.id].status, ClaimStatus::Rejected);
        let state = &world.facts.wishes[&wish];
        assert_eq!((state.status, state.units.claimed), (WishStatus::Draft, 0));
        assert!(decision
            .events
            .iter()
            .any(|e| e.subject == Subject::Claim(claim.id)
                && e.note == super::super::households::CONSENT_WITHDRAWN));
        assert!(decision
            .events
            .iter()
            .any(|e| e.action == EventAction::Unpublish && e.wish == Some(wish)));
        let notices = crate::notices::drafts(&decision, &world.facts, &world.ctx(worker));
        assert!(notices
            .iter()
            .any(|n| n.kind == crate::model::NoticeKind::WishWithdrawn));
        // A notes-only edit takes nothing down.
        let notes = Command::UpdateHousehold(HouseholdUpdate {
            household_id: world.household,
            patch: HouseholdPatch {
                notes: Some("请先电话".into()),
                ..HouseholdPatch::default()
            },
        });
        assert!(notes.needs().wishes_of_households.is_empty());
    }

    /// A wish of one unit, claimed by a donor and confirmed by a worker.
    fn fulfilled_wish(world: &mut World, worker: Actor) -> WishId {
        let wish = world.wish(1, WishKind::Item);
        let donor = world.user(Role::Donor);
        let claim = claim_of(wish, 1);
        let claim_id = claim.id;
        world.apply(donor, &Command::ClaimWish(claim)).unwrap();
        let confirm = Command::ConfirmClaim(ConfirmClaim {
            claim_id,
            minutes: None,
        });
        world.apply(worker, &confirm).unwrap();
        assert_eq!(world.facts.wishes[&wish].status, WishStatus::Fulfilled);
        wish
    }

    #[test]
    fn a_worker_closes_a_fulfilled_wish_which_stays_public_and_moves_no_more() {
        let mut world = World::new();
        let worker = world.worker();
        let wish = fulfilled_wish(&mut world, worker);
        let close = Command::CloseWish(CloseWish { wish_id: wish });
        let decision = world.apply(worker, &close).unwrap();
        assert_eq!(decision.subject, Subject::Wish(wish));
        assert_eq!(
            decision.events,
            [Event {
                action: EventAction::Close,
                subject: Subject::Wish(wish),
                wish: Some(wish),
                from: Some(Status::Wish(WishStatus::Fulfilled)),
                to: Some(Status::Wish(WishStatus::Closed)),
                note: String::new(),
            }]
        );
        let state = &world.facts.wishes[&wish];
        assert_eq!(state.status, WishStatus::Closed);
        assert!(state.status.is_public(), "a closed wish is still shown");
        assert_eq!(state.units.fulfilled, 1, "its counters stay");

        // Closed is final: not closed twice, not edited, not cancelled.
        let refused = world.decide(worker, &close).unwrap_err();
        assert_eq!(
            refused,
            RuleError::InvalidState {
                from: Status::Wish(WishStatus::Closed),
                action: EventAction::Close,
            }
        );
        let cancel = Command::CancelWish(CancelWish {
            wish_id: wish,
            reason: "已归档的心愿".into(),
        });
        assert_eq!(
            world.decide(worker, &cancel).unwrap_err().code(),
            ProblemCode::InvalidState
        );
    }

    #[test]
    fn only_a_fulfilled_wish_of_the_workers_community_is_closed() {
        let mut world = World::new();
        let worker = world.worker();
        let open = world.wish(2, WishKind::Item);
        let close = Command::CloseWish(CloseWish { wish_id: open });
        assert_eq!(
            world.decide(worker, &close).unwrap_err(),
            RuleError::InvalidState {
                from: Status::Wish(WishStatus::Open),
                action: EventAction::Close,
            }
        );
        let fulfilled = fulfilled_wish(&mut world, worker);
        let close = Command::CloseWish(CloseWish { wish_id: fulfilled });
        for role in [Role::Donor, Role::Volunteer, Role::Shopkeeper] {
            let someone = world.user(role);
            assert_eq!(
                world.decide(someone, &close).unwrap_err().code(),
                ProblemCode::Forbidden
            );
        }
        let outsider = world.worker_elsewhere();
        assert_eq!(
            world.decide(outsider, &close).unwrap_err(),
            RuleError::NotFound(Entity::Wish)
        );
        assert!(world.decide(worker, &close).is_ok());
    }
}
