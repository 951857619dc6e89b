//! The phone's copy of what its user may see, and the optimistic overlay: pending commands
//! are decided by [`crate::decide`] over this copy, exactly as the server will decide them,
//! and their writes carried out here, so the screen shows at once what the server will most
//! likely do. The server stays authoritative: a pull replaces what it brings, and a command
//! the server refuses drops out of the overlay.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::command::{Actor, Command, Policy};
use crate::decide::{
    decide, AllocationState, ClaimState, Context, Decision, Facts, Needs, NoticeState, PledgeState,
    RequestChanges, RequestRecord, RequestState, Team, UserState, VariantState, WishRecord,
    WishState, Write, Written,
};
use crate::error::RuleError;
use crate::facts::{gather, FactSource};
use crate::handover::{HandoverCode, HandoverTarget};
use crate::ids::{
    AllocationId, BuildingId, CampaignId, ClaimId, CommunityId, GridId, HouseholdId, NoticeId,
    PledgeId, RequestId, UserId, WishId,
};
use crate::model::{
    AllocationStatus, AllocationView, Building, CallView, ClaimStatus, ClaimView, Grid, Household,
    Me, Notice, Pledge, PledgeVariant, Progress, PublicCampaign, PublicWish, Request,
    RequestStatus, RequestView, Role, StaffMember, VolunteerView, WishKind,
};
use crate::rules::Units;
use crate::sync::{Change, Op};

/// Everything a phone shows, by kind and id (households, volunteers and staff: workers only).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LocalState {
    pub wishes: HashMap<WishId, PublicWish>,
    pub claims: HashMap<ClaimId, ClaimView>,
    pub campaigns: HashMap<CampaignId, PublicCampaign>,
    pub grids: HashMap<GridId, Grid>,
    pub households: HashMap<HouseholdId, Household>,
    pub volunteers: HashMap<UserId, VolunteerView>,
    /// The shop's own pledges; every pledge for workers.
    pub pledges: HashMap<PledgeId, Pledge>,
    /// The requests its user filed or handles; every request of their community for workers.
    pub requests: HashMap<RequestId, RequestView>,
    /// The open calls for help, for a party-member volunteer.
    pub calls: HashMap<RequestId, CallView>,
    pub buildings: HashMap<BuildingId, Building>,
    /// The community's workers and property staff, for its workers.
    pub staff: HashMap<UserId, StaffMember>,
    /// The user's own notices.
    pub notices: HashMap<NoticeId, Notice>,
}

impl LocalState {
    /// What the cache knows of what `me`'s command needs, by core's one set of rules
    /// ([`crate::facts::gather`]).
    pub fn facts(&self, me: &Me, needs: &Needs) -> Facts {
        let source = Cached { state: self, me };
        match gather(needs, Actor::of(me), &source) {
            Ok(facts) => facts,
            Err(never) => match never {},
        }
    }

    fn active_house_calls(&self, user: UserId) -> impl Iterator<Item = &ClaimView> {
        self.claims.values().filter(move |claim| {
            claim.claimer_id == user
                && claim.status == ClaimStatus::Active
                && claim.wish.kind == WishKind::Service
        })
    }

    fn active_claim_units(&self, user: UserId) -> u32 {
        self.claims
            .values()
            .filter(|claim| {
                claim.claimer_id == user
                    && claim.status == ClaimStatus::Active
                    && claim.wish.kind == WishKind::Item
            })
            .map(|claim| claim.quantity)
            .fold(0, u32::saturating_add)
    }

    /// The household a wish was posted for, as far as a worker's cache knows.
    fn household_of(&self, wish: WishId) -> Option<HouseholdId> {
        self.households
            .values()
            .find(|household| household.wishes.contains(&wish))
            .map(|household| household.id)
    }

    /// A request `me` just filed, as the server will store it.
    fn filed_request(&self, record: &RequestRecord, me: &Me, now: DateTime<Utc>) -> RequestView {
        let request = Request {
            id: record.id,
            community: record.community,
            grid: record.grid.clone(),
            building_id: record.building_id,
            building: self
                .buildings
                .get(&record.building_id)
                .map(|building| building.name.clone())
                .unwrap_or_default(),
            unit: record.unit.clone(),
            place: record.place.clone(),
            category: record.category,
            description: record.description.clone(),
            urgency: record.urgency,
            contact_ok: record.contact_ok,
            channel: record.channel,
            status: RequestStatus::Submitted,
            requester: record.requester,
            requester_name: me.display_name.to_string(),
            requester_phone: me.phone.clone(),
            on_behalf: record.on_behalf.clone(),
            handler: None,
            accept_by: record.accept_by,
            resolve_by: record.resolve_by,
            accepted_at: None,
            resolved_at: None,
            closed_at: None,
            rating: None,
            rating_note: None,
            public_summary: None,
            wish_id: None,
            merged_into: None,
            photos: Vec::new(),
            reopen_count: 0,
            created_at: now,
            updated_at: now,
        };
        // Its requester sees all of it.
        RequestView::of(&request, true, now)
    }

    /// Applies one of `me`'s commands at `now`, decided by core's rules; on a refusal
    /// nothing changes.
    pub fn apply(
        &mut self,
        me: &Me,
        command: &Command,
        now: DateTime<Utc>,
        policy: Policy,
    ) -> Result<Decision, RuleError> {
        let ctx = Context {
            actor: Actor::of(me),
            now,
            policy,
        };
        let decision = decide(command, &self.facts(me, &command.needs()), &ctx)?;
        self.carry_out(&decision, me, now);
        Ok(decision)
    }

