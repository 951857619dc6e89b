//! A small world for the rules' tests: two communities, their grids, households, wishes and
//! people, with decisions carried out on the facts themselves.

use chrono::TimeZone;

use super::*;
use crate::command::ClaimWish;

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 7, 1, 2, 0, 0).unwrap()
}

/// A claim of `quantity` units of an item wish, with a new id.
pub fn claim_of(wish: WishId, quantity: i64) -> ClaimWish {
    ClaimWish {
        id: ClaimId::generate(),
        wish_id: wish,
        quantity,
        note: None,
        slot_start: None,
        slot_end: None,
    }
}

pub struct World {
    pub facts: Facts,
    pub now: DateTime<Utc>,
    pub community: CommunityId,
    pub other: CommunityId,
    pub grid: GridId,
    pub household: HouseholdId,
    /// 32幢, in grid-1.
    pub building: BuildingId,
    /// A building of the other community (grid-9).
    pub building_elsewhere: BuildingId,
}

impl World {
    /// Xingyi (grid-1, with 王成's household and building 32幢) and another community
    /// (grid-9, with its own building).
    pub fn new() -> World {
        let community = CommunityId::generate();
        let other = CommunityId::generate();
        let mut facts = Facts::default();
        facts.grids.insert(GridId::from("grid-1"), community);
        facts.grids.insert(GridId::from("grid-9"), other);
        let mut building = |name: &str, grid: &str| {
            let id = BuildingId::generate();
            facts.buildings.insert(
                id,
                Building {
                    id,
                    name: name.into(),
                    grid: GridId::from(grid),
                },
            );
            id
        };
        let (building, building_elsewhere) =
            (building("32幢", "grid-1"), building("9幢", "grid-9"));
        let mut world = World {
            facts,
            now: now(),
            community,
            other,
            grid: GridId::from("grid-1"),
            household: HouseholdId::generate(),
            building,
            building_elsewhere,
        };
        world.household = world.household_named("王成", false);
        world
    }

    pub fn household_named(&mut self, name: &str, minor: bool) -> HouseholdId {
        let id = HouseholdId::generate();
        self.facts.households.insert(
            id,
            Household {
                id,
                name: name.into(),
                address: "星怡花园32幢102室".into(),
                phone: "13962800101".into(),
                grid: self.grid.clone(),
                groups: vec![BeneficiaryGroup::ElderlyAlone],
                notes: String::new(),
                // Consented (a child's guardian too), so that its wishes may be published.
                consent_on: Some(now().date_naive()),
                guardian_consent_on: minor.then(|| now().date_naive()),
                minor,
                wishes: Vec::new(),
                created_at: now(),
                updated_at: now(),
            },
        );
        id
    }

    /// An open wish of `quantity` units for the first household.
    pub fn wish(&mut self, quantity: u32, kind: WishKind) -> WishId {
        let id = WishId::generate();
        self.facts.wishes.insert(
            id,
            WishState {
                kind,
                status: WishStatus::Open,
                needed_by: None,
                units: Units::new(quantity),
                grid: self.grid.clone(),
                household: Some(self.household),
            },
        );
        id
    }

    pub fn person(&mut self, state: UserState) -> Actor {
        let id = UserId::generate();
        self.facts.users.insert(id, state);
        Actor::User {
            id,
            role: state.role,
        }
    }

    /// Someone of `role`, of `community` (if any), with nothing held.
    pub fn someone(role: Role, community: Option<CommunityId>) -> UserState {
        UserState {
            role,
            volunteer: None,
            party_member: false,
            community,
            active_house_calls: 0,
            active_claim_units: 0,
            homes_revealed_today: 0,
            phone_verified: false,
        }
    }

    pub fn user(&mut self, role: Role) -> Actor {
        self.person(Self::someone(role, None))
    }

    pub fn volunteer(&mut self, status: VolunteerStatus) -> Actor {
        self.person(UserState {
            volunteer: Some(status),
            ..Self::someone(Role::Volunteer, Some(self.community))
        })
    }

    /// A volunteer of the other community.
    pub fn volunteer_elsewhere(&mut self, status: VolunteerStatus) -> Actor {
        self.person(UserState {
            volunteer: Some(status),
            ..Self::someone(Role::Volunteer, Some(self.other))
        })
    }

