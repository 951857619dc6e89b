//! The facts a decision needs, gathered once: [`gather`] follows a command's [`Needs`] to
//! everything [`crate::decide`] reads, by one set of rules, from a [`FactSource`] — the
//! server's store (SQL inside the write transaction) or the phone's cache. So both sides
//! decide on the same facts, and a new need is taught to `gather` and to each source once.
//!
//! The rules:
//! - the actor always, and the users the command names;
//! - the claims it names, every claim holding units of the wishes it ends, and the active
//!   house calls of the volunteers it suspends; each claim with its wish;
//! - every wish of the households whose consent it changes, with the claims holding units
//!   of them (a withdrawn consent unpublishes them);
//! - the allocations it names, each with its pledge and its wish;
//! - what the hand-over codes it names stand for (in every community), each claim or
//!   allocation as if named;
//! - the requests it names (in id order), and the buildings it names;
//! - when a community worker acts (households and community scoping are theirs alone): the
//!   household of every wish read, the open requests turned into every wish read (only
//!   workers fulfil wishes, and a wish's fulfilment resolves them), and which community each
//!   grid belongs to. Nobody else's decision reads them, so a donor's claim (the busiest
//!   command) loads none;
//! - which community each grid belongs to also when a building is read (a request is filed
//!   in its building's grid's community) and when a volunteer acts (house calls are booked in
//!   their own community only);
//! - the notices it names (their owner decides whether the actor may mark them);
//! - the communities paired with the actor's, when a shop offers a pledge to a community
//!   ([`Needs::partners`]: it may offer to its own or a paired one);
//! - whom its notices may go to beyond what it reads, where it says so: the givers of every
//!   wish read ([`Needs::givers`]: a fulfilment tells them), the team of the community of
//!   every request and building read ([`Needs::teams`]: a new request, a call, an overdue
//!   one tells them). Only the server tells anyone; a phone's cache may know none of them.
//!
//! What a source does not have (no such thing, or not visible to this device) is simply
//! absent; the decision then refuses as if it did not exist.
//!
//! The server reads its rows `FOR UPDATE` on PostgreSQL, so `gather` asks in one fixed order
//! (users, claims, allocations, pledges, wishes, requests, households, buildings) and two
//! commands lock alike.

use std::collections::{HashMap, HashSet};

use crate::command::Actor;
use crate::decide::{
    AllocationState, ClaimState, Facts, Needs, NoticeState, PledgeState, RequestState, Team,
    UserState, WishState,
};
use crate::handover::{HandoverCode, HandoverTarget};
use crate::ids::{
    AllocationId, BuildingId, CampaignId, ClaimId, CommunityId, GridId, HouseholdId, NoticeId,
    PledgeId, RequestId, UserId, WishId,
};
use crate::model::{Building, Household, Role};

/// Where facts are read from. Each method answers for the ids it finds and leaves out the
/// rest; none decides anything (that is [`gather`]'s and `decide`'s job).
pub trait FactSource {
    type Error;

