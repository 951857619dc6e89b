//! Households: registered and edited by the workers of their community, and nobody else.

use super::*;
use crate::clock::community_today;
use crate::command::{HouseholdRef, HouseholdUpdate, NewHousehold};
use crate::error::{Field, FieldCode};

pub(super) fn create(
    new: &NewHousehold,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let community = facts.worker_community(ctx)?;
    if facts.households.contains_key(&new.id) {
        // A retry answers the household made the first time.
        return match facts.household_in(new.id, community) {
            Ok(_) => Ok(Decision::replay(Subject::Household(new.id))),
            Err(_) => Err(RuleError::IdConflict),
        };
    }
    let fields = new.fields.clone().validate(community_today(ctx.now))?;
    in_community(&fields.grid, facts, community)?;
    let household = Household {
        id: new.id,
        name: fields.name,
        address: fields.address,
        phone: fields.phone,
        grid: fields.grid,
        groups: fields.groups,
        notes: fields.notes,
        consent_on: fields.consent_on,
        guardian_consent_on: fields.guardian_consent_on,
        minor: fields.minor,
        wishes: Vec::new(),
        created_at: ctx.now,
        updated_at: ctx.now,
    };
    Ok(Decision {
        subject: Subject::Household(new.id),
        replayed: false,
        writes: vec![Write::PutHousehold {
            household,
            created: true,
        }],
        events: vec![Event::on_household(EventAction::Register, new.id)],
    })
}

pub(super) fn update(
    update: &HouseholdUpdate,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let community = facts.worker_community(ctx)?;
    let current = facts.household_in(update.household_id, community)?;
    let fields = update
        .patch
        .clone()
        .apply_to(current)
        .validate(community_today(ctx.now))?;
    in_community(&fields.grid, facts, community)?;
    let withdrawn = !fields_consent(&fields);
    let household = Household {
        name: fields.name,
        address: fields.address,
        phone: fields.phone,
        grid: fields.grid,
        groups: fields.groups,
        notes: fields.notes,
        consent_on: fields.consent_on,
        guardian_consent_on: fields.guardian_consent_on,
        minor: fields.minor,
        updated_at: ctx.now,
        ..current.clone()
    };
    let mut writes = vec![Write::PutHousehold {
        household,
        created: false,
    }];
    let mut events = vec![Event::on_household(EventAction::Update, current.id)];
    if withdrawn {
        // Without consent (a child's guardian's too) nothing of it stays public.
        let (more, unpublished) =
            super::wishes::unpublish_all(current.id, CONSENT_WITHDRAWN, facts)?;
        writes.extend(more);
        events.extend(unpublished);
    }
    Ok(Decision {
        subject: Subject::Household(current.id),
        replayed: false,
        writes,
        events,
    })
}

/// A worker of its community deletes a household (PIPL): its private fields are erased and
/// its open wishes withdrawn as when consent is withdrawn (their claims end with a reason,
/// their holders are told); fulfilled wishes stay, with nothing private left to link to.
pub(super) fn delete(
    target: &HouseholdRef,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let community = facts.worker_community(ctx)?;
    let current = facts.household_in(target.household_id, community)?;
    let (more, unpublished) = super::wishes::unpublish_all(current.id, HOUSEHOLD_DELETED, facts)?;
    let mut writes = vec![Write::EraseHousehold {
        household: current.id,
    }];
    writes.extend(more);
    let mut events = vec![Event::on_household(EventAction::Erase, current.id)];
    events.extend(unpublished);
    Ok(Decision {
        subject: Subject::Household(current.id),
        replayed: false,
        writes,
        events,
    })
}

/// The reason the holders of a claim on a deleted household's wish read.
pub const HOUSEHOLD_DELETED: &str = "受助家庭的资料已删除,心愿已下架";

/// The reason the holders of a claim on an unpublished wish read.
pub const CONSENT_WITHDRAWN: &str = "受助家庭撤回了公开同意,心愿已下架";