    /// An approved volunteer of this community, marked a party member.
    pub fn party_member(&mut self) -> Actor {
        let community = self.community;
        self.person(UserState {
            volunteer: Some(VolunteerStatus::Approved),
            party_member: true,
            ..Self::someone(Role::Volunteer, Some(community))
        })
    }

    /// Someone of `role` who lives in (or works for) this community.
    pub fn of_community(&mut self, role: Role) -> Actor {
        let community = self.community;
        self.person(Self::someone(role, Some(community)))
    }

    pub fn worker(&mut self) -> Actor {
        self.of_community(Role::Worker)
    }

    pub fn worker_elsewhere(&mut self) -> Actor {
        let community = self.other;
        self.person(Self::someone(Role::Worker, Some(community)))
    }

    pub fn ctx(&self, actor: Actor) -> Context {
        Context {
            actor,
            now: self.now,
            policy: Policy::default(),
        }
    }

    pub fn decide(&self, actor: Actor, command: &Command) -> Result<Decision, RuleError> {
        decide(command, &self.facts, &self.ctx(actor))
    }

    /// Decides and carries the decision out on the facts.
    pub fn apply(&mut self, actor: Actor, command: &Command) -> Result<Decision, RuleError> {
        let decision = self.decide(actor, command)?;
        for write in &decision.writes {
            self.carry_out(write);
        }
        Ok(decision)
    }

