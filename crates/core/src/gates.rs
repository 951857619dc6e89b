//! Who may use a kind of endpoint or command by role: each gate and its reason written once,
//! asked by the server before it reads a request's body and by core's decisions alike.

use crate::{CommunityId, Role, RuleError};

/// A door by role (and, for workers, the community they work for).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Community workers: a worker with a community (one without cannot act for any).
    Worker,
    /// Donors and volunteers: the people who claim wishes.
    Claimer,
    /// Shopkeepers: the people who pledge goods.
    Shopkeeper,
    /// Who reads pledges: shopkeepers (their own) and community workers (all).
    PledgeReader,
    /// Volunteers (their service certificates).
    Volunteer,
}

impl Gate {
    /// Whether someone of `role` (working for `community`, if a worker) may pass.
    pub fn admits(self, role: Role, community: Option<CommunityId>) -> bool {
        match self {
            Gate::Worker => role == Role::Worker && community.is_some(),
            Gate::Claimer => matches!(role, Role::Donor | Role::Volunteer),
            Gate::Shopkeeper => role == Role::Shopkeeper,
            Gate::PledgeReader => {
                Gate::Shopkeeper.admits(role, community) || Gate::Worker.admits(role, community)
            }
            Gate::Volunteer => role == Role::Volunteer,
        }
    }

    /// Passes, or the gate's refusal.
    pub fn admit(self, role: Role, community: Option<CommunityId>) -> Result<(), RuleError> {
        if self.admits(role, community) {
            Ok(())
        } else {
            Err(self.refusal())
        }
    }

    /// The refusal of whoever this gate does not admit (nobody but a person passes any).
    pub fn refusal(self) -> RuleError {
        RuleError::Forbidden {
            reason: self.reason(),
        }
    }

    fn reason(self) -> &'static str {
        match self {
            Gate::Worker => "for community workers only",
            Gate::Claimer => "only donors and volunteers claim wishes",
            Gate::Shopkeeper => "only shopkeepers pledge goods",
            Gate::PledgeReader => "pledges are for their shops and community workers",
            Gate::Volunteer => "for volunteers only",
        }
    }

    /// The community of a worker the worker gate admits.
    pub fn worker_community(
        role: Role,
        community: Option<CommunityId>,
    ) -> Result<CommunityId, RuleError> {
        Gate::Worker.admit(role, community)?;
        community.ok_or_else(|| Gate::Worker.refusal())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every role, with and without a community, at every gate.
    #[test]
    fn each_gate_admits_its_roles_and_refuses_the_rest_with_its_reason() {
        use Role::*;
        let community = Some(CommunityId::generate());
        // Who passes, without a community and with one.
        let table: [(Gate, &[Role], &[Role]); 5] = [
            (Gate::Worker, &[], &[Worker]),
            (Gate::Claimer, &[Donor, Volunteer], &[Donor, Volunteer]),
            (Gate::Shopkeeper, &[Shopkeeper], &[Shopkeeper]),
            (Gate::PledgeReader, &[Shopkeeper], &[Shopkeeper, Worker]),
            (Gate::Volunteer, &[Volunteer], &[Volunteer]),
        ];
        for (gate, without, with) in table {
            for (community, admitted) in [(None, without), (community, with)] {
                for &role in Role::ALL {
                    let answer = gate.admit(role, community);
                    if admitted.contains(&role) {
                        assert_eq!(answer, Ok(()), "{gate:?} {role} {community:?}");
                    } else {
                        assert_eq!(answer, Err(gate.refusal()), "{gate:?} {role} {community:?}");
                    }
                }
            }
            assert_eq!(gate.refusal().code(), crate::ProblemCode::Forbidden);
        }
    }

    #[test]
    fn a_worker_without_a_community_has_none_to_act_for() {
        let community = CommunityId::generate();
        assert_eq!(
            Gate::worker_community(Role::Worker, Some(community)),
            Ok(community)
        );
        assert_eq!(
            Gate::worker_community(Role::Worker, None),
            Err(Gate::Worker.refusal())
        );
        assert_eq!(
            Gate::worker_community(Role::Donor, Some(community)),
            Err(Gate::Worker.refusal())
        );
    }
}