fn fields_consent(fields: &crate::command::HouseholdFields) -> bool {
    fields.consent_on.is_some() && (!fields.minor || fields.guardian_consent_on.is_some())
}

/// A grid of the worker's own community.
fn in_community(grid: &GridId, facts: &Facts, community: CommunityId) -> Result<(), RuleError> {
    if facts.grid_in(grid, community) {
        Ok(())
    } else {
        Err(RuleError::field(
            Field::Grid,
            FieldCode::Unknown,
            "not a grid of your community",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::command::{HouseholdFields, HouseholdPatch};
    use crate::ProblemCode;

    fn new_household(grid: &str) -> NewHousehold {
        NewHousehold {
            id: HouseholdId::generate(),
            fields: HouseholdFields {
                name: "马玉珍".into(),
                address: "星怡花园31幢104室".into(),
                phone: "13962800111".into(),
                grid: GridId::from(grid),
                groups: vec![BeneficiaryGroup::ElderlyAlone],
                notes: "听力不好".into(),
                consent_on: None,
                guardian_consent_on: None,
                minor: false,
            },
        }
    }

    #[test]
    fn only_workers_of_the_community_register_and_edit_households() {
        let mut world = World::new();
        let new = new_household("grid-1");
        let command = Command::CreateHousehold(new.clone());
        for role in [Role::Donor, Role::Volunteer, Role::Shopkeeper] {
            let someone = world.user(role);
            assert_eq!(
                world.decide(someone, &command).unwrap_err().code(),
                ProblemCode::Forbidden
            );
        }
        let worker = world.worker();
        let decision = world.apply(worker, &command).unwrap();
        assert_eq!(decision.events[0].action, EventAction::Register);
        assert!(world.decide(worker, &command).unwrap().replayed, "a retry");

        let outsider = world.worker_elsewhere();
        let edit = Command::UpdateHousehold(HouseholdUpdate {
            household_id: new.id,
            patch: HouseholdPatch {
                notes: Some("请先电话".into()),
                ..HouseholdPatch::default()
            },
        });
        assert_eq!(
            world.decide(outsider, &edit).unwrap_err(),
            RuleError::NotFound(Entity::Household)
        );
        let decision = world.decide(worker, &edit).unwrap();
        let Write::PutHousehold { household, created } = &decision.writes[0] else {
            panic!()
        };
        assert!(!created);
        assert_eq!(household.notes, "请先电话");
        assert_eq!(household.name, "马玉珍", "the rest stays");
    }

    #[test]
    fn only_a_worker_of_its_community_deletes_a_household() {
        let mut world = World::new();
        let new = new_household("grid-1");
        let worker = world.worker();
        world
            .apply(worker, &Command::CreateHousehold(new.clone()))
            .unwrap();
        let delete = Command::DeleteHousehold(HouseholdRef {
            household_id: new.id,
        });
        let donor = world.user(Role::Donor);
        assert_eq!(
            world.decide(donor, &delete).unwrap_err().code(),
            ProblemCode::Forbidden
        );
        let outsider = world.worker_elsewhere();
        assert_eq!(
            world.decide(outsider, &delete).unwrap_err(),
            RuleError::NotFound(Entity::Household)
        );
        let decision = world.apply(worker, &delete).unwrap();
        assert_eq!(
            decision.writes[0],
            Write::EraseHousehold { household: new.id }
        );
        assert_eq!(decision.events[0].action, EventAction::Erase);
        assert_eq!(
            world.decide(worker, &delete).unwrap_err(),
            RuleError::NotFound(Entity::Household),
            "gone"
        );
    }

    #[test]
    fn a_household_goes_in_a_grid_of_the_workers_own_community() {
        let mut world = World::new();
        let worker = world.worker();
        let elsewhere = Command::CreateHousehold(new_household("grid-9"));
        let Err(RuleError::Validation(errors)) = world.decide(worker, &elsewhere) else {
            panic!()
        };
        assert!(errors.has(Field::Grid));
    }
}