    fn carry_out(&mut self, decision: &Decision, me: &Me, now: DateTime<Utc>) {
        for write in &decision.writes {
            match write {
                Write::WishCounts { wish, after, .. } => {
                    if let Some(wish) = self.wishes.get_mut(wish) {
                        wish.status = after.status;
                        wish.quantity = after.units.quantity;
                        wish.claimed = after.units.claimed;
                        wish.delivered = after.units.delivered;
                        wish.fulfilled = after.units.fulfilled;
                        wish.remaining = after.units.remaining();
                        wish.updated_at = now;
                    }
                }
                Write::NewWish(record) => {
                    let wish = self.public_wish(record, now);
                    self.wishes.insert(record.id, wish);
                    if let Some(household) = self.households.get_mut(&record.household) {
                        household.wishes.push(record.id);
                    }
                }
                Write::WishFields { wish, changes } => {
                    let station = changes
                        .station
                        .as_ref()
                        .and_then(|id| self.grids.get(id))
                        .cloned();
                    let campaign = changes.campaign_id.map(|id| {
                        id.and_then(|id| self.campaigns.get(&id))
                            .map(|c| c.title.clone())
                    });
                    if let Some(wish) = self.wishes.get_mut(wish) {
                        let changes = changes.clone();
                        wish.title = changes.title.unwrap_or(wish.title.clone());
                        wish.description = changes.description.unwrap_or(wish.description.clone());
                        wish.category = changes.category.unwrap_or(wish.category);
                        wish.unit = changes.unit.unwrap_or(wish.unit.clone());
                        wish.alias = changes.alias.unwrap_or(wish.alias.clone());
                        wish.group = changes.group.unwrap_or(wish.group);
                        if let Some(grid) = station {
                            wish.station = grid.station;
                            wish.station_location = grid.station_location;
                        }
                        if let Some(needed_by) = changes.needed_by {
                            wish.needed_by = needed_by;
                        }
                        if let Some(campaign_id) = changes.campaign_id {
                            wish.campaign_id = campaign_id;
                            wish.campaign_title = campaign.flatten();
                        }
                        wish.updated_at = now;
                    }
                }
                Write::NewClaim(new) => {
                    let Some(wish) = self.wishes.get(&new.wish_id).cloned() else {
                        continue;
                    };
                    self.claims.insert(
                        new.id,
                        ClaimView {
                            id: new.id,
                            wish_id: new.wish_id,
                            quantity: new.quantity,
                            status: ClaimStatus::Active,
                            note: new.note.clone(),
                            created_at: now,
                            updated_at: now,
                            hold_until: new.hold_until,
                            slot_start: new.slot.map(|(start, _)| start),
                            slot_end: new.slot.map(|(_, end)| end),
                            reject_reason: None,
                            claimer_id: me.id,
                            claimer_name: me.display_name.to_string(),
                            claimer_role: me.role,
                            claimer_phone: None,
                            thanks: None,
                            // The server derives it with its key: it comes with the next pull.
                            handover_code: None,
                            wish,
                            // The household's contact comes from the server, never from here.
                            contact: None,
                        },
                    );
                }
                Write::ClaimStatus {
                    claim, to, reason, ..
                } => {
                    if let Some(claim) = self.claims.get_mut(claim) {
                        claim.status = *to;
                        claim.updated_at = now;
                        if reason.is_some() {
                            claim.reject_reason.clone_from(reason);
                        }
                        // A house call's address is shown only while the claim is active.
                        if *to != ClaimStatus::Active {
                            claim.contact = None;
                        }
                    }
                }
                Write::Thanks { claim, text } => {
                    if let Some(claim) = self.claims.get_mut(claim) {
                        claim.thanks = Some(text.clone());
                    }
                }
                Write::ClaimQuantity { claim, after, .. } => {
                    if let Some(claim) = self.claims.get_mut(claim) {
                        claim.quantity = *after;
                        claim.updated_at = now;
                    }
                }
                Write::PutHousehold { household, .. } => {
                    self.households.insert(household.id, household.clone());
                }
                Write::EraseHousehold { household } => {
                    self.households.remove(household);
                }
                Write::VolunteerStatus { user, to, note, .. } => {
                    if let Some(volunteer) = self.volunteers.get_mut(user) {
                        volunteer.status = *to;
                        volunteer.note.clone_from(note);
                        volunteer.vetted_at = Some(now);
                        volunteer.vetted_by = Some(me.display_name.to_string());
                    }
                }
                Write::NewPledge(record) => {
                    self.pledges.insert(
                        record.id,
                        Pledge {
                            id: record.id,
                            shop: record.shop,
                            shop_name: me.display_name.to_string(),
                            title: record.title.clone(),
                            category: record.category,
                            quantity: record.quantity,
                            unit: record.unit.clone(),
                            variants: record
                                .variants
                                .iter()
                                .map(|(label, quantity)| PledgeVariant {
                                    label: label.clone(),
                                    quantity: *quantity,
                                    allocated: 0,
                                })
                                .collect(),
                            available_from: record.available_from,
                            yearly: record.yearly,
                            note: record.note.clone(),
                            allocated: 0,
                            delivered: 0,
                            confirmed: 0,
                            remaining: record.quantity,
                            allocations: Vec::new(),
                            created_at: now,
                            community_id: record.community,
                            withdrawn_at: None,
                        },
                    );
                }
                Write::PledgeChanged { record, allocated } => {
                    if let Some(pledge) = self.pledges.get_mut(&record.id) {
                        pledge.title.clone_from(&record.title);
                        pledge.category = record.category;
                        pledge.quantity = record.quantity;
                        pledge.unit.clone_from(&record.unit);
                        pledge.variants = record
                            .variants
                            .iter()
                            .map(|(label, quantity)| PledgeVariant {
                                label: label.clone(),
                                quantity: *quantity,
                                allocated: crate::decide::allocated_of(allocated, label),
                            })
                            .collect();
                        pledge.available_from = record.available_from;
                        pledge.yearly = record.yearly;
                        pledge.note.clone_from(&record.note);
                        pledge.recount();
                    }
                }
                Write::PledgeWithdrawn { pledge, at } => {
                    if let Some(pledge) = self.pledges.get_mut(pledge) {
                        pledge.withdrawn_at = Some(*at);
                        pledge.recount();
                    }
                }
                Write::PledgeAllocated {
                    pledge,
                    variant,
                    after,
                    ..
                } => {
                    if let Some(pledge) = self.pledges.get_mut(pledge) {
                        pledge.allocated = after.0;
                        pledge.recount();
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
                    let wish = self.wishes.get(&record.wish).cloned();
                    if let (Some(pledge), Some(wish)) = (self.pledges.get_mut(&record.pledge), wish)
                    {
                        pledge.allocations.push(AllocationView {
                            id: record.id,
                            pledge_id: record.pledge,
                            wish_id: record.wish,
                            wish_title: wish.title,
                            alias: wish.alias,
                            grid: wish.grid,
                            grid_name: wish.grid_name,
                            station: wish.station,
                            variant: record.variant.clone(),
                            quantity: record.quantity,
                            status: AllocationStatus::Allocated,
                            thanks: None,
                            handover_code: None,
                            created_at: now,
                            updated_at: now,
                        });
                    }
                }
                Write::AllocationStatus { allocation, to, .. } => {
                    for pledge in self.pledges.values_mut() {
                        if let Some(found) =
                            pledge.allocations.iter_mut().find(|a| a.id == *allocation)
                        {
                            found.status = *to;
                            found.updated_at = now;
                            pledge.recount();
                        }
                    }
                }
                Write::AllocationThanks { allocation, text } => {
                    for pledge in self.pledges.values_mut() {
                        if let Some(found) =
                            pledge.allocations.iter_mut().find(|a| a.id == *allocation)
                        {
                            found.thanks = Some(text.clone());
                        }
                    }
                }
                Write::NewCampaign(record) => {
                    self.campaigns.insert(
                        record.id,
                        PublicCampaign {
                            id: record.id,
                            title: record.title.clone(),
                            description: record.description.clone(),
                            goal: record.goal,
                            unit: record.unit.clone(),
                            starts_on: Some(record.starts_on),
                            ends_on: Some(record.ends_on),
                            progress: Progress::default(),
                            created_at: now,
                            community_id: Some(record.community),
                            ended_at: None,
                        },
                    );
                }
                Write::CampaignChanged(record) => {
                    if let Some(campaign) = self.campaigns.get_mut(&record.id) {
                        campaign.title.clone_from(&record.title);
                        campaign.description.clone_from(&record.description);
                        campaign.goal = record.goal;
                        campaign.unit.clone_from(&record.unit);
                        campaign.starts_on = Some(record.starts_on);
                        campaign.ends_on = Some(record.ends_on);
                    }
                }
                Write::CampaignEnded { campaign, at } => {
                    if let Some(campaign) = self.campaigns.get_mut(campaign) {
                        campaign.ended_at.get_or_insert(*at);
                    }
                }
                Write::PartyMember { user, party_member } => {
                    if let Some(volunteer) = self.volunteers.get_mut(user) {
                        volunteer.party_member = *party_member;
                    }
                }
                Write::NewRequest(record) => {
                    let request = self.filed_request(record, me, now);
                    self.requests.insert(record.id, request);
                }
                Write::RequestMoved {
                    request,
                    to,
                    changes,
                    ..
                } => {
                    if let Some(view) = self.requests.get_mut(request) {
                        moved(view, *to, changes, now);
                    }
                    // A call this volunteer took shows as theirs until the pull brings it.
                    if let Some(call) = self.calls.get_mut(request) {
                        call.status = *to;
                    }
                }
                Write::RequestNote { request, .. } => {
                    if let Some(view) = self.requests.get_mut(request) {
                        view.updated_at = now;
                    }
                }
                Write::RequestPhoto { request, photo } => {
                    if let Some(view) = self.requests.get_mut(request) {
                        view.photos.push(*photo);
                        view.updated_at = now;
                    }
                }
                Write::NoticesRead { user, ids, all } => {
                    for notice in self.notices.values_mut() {
                        let named = *all || ids.contains(&notice.id);
                        if notice.user == *user && named && notice.read_at.is_none() {
                            notice.read_at = Some(now);
                        }
                    }
                }
                // The system's alone.
                Write::Reminded { .. } => {}
            }
        }
    }

    /// A wish a worker just posted, as the public will see it.
    fn public_wish(&self, record: &WishRecord, now: DateTime<Utc>) -> PublicWish {
        let grid = self.grids.get(&record.grid);
        let station = self.grids.get(&record.station).or(grid);
        PublicWish {
            id: record.id,
            kind: record.kind,
            title: record.title.clone(),
            description: record.description.clone(),
            category: record.category,
            status: record.status,
            quantity: record.quantity,
            remaining: Units::new(record.quantity).remaining(),
            claimed: 0,
            delivered: 0,
            fulfilled: 0,
            unit: record.unit.clone(),
            alias: record.alias.clone(),
            group: record.group,
            grid: record.grid.clone(),
            grid_name: grid.map(|grid| grid.name.clone()).unwrap_or_default(),
            station: station.map(|grid| grid.station.clone()).unwrap_or_default(),
            station_location: station
                .map(|grid| grid.station_location.clone())
                .unwrap_or_default(),
            needed_by: record.needed_by,
            campaign_id: record.campaign_id,
            campaign_title: record
                .campaign_id
                .and_then(|id| self.campaigns.get(&id))
                .map(|campaign| campaign.title.clone()),
            created_at: now,
            updated_at: now,
        }
    }

    /// Takes in one change the server sent.
    pub fn apply_change(&mut self, change: &Change) {
        match change {
            Change::Wish { id, op, data } => put(&mut self.wishes, *id, *op, data),
            Change::Claim { id, op, data } => {
                let data = data.as_deref().cloned();
                put(&mut self.claims, *id, *op, &data)
            }
            Change::Campaign { id, op, data } => put(&mut self.campaigns, *id, *op, data),
            Change::Grid { id, op, data } => put(&mut self.grids, id.clone(), *op, data),
            Change::Household { id, op, data } => {
                let data = data.as_deref().cloned();
                put(&mut self.households, *id, *op, &data)
            }
            Change::Volunteer { id, op, data } => put(&mut self.volunteers, *id, *op, data),
            Change::Pledge { id, op, data } => {
                let data = data.as_deref().cloned();
                put(&mut self.pledges, *id, *op, &data)
            }
            Change::Request { id, op, data } => {
                let data = data.as_deref().cloned();
                put(&mut self.requests, *id, *op, &data)
            }
            Change::Call { id, op, data } => put(&mut self.calls, *id, *op, data),
            Change::Building { id, op, data } => put(&mut self.buildings, *id, *op, data),
            Change::Staff { id, op, data } => put(&mut self.staff, *id, *op, data),
            Change::Notice { id, op, data } => put(&mut self.notices, *id, *op, data),
        }
    }

    /// Makes the entries of `source` for what `written` names this state's entries too (or
    /// removes them where `source` has none): how an overlay is taken back to what was pulled.
    pub fn restore_from(&mut self, source: &LocalState, written: &Written) {
        for id in &written.wishes {
            copy_entry(&mut self.wishes, &source.wishes, id);
        }
        for id in &written.claims {
            copy_entry(&mut self.claims, &source.claims, id);
        }
        for id in &written.households {
            copy_entry(&mut self.households, &source.households, id);
        }
        for id in &written.volunteers {
            copy_entry(&mut self.volunteers, &source.volunteers, id);
        }
        for id in &written.pledges {
            copy_entry(&mut self.pledges, &source.pledges, id);
        }
        for id in &written.campaigns {
            copy_entry(&mut self.campaigns, &source.campaigns, id);
        }
        for id in &written.requests {
            copy_entry(&mut self.requests, &source.requests, id);
            copy_entry(&mut self.calls, &source.calls, id);
        }
        if written.all_notices {
            self.notices = source.notices.clone();
        }
        for id in &written.notices {
            copy_entry(&mut self.notices, &source.notices, id);
        }
    }
}

/// A request's view after it moved to `to` with `changes`, at `now`.
fn moved(view: &mut RequestView, to: RequestStatus, changes: &RequestChanges, now: DateTime<Utc>) {
    let changes = changes.clone();
    view.status = to;
    if let Some(handler) = changes.handler {
        view.handler = handler;
    }
    if let Some(at) = changes.accepted_at {
        view.accepted_at = Some(at);
    }
    if let Some(at) = changes.resolved_at {
        view.resolved_at = at;
    }
    if let Some(at) = changes.closed_at {
        view.closed_at = Some(at);
    }
    if let Some((rating, note)) = changes.rating {
        view.rating = Some(rating);
        view.rating_note = note;
    }
    if let Some(summary) = changes.public_summary {
        view.public_summary = summary;
    }
    if let Some(wish) = changes.wish_id {
        view.wish_id = Some(wish);
    }
    if let Some(into) = changes.merged_into {
        view.merged_into = Some(into);
    }
    if let Some(count) = changes.reopen_count {
        view.reopen_count = count;
    }
    view.updated_at = now;
    view.overdue = view.overdue(now).is_some();
}

/// The phone's cache as a source of facts: what its user may see, and nothing more (a
/// donor's cache has no households, so a decision reads none).
struct Cached<'a> {
    state: &'a LocalState,
    me: &'a Me,
}

