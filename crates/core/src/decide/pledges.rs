//! Pledges and allocations: a shopkeeper pledges goods; a worker gives units of a pledge (of one
//! variant) to a wish of their community — never more than the pledge or variant has left, nor
//! than the wish needs; the shop drops them at the station; a worker confirms or cancels.
//! Allocated units count as claimed units of the wish. And campaigns, which workers start.

use super::*;
use crate::command::{
    AllocationRef, CampaignUpdate, NewAllocation, NewCampaign, NewPledge, ThankShop,
};
use crate::error::{Field, FieldCode, ValidationErrors};
use crate::model::AllocationStatus;
use crate::rules::settle_wish_status;

pub(super) fn create(new: &NewPledge, facts: &Facts, ctx: &Context) -> Result<Decision, RuleError> {
    let Actor::User { id: shop, role } = ctx.actor else {
        return Err(Gate::Shopkeeper.refusal());
    };
    Gate::Shopkeeper.admit(role, None)?;
    if let Some(existing) = facts.pledges.get(&new.id) {
        return if existing.shop == shop {
            Ok(Decision::replay(Subject::Pledge(new.id)))
        } else {
            Err(RuleError::IdConflict)
        };
    }
    let valid = new.validate()?;
    let community = match new.community_id {
        Some(wanted) if facts.grids.values().any(|community| *community == wanted) => {
            let shop_community = facts.actor(ctx).and_then(|me| me.community);
            crate::pairing::may_pledge_to(shop_community, wanted, &facts.partners)?;
            Some(wanted)
        }
        Some(_) => {
            return Err(RuleError::field(
                Field::CommunityId,
                FieldCode::Unknown,
                "no such community",
            ))
        }
        None => facts.actor(ctx).and_then(|me| me.community),
    };
    Ok(Decision {
        subject: Subject::Pledge(new.id),
        replayed: false,
        writes: vec![Write::NewPledge(PledgeRecord {
            id: new.id,
            shop,
            community,
            title: valid.title,
            category: new.category,
            quantity: valid.quantity,
            unit: valid.unit,
            variants: valid.variants,
            available_from: new.available_from,
            yearly: new.yearly,
            note: valid.note,
        })],
        events: vec![Event {
            action: EventAction::Pledge,
            subject: Subject::Pledge(new.id),
            wish: None,
            from: None,
            to: None,
            note: String::new(),
        }],
    })
}

pub(super) fn allocate(
    new: &NewAllocation,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let community = facts.worker_community(ctx)?;
    if let Some(existing) = facts.allocations.get(&new.id) {
        return if existing.pledge == new.pledge_id && existing.wish == new.wish_id {
            Ok(Decision::replay(Subject::Allocation(new.id)))
        } else {
            Err(RuleError::IdConflict)
        };
    }
    // Communities are sealed: a pledge offered to another community is as good as absent.
    let pledge = facts
        .pledges
        .get(&new.pledge_id)
        .filter(|pledge| pledge.community.is_none_or(|offered| offered == community))
        .ok_or(RuleError::NotFound(Entity::Pledge))?;
    // A withdrawn pledge has nothing left to give.
    if pledge.withdrawn {
        return Err(RuleError::PledgeExhausted { remaining: 0 });
    }
    let wish = facts.wish_in(new.wish_id, community)?;
    if !(1..=i64::from(u32::MAX)).contains(&new.quantity) {
        return Err(RuleError::field(
            Field::Quantity,
            FieldCode::OutOfRange,
            "at least one",
        ));
    }
    let quantity = u32::try_from(new.quantity).unwrap_or(u32::MAX);
    // Units from one variant of a pledge in sizes; from the pledge itself otherwise.
    let variant = match (&new.variant, pledge.variants.is_empty()) {
        (None, true) => None,
        (Some(label), false) => Some(
            pledge
                .variants
                .iter()
                .find(|variant| variant.label == *label)
                .ok_or_else(|| {
                    RuleError::field(Field::Variant, FieldCode::Unknown, "no such variant")
                })?,
        ),
        (None, false) => {
            return Err(RuleError::field(
                Field::Variant,
                FieldCode::Required,
                "choose a size",
            ))
        }
        (Some(_), true) => {
            return Err(RuleError::field(
                Field::Variant,
                FieldCode::Unknown,
                "this pledge has no variants",
            ))
        }
    };
    let left = match variant {
        Some(variant) => variant.quantity.saturating_sub(variant.allocated),
        None => pledge.quantity.saturating_sub(pledge.allocated),
    };
    if quantity > left {
        return Err(RuleError::PledgeExhausted { remaining: left });
    }
    let units = match wish.units.claim(wish.status, quantity) {
        Ok(units) => units,
        Err(RuleError::WishFullyClaimed | RuleError::NotEnoughRemaining { .. }) => {
            return Err(RuleError::WishFull {
                remaining: wish.units.remaining(),
            })
        }
        Err(other) => return Err(other),
    };
    let before = wish.counts();
    let after = Counts {
        units,
        status: settle_wish_status(wish.status, units),
    };
    let mut events = vec![Event {
        action: EventAction::Allocate,
        subject: Subject::Allocation(new.id),
        wish: Some(new.wish_id),
        from: None,
        to: Some(AllocationStatus::Allocated.into()),
        note: String::new(),
    }];
    events.extend(wish_moved(new.wish_id, before, after));
    Ok(Decision {
        subject: Subject::Allocation(new.id),
        replayed: false,
        writes: vec![
            Write::WishCounts {
                wish: new.wish_id,
                before,
                after,
            },
            Write::PledgeAllocated {
                pledge: new.pledge_id,
                variant: variant.map(|variant| variant.label.clone()),
                before: (pledge.allocated, variant.map_or(0, |v| v.allocated)),
                after: (
                    pledge.allocated + quantity,
                    variant.map_or(0, |v| v.allocated + quantity),
                ),
            },
            Write::NewAllocation(AllocationRecord {
                id: new.id,
                pledge: new.pledge_id,
                wish: new.wish_id,
                variant: new.variant.clone(),
                quantity,
            }),
        ],
        events,
    })
}