    fn users(&self, ids: &[UserId]) -> Result<HashMap<UserId, UserState>, Self::Error>;
    fn claims(&self, ids: &[ClaimId]) -> Result<HashMap<ClaimId, ClaimState>, Self::Error>;
    /// The claims holding units of these wishes.
    fn claims_holding_units_of(&self, wishes: &[WishId]) -> Result<Vec<ClaimId>, Self::Error>;
    /// These volunteers' active house calls.
    fn active_house_calls_of(&self, users: &[UserId]) -> Result<Vec<ClaimId>, Self::Error>;
    /// Every wish posted for these households (ids only: nothing is locked).
    fn wishes_of_households(&self, households: &[HouseholdId]) -> Result<Vec<WishId>, Self::Error>;
    fn allocations(
        &self,
        ids: &[AllocationId],
    ) -> Result<HashMap<AllocationId, AllocationState>, Self::Error>;
    fn pledges(&self, ids: &[PledgeId]) -> Result<HashMap<PledgeId, PledgeState>, Self::Error>;
    fn wishes(&self, ids: &[WishId]) -> Result<HashMap<WishId, WishState>, Self::Error>;
    fn households(
        &self,
        ids: &[HouseholdId],
    ) -> Result<HashMap<HouseholdId, Household>, Self::Error>;
    /// Which community every grid belongs to.
    fn grid_communities(&self) -> Result<HashMap<GridId, CommunityId>, Self::Error>;
    /// Which of `ids` name a campaign, each with the community running it.
    fn campaigns(
        &self,
        ids: &[CampaignId],
    ) -> Result<HashMap<CampaignId, Option<CommunityId>>, Self::Error>;
    fn requests(&self, ids: &[RequestId]) -> Result<HashMap<RequestId, RequestState>, Self::Error>;
    /// The open requests (see [`crate::model::RequestStatus::OPEN`]) turned into these wishes.
    fn open_requests_of_wishes(&self, wishes: &[WishId]) -> Result<Vec<RequestId>, Self::Error>;
    fn buildings(&self, ids: &[BuildingId]) -> Result<HashMap<BuildingId, Building>, Self::Error>;
    fn notices(&self, ids: &[NoticeId]) -> Result<HashMap<NoticeId, NoticeState>, Self::Error>;
    /// Who gave to these wishes: the owners of the claims holding their units, and the shops
    /// of their allocations not cancelled.
    fn givers_of_wishes(
        &self,
        wishes: &[WishId],
    ) -> Result<HashMap<WishId, Vec<UserId>>, Self::Error>;
    /// The workers and party-member volunteers of these communities.
    fn teams(&self, communities: &[CommunityId])
        -> Result<HashMap<CommunityId, Team>, Self::Error>;
    /// The communities actively paired with `community` (see [`crate::pairing::partners`]).
    fn partners(&self, community: CommunityId) -> Result<Vec<CommunityId>, Self::Error>;
    /// What these hand-over codes stand for, in any community (ids only: nothing is locked).
    fn handovers(
        &self,
        codes: &[HandoverCode],
    ) -> Result<Vec<(HandoverCode, HandoverTarget)>, Self::Error>;
}