impl Cached<'_> {
    fn user_state(&self, id: UserId) -> Option<UserState> {
        let me = self.me;
        let (role, volunteer, community, party_member) = if id == me.id {
            (me.role, me.volunteer_status, me.community, me.party_member)
        } else if let Some(volunteer) = self.state.volunteers.get(&id) {
            // Other users a worker's phone knows: the volunteers they vet (the pull brings
            // their own community's only, so a cached volunteer is of the worker's community) …
            (
                Role::Volunteer,
                Some(volunteer.status),
                me.community,
                volunteer.party_member,
            )
        } else {
            // … and their community's staff, to dispatch requests to.
            let staff = self.state.staff.get(&id)?;
            (staff.role, None, Some(staff.community), false)
        };
        Some(UserState {
            role,
            volunteer,
            party_member,
            community,
            active_house_calls: count(self.state.active_house_calls(id).count()),
            active_claim_units: self.state.active_claim_units(id),
            // The server counts these; the phone cannot (its refusal comes back from the push).
            homes_revealed_today: 0,
            phone_verified: id == me.id && me.phone_verified,
        })
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl FactSource for Cached<'_> {
    type Error = std::convert::Infallible;

    fn users(&self, ids: &[UserId]) -> Result<HashMap<UserId, UserState>, Self::Error> {
        Ok(ids
            .iter()
            .filter_map(|id| Some((*id, self.user_state(*id)?)))
            .collect())
    }

    fn claims(&self, ids: &[ClaimId]) -> Result<HashMap<ClaimId, ClaimState>, Self::Error> {
        Ok(ids
            .iter()
            .filter_map(|id| {
                let claim = self.state.claims.get(id)?;
                let state = ClaimState {
                    wish_id: claim.wish_id,
                    owner: claim.claimer_id,
                    quantity: claim.quantity,
                    status: claim.status,
                    slot: claim.slot_start.zip(claim.slot_end),
                };
                Some((*id, state))
            })
            .collect())
    }

    fn claims_holding_units_of(&self, wishes: &[WishId]) -> Result<Vec<ClaimId>, Self::Error> {
        Ok(self
            .state
            .claims
            .values()
            .filter(|claim| wishes.contains(&claim.wish_id) && claim.status.holds_units())
            .map(|claim| claim.id)
            .collect())
    }

    fn wishes_of_households(&self, households: &[HouseholdId]) -> Result<Vec<WishId>, Self::Error> {
        Ok(households
            .iter()
            .filter_map(|id| self.state.households.get(id))
            .flat_map(|household| household.wishes.iter().copied())
            .collect())
    }

    fn active_house_calls_of(&self, users: &[UserId]) -> Result<Vec<ClaimId>, Self::Error> {
        Ok(users
            .iter()
            .flat_map(|user| self.state.active_house_calls(*user))
            .map(|claim| claim.id)
            .collect())
    }

    fn allocations(
        &self,
        ids: &[AllocationId],
    ) -> Result<HashMap<AllocationId, AllocationState>, Self::Error> {
        Ok(self
            .state
            .pledges
            .values()
            .flat_map(|pledge| &pledge.allocations)
            .filter(|allocation| ids.contains(&allocation.id))
            .map(|allocation| {
                let state = AllocationState {
                    pledge: allocation.pledge_id,
                    wish: allocation.wish_id,
                    variant: allocation.variant.clone(),
                    quantity: allocation.quantity,
                    status: allocation.status,
                };
                (allocation.id, state)
            })
            .collect())
    }

    fn pledges(&self, ids: &[PledgeId]) -> Result<HashMap<PledgeId, PledgeState>, Self::Error> {
        Ok(ids
            .iter()
            .filter_map(|id| Some((*id, PledgeState::of(self.state.pledges.get(id)?))))
            .collect())
    }

    fn wishes(&self, ids: &[WishId]) -> Result<HashMap<WishId, WishState>, Self::Error> {
        Ok(ids
            .iter()
            .filter_map(|id| {
                // A claim keeps a copy of its wish, for when the wish itself is not listed.
                let wish = self.state.wishes.get(id).or_else(|| {
                    self.state
                        .claims
                        .values()
                        .find(|claim| claim.wish_id == *id)
                        .map(|claim| &claim.wish)
                })?;
                Some((*id, WishState::of(wish, self.state.household_of(*id))))
            })
            .collect())
    }

    fn households(
        &self,
        ids: &[HouseholdId],
    ) -> Result<HashMap<HouseholdId, Household>, Self::Error> {
        Ok(ids
            .iter()
            .filter_map(|id| Some((*id, self.state.households.get(id)?.clone())))
            .collect())
    }

    fn grid_communities(&self) -> Result<HashMap<GridId, CommunityId>, Self::Error> {
        Ok(self
            .state
            .grids
            .values()
            .map(|grid| (grid.id.clone(), grid.community))
            .collect())
    }

    fn campaigns(
        &self,
        ids: &[CampaignId],
    ) -> Result<HashMap<CampaignId, Option<CommunityId>>, Self::Error> {
        Ok(ids
            .iter()
            .filter_map(|id| Some((*id, self.state.campaigns.get(id)?.community_id)))
            .collect())
    }

    fn requests(&self, ids: &[RequestId]) -> Result<HashMap<RequestId, RequestState>, Self::Error> {
        Ok(ids
            .iter()
            .filter_map(|id| {
                if let Some(view) = self.state.requests.get(id) {
                    return Some((*id, RequestState::of(view)));
                }
                // A call a volunteer's phone holds: its community is its grid's.
                let call = self.state.calls.get(id)?;
                let community = self.state.grids.get(&call.grid)?.community;
                Some((*id, RequestState::of_call(call, community)))
            })
            .collect())
    }

    fn open_requests_of_wishes(&self, wishes: &[WishId]) -> Result<Vec<RequestId>, Self::Error> {
        Ok(self
            .state
            .requests
            .values()
            .filter(|request| {
                request.status.is_open() && request.wish_id.is_some_and(|w| wishes.contains(&w))
            })
            .map(|request| request.id)
            .collect())
    }

    fn buildings(&self, ids: &[BuildingId]) -> Result<HashMap<BuildingId, Building>, Self::Error> {
        Ok(ids
            .iter()
            .filter_map(|id| Some((*id, self.state.buildings.get(id)?.clone())))
            .collect())
    }

    fn notices(&self, ids: &[NoticeId]) -> Result<HashMap<NoticeId, NoticeState>, Self::Error> {
        Ok(ids
            .iter()
            .filter_map(|id| {
                let notice = self.state.notices.get(id)?;
                let state = NoticeState {
                    user: notice.user,
                    read: notice.read_at.is_some(),
                };
                Some((*id, state))
            })
            .collect())
    }

    // Whom to tell is the server's alone: a phone tells nobody.
    fn givers_of_wishes(
        &self,
        _wishes: &[WishId],
    ) -> Result<HashMap<WishId, Vec<UserId>>, Self::Error> {
        Ok(HashMap::new())
    }

    fn teams(
        &self,
        _communities: &[CommunityId],
    ) -> Result<HashMap<CommunityId, Team>, Self::Error> {
        Ok(HashMap::new())
    }

    /// The pull brings the user's own community's partners with `me`: a shop's offline pledge
    /// to a paired community is decided as the server will.
    fn partners(&self, community: CommunityId) -> Result<Vec<CommunityId>, Self::Error> {
        Ok(if self.me.community == Some(community) {
            self.me.partner_communities.clone()
        } else {
            Vec::new()
        })
    }

    /// A worker's phone checks a code against the claims and allocations it holds: offline
    /// at the station, the same answer as the server's.
    fn handovers(
        &self,
        codes: &[HandoverCode],
    ) -> Result<Vec<(HandoverCode, HandoverTarget)>, Self::Error> {
        let claims = self.state.claims.values().filter_map(|claim| {
            let code = claim.handover_code.as_ref()?;
            Some((code.clone(), HandoverTarget::Claim(claim.id)))
        });
        let allocations = self
            .state
            .pledges
            .values()
            .flat_map(|pledge| &pledge.allocations)
            .filter_map(|allocation| {
                let code = allocation.handover_code.as_ref()?;
                Some((code.clone(), HandoverTarget::Allocation(allocation.id)))
            });
        Ok(claims
            .chain(allocations)
            .filter(|(code, _)| codes.contains(code))
            .collect())
    }
}