/// The shop dropped the goods at the station (`Delivered`), or takes that back (`Allocated`)
/// until a worker confirms.
pub(super) fn by_shop(
    target: &AllocationRef,
    to: AllocationStatus,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let allocation = allocation(target, facts)?;
    let pledge = facts
        .pledges
        .get(&allocation.pledge)
        .ok_or(RuleError::NotFound(Entity::Pledge))?;
    if ctx.actor.user_id() != Some(pledge.shop) {
        return Err(RuleError::Forbidden {
            reason: "the shop that pledged the goods drops them off",
        });
    }
    moved(target, allocation, to, facts)
}

/// The shop's own pledge, for the shop to change: another shop's is as good as absent.
fn own_pledge<'a>(
    pledge: PledgeId,
    facts: &'a Facts,
    ctx: &Context,
) -> Result<&'a PledgeState, RuleError> {
    let Actor::User { id: shop, role } = ctx.actor else {
        return Err(Gate::Shopkeeper.refusal());
    };
    Gate::Shopkeeper.admit(role, None)?;
    facts
        .pledges
        .get(&pledge)
        .filter(|state| state.shop == shop)
        .ok_or(RuleError::NotFound(Entity::Pledge))
}

/// The shop changes its pledge: checked as a new one, and never below what is given out.
pub(super) fn update(
    update: &NewPledge,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let pledge = own_pledge(update.id, facts, ctx)?;
    if pledge.withdrawn {
        return Err(RuleError::PledgeWithdrawn);
    }
    let valid = update.validate()?;
    let mut errors = ValidationErrors::default();
    if update
        .community_id
        .is_some_and(|wanted| Some(wanted) != pledge.community)
    {
        errors.add(
            Field::CommunityId,
            FieldCode::Unknown,
            "a pledge stays with the community it was offered to",
        );
    }
    if valid.quantity < pledge.allocated {
        errors.add(
            Field::Quantity,
            FieldCode::BelowClaimed,
            format!("{} already given out", pledge.allocated),
        );
    }
    // Sizes already given out from stay, with at least as many as went.
    let mut allocated = Vec::new();
    for size in &pledge.variants {
        let kept = valid
            .variants
            .iter()
            .find(|(label, _)| *label == size.label);
        match kept {
            Some((_, quantity)) if *quantity < size.allocated => errors.add(
                Field::Variants,
                FieldCode::BelowClaimed,
                format!("{}: {} already given out", size.label, size.allocated),
            ),
            None if size.allocated > 0 => errors.add(
                Field::Variants,
                FieldCode::BelowClaimed,
                format!("{}: {} already given out", size.label, size.allocated),
            ),
            _ => {}
        }
        if kept.is_some() {
            allocated.push((size.label.clone(), size.allocated));
        }
    }
    // Units given out of a pledge without sizes cannot be put into one size afterwards.
    if pledge.variants.is_empty() && !valid.variants.is_empty() && pledge.allocated > 0 {
        errors.add(
            Field::Variants,
            FieldCode::BelowClaimed,
            format!("{} already given out without a size", pledge.allocated),
        );
    }
    errors.into_result(())?;
    Ok(Decision {
        subject: Subject::Pledge(update.id),
        replayed: false,
        writes: vec![Write::PledgeChanged {
            record: PledgeRecord {
                id: update.id,
                shop: pledge.shop,
                community: pledge.community,
                title: valid.title,
                category: update.category,
                quantity: valid.quantity,
                unit: valid.unit,
                variants: valid.variants,
                available_from: update.available_from,
                yearly: update.yearly,
                note: valid.note,
            },
            allocated,
        }],
        events: vec![Event {
            action: EventAction::Update,
            subject: Subject::Pledge(update.id),
            wish: None,
            from: None,
            to: None,
            note: String::new(),
        }],
    })
}