    fn carry_out(&mut self, write: &Write) {
        let facts = &mut self.facts;
        match write {
            Write::WishCounts { wish, after, .. } => {
                if let Some(wish) = facts.wishes.get_mut(wish) {
                    wish.units = after.units;
                    wish.status = after.status;
                }
            }
            Write::NewWish(record) => {
                facts.wishes.insert(
                    record.id,
                    WishState {
                        kind: record.kind,
                        status: record.status,
                        needed_by: record.needed_by,
                        units: Units::new(record.quantity),
                        grid: record.grid.clone(),
                        household: Some(record.household),
                    },
                );
            }
            Write::WishFields { wish, changes } => {
                if let (Some(wish), Some(date)) = (facts.wishes.get_mut(wish), changes.needed_by) {
                    wish.needed_by = date;
                }
            }
            Write::ClaimQuantity {
                claim,
                before,
                after,
            } => {
                if let Some(claim) = facts.claims.get_mut(claim) {
                    claim.quantity = *after;
                    if let Some(owner) = facts.users.get_mut(&claim.owner) {
                        owner.active_claim_units =
                            owner.active_claim_units.saturating_sub(before - after);
                    }
                }
            }
            Write::NewClaim(new) => {
                let service = facts.wishes[&new.wish_id].kind == WishKind::Service;
                if let Some(owner) = facts.users.get_mut(&new.owner) {
                    if service {
                        owner.active_house_calls += 1;
                    } else {
                        owner.active_claim_units += new.quantity;
                    }
                }
                facts.claims.insert(
                    new.id,
                    ClaimState {
                        wish_id: new.wish_id,
                        owner: new.owner,
                        quantity: new.quantity,
                        status: ClaimStatus::Active,
                        slot: new.slot,
                    },
                );
            }
            Write::ClaimStatus {
                claim, from, to, ..
            } => {
                if let Some(claim) = facts.claims.get_mut(claim) {
                    claim.status = *to;
                    let service = facts.wishes[&claim.wish_id].kind == WishKind::Service;
                    if *from == ClaimStatus::Active {
                        if let Some(owner) = facts.users.get_mut(&claim.owner) {
                            if service {
                                owner.active_house_calls -= 1;
                            } else {
                                owner.active_claim_units -= claim.quantity;
                            }
                        }
                    }
                }
            }
            Write::Thanks { .. } => {}
            Write::PutHousehold { household, .. } => {
                facts.households.insert(household.id, household.clone());
            }
            Write::EraseHousehold { household } => {
                facts.households.remove(household);
            }
            Write::VolunteerStatus { user, to, .. } => {
                if let Some(user) = facts.users.get_mut(user) {
                    user.volunteer = Some(*to);
                }
            }
            Write::NewPledge(record) => {
                facts.pledges.insert(
                    record.id,
                    PledgeState {
                        shop: record.shop,
                        community: record.community,
                        quantity: record.quantity,
                        allocated: 0,
                        variants: record
                            .variants
                            .iter()
                            .map(|(label, quantity)| VariantState {
                                label: label.clone(),
                                quantity: *quantity,
                                allocated: 0,
                            })
                            .collect(),
                        withdrawn: false,
                    },
                );
            }
            Write::PledgeChanged { record, allocated } => {
                if let Some(pledge) = facts.pledges.get_mut(&record.id) {
                    pledge.quantity = record.quantity;
                    pledge.variants = record
                        .variants
                        .iter()
                        .map(|(label, quantity)| VariantState {
                            label: label.clone(),
                            quantity: *quantity,
                            allocated: crate::decide::allocated_of(allocated, label),
                        })
                        .collect();
                }
            }
            Write::PledgeWithdrawn { pledge, .. } => {
                if let Some(pledge) = facts.pledges.get_mut(pledge) {
                    pledge.withdrawn = true;
                }
            }
            Write::PledgeAllocated {
                pledge,
                variant,
                after,
                ..
            } => {
                if let Some(pledge) = facts.pledges.get_mut(pledge) {
                    pledge.allocated = after.0;
                    if let Some(variant) = pledge
                        .variants
                        .iter_mut()
                        .find(|v| Some(&v.label) == variant.as_ref())
                    {
                        variant.allocated = after.1;
                    }
                }
            }
            Write::NewAllocation(record) => {
                facts.allocations.insert(
                    record.id,
                    AllocationState {
                        pledge: record.pledge,
                        wish: record.wish,
                        variant: record.variant.clone(),
                        quantity: record.quantity,
                        status: AllocationStatus::Allocated,
                    },
                );
            }
            Write::AllocationStatus { allocation, to, .. } => {
                if let Some(allocation) = facts.allocations.get_mut(allocation) {
                    allocation.status = *to;
                }
            }
            Write::AllocationThanks { .. } => {}
            Write::NewCampaign(record) => {
                facts.campaigns.insert(record.id, Some(record.community));
            }
            // Only a drive's community is a fact the rules read.
            Write::CampaignChanged(_) | Write::CampaignEnded { .. } => {}
            Write::PartyMember { user, party_member } => {
                if let Some(user) = facts.users.get_mut(user) {
                    user.party_member = *party_member;
                }
            }
            Write::NewRequest(record) => {
                facts.requests.insert(
                    record.id,
                    RequestState {
                        community: record.community,
                        grid: record.grid.clone(),
                        category: record.category,
                        urgency: record.urgency,
                        status: RequestStatus::Submitted,
                        contact_ok: record.contact_ok,
                        requester: Some(record.requester),
                        handler: None,
                        unit: record.unit.clone(),
                        on_behalf_name: record.on_behalf.as_ref().and_then(|p| p.name.clone()),
                        accepted_at: None,
                        resolved_at: None,
                        wish: None,
                        photos: Vec::new(),
                        reopen_count: 0,
                    },
                );
            }
            Write::RequestMoved {
                request,
                to,
                changes,
                ..
            } => {
                if let Some(request) = facts.requests.get_mut(request) {
                    request.status = *to;
                    let changes = changes.clone();
                    if let Some(handler) = changes.handler {
                        request.handler = handler;
                    }
                    if let Some(at) = changes.accepted_at {
                        request.accepted_at = Some(at);
                    }
                    if let Some(at) = changes.resolved_at {
                        request.resolved_at = at;
                    }
                    if let Some(wish) = changes.wish_id {
                        request.wish = Some(wish);
                    }
                    if let Some(count) = changes.reopen_count {
                        request.reopen_count = count;
                    }
                }
            }
            Write::RequestNote { .. } => {}
            Write::RequestPhoto { request, photo } => {
                if let Some(request) = facts.requests.get_mut(request) {
                    request.photos.push(*photo);
                }
            }
            Write::NoticesRead { user, ids, all } => {
                for (id, notice) in facts.notices.iter_mut() {
                    if notice.user == *user && (*all || ids.contains(id)) {
                        notice.read = true;
                    }
                }
            }
            Write::Reminded { .. } => {}
        }
    }
}