impl PledgeState {
    /// What the rules need of a pledge a phone holds.
    pub fn of(pledge: &Pledge) -> PledgeState {
        PledgeState {
            shop: pledge.shop,
            community: pledge.community_id,
            quantity: pledge.quantity,
            allocated: pledge.allocated,
            variants: pledge
                .variants
                .iter()
                .map(|variant| VariantState {
                    label: variant.label.clone(),
                    quantity: variant.quantity,
                    allocated: variant.allocated,
                })
                .collect(),
            withdrawn: pledge.withdrawn_at.is_some(),
        }
    }
}

fn copy_entry<K: std::hash::Hash + Eq + Clone, V: Clone>(
    to: &mut HashMap<K, V>,
    from: &HashMap<K, V>,
    key: &K,
) {
    match from.get(key) {
        Some(value) => {
            to.insert(key.clone(), value.clone());
        }
        None => {
            to.remove(key);
        }
    }
}

fn put<K: std::hash::Hash + Eq, V: Clone>(
    map: &mut HashMap<K, V>,
    key: K,
    op: Op,
    data: &Option<V>,
) {
    match (op, data) {
        (Op::Put, Some(value)) => {
            map.insert(key, value.clone());
        }
        _ => {
            map.remove(&key);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::command::{ClaimRef, ClaimWish};
    use crate::ids::{DisplayName, GridId, Phone, UserId};
    use crate::model::{BeneficiaryGroup, Category, Role, WishKind, WishStatus};
    use crate::ProblemCode;
    use chrono::TimeZone;

    pub fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 7, 1, 2, 0, 0).unwrap()
    }

    pub fn me(role: Role) -> Me {
        Me {
            id: UserId::generate(),
            display_name: DisplayName::parse("张先生").unwrap(),
            phone: Phone::parse("13912345678").unwrap(),
            role,
            volunteer_minutes: 0,
            volunteer_status: (role == Role::Volunteer)
                .then_some(crate::model::VolunteerStatus::Approved),
            party_member: false,
            community: (role == Role::Worker).then_some(COMMUNITY),
            partner_communities: Vec::new(),
            phone_verified: false,
            volunteer_reason: None,
        }
    }

    pub fn public_wish(quantity: u32) -> PublicWish {
        PublicWish {
            id: WishId::generate(),
            kind: WishKind::Item,
            title: "书包".into(),
            description: String::new(),
            category: Category::School,
            status: WishStatus::Open,
            quantity,
            remaining: quantity,
            claimed: 0,
            delivered: 0,
            fulfilled: 0,
            unit: "个".into(),
            alias: "小娟".into(),
            group: BeneficiaryGroup::ChildInDifficulty,
            grid: GridId::from("grid-1"),
            grid_name: "第一网格".into(),
            station: "第一网格驿站".into(),
            station_location: "6幢".into(),
            needed_by: None,
            campaign_id: None,
            campaign_title: None,
            created_at: now(),
            updated_at: now(),
        }
    }

    pub fn claim(wish: WishId, quantity: i64) -> (ClaimId, Command) {
        let id = ClaimId::generate();
        let command = Command::ClaimWish(ClaimWish {
            id,
            wish_id: wish,
            quantity,
            note: None,
            slot_start: None,
            slot_end: None,
        });
        (id, command)
    }

    /// The community of the tests' workers and of grid-1.
    pub const COMMUNITY: crate::ids::CommunityId =
        crate::ids::CommunityId(uuid::Uuid::from_u128(1));

    pub fn grid() -> Grid {
        Grid {
            id: GridId::from("grid-1"),
            community: COMMUNITY,
            name: "第一网格".into(),
            station: "第一网格驿站".into(),
            station_location: "6幢".into(),
            station_hours: String::new(),
            station_contact: String::new(),
            station_phone: String::new(),
        }
    }

    fn state_with(wish: &PublicWish) -> LocalState {
        let mut state = LocalState::default();
        state.wishes.insert(wish.id, wish.clone());
        state.grids.insert(grid().id, grid());
        state
    }

    const HOLD: Policy = Policy {
        hold: crate::command::HoldPolicy {
            item: chrono::Duration::days(3),
            after_slot: chrono::Duration::days(1),
        },
        max_house_calls: 3,
        max_claim_units: 20,
        unverified_claim_units: None,
        requests: crate::model::RequestLimits {
            accept_urgent: chrono::Duration::minutes(30),
            accept_normal: chrono::Duration::hours(4),
            resolve_urgent: chrono::Duration::hours(24),
            resolve_normal: chrono::Duration::hours(72),
            resolve_suggestion: chrono::Duration::days(7),
            answer: chrono::Duration::days(7),
        },
        sms: false,
    };

    #[test]
    fn a_pending_claim_shows_at_once_with_the_servers_hold() {
        let wish = public_wish(2);
        let mut state = state_with(&wish);
        let donor = me(Role::Donor);
        let (claim_id, command) = claim(wish.id, 2);
        state.apply(&donor, &command, now(), HOLD).unwrap();
        let shown = &state.wishes[&wish.id];
        assert_eq!((shown.remaining, shown.status), (0, WishStatus::Claimed));
        let pending = &state.claims[&claim_id];
        assert_eq!(pending.status, ClaimStatus::Active);
        assert_eq!(pending.claimer_id, donor.id);
        assert_eq!(pending.hold_until, now() + chrono::Duration::days(3));
    }

    #[test]
    fn only_the_owner_delivers_and_only_workers_confirm() {
        let wish = public_wish(1);
        let mut state = state_with(&wish);
        let donor = me(Role::Donor);
        let (claim_id, command) = claim(wish.id, 1);
        state.apply(&donor, &command, now(), HOLD).unwrap();
        let deliver = Command::MarkDelivered(ClaimRef { claim_id });
        let refusal = state
            .apply(&me(Role::Donor), &deliver, now(), HOLD)
            .unwrap_err();
        assert_eq!(refusal.code(), ProblemCode::ClaimNotYours);
        let confirm = Command::ConfirmClaim(crate::command::ConfirmClaim {
            claim_id,
            minutes: None,
        });
        let refusal = state.apply(&donor, &confirm, now(), HOLD).unwrap_err();
        assert_eq!(refusal.code(), ProblemCode::Forbidden);
        state.apply(&donor, &deliver, now(), HOLD).unwrap();
        state
            .apply(&me(Role::Worker), &confirm, now(), HOLD)
            .unwrap();
        assert_eq!(state.wishes[&wish.id].status, WishStatus::Fulfilled);
    }

    #[test]
    fn a_workers_close_shows_at_once_and_only_on_a_fulfilled_wish() {
        let wish = public_wish(1);
        let mut state = state_with(&wish);
        let worker = me(Role::Worker);
        let close = Command::CloseWish(crate::command::CloseWish { wish_id: wish.id });
        let refusal = state.apply(&worker, &close, now(), HOLD).unwrap_err();
        assert_eq!(refusal.code(), ProblemCode::InvalidState);
        let (claim_id, command) = claim(wish.id, 1);
        state
            .apply(&me(Role::Donor), &command, now(), HOLD)
            .unwrap();
        let confirm = Command::ConfirmClaim(crate::command::ConfirmClaim {
            claim_id,
            minutes: None,
        });
        state.apply(&worker, &confirm, now(), HOLD).unwrap();
        state.apply(&worker, &close, now(), HOLD).unwrap();
        assert_eq!(state.wishes[&wish.id].status, WishStatus::Closed);
    }

    #[test]
    fn restoring_takes_an_overlay_back_to_what_was_pulled() {
        let wish = public_wish(1);
        let base = state_with(&wish);
        let mut view = base.clone();
        let (claim_id, command) = claim(wish.id, 1);
        let decision = view.apply(&me(Role::Donor), &command, now(), HOLD).unwrap();
        view.restore_from(&base, &decision.written());
        assert_eq!(view, base);
        assert!(!view.claims.contains_key(&claim_id));
    }
}

