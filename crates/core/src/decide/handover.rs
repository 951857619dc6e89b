//! Hand-over at the station: a worker confirms what a giver's code stands for. The code only
//! finds the claim or allocation; confirming it is the same decision as confirming that claim's
//! delivery or that allocation's receipt (one rule, once).

use super::{claims, pledges, Context, Decision, Facts, Subject};
use crate::command::{AllocationRef, ConfirmClaim, ConfirmHandover};
use crate::error::RuleError;
use crate::handover::{HandoverCode, HandoverTarget};
use crate::ids::CommunityId;
use crate::model::{AllocationStatus, ClaimStatus};

pub(super) fn confirm(
    confirm: &ConfirmHandover,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let community = facts.worker_community(ctx)?;
    let target = HandoverCode::parse(&confirm.code)
        .and_then(|code| found(&code, community, facts))
        .ok_or(RuleError::UnknownCode)?;
    match target {
        HandoverTarget::Claim(claim_id) => {
            let status = facts.claims.get(&claim_id).map(|claim| claim.status);
            if status == Some(ClaimStatus::Confirmed) {
                return Ok(Decision::replay(Subject::Claim(claim_id)));
            }
            claims::confirm(
                &ConfirmClaim {
                    claim_id,
                    minutes: None,
                },
                facts,
                ctx,
            )
        }
        HandoverTarget::Allocation(allocation_id) => {
            let status = facts
                .allocations
                .get(&allocation_id)
                .map(|allocation| allocation.status);
            if status == Some(AllocationStatus::Confirmed) {
                return Ok(Decision::replay(Subject::Allocation(allocation_id)));
            }
            pledges::settle(
                &AllocationRef { allocation_id },
                AllocationStatus::Confirmed,
                facts,
                ctx,
            )
        }
    }
}

/// What `code` stands for in `community`: another community's is as good as none. Should a
/// code name an ended claim as well as a live one (codes are unique among live ones only),
/// the live one.
fn found(code: &HandoverCode, community: CommunityId, facts: &Facts) -> Option<HandoverTarget> {
    let mut ours: Vec<(HandoverTarget, bool)> = facts
        .handovers
        .get(code)?
        .iter()
        .filter_map(|target| match *target {
            HandoverTarget::Claim(id) => {
                let claim = facts.claims.get(&id)?;
                facts.wish_in(claim.wish_id, community).ok()?;
                let live = matches!(claim.status, ClaimStatus::Active | ClaimStatus::Delivered);
                Some((*target, live))
            }
            HandoverTarget::Allocation(id) => {
                let allocation = facts.allocations.get(&id)?;
                facts.wish_in(allocation.wish, community).ok()?;
                let live = matches!(
                    allocation.status,
                    AllocationStatus::Allocated | AllocationStatus::Delivered
                );
                Some((*target, live))
            }
        })
        .collect();
    ours.sort_by_key(|(_, live)| !*live);
    ours.first().map(|(target, _)| *target)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{claim_of, World};
    use super::*;
    use crate::command::{ClaimRef, Command};
    use crate::model::{Role, WishKind};
    use crate::ProblemCode;

    /// A world with a donor's claim on an item wish, known by `code`.
    fn claimed(code: &str) -> (World, crate::ids::ClaimId) {
        let mut world = World::new();
        let wish = world.wish(2, WishKind::Item);
        let donor = world.user(Role::Donor);
        let claim = claim_of(wish, 1);
        let id = claim.id;
        world.apply(donor, &Command::ClaimWish(claim)).unwrap();
        world.facts.handovers.insert(
            HandoverCode::parse(code).unwrap(),
            vec![HandoverTarget::Claim(id)],
        );
        (world, id)
    }

    fn by_code(code: &str) -> Command {
        Command::ConfirmHandover(ConfirmHandover { code: code.into() })
    }

    #[test]
    fn a_code_confirms_its_claim_as_confirming_the_claim_does() {
        let (mut world, id) = claimed("ACDEFG");
        let worker = world.worker();
        let direct = world
            .decide(
                worker,
                &Command::ConfirmClaim(ConfirmClaim {
                    claim_id: id,
                    minutes: None,
                }),
            )
            .unwrap();
        let decision = world.apply(worker, &by_code(" acd efg ")).unwrap();
        assert_eq!(decision, direct, "one rule, once");
        assert_eq!(world.facts.claims[&id].status, ClaimStatus::Confirmed);
        // Again: nothing changes, and the answer names the same claim.
        let replay = world.decide(worker, &by_code("ACDEFG")).unwrap();
        assert!(replay.replayed && replay.writes.is_empty());
        assert_eq!(replay.subject, Subject::Claim(id));
    }

    #[test]
    fn an_unknown_or_foreign_code_is_unknown_and_only_workers_confirm() {
        let (mut world, _) = claimed("ACDEFG");
        let worker = world.worker();
        for code in ["ACDEFH", "OOOOOO", ""] {
            assert_eq!(
                world.decide(worker, &by_code(code)).unwrap_err(),
                RuleError::UnknownCode,
                "{code:?}"
            );
        }
        assert_eq!(ProblemCode::UnknownCode.status(), 404);
        let outsider = world.worker_elsewhere();
        assert_eq!(
            world.decide(outsider, &by_code("ACDEFG")).unwrap_err(),
            RuleError::UnknownCode
        );
        let donor = world.user(Role::Donor);
        assert_eq!(
            world.decide(donor, &by_code("ACDEFG")).unwrap_err().code(),
            ProblemCode::Forbidden
        );
    }

    #[test]
    fn an_expired_claim_is_refused_as_confirming_it_is() {
        let (mut world, id) = claimed("ACDEFG");
        world
            .apply(
                crate::command::Actor::System,
                &Command::ExpireClaim(ClaimRef { claim_id: id }),
            )
            .unwrap();
        let worker = world.worker();
        let refusal = world.decide(worker, &by_code("ACDEFG")).unwrap_err();
        assert_eq!(refusal.code(), ProblemCode::InvalidState);
    }
}