/// The shop takes back what is not yet given out (a second time changes nothing).
pub(super) fn withdraw(
    pledge_id: PledgeId,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let pledge = own_pledge(pledge_id, facts, ctx)?;
    if pledge.withdrawn {
        return Ok(Decision::replay(Subject::Pledge(pledge_id)));
    }
    Ok(Decision {
        subject: Subject::Pledge(pledge_id),
        replayed: false,
        writes: vec![Write::PledgeWithdrawn {
            pledge: pledge_id,
            at: ctx.now,
        }],
        events: vec![Event {
            action: EventAction::Withdraw,
            subject: Subject::Pledge(pledge_id),
            wish: None,
            from: None,
            to: None,
            note: String::new(),
        }],
    })
}

/// A worker of the wish's community confirms that the household received them, or cancels
/// the allocation (its units return to the pledge and to the wish).
pub(super) fn settle(
    target: &AllocationRef,
    to: AllocationStatus,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let community = facts.worker_community(ctx)?;
    let allocation = allocation(target, facts)?;
    facts.wish_in(allocation.wish, community)?;
    moved(target, allocation, to, facts)
}

pub(super) fn thank(
    thanks: &ThankShop,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let community = facts.worker_community(ctx)?;
    let target = AllocationRef {
        allocation_id: thanks.allocation_id,
    };
    let allocation = allocation(&target, facts)?;
    facts.wish_in(allocation.wish, community)?;
    let text = thanks.validate()?;
    if allocation.status != AllocationStatus::Confirmed {
        return Err(RuleError::InvalidState {
            from: allocation.status.into(),
            action: EventAction::Thanks,
        });
    }
    Ok(Decision {
        subject: Subject::Allocation(thanks.allocation_id),
        replayed: false,
        writes: vec![Write::AllocationThanks {
            allocation: thanks.allocation_id,
            text: text.clone(),
        }],
        events: vec![Event {
            action: EventAction::Thanks,
            subject: Subject::Allocation(thanks.allocation_id),
            wish: Some(allocation.wish),
            from: None,
            to: None,
            note: text,
        }],
    })
}

pub(super) fn create_campaign(
    new: &NewCampaign,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let community = facts.worker_community(ctx)?;
    let valid = new.validate()?;
    if facts.campaigns.contains_key(&new.id) {
        return Ok(Decision::replay(Subject::Campaign(new.id)));
    }
    Ok(Decision {
        subject: Subject::Campaign(new.id),
        replayed: false,
        writes: vec![Write::NewCampaign(CampaignRecord {
            id: new.id,
            community,
            title: valid.title,
            description: valid.description,
            goal: valid.goal,
            unit: valid.unit,
            starts_on: new.starts_on,
            ends_on: new.ends_on,
        })],
        events: Vec::new(),
    })
}

pub(super) fn update_campaign(
    update: &CampaignUpdate,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let community = own_campaign(update.campaign_id, facts, ctx)?;
    let valid = update.validate()?;
    Ok(Decision {
        subject: Subject::Campaign(update.campaign_id),
        replayed: false,
        writes: vec![Write::CampaignChanged(CampaignRecord {
            id: update.campaign_id,
            community,
            title: valid.title,
            description: valid.description,
            goal: valid.goal,
            unit: valid.unit,
            starts_on: update.starts_on,
            ends_on: update.ends_on,
        })],
        events: Vec::new(),
    })
}