#[cfg(test)]
mod request_tests {
    use super::tests::{claim, grid, me, now, public_wish, COMMUNITY};
    use super::*;
    use crate::command::{
        ConfirmClaim, NewRequest, RequestConversion, RequestDispatch, RequestRef,
    };
    use crate::ids::Phone;
    use crate::model::{Handler, HandlerKind, RequestCategory, Urgency};
    use crate::ProblemCode;

    fn policy() -> Policy {
        Policy::default()
    }

    fn building() -> Building {
        Building {
            id: BuildingId(uuid::Uuid::from_u128(32)),
            name: "星怡花园32幢".into(),
            grid: GridId::from("grid-1"),
        }
    }

    fn cache() -> LocalState {
        let mut state = LocalState::default();
        state.grids.insert(grid().id, grid());
        state.buildings.insert(building().id, building());
        state
    }

    fn resident() -> Me {
        Me {
            community: Some(COMMUNITY),
            ..me(Role::Resident)
        }
    }

    fn filing() -> NewRequest {
        NewRequest {
            id: RequestId::generate(),
            category: RequestCategory::Repair,
            description: "楼道灯坏了".into(),
            building_id: building().id,
            unit: None,
            place: Some("3楼".into()),
            urgency: Urgency::Urgent,
            contact_ok: true,
            channel: None,
            on_behalf: None,
        }
    }