/// Everything a command with `needs`, done by `actor`, reads (see the module's rules).
pub fn gather<S: FactSource>(needs: &Needs, actor: Actor, source: &S) -> Result<Facts, S::Error> {
    let mut user_ids = needs.users.clone();
    user_ids.extend(actor.user_id());
    let users = source.users(&dedup(user_ids))?;

    let mut handovers: HashMap<HandoverCode, Vec<HandoverTarget>> = HashMap::new();
    if !needs.handover_codes.is_empty() {
        for (code, target) in source.handovers(&needs.handover_codes)? {
            handovers.entry(code).or_default().push(target);
        }
    }
    let handed_over = handovers.values().flatten();
    let handover_claims = handed_over.clone().filter_map(|target| match target {
        HandoverTarget::Claim(id) => Some(*id),
        HandoverTarget::Allocation(_) => None,
    });
    let mut allocation_ids = needs.allocations.clone();
    allocation_ids.extend(handed_over.filter_map(|target| match target {
        HandoverTarget::Allocation(id) => Some(*id),
        HandoverTarget::Claim(_) => None,
    }));

    let mut of_wishes = needs.claims_of_wishes.clone();
    let household_wishes = if needs.wishes_of_households.is_empty() {
        Vec::new()
    } else {
        source.wishes_of_households(&needs.wishes_of_households)?
    };
    of_wishes.extend(household_wishes.iter().copied());
    let mut claim_ids = needs.claims.clone();
    claim_ids.extend(handover_claims);
    claim_ids.extend(source.claims_holding_units_of(&dedup(of_wishes))?);
    claim_ids.extend(source.active_house_calls_of(&needs.house_calls_of)?);
    let claims = source.claims(&dedup(claim_ids))?;

    let allocations = source.allocations(&dedup(allocation_ids))?;
    let mut pledge_ids = needs.pledges.clone();
    pledge_ids.extend(allocations.values().map(|allocation| allocation.pledge));
    let pledges = source.pledges(&dedup(pledge_ids))?;

    let mut wish_ids = needs.wishes.clone();
    wish_ids.extend(household_wishes);
    wish_ids.extend(claims.values().map(|claim| claim.wish_id));
    wish_ids.extend(allocations.values().map(|allocation| allocation.wish));
    let wishes = source.wishes(&dedup(wish_ids))?;

    let worker = matches!(
        actor,
        Actor::User {
            role: Role::Worker,
            ..
        }
    );
    let mut request_ids = needs.requests.clone();
    if worker {
        let read: Vec<WishId> = wishes.keys().copied().collect();
        request_ids.extend(source.open_requests_of_wishes(&read)?);
    }
    let mut request_ids = dedup(request_ids);
    request_ids.sort();
    let requests = source.requests(&request_ids)?;

    let mut household_ids = needs.households.clone();
    if worker {
        household_ids.extend(wishes.values().filter_map(|wish| wish.household));
    }
    let households = source.households(&dedup(household_ids))?;
    let buildings = source.buildings(&dedup(needs.buildings.clone()))?;
    // A volunteer books house calls in their own community only: their wish's grid's.
    let volunteer = matches!(
        actor,
        Actor::User {
            role: Role::Volunteer,
            ..
        }
    );
    let grids = if worker || volunteer || needs.grids || !needs.buildings.is_empty() {
        source.grid_communities()?
    } else {
        HashMap::new()
    };
    let givers = if needs.givers {
        let read: Vec<WishId> = wishes.keys().copied().collect();
        source.givers_of_wishes(&read)?
    } else {
        HashMap::new()
    };
    let teams = if needs.teams {
        let mut communities: Vec<CommunityId> =
            requests.values().map(|request| request.community).collect();
        communities.extend(
            buildings
                .values()
                .filter_map(|building| grids.get(&building.grid).copied()),
        );
        source.teams(&dedup(communities))?
    } else {
        HashMap::new()
    };
    let partners = match actor.user_id().and_then(|id| users.get(&id)) {
        Some(me) if needs.partners => match me.community {
            Some(community) => source.partners(community)?,
            None => Vec::new(),
        },
        _ => Vec::new(),
    };
    Ok(Facts {
        wishes,
        claims,
        households,
        users,
        grids,
        campaigns: source.campaigns(&needs.campaigns)?,
        pledges,
        allocations,
        requests,
        buildings,
        notices: source.notices(&dedup(needs.notices.clone()))?,
        givers,
        teams,
        handovers,
        partners,
    })
}