pub(super) fn end_campaign(
    campaign: CampaignId,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    own_campaign(campaign, facts, ctx)?;
    Ok(Decision {
        subject: Subject::Campaign(campaign),
        replayed: false,
        writes: vec![Write::CampaignEnded {
            campaign,
            at: ctx.now,
        }],
        events: Vec::new(),
    })
}

/// The community of a drive the acting worker may change: their own community's (another
/// community's, or none, is as good as absent).
fn own_campaign(
    campaign: CampaignId,
    facts: &Facts,
    ctx: &Context,
) -> Result<CommunityId, RuleError> {
    let community = facts.worker_community(ctx)?;
    match facts.campaigns.get(&campaign) {
        Some(Some(owner)) if *owner == community => Ok(community),
        _ => Err(RuleError::NotFound(Entity::Campaign)),
    }
}

fn allocation<'a>(
    target: &AllocationRef,
    facts: &'a Facts,
) -> Result<&'a AllocationState, RuleError> {
    facts
        .allocations
        .get(&target.allocation_id)
        .ok_or(RuleError::NotFound(Entity::Allocation))
}

/// An allocation moves to `to`; the wish's counters (and, when cancelled, the pledge's)
/// follow.
fn moved(
    target: &AllocationRef,
    allocation: &AllocationState,
    to: AllocationStatus,
    facts: &Facts,
) -> Result<Decision, RuleError> {
    let from = allocation.status;
    let action = match to {
        AllocationStatus::Delivered => EventAction::Deliver,
        AllocationStatus::Allocated => EventAction::Undeliver,
        AllocationStatus::Confirmed => EventAction::Confirm,
        AllocationStatus::Cancelled => EventAction::Cancel,
    };
    let allowed = matches!(
        (from, to),
        (AllocationStatus::Allocated, AllocationStatus::Delivered)
            | (AllocationStatus::Delivered, AllocationStatus::Allocated)
            | (
                AllocationStatus::Allocated | AllocationStatus::Delivered,
                AllocationStatus::Confirmed | AllocationStatus::Cancelled
            )
    );
    if !allowed {
        return Err(RuleError::InvalidState {
            from: from.into(),
            action,
        });
    }
    let wish = facts
        .wishes
        .get(&allocation.wish)
        .ok_or(RuleError::NotFound(Entity::Wish))?;
    let units =
        wish.units
            .after_claim_change(from.counts_as(), to.counts_as(), allocation.quantity);
    let before = wish.counts();
    let after = Counts {
        units,
        status: settle_wish_status(wish.status, units),
    };
    let mut writes = vec![
        Write::WishCounts {
            wish: allocation.wish,
            before,
            after,
        },
        Write::AllocationStatus {
            allocation: target.allocation_id,
            from,
            to,
        },
    ];
    if to == AllocationStatus::Cancelled {
        let pledge = facts
            .pledges
            .get(&allocation.pledge)
            .ok_or(RuleError::NotFound(Entity::Pledge))?;
        let variant = allocation
            .variant
            .as_ref()
            .and_then(|label| pledge.variants.iter().find(|v| v.label == *label));
        writes.push(Write::PledgeAllocated {
            pledge: allocation.pledge,
            variant: variant.map(|variant| variant.label.clone()),
            before: (pledge.allocated, variant.map_or(0, |v| v.allocated)),
            after: (
                pledge.allocated.saturating_sub(allocation.quantity),
                variant.map_or(0, |v| v.allocated.saturating_sub(allocation.quantity)),
            ),
        });
    }
    let mut events = vec![Event {
        action,
        subject: Subject::Allocation(target.allocation_id),
        wish: Some(allocation.wish),
        from: Some(from.into()),
        to: Some(to.into()),
        note: String::new(),
    }];
    events.extend(wish_moved(allocation.wish, before, after));
    Ok(Decision {
        subject: Subject::Allocation(target.allocation_id),
        replayed: false,
        writes,
        events,
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::command::{PledgeRef, VariantInput};
    use crate::ProblemCode;

    fn shoes(world: &mut World, shop: Actor) -> PledgeId {
        let new = NewPledge {
            id: PledgeId::generate(),
            title: "儿童鞋".into(),
            category: Category::Clothing,
            quantity: None,
            unit: "双".into(),
            variants: vec![
                VariantInput {
                    label: "32码".into(),
                    quantity: 5,
                },
                VariantInput {
                    label: "34码".into(),
                    quantity: 5,
                },
            ],
            available_from: None,
            yearly: true,
            note: String::new(),
            community_id: None,
        };
        world
            .apply(shop, &Command::CreatePledge(new.clone()))
            .unwrap();
        new.id
    }

    fn allocate_to(pledge: PledgeId, wish: WishId, quantity: i64, variant: &str) -> Command {
        Command::AllocatePledge(NewAllocation {
            id: AllocationId::generate(),
            pledge_id: pledge,
            wish_id: wish,
            quantity,
            variant: Some(variant.into()),
        })
    }

    /// A shop's pledge with two pairs of size 32 given to a wish of four.
    struct Given {
        world: World,
        shop: Actor,
        pledge: PledgeId,
        worker: Actor,
        wish: WishId,
        target: AllocationRef,
    }

    fn two_pairs_given() -> Given {
        let mut world = World::new();
        let shop = world.user(Role::Shopkeeper);
        let pledge = shoes(&mut world, shop);
        let worker = world.worker();
        let wish = world.wish(4, WishKind::Item);
        let command = allocate_to(pledge, wish, 2, "32码");
        let Command::AllocatePledge(new) = &command else {
            unreachable!()
        };
        let target = AllocationRef {
            allocation_id: new.id,
        };
        world.apply(worker, &command).unwrap();
        Given {
            world,
            shop,
            pledge,
            worker,
            wish,
            target,
        }
    }

    #[test]
    fn a_pledge_offered_to_a_community_is_given_out_by_its_workers_only() {
        let mut world = World::new();
        let shop = world.user(Role::Shopkeeper);
        let offer = |community| NewPledge {
            id: PledgeId::generate(),
            title: "爱心面包".into(),
            category: Category::Food,
            quantity: Some(10),
            unit: "个".into(),
            variants: Vec::new(),
            available_from: None,
            yearly: false,
            note: String::new(),
            community_id: community,
        };
        let unknown = offer(Some(CommunityId::generate()));
        let RuleError::Validation(errors) = world
            .decide(shop, &Command::CreatePledge(unknown))
            .unwrap_err()
        else {
            panic!("a field error")
        };
        assert_eq!(errors.0[0].field, Field::CommunityId);
        let ours = offer(Some(world.community));
        let decision = world
            .apply(shop, &Command::CreatePledge(ours.clone()))
            .unwrap();
        let Write::NewPledge(record) = &decision.writes[0] else {
            panic!()
        };
        assert_eq!(record.community, Some(world.community));
        let wish = world.wish(3, WishKind::Item);
        let allocation = Command::AllocatePledge(NewAllocation {
            id: AllocationId::generate(),
            pledge_id: ours.id,
            wish_id: wish,
            quantity: 1,
            variant: None,
        });
        let elsewhere = world.worker_elsewhere();
        assert_eq!(
            world.decide(elsewhere, &allocation).unwrap_err(),
            RuleError::NotFound(Entity::Pledge)
        );
        let worker = world.worker();
        world.apply(worker, &allocation).unwrap();
        // A shop of a community offers to it unless it says otherwise.
        let local = world.of_community(Role::Shopkeeper);
        let decision = world
            .apply(local, &Command::CreatePledge(offer(None)))
            .unwrap();
        let Write::NewPledge(record) = &decision.writes[0] else {
            panic!()
        };
        assert_eq!(record.community, Some(world.community));
        // … and to another community only while the two are paired (结对帮扶), whose workers
        // then give it out.
        let far = offer(Some(world.other));
        let RuleError::Validation(errors) = world
            .decide(local, &Command::CreatePledge(far.clone()))
            .unwrap_err()
        else {
            panic!("a field error")
        };
        assert_eq!(
            (errors.0[0].field, errors.0[0].code),
            (Field::CommunityId, FieldCode::NotPaired)
        );
        world.facts.partners = vec![world.other];
        world
            .apply(local, &Command::CreatePledge(far.clone()))
            .unwrap();
        let wish_there = world.wish(2, WishKind::Item);
        world.facts.wishes.get_mut(&wish_there).unwrap().grid = GridId::from("grid-9");
        let there = Command::AllocatePledge(NewAllocation {
            id: AllocationId::generate(),
            pledge_id: far.id,
            wish_id: wish_there,
            quantity: 1,
            variant: None,
        });
        assert_eq!(
            world.decide(worker, &there).unwrap_err(),
            RuleError::NotFound(Entity::Pledge)
        );
        world.apply(elsewhere, &there).unwrap();
    }

    #[test]
    fn only_shopkeepers_pledge_and_only_workers_allocate() {
        let mut world = World::new();
        let donor = world.user(Role::Donor);
        let shop = world.user(Role::Shopkeeper);
        let pledge = shoes(&mut world, shop);
        let wish = world.wish(3, WishKind::Item);
        let allocation = allocate_to(pledge, wish, 3, "32码");
        for someone in [donor, shop] {
            assert_eq!(
                world.decide(someone, &allocation).unwrap_err().code(),
                ProblemCode::Forbidden
            );
        }
        let worker = world.worker();
        world.apply(worker, &allocation).unwrap();
        let state = &world.facts.wishes[&wish];
        assert_eq!(
            (state.units.claimed, state.status),
            (3, WishStatus::Claimed)
        );
        assert_eq!(world.facts.pledges[&pledge].allocated, 3);
        assert_eq!(world.facts.pledges[&pledge].variants[0].allocated, 3);
    }

    #[test]
    fn never_more_than_the_variant_holds_nor_the_wish_needs() {
        let mut world = World::new();
        let shop = world.user(Role::Shopkeeper);
        let pledge = shoes(&mut world, shop);
        let worker = world.worker();
        let big = world.wish(8, WishKind::Item);
        assert_eq!(
            world
                .decide(worker, &allocate_to(pledge, big, 6, "32码"))
                .unwrap_err(),
            RuleError::PledgeExhausted { remaining: 5 }
        );
        let small = world.wish(2, WishKind::Item);
        assert_eq!(
            world
                .decide(worker, &allocate_to(pledge, small, 3, "34码"))
                .unwrap_err()
                .code(),
            ProblemCode::WishFull
        );
        let without_size = Command::AllocatePledge(NewAllocation {
            id: AllocationId::generate(),
            pledge_id: pledge,
            wish_id: small,
            quantity: 1,
            variant: None,
        });
        assert!(
            world.decide(worker, &without_size).is_err(),
            "a size is needed"
        );
    }

    #[test]
    fn the_shop_delivers_a_worker_confirms_or_cancels_and_units_go_back() {
        let Given {
            mut world,
            shop,
            pledge,
            worker,
            wish,
            target,
        } = two_pairs_given();
        let other_shop = world.user(Role::Shopkeeper);
        let again = world.facts.allocations[&target.allocation_id].clone();
        let retry = Command::AllocatePledge(NewAllocation {
            id: target.allocation_id,
            pledge_id: again.pledge,
            wish_id: again.wish,
            quantity: 2,
            variant: again.variant,
        });
        assert!(world.decide(worker, &retry).unwrap().replayed, "a retry");
        let deliver = Command::DeliverAllocation(target.clone());
        assert_eq!(
            world.decide(other_shop, &deliver).unwrap_err().code(),
            ProblemCode::Forbidden
        );
        world.apply(shop, &deliver).unwrap();
        assert_eq!(world.facts.wishes[&wish].units.delivered, 2);
        world
            .apply(worker, &Command::CancelAllocation(target.clone()))
            .unwrap();
        let state = &world.facts.wishes[&wish];
        assert_eq!((state.units.claimed, state.units.delivered), (0, 0));
        assert_eq!(world.facts.pledges[&pledge].allocated, 0);
        assert_eq!(world.facts.pledges[&pledge].variants[0].allocated, 0);
        assert!(world
            .decide(worker, &Command::ConfirmAllocation(target))
            .is_err());
    }

    #[test]
    fn the_shop_takes_back_a_drop_off_until_a_worker_confirms() {
        let Given {
            mut world,
            shop,
            worker,
            wish,
            target,
            ..
        } = two_pairs_given();
        let undeliver = Command::UndeliverAllocation(target.clone());
        // Nothing to take back before the drop-off.
        assert_eq!(
            world.decide(shop, &undeliver).unwrap_err().code(),
            ProblemCode::InvalidState
        );
        world
            .apply(shop, &Command::DeliverAllocation(target.clone()))
            .unwrap();
        assert_eq!(
            world.decide(worker, &undeliver).unwrap_err().code(),
            ProblemCode::Forbidden,
            "the shop's step alone"
        );
        let decision = world.apply(shop, &undeliver).unwrap();
        assert_eq!(decision.events[0].action, EventAction::Undeliver);
        assert_eq!(world.facts.wishes[&wish].units.delivered, 0);
        assert_eq!(world.facts.wishes[&wish].units.claimed, 2);
        assert_eq!(
            world.facts.allocations[&target.allocation_id].status,
            AllocationStatus::Allocated
        );
        // Once confirmed it is the household's: nothing to take back.
        world
            .apply(shop, &Command::DeliverAllocation(target.clone()))
            .unwrap();
        world
            .apply(worker, &Command::ConfirmAllocation(target))
            .unwrap();
        assert_eq!(
            world.decide(shop, &undeliver).unwrap_err().code(),
            ProblemCode::InvalidState
        );
    }

    fn edited(pledge: PledgeId, sizes: &[(&str, i64)]) -> Command {
        Command::UpdatePledge(NewPledge {
            id: pledge,
            title: "儿童运动鞋".into(),
            category: Category::Clothing,
            quantity: None,
            unit: "双".into(),
            variants: sizes
                .iter()
                .map(|(label, quantity)| VariantInput {
                    label: (*label).into(),
                    quantity: *quantity,
                })
                .collect(),
            available_from: None,
            yearly: true,
            note: "六一前送到".into(),
            community_id: None,
        })
    }

    #[test]
    fn a_pledge_is_changed_by_its_shop_never_below_what_went_out() {
        let mut world = World::new();
        let shop = world.user(Role::Shopkeeper);
        let other_shop = world.user(Role::Shopkeeper);
        let pledge = shoes(&mut world, shop);
        let worker = world.worker();
        let wish = world.wish(4, WishKind::Item);
        world
            .apply(worker, &allocate_to(pledge, wish, 3, "32码"))
            .unwrap();
        let fine = edited(pledge, &[("32码", 3), ("33码", 6)]);
        assert_eq!(
            world.decide(other_shop, &fine).unwrap_err(),
            RuleError::NotFound(Entity::Pledge)
        );
        assert_eq!(
            world.decide(worker, &fine).unwrap_err().code(),
            ProblemCode::Forbidden
        );
        for below in [
            edited(pledge, &[("32码", 2), ("34码", 5)]),
            edited(pledge, &[("34码", 9)]),
        ] {
            let RuleError::Validation(errors) = world.decide(shop, &below).unwrap_err() else {
                panic!("a field error")
            };
            assert_eq!(errors.0[0].field, Field::Variants);
        }
        let decision = world.apply(shop, &fine).unwrap();
        let Write::PledgeChanged { record, allocated } = &decision.writes[0] else {
            panic!()
        };
        assert_eq!((record.quantity, record.title.as_str()), (9, "儿童运动鞋"));
        assert_eq!(allocated, &vec![("32码".to_owned(), 3)]);
        let state = &world.facts.pledges[&pledge];
        assert_eq!((state.quantity, state.allocated), (9, 3));
        assert_eq!(state.variants[1].label, "33码");
        assert_eq!(state.variants[0].allocated, 3);
    }

    #[test]
    fn a_withdrawn_pledge_gives_nothing_more_and_changes_no_more() {
        let mut world = World::new();
        let shop = world.user(Role::Shopkeeper);
        let pledge = shoes(&mut world, shop);
        let worker = world.worker();
        let wish = world.wish(4, WishKind::Item);
        world
            .apply(worker, &allocate_to(pledge, wish, 1, "32码"))
            .unwrap();
        let withdraw = Command::WithdrawPledge(PledgeRef { pledge_id: pledge });
        assert_eq!(
            world.decide(worker, &withdraw).unwrap_err().code(),
            ProblemCode::Forbidden
        );
        let decision = world.apply(shop, &withdraw).unwrap();
        assert_eq!(decision.events[0].action, EventAction::Withdraw);
        assert!(world.decide(shop, &withdraw).unwrap().replayed, "once");
        assert_eq!(
            world
                .decide(worker, &allocate_to(pledge, wish, 1, "32码"))
                .unwrap_err(),
            RuleError::PledgeExhausted { remaining: 0 }
        );
        assert_eq!(
            world
                .decide(shop, &edited(pledge, &[("32码", 5)]))
                .unwrap_err(),
            RuleError::PledgeWithdrawn
        );
    }
}