    #[test]
    fn a_request_filed_offline_shows_at_once_with_its_limits() {
        let mut state = cache();
        let me = resident();
        let new = filing();
        state
            .apply(&me, &Command::FileRequest(new.clone()), now(), policy())
            .unwrap();
        let shown = &state.requests[&new.id];
        assert_eq!(shown.status, RequestStatus::Submitted);
        assert_eq!((shown.community, &shown.grid), (COMMUNITY, &grid().id));
        assert_eq!(shown.accept_by, now() + chrono::Duration::minutes(30));
        assert_eq!(shown.requester, me.id);
        assert_eq!(shown.contact.as_ref().unwrap().phone, me.phone.as_str());
        // A building the phone does not know is refused on the phone as on the server.
        let mut elsewhere = filing();
        elsewhere.building_id = BuildingId::generate();
        assert!(state
            .apply(&me, &Command::FileRequest(elsewhere), now(), policy())
            .is_err());
    }

    /// A party member's phone holding one open call.
    fn calling() -> (LocalState, RequestId, Me) {
        let mut state = cache();
        let id = RequestId::generate();
        state.calls.insert(
            id,
            CallView {
                id,
                grid: grid().id,
                building_id: building().id,
                building: building().name,
                category: RequestCategory::Help,
                urgency: Urgency::Normal,
                description: "独居老人需要有人帮忙换煤气".into(),
                status: RequestStatus::Calling,
                created_at: now(),
            },
        );
        let volunteer = Me {
            party_member: true,
            community: Some(COMMUNITY),
            ..me(Role::Volunteer)
        };
        (state, id, volunteer)
    }