/// `ids` without repeats, in their first order (a source may lock rows as it reads them).
fn dedup<T: Copy + Eq + std::hash::Hash>(ids: Vec<T>) -> Vec<T> {
    let mut seen = HashSet::with_capacity(ids.len());
    ids.into_iter().filter(|id| seen.insert(*id)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ClaimStatus, WishKind, WishStatus};
    use crate::rules::Units;
    use std::cell::RefCell;
    use std::convert::Infallible;

    /// A source that remembers what it was asked.
    #[derive(Default)]
    struct Recorded {
        wishes: HashMap<WishId, WishState>,
        claims: HashMap<ClaimId, ClaimState>,
        households: HashMap<HouseholdId, Household>,
        requests: HashMap<RequestId, RequestState>,
        buildings: HashMap<BuildingId, Building>,
        asked_grids: RefCell<bool>,
        asked_households: RefCell<Vec<HouseholdId>>,
        asked_requests: RefCell<Vec<RequestId>>,
        asked_givers: RefCell<Vec<WishId>>,
        asked_teams: RefCell<Vec<CommunityId>>,
        handovers: Vec<(HandoverCode, HandoverTarget)>,
    }

    impl FactSource for Recorded {
        type Error = Infallible;
        fn users(&self, _: &[UserId]) -> Result<HashMap<UserId, UserState>, Infallible> {
            Ok(HashMap::new())
        }
        fn claims(&self, ids: &[ClaimId]) -> Result<HashMap<ClaimId, ClaimState>, Infallible> {
            Ok(ids
                .iter()
                .filter_map(|id| self.claims.get(id).map(|claim| (*id, *claim)))
                .collect())
        }
        fn claims_holding_units_of(&self, wishes: &[WishId]) -> Result<Vec<ClaimId>, Infallible> {
            Ok(self
                .claims
                .iter()
                .filter(|(_, claim)| wishes.contains(&claim.wish_id))
                .map(|(id, _)| *id)
                .collect())
        }
        fn active_house_calls_of(&self, _: &[UserId]) -> Result<Vec<ClaimId>, Infallible> {
            Ok(Vec::new())
        }
        fn wishes_of_households(
            &self,
            households: &[HouseholdId],
        ) -> Result<Vec<WishId>, Infallible> {
            Ok(self
                .wishes
                .iter()
                .filter(|(_, wish)| wish.household.is_some_and(|h| households.contains(&h)))
                .map(|(id, _)| *id)
                .collect())
        }
        fn allocations(
            &self,
            _: &[AllocationId],
        ) -> Result<HashMap<AllocationId, AllocationState>, Infallible> {
            Ok(HashMap::new())
        }
        fn pledges(&self, _: &[PledgeId]) -> Result<HashMap<PledgeId, PledgeState>, Infallible> {
            Ok(HashMap::new())
        }
        fn wishes(&self, ids: &[WishId]) -> Result<HashMap<WishId, WishState>, Infallible> {
            Ok(ids
                .iter()
                .filter_map(|id| self.wishes.get(id).map(|wish| (*id, wish.clone())))
                .collect())
        }
        fn households(
            &self,
            ids: &[HouseholdId],
        ) -> Result<HashMap<HouseholdId, Household>, Infallible> {
            self.asked_households.borrow_mut().extend(ids);
            Ok(ids
                .iter()
                .filter_map(|id| self.households.get(id).map(|h| (*id, h.clone())))
                .collect())
        }
        fn grid_communities(&self) -> Result<HashMap<GridId, CommunityId>, Infallible> {
            *self.asked_grids.borrow_mut() = true;
            Ok(HashMap::from([(
                GridId::from("grid-1"),
                CommunityId(uuid::Uuid::nil()),
            )]))
        }
        fn campaigns(
            &self,
            _: &[CampaignId],
        ) -> Result<HashMap<CampaignId, Option<CommunityId>>, Infallible> {
            Ok(HashMap::new())
        }
        fn requests(
            &self,
            ids: &[RequestId],
        ) -> Result<HashMap<RequestId, RequestState>, Infallible> {
            self.asked_requests.borrow_mut().extend(ids);
            Ok(ids
                .iter()
                .filter_map(|id| self.requests.get(id).map(|r| (*id, r.clone())))
                .collect())
        }
        fn open_requests_of_wishes(&self, wishes: &[WishId]) -> Result<Vec<RequestId>, Infallible> {
            Ok(self
                .requests
                .iter()
                .filter(|(_, r)| r.status.is_open() && r.wish.is_some_and(|w| wishes.contains(&w)))
                .map(|(id, _)| *id)
                .collect())
        }
        fn buildings(
            &self,
            ids: &[BuildingId],
        ) -> Result<HashMap<BuildingId, Building>, Infallible> {
            Ok(ids
                .iter()
                .filter_map(|id| self.buildings.get(id).map(|b| (*id, b.clone())))
                .collect())
        }
        fn notices(&self, _: &[NoticeId]) -> Result<HashMap<NoticeId, NoticeState>, Infallible> {
            Ok(HashMap::new())
        }
        fn givers_of_wishes(
            &self,
            wishes: &[WishId],
        ) -> Result<HashMap<WishId, Vec<UserId>>, Infallible> {
            self.asked_givers.borrow_mut().extend(wishes);
            Ok(HashMap::new())
        }
        fn teams(
            &self,
            communities: &[CommunityId],
        ) -> Result<HashMap<CommunityId, Team>, Infallible> {
            self.asked_teams.borrow_mut().extend(communities);
            Ok(HashMap::new())
        }
        fn partners(&self, _community: CommunityId) -> Result<Vec<CommunityId>, Infallible> {
            Ok(Vec::new())
        }
        fn handovers(
            &self,
            codes: &[HandoverCode],
        ) -> Result<Vec<(HandoverCode, HandoverTarget)>, Infallible> {
            Ok(self
                .handovers
                .iter()
                .filter(|(code, _)| codes.contains(code))
                .cloned()
                .collect())
        }
    }

    fn world() -> (Recorded, WishId, ClaimId, HouseholdId) {
        let (wish, claim, household) = (
            WishId::generate(),
            ClaimId::generate(),
            HouseholdId::generate(),
        );
        let mut source = Recorded::default();
        source.wishes.insert(
            wish,
            WishState {
                kind: WishKind::Item,
                status: WishStatus::Claimed,
                needed_by: None,
                units: Units::new(1),
                grid: GridId::from("grid-1"),
                household: Some(household),
            },
        );
        source.claims.insert(
            claim,
            ClaimState {
                wish_id: wish,
                owner: UserId::generate(),
                quantity: 1,
                status: ClaimStatus::Active,
                slot: None,
            },
        );
        (source, wish, claim, household)
    }

    fn actor(role: Role) -> Actor {
        Actor::User {
            id: UserId::generate(),
            role,
        }
    }

    #[test]
    fn a_claim_brings_its_wish() {
        let (source, wish, claim, _) = world();
        let needs = Needs {
            claims: vec![claim],
            ..Needs::default()
        };
        let facts = gather(&needs, actor(Role::Donor), &source).unwrap();
        assert!(facts.claims.contains_key(&claim));
        assert!(facts.wishes.contains_key(&wish));
    }

    #[test]
    fn a_hand_over_code_brings_its_claim_and_wish() {
        let (mut source, wish, claim, _) = world();
        let code = HandoverCode::parse("ACDEFG").unwrap();
        source
            .handovers
            .push((code.clone(), HandoverTarget::Claim(claim)));
        let needs = Needs {
            handover_codes: vec![code.clone()],
            ..Needs::default()
        };
        let facts = gather(&needs, actor(Role::Worker), &source).unwrap();
        assert_eq!(facts.handovers[&code], vec![HandoverTarget::Claim(claim)]);
        assert!(facts.claims.contains_key(&claim));
        assert!(facts.wishes.contains_key(&wish));
        let other = Needs {
            handover_codes: vec![HandoverCode::parse("CCCCCC").unwrap()],
            ..Needs::default()
        };
        let facts = gather(&other, actor(Role::Worker), &source).unwrap();
        assert!(facts.handovers.is_empty() && facts.claims.is_empty());
    }

    #[test]
    fn households_and_grids_are_read_for_workers_only() {
        let (source, _, claim, household) = world();
        let needs = Needs {
            claims: vec![claim],
            ..Needs::default()
        };
        let facts = gather(&needs, actor(Role::Donor), &source).unwrap();
        assert!(facts.households.is_empty() && facts.grids.is_empty());
        assert!(!*source.asked_grids.borrow());
        assert!(source.asked_households.borrow().is_empty());

        let facts = gather(&needs, actor(Role::Worker), &source).unwrap();
        assert_eq!(*source.asked_households.borrow(), vec![household]);
        assert!(*source.asked_grids.borrow());
        assert_eq!(facts.grids.len(), 1);
    }

    fn request_for(wish: Option<WishId>) -> RequestState {
        RequestState {
            community: CommunityId(uuid::Uuid::nil()),
            grid: GridId::from("grid-1"),
            category: crate::model::RequestCategory::Help,
            urgency: crate::model::Urgency::Normal,
            status: crate::model::RequestStatus::InProgress,
            contact_ok: false,
            requester: Some(UserId::generate()),
            handler: None,
            unit: None,
            on_behalf_name: None,
            accepted_at: None,
            resolved_at: None,
            wish,
            photos: Vec::new(),
            reopen_count: 0,
        }
    }

    #[test]
    fn a_workers_command_reads_the_open_requests_turned_into_its_wishes() {
        let (mut source, wish, claim, _) = world();
        let linked = RequestId::generate();
        source.requests.insert(linked, request_for(Some(wish)));
        source
            .requests
            .insert(RequestId::generate(), request_for(None));
        let needs = Needs {
            claims: vec![claim],
            ..Needs::default()
        };
        let facts = gather(&needs, actor(Role::Donor), &source).unwrap();
        assert!(
            facts.requests.is_empty(),
            "a donor's claim reads no request"
        );
        let facts = gather(&needs, actor(Role::Worker), &source).unwrap();
        assert_eq!(facts.requests.keys().collect::<Vec<_>>(), vec![&linked]);
    }

    #[test]
    fn requests_are_asked_for_in_id_order_and_a_building_brings_the_grids() {
        let (mut source, ..) = world();
        let building = Building {
            id: BuildingId::generate(),
            name: "32幢".into(),
            grid: GridId::from("grid-1"),
        };
        source.buildings.insert(building.id, building.clone());
        let (a, b) = (RequestId::generate(), RequestId::generate());
        let needs = Needs {
            requests: vec![b, a, b],
            buildings: vec![building.id],
            ..Needs::default()
        };
        let facts = gather(&needs, actor(Role::Resident), &source).unwrap();
        let mut sorted = vec![a, b];
        sorted.sort();
        assert_eq!(*source.asked_requests.borrow(), sorted);
        assert_eq!(facts.buildings[&building.id], building);
        assert_eq!(facts.grids.len(), 1, "the building's community is known");
    }

    #[test]
    fn givers_and_teams_are_read_only_where_a_command_tells_them() {
        let (source, wish, claim, _) = world();
        let confirm = Needs {
            claims: vec![claim],
            givers: true,
            ..Needs::default()
        };
        gather(&confirm, actor(Role::Worker), &source).unwrap();
        assert_eq!(*source.asked_givers.borrow(), vec![wish]);
        let building = Building {
            id: BuildingId::generate(),
            name: "32幢".into(),
            grid: GridId::from("grid-1"),
        };
        let mut source = Recorded::default();
        source.buildings.insert(building.id, building.clone());
        let plain = Needs {
            buildings: vec![building.id],
            ..Needs::default()
        };
        gather(&plain, actor(Role::Resident), &source).unwrap();
        assert!(source.asked_teams.borrow().is_empty());
        assert!(source.asked_givers.borrow().is_empty());
        let filing = Needs {
            teams: true,
            ..plain
        };
        gather(&filing, actor(Role::Resident), &source).unwrap();
        assert_eq!(
            *source.asked_teams.borrow(),
            vec![CommunityId(uuid::Uuid::nil())],
            "the building's community"
        );
    }

    #[test]
    fn a_households_consent_reads_its_wishes_and_their_claims() {
        let (source, wish, claim, household) = world();
        let needs = Needs {
            households: vec![household],
            wishes_of_households: vec![household],
            ..Needs::default()
        };
        let facts = gather(&needs, actor(Role::Worker), &source).unwrap();
        assert_eq!(facts.wishes.keys().collect::<Vec<_>>(), vec![&wish]);
        assert_eq!(facts.claims.keys().collect::<Vec<_>>(), vec![&claim]);
    }

    #[test]
    fn cancelling_a_wish_reads_the_claims_that_hold_its_units() {
        let (source, wish, claim, _) = world();
        let needs = Needs {
            wishes: vec![wish],
            claims_of_wishes: vec![wish],
            ..Needs::default()
        };
        let facts = gather(&needs, actor(Role::Worker), &source).unwrap();
        assert_eq!(facts.claims.keys().collect::<Vec<_>>(), vec![&claim]);
    }
}
