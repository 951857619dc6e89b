//! The store as core's [`FactSource`]: what a command reads, from the rows of the write
//! transaction (locked `FOR UPDATE` on PostgreSQL). Which facts a command needs is core's
//! [`microwish_core::facts::gather`]; this file only says where each kind of fact lives.

use std::collections::HashMap;

use microwish_core::decide::{
    AllocationState, ClaimState, NoticeState, PledgeState, RequestState, Team, UserState, WishState,
};
use microwish_core::facts::FactSource;
use microwish_core::{
    AllocationId, Building, BuildingId, CampaignId, ClaimId, CommunityId, GridId, HandoverCode,
    HandoverTarget, Household, HouseholdId, NoticeId, PledgeId, RequestId, UserId, WishId,
};

use crate::error::ApiError;
use crate::writer::Tx;

/// Facts read inside a write transaction, at the command's time.
pub struct InTx<'a, 'c>(pub &'a Tx<'c>, pub chrono::DateTime<chrono::Utc>);

impl FactSource for InTx<'_, '_> {
    type Error = ApiError;

    fn users(&self, ids: &[UserId]) -> Result<HashMap<UserId, UserState>, ApiError> {
        super::users::states(self.0, ids, self.1)
    }

    fn claims(&self, ids: &[ClaimId]) -> Result<HashMap<ClaimId, ClaimState>, ApiError> {
        super::claims::states(self.0, ids)
    }

    fn claims_holding_units_of(&self, wishes: &[WishId]) -> Result<Vec<ClaimId>, ApiError> {
        super::claims::of_wishes(self.0, wishes)
    }

    fn wishes_of_households(&self, households: &[HouseholdId]) -> Result<Vec<WishId>, ApiError> {
        super::households::wish_ids(self.0, households)
    }

    fn active_house_calls_of(&self, users: &[UserId]) -> Result<Vec<ClaimId>, ApiError> {
        super::claims::house_calls_of(self.0, users)
    }

    fn allocations(
        &self,
        ids: &[AllocationId],
    ) -> Result<HashMap<AllocationId, AllocationState>, ApiError> {
        super::pledges::allocation_states(self.0, ids)
    }

    fn pledges(&self, ids: &[PledgeId]) -> Result<HashMap<PledgeId, PledgeState>, ApiError> {
        super::pledges::states(self.0, ids)
    }

    fn wishes(&self, ids: &[WishId]) -> Result<HashMap<WishId, WishState>, ApiError> {
        super::wishes::states(self.0, ids)
    }

    fn households(&self, ids: &[HouseholdId]) -> Result<HashMap<HouseholdId, Household>, ApiError> {
        super::households::states(self.0, ids)
    }

    fn grid_communities(&self) -> Result<HashMap<GridId, CommunityId>, ApiError> {
        super::community::grid_communities(self.0)
    }

    fn campaigns(
        &self,
        ids: &[CampaignId],
    ) -> Result<HashMap<CampaignId, Option<CommunityId>>, ApiError> {
        super::campaigns::existing(self.0, ids)
    }

    fn requests(&self, ids: &[RequestId]) -> Result<HashMap<RequestId, RequestState>, ApiError> {
        super::requests::states(self.0, ids)
    }

    fn open_requests_of_wishes(&self, wishes: &[WishId]) -> Result<Vec<RequestId>, ApiError> {
        super::requests::open_of_wishes(self.0, wishes)
    }

    fn buildings(&self, ids: &[BuildingId]) -> Result<HashMap<BuildingId, Building>, ApiError> {
        super::community::building_states(self.0, ids)
    }

    fn notices(&self, ids: &[NoticeId]) -> Result<HashMap<NoticeId, NoticeState>, ApiError> {
        super::notices::states(self.0, ids)
    }

    fn givers_of_wishes(
        &self,
        wishes: &[WishId],
    ) -> Result<HashMap<WishId, Vec<UserId>>, ApiError> {
        super::notices::givers_of_wishes(self.0, wishes)
    }

    fn teams(&self, communities: &[CommunityId]) -> Result<HashMap<CommunityId, Team>, ApiError> {
        super::notices::teams(self.0, communities)
    }

    fn handovers(
        &self,
        codes: &[HandoverCode],
    ) -> Result<Vec<(HandoverCode, HandoverTarget)>, ApiError> {
        super::handover::targets(self.0, codes)
    }

    fn partners(&self, community: CommunityId) -> Result<Vec<CommunityId>, ApiError> {
        super::pairings::partners_in(self.0, community)
    }
}