    #[test]
    fn a_party_member_takes_a_call_offline_and_a_refusal_takes_it_back() {
        let (base, id, volunteer) = calling();
        let mut view = base.clone();
        let take = Command::TakeCall(RequestRef { request_id: id });
        let not_party = Me {
            party_member: false,
            ..volunteer.clone()
        };
        assert_eq!(
            view.clone()
                .apply(&not_party, &take, now(), policy())
                .unwrap_err(),
            RuleError::NotFound(crate::model::Entity::Request)
        );
        let decision = view.apply(&volunteer, &take, now(), policy()).unwrap();
        assert_eq!(view.calls[&id].status, RequestStatus::Dispatched);
        // The server said another volunteer was first: the call is back as pulled.
        view.restore_from(&base, &decision.written());
        assert_eq!(view, base);
    }

    /// A worker's phone with a request turned into a wish, and the wish's claim delivered.
    #[test]
    fn a_workers_phone_dispatches_to_its_staff_and_a_fulfilled_wish_resolves_its_request() {
        let mut state = cache();
        let worker = me(Role::Worker);
        let property = StaffMember {
            id: UserId::generate(),
            display_name: "物业王师傅".into(),
            role: Role::Property,
            phone: Phone::parse("13962800102").unwrap(),
            community: COMMUNITY,
            reachable: Default::default(),
        };
        state.staff.insert(property.id, property.clone());
        let donor = me(Role::Donor);
        state
            .apply(&donor, &Command::FileRequest(filing()), now(), policy())
            .unwrap();
        let id = *state.requests.keys().next().unwrap();
        let accept = Command::AcceptRequest(RequestRef { request_id: id });
        state.apply(&worker, &accept, now(), policy()).unwrap();
        let dispatch = |user_id| {
            Command::DispatchRequest(RequestDispatch {
                request_id: id,
                handler: Handler {
                    kind: HandlerKind::Property,
                    user_id,
                },
            })
        };
        let refusal = state
            .clone()
            .apply(&worker, &dispatch(UserId::generate()), now(), policy())
            .unwrap_err();
        assert_eq!(refusal.code(), ProblemCode::ValidationFailed);
        state
            .apply(&worker, &dispatch(property.id), now(), policy())
            .unwrap();
        assert_eq!(state.requests[&id].handler.unwrap().user_id, property.id);

        let wish = public_wish(1);
        state.wishes.insert(wish.id, wish.clone());
        let convert = Command::ConvertRequest(RequestConversion {
            request_id: id,
            wish_id: wish.id,
        });
        state.apply(&worker, &convert, now(), policy()).unwrap();
        assert_eq!(state.requests[&id].wish_id, Some(wish.id));
        let (claim_id, claim) = claim(wish.id, 1);
        state.apply(&donor, &claim, now(), policy()).unwrap();
        let confirm = Command::ConfirmClaim(ConfirmClaim {
            claim_id,
            minutes: None,
        });
        let decision = state.apply(&worker, &confirm, now(), policy()).unwrap();
        assert!(decision.written().requests.contains(&id));
        let resolved = &state.requests[&id];
        assert_eq!(resolved.status, RequestStatus::Resolved);
        assert_eq!(resolved.resolved_at, Some(now()));
    }

