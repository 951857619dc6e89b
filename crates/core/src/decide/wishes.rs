//! Wishes as workers post them on a household's behalf: drafted or published, edited,
//! cancelled (whoever holds a claim is told why), all within the worker's community.

use super::*;
use crate::clock::community_today;
use crate::command::{CancelWish, NewWish, WishUpdate};
use crate::error::{Field, FieldCode};
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
    let texts = new.validate(&household.name, household.minor, community_today(ctx.now))?;
    let station = new
        .station
        .clone()
        .unwrap_or_else(|| household.grid.clone());
    check_station(&station, facts, community)?;
    check_campaign(new.campaign_id, facts)?;
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
            to: Some(status.as_str()),
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
    let (name, minor) = wish
        .household
        .and_then(|id| facts.households.get(&id))
        .map_or(("", false), |household| {
            (household.name.as_str(), household.minor)
        });
    let (changes, quantity) =
        update
            .patch
            .validate(wish.kind, name, minor, community_today(ctx.now))?;
    if wish.status.is_final() {
        return Err(RuleError::InvalidState {
            from: wish.status.as_str(),
            action: EventAction::Update.as_str(),
        });
    }
    if let Some(station) = &changes.station {
        check_station(station, facts, community)?;
    }
    check_campaign(changes.campaign_id.flatten(), facts)?;
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
        from: published.then_some(WishStatus::Draft.as_str()),
        to: published.then_some(status.as_str()),
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
            from: wish.status.as_str(),
            action: EventAction::Cancel.as_str(),
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
        from: Some(wish.status.as_str()),
        to: Some(WishStatus::Cancelled.as_str()),
        note: reason,
    });
    Ok(Decision {
        subject: Subject::Wish(cancel.wish_id),
        replayed: false,
        writes,
        events,
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

fn check_campaign(campaign: Option<CampaignId>, facts: &Facts) -> Result<(), RuleError> {
    match campaign {
        Some(campaign) if !facts.campaigns.contains(&campaign) => Err(RuleError::field(
            Field::CampaignId,
            FieldCode::Unknown,
            "no such campaign",
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::command::{ClaimWish, WishPatch};
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
        let claim = ClaimWish {
            id: ClaimId::generate(),
            wish_id: wish,
            quantity: 2,
            note: None,
            slot_start: None,
            slot_end: None,
        };
        world.apply(donor, &Command::ClaimWish(claim)).unwrap();
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
            let claim = ClaimWish {
                id: ClaimId::generate(),
                wish_id: wish,
                quantity: 1,
                note: None,
                slot_start: None,
                slot_end: None,
            };
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
}