    #[test]
    fn notices_read_offline_show_read_at_once_and_are_taken_back_with_the_pull() {
        use crate::model::{Notice, NoticeKind, NoticeRefs};
        let donor = me(Role::Donor);
        let notice = |user| Notice {
            id: crate::ids::NoticeId::generate(),
            user,
            kind: NoticeKind::ClaimConfirmed,
            refs: NoticeRefs::default(),
            created_at: now(),
            read_at: None,
        };
        let (mine, other) = (notice(donor.id), notice(donor.id));
        let mut pulled = LocalState::default();
        for notice in [&mine, &other] {
            pulled.apply_change(&Change::Notice {
                id: notice.id,
                op: Op::Put,
                data: Some(notice.clone()),
            });
        }
        let mut state = pulled.clone();
        let mark = Command::MarkNoticesRead(crate::command::MarkNoticesRead {
            ids: vec![mine.id],
            all: false,
        });
        let decision = state.apply(&donor, &mark, now(), policy()).unwrap();
        assert_eq!(state.notices[&mine.id].read_at, Some(now()));
        assert_eq!(state.notices[&other.id].read_at, None);
        state.restore_from(&pulled, &decision.written());
        assert_eq!(state.notices[&mine.id].read_at, None, "taken back");
        let all = Command::MarkNoticesRead(crate::command::MarkNoticesRead {
            ids: Vec::new(),
            all: true,
        });
        state.apply(&donor, &all, now(), policy()).unwrap();
        assert!(state
            .notices
            .values()
            .all(|notice| notice.read_at.is_some()));
        let stranger = state
            .apply(&me(Role::Donor), &mark, now(), policy())
            .unwrap_err();
        assert_eq!(stranger.code(), ProblemCode::NotFound, "someone else's");
    }
}
