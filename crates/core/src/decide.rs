//! What a command does, decided once. Both the server (in its transaction) and the phone
//! (over its cache, for the optimistic overlay) ask the same question and get the same answer:
//!
//! 1. [`Command::needs`] names what the command reads;
//! 2. [`crate::facts::gather`] loads those [`Facts`] by one set of rules, from the server's
//!    store or the phone's cache (each a [`crate::facts::FactSource`]);
//! 3. [`decide`] returns a [`Decision`]: the writes to make (counters as compare-and-set from
//!    what was read), the events to record, and what the command produced; or the
//!    [`RuleError`] that refuses it. Who may act comes first, then the input, then the state;
//! 4. each side carries the writes out (`store` on the server, [`crate::overlay`] on the phone).
//!
//! A new command is one `needs` arm, one `decide` arm and, if it writes something new, one
//! [`Write`] variant that both sides learn to carry out.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::command::{Actor, Command, NewPhoto, Policy, Slot, WishChanges};
use crate::error::RuleError;
use crate::gates::Gate;
use crate::handover::{HandoverCode, HandoverTarget};
use crate::ids::{
    AllocationId, BuildingId, CampaignId, ClaimId, CommunityId, GridId, HouseholdId, NoticeId,
    PledgeId, RequestId, UserId, WishId,
};
use crate::model::{
    AllocationStatus, BeneficiaryGroup, Building, CallView, Category, Channel, ClaimStatus, Entity,
    EventAction, Handler, Household, OnBehalf, PublicWish, Reminder, Request, RequestCategory,
    RequestPhoto, RequestStatus, RequestView, Role, Status, Urgency, VolunteerStatus, WishKind,
    WishStatus,
};
use crate::rules::Units;

mod claims;
mod handover;
mod households;
mod notices;
mod pledges;
mod requests;
mod volunteers;
mod wishes;

pub use requests::decide_photo;

/// Who acts, when, and under which settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context {
    pub actor: Actor,
    pub now: DateTime<Utc>,
    pub policy: Policy,
}

/// The ids a command reads (see the module's loading rules for what comes with them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Needs {
    pub wishes: Vec<WishId>,
    pub claims: Vec<ClaimId>,
    pub households: Vec<HouseholdId>,
    pub users: Vec<UserId>,
    pub campaigns: Vec<CampaignId>,
    /// Every claim holding units of these wishes (cancelling a wish ends them).
    pub claims_of_wishes: Vec<WishId>,
    /// These volunteers' active house calls (a suspension ends them).
    pub house_calls_of: Vec<UserId>,
    /// Every wish of these households, with the claims holding their units (withdrawing a
    /// household's consent unpublishes its wishes and ends those claims).
    pub wishes_of_households: Vec<HouseholdId>,
    pub pledges: Vec<PledgeId>,
    pub allocations: Vec<AllocationId>,
    pub requests: Vec<RequestId>,
    pub buildings: Vec<BuildingId>,
    pub notices: Vec<NoticeId>,
    /// Whom a wish's fulfilment tells: the givers of every wish read (see
    /// [`crate::notices`]).
    pub givers: bool,
    /// Whom a request concerns: the team (workers, party-member volunteers) of the community
    /// of every request and building read.
    pub teams: bool,
    /// Which community each grid belongs to (a pledge offered to a community names one).
    pub grids: bool,
    /// The communities paired with the actor's (a shop pledging to another community).
    pub partners: bool,
    /// What these hand-over codes stand for (each with its claim or allocation).
    pub handover_codes: Vec<HandoverCode>,
}

/// A notice as the rules see it: whose, and whether read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoticeState {
    pub user: UserId,
    pub read: bool,
}

/// Someone a community's news goes to, with the grid they look after (if they have one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: UserId,
    pub grid: Option<GridId>,
}

/// A community's people whom its requests concern.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Team {
    pub workers: Vec<Member>,
    /// Its approved volunteers marked party members (they answer calls for help).
    pub party_members: Vec<Member>,
}

/// A resident's request as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestState {
    pub community: CommunityId,
    pub grid: GridId,
    pub category: RequestCategory,
    pub urgency: Urgency,
    pub status: RequestStatus,
    /// The handler may call the requester.
    pub contact_ok: bool,
    /// Absent where the source does not show it (a call, as the volunteers called see it).
    pub requester: Option<UserId>,
    pub handler: Option<Handler>,
    pub unit: Option<String>,
    /// The name of whom a worker logged it for (public text must not show it).
    pub on_behalf_name: Option<String>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub wish: Option<WishId>,
    pub photos: Vec<RequestPhoto>,
    pub reopen_count: u32,
}

impl RequestState {
    /// What the rules need of a stored request.
    pub fn of_request(request: &Request) -> RequestState {
        RequestState {
            community: request.community,
            grid: request.grid.clone(),
            category: request.category,
            urgency: request.urgency,
            status: request.status,
            contact_ok: request.contact_ok,
            requester: Some(request.requester),
            handler: request.handler,
            unit: request.unit.clone(),
            on_behalf_name: request.on_behalf.as_ref().and_then(|p| p.name.clone()),
            accepted_at: request.accepted_at,
            resolved_at: request.resolved_at,
            wish: request.wish_id,
            photos: request.photos.clone(),
            reopen_count: request.reopen_count,
        }
    }

    /// What the rules need of a request a phone holds.
    pub fn of(view: &RequestView) -> RequestState {
        RequestState {
            community: view.community,
            grid: view.grid.clone(),
            category: view.category,
            urgency: view.urgency,
            status: view.status,
            contact_ok: view.contact_ok,
            requester: Some(view.requester),
            handler: view.handler,
            unit: view.unit.clone(),
            on_behalf_name: view.on_behalf.as_ref().and_then(|p| p.name.clone()),
            accepted_at: view.accepted_at,
            resolved_at: view.resolved_at,
            wish: view.wish_id,
            photos: view.photos.clone(),
            reopen_count: view.reopen_count,
        }
    }

    /// What the rules need of a call a volunteer's phone holds (its grid is in `community`).
    pub fn of_call(call: &CallView, community: CommunityId) -> RequestState {
        RequestState {
            community,
            grid: call.grid.clone(),
            category: call.category,
            urgency: call.urgency,
            status: call.status,
            contact_ok: false,
            requester: None,
            handler: None,
            unit: None,
            on_behalf_name: None,
            accepted_at: None,
            resolved_at: None,
            wish: None,
            photos: Vec::new(),
            reopen_count: 0,
        }
    }
}

/// One variant of a pledge as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantState {
    pub label: String,
    pub quantity: u32,
    pub allocated: u32,
}

/// A pledge as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PledgeState {
    pub shop: UserId,
    /// The community it is offered to (its workers alone give it out); every community's
    /// when `None`.
    pub community: Option<CommunityId>,
    pub quantity: u32,
    pub allocated: u32,
    pub variants: Vec<VariantState>,
    /// Its shop took back what was not given out: nothing more is.
    pub withdrawn: bool,
}

/// An allocation as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllocationState {
    pub pledge: PledgeId,
    pub wish: WishId,
    pub variant: Option<String>,
    pub quantity: u32,
    pub status: AllocationStatus,
}

/// A wish as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WishState {
    pub kind: WishKind,
    pub status: WishStatus,
    pub needed_by: Option<NaiveDate>,
    pub units: Units,
    pub grid: GridId,
    /// Absent for wishes posted before households were linked (demo data of old versions).
    pub household: Option<HouseholdId>,
}

impl WishState {
    /// Its counters and status as they are now.
    pub fn counts(&self) -> Counts {
        Counts {
            units: self.units,
            status: self.status,
        }
    }

    /// What the rules need of a wish a phone holds (households come separately).
    pub fn of(wish: &PublicWish, household: Option<HouseholdId>) -> WishState {
        WishState {
            kind: wish.kind,
            status: wish.status,
            needed_by: wish.needed_by,
            units: Units::of(wish),
            grid: wish.grid.clone(),
            household,
        }
    }
}

/// A claim as the rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimState {
    pub wish_id: WishId,
    pub owner: UserId,
    pub quantity: u32,
    pub status: ClaimStatus,
    pub slot: Option<Slot>,
}

/// A user as the rules see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserState {
    pub role: Role,
    /// For volunteers: their vetting.
    pub volunteer: Option<VolunteerStatus>,
    /// For volunteers: marked a party member (党员): they receive the calls for help.
    pub party_member: bool,
    /// Their community: the one a worker works for, the one others chose (if they did).
    pub community: Option<CommunityId>,
    /// House calls they hold now (active claims on service wishes).
    pub active_house_calls: u32,
    /// Item units they hold claimed and not yet delivered.
    pub active_claim_units: u32,
    /// Households whose address and phone reached them (house calls booked) in the last
    /// 24 hours: a volunteer may not book and release to read many homes' contacts.
    pub homes_revealed_today: u32,
    /// Whether their phone number is proven (an SMS code, or added by the community).
    pub phone_verified: bool,
}

/// What was found of what a command needs (absent: no such thing, or not visible).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    pub wishes: HashMap<WishId, WishState>,
    pub claims: HashMap<ClaimId, ClaimState>,
    pub households: HashMap<HouseholdId, Household>,
    pub users: HashMap<UserId, UserState>,
    /// Every grid, with the community it belongs to.
    pub grids: HashMap<GridId, CommunityId>,
    /// The campaigns read, each with the community running it.
    pub campaigns: HashMap<CampaignId, Option<CommunityId>>,
    pub pledges: HashMap<PledgeId, PledgeState>,
    pub allocations: HashMap<AllocationId, AllocationState>,
    pub requests: HashMap<RequestId, RequestState>,
    pub buildings: HashMap<BuildingId, Building>,
    pub notices: HashMap<NoticeId, NoticeState>,
    /// Who gave to each wish read (claimers holding its units, shops whose goods it holds),
    /// when [`Needs::givers`].
    pub givers: HashMap<WishId, Vec<UserId>>,
    /// The teams of the communities read, when [`Needs::teams`].
    pub teams: HashMap<CommunityId, Team>,
    /// What each hand-over code read stands for: codes are unique within a community, so
    /// one code may stand for things of several communities.
    pub handovers: HashMap<HandoverCode, Vec<HandoverTarget>>,
    /// The communities paired with the actor's now, when [`Needs::partners`].
    pub partners: Vec<CommunityId>,
}

impl Facts {
    /// The acting user's facts, if a user acts.
    pub fn actor(&self, ctx: &Context) -> Option<&UserState> {
        ctx.actor.user_id().and_then(|id| self.users.get(&id))
    }

    /// The community of the worker acting; anyone else may not (the worker gate).
    pub fn worker_community(&self, ctx: &Context) -> Result<CommunityId, RuleError> {
        match (ctx.actor, self.actor(ctx)) {
            (Actor::User { role, .. }, Some(me)) => Gate::worker_community(role, me.community),
            _ => Err(Gate::Worker.refusal()),
        }
    }

    /// Whether `grid` belongs to `community`.
    pub fn grid_in(&self, grid: &GridId, community: CommunityId) -> bool {
        self.grids.get(grid) == Some(&community)
    }

    /// A wish of the worker's community: another community's is as good as absent.
    pub fn wish_in(&self, id: WishId, community: CommunityId) -> Result<&WishState, RuleError> {
        self.wishes
            .get(&id)
            .filter(|wish| self.grid_in(&wish.grid, community))
            .ok_or(RuleError::NotFound(Entity::Wish))
    }

    /// Whether the actor is a worker of `community`.
    pub fn works_in(&self, ctx: &Context, community: CommunityId) -> bool {
        matches!(
            (ctx.actor, self.actor(ctx)),
            (
                Actor::User {
                    role: Role::Worker,
                    ..
                },
                Some(UserState {
                    community: Some(theirs),
                    ..
                }),
            ) if *theirs == community
        )
    }

    /// A request as read (whether the actor may see it is the decision's to say).
    pub fn request(&self, id: RequestId) -> Result<&RequestState, RuleError> {
        self.requests
            .get(&id)
            .ok_or(RuleError::NotFound(Entity::Request))
    }

    /// A household of the worker's community.
    pub fn household_in(
        &self,
        id: HouseholdId,
        community: CommunityId,
    ) -> Result<&Household, RuleError> {
        self.households
            .get(&id)
            .filter(|household| self.grid_in(&household.grid, community))
            .ok_or(RuleError::NotFound(Entity::Household))
    }
}

/// A wish's counters with the status they settle it in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub units: Units,
    pub status: WishStatus,
}

/// A claim to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewClaim {
    pub id: ClaimId,
    pub wish_id: WishId,
    pub owner: UserId,
    pub quantity: u32,
    pub note: String,
    pub slot: Option<Slot>,
    pub hold_until: DateTime<Utc>,
}

/// A wish to create, as a worker posted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WishRecord {
    pub id: WishId,
    pub household: HouseholdId,
    pub kind: WishKind,
    pub title: String,
    pub description: String,
    pub category: Category,
    pub quantity: u32,
    pub unit: String,
    pub alias: String,
    pub group: BeneficiaryGroup,
    pub grid: GridId,
    /// The grid whose station takes the items.
    pub station: GridId,
    pub needed_by: Option<NaiveDate>,
    pub campaign_id: Option<CampaignId>,
    pub status: WishStatus,
}

/// A pledge to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PledgeRecord {
    pub id: PledgeId,
    pub shop: UserId,
    /// The community it is offered to (every community's when `None`).
    pub community: Option<CommunityId>,
    pub title: String,
    pub category: Category,
    pub quantity: u32,
    pub unit: String,
    pub variants: Vec<(String, u32)>,
    pub available_from: Option<NaiveDate>,
    pub yearly: bool,
    pub note: String,
}

/// Units of the size `label` given out, of the sizes `allocated` a pledge kept.
pub fn allocated_of(allocated: &[(String, u32)], label: &str) -> u32 {
    allocated
        .iter()
        .find(|(size, _)| size == label)
        .map_or(0, |(_, units)| *units)
}

/// An allocation to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllocationRecord {
    pub id: AllocationId,
    pub pledge: PledgeId,
    pub wish: WishId,
    pub variant: Option<String>,
    pub quantity: u32,
}

/// A request to file: `submitted`, with its limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    pub id: RequestId,
    pub community: CommunityId,
    pub grid: GridId,
    pub building_id: BuildingId,
    pub unit: Option<String>,
    pub place: Option<String>,
    pub category: RequestCategory,
    pub description: String,
    pub urgency: Urgency,
    pub contact_ok: bool,
    pub channel: Channel,
    pub requester: UserId,
    pub on_behalf: Option<OnBehalf>,
    pub accept_by: DateTime<Utc>,
    pub resolve_by: DateTime<Utc>,
}

/// What moves with a request's status; absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestChanges {
    /// `Some(None)` clears it (a reopened request waits for a new handler).
    pub handler: Option<Option<Handler>>,
    pub accepted_at: Option<DateTime<Utc>>,
    /// `Some(None)` clears it (reopened: no longer resolved).
    pub resolved_at: Option<Option<DateTime<Utc>>>,
    /// When it ended: closed, declined or merged.
    pub closed_at: Option<DateTime<Utc>>,
    /// The requester's rating and its note.
    pub rating: Option<(u8, Option<String>)>,
    /// `Some(None)` clears it (reopened: off the board).
    pub public_summary: Option<Option<String>>,
    pub wish_id: Option<WishId>,
    pub merged_into: Option<RequestId>,
    pub reopen_count: Option<u32>,
}

/// A campaign to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignRecord {
    pub id: CampaignId,
    pub community: CommunityId,
    pub title: String,
    pub description: String,
    pub goal: u32,
    pub unit: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// One change to make. Counters and statuses carry what they were read as, so the server
/// writes them as compare-and-set: a concurrent change makes the write, and the command, fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Write {
    /// A wish's quantity, counters and status.
    WishCounts {
        wish: WishId,
        before: Counts,
        after: Counts,
    },
    NewWish(WishRecord),
    /// A wish's descriptive fields.
    WishFields {
        wish: WishId,
        changes: WishChanges,
    },
    NewClaim(NewClaim),
    /// Part of a claim was given back: its units, compare-and-set from `before`.
    ClaimQuantity {
        claim: ClaimId,
        before: u32,
        after: u32,
    },
    ClaimStatus {
        claim: ClaimId,
        from: ClaimStatus,
        to: ClaimStatus,
        /// Volunteer time credited (confirmed house calls).
        volunteer_minutes: u32,
        /// Why it was sent back or ended.
        reason: Option<String>,
    },
    Thanks {
        claim: ClaimId,
        text: String,
    },
    /// A household as it is now (new, or edited).
    /// A household deleted (PIPL): its private fields erased, never read again.
    EraseHousehold {
        household: HouseholdId,
    },
    PutHousehold {
        household: Household,
        created: bool,
    },
    VolunteerStatus {
        user: UserId,
        from: VolunteerStatus,
        to: VolunteerStatus,
        note: String,
    },
    NewPledge(PledgeRecord),
    /// A pledge's fields and sizes, all replaced; each size keeps its units allocated
    /// (`allocated`, as read under the pledge's lock).
    PledgeChanged {
        record: PledgeRecord,
        allocated: Vec<(String, u32)>,
    },
    /// The shop took back what was not yet given out.
    PledgeWithdrawn {
        pledge: PledgeId,
        at: DateTime<Utc>,
    },
    /// A drive's text, goal and dates, all replaced.
    CampaignChanged(CampaignRecord),
    /// A drive ended early (the first end counts).
    CampaignEnded {
        campaign: CampaignId,
        at: DateTime<Utc>,
    },
    /// A pledge's allocated units (and its variant's), compare-and-set: `(pledge, variant)`.
    PledgeAllocated {
        pledge: PledgeId,
        variant: Option<String>,
        before: (u32, u32),
        after: (u32, u32),
    },
    NewAllocation(AllocationRecord),
    AllocationStatus {
        allocation: AllocationId,
        from: AllocationStatus,
        to: AllocationStatus,
    },
    AllocationThanks {
        allocation: AllocationId,
        text: String,
    },
    NewCampaign(CampaignRecord),
    /// A volunteer marked a party member (党员), or no longer one.
    PartyMember {
        user: UserId,
        party_member: bool,
    },
    NewRequest(RequestRecord),
    /// A request's status and what moves with it, compare-and-set from its status and handler
    /// as read (of two volunteers taking one call, the second finds it moved).
    RequestMoved {
        request: RequestId,
        from: RequestStatus,
        handler: Option<Handler>,
        to: RequestStatus,
        changes: RequestChanges,
    },
    /// A note on a request: the text is its event's; the request counts as changed so that
    /// whoever follows it hears of it.
    RequestNote {
        request: RequestId,
        text: String,
    },
    /// A photo of a request was stored (the bytes are the server's).
    RequestPhoto {
        request: RequestId,
        photo: RequestPhoto,
    },
    /// A user's notices read: these (`ids`), or every one (`all`).
    NoticesRead {
        user: UserId,
        ids: Vec<NoticeId>,
        all: bool,
    },
    /// The hold timer reminded whom `subject` concerns of `reminder` (once: the store keeps
    /// the record, and a second one fails).
    Reminded {
        subject: Subject,
        reminder: Reminder,
    },
}

/// What a command is about, for its answer and its events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    Wish(WishId),
    Claim(ClaimId),
    Household(HouseholdId),
    Volunteer(UserId),
    Pledge(PledgeId),
    Allocation(AllocationId),
    Campaign(CampaignId),
    Request(RequestId),
    /// A user's notices.
    Notices(UserId),
}

impl Subject {
    pub fn entity(self) -> Entity {
        match self {
            Subject::Wish(_) => Entity::Wish,
            Subject::Claim(_) => Entity::Claim,
            Subject::Household(_) => Entity::Household,
            Subject::Volunteer(_) => Entity::Volunteer,
            Subject::Pledge(_) => Entity::Pledge,
            Subject::Allocation(_) => Entity::Allocation,
            Subject::Campaign(_) => Entity::Campaign,
            Subject::Request(_) => Entity::Request,
            Subject::Notices(_) => Entity::Notice,
        }
    }

    pub fn id(self) -> uuid::Uuid {
        match self {
            Subject::Wish(id) => id.0,
            Subject::Claim(id) => id.0,
            Subject::Household(id) => id.0,
            Subject::Volunteer(id) => id.0,
            Subject::Pledge(id) => id.0,
            Subject::Allocation(id) => id.0,
            Subject::Campaign(id) => id.0,
            Subject::Request(id) => id.0,
            Subject::Notices(id) => id.0,
        }
    }
}

/// One entry for the event log; the actor and the time are the context's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub action: EventAction,
    pub subject: Subject,
    /// The wish whose timeline it belongs to, if any.
    pub wish: Option<WishId>,
    pub from: Option<Status>,
    pub to: Option<Status>,
    pub note: String,
}

impl Event {
    /// Something done to a household's record (registered, edited, read, exported).
    pub fn on_household(action: EventAction, household: HouseholdId) -> Event {
        Event {
            action,
            subject: Subject::Household(household),
            wish: None,
            from: None,
            to: None,
            note: String::new(),
        }
    }
}

/// What a command does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// What the command created or changed.
    pub subject: Subject,
    /// It had been done already (a retried create): nothing is written again.
    pub replayed: bool,
    pub writes: Vec<Write>,
    pub events: Vec<Event>,
}

/// The entities a decision writes, by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    pub wishes: Vec<WishId>,
    pub claims: Vec<ClaimId>,
    pub households: Vec<HouseholdId>,
    pub volunteers: Vec<UserId>,
    pub pledges: Vec<PledgeId>,
    pub campaigns: Vec<CampaignId>,
    pub requests: Vec<RequestId>,
    pub notices: Vec<NoticeId>,
    /// Every notice of the user acting.
    pub all_notices: bool,
}

impl Written {
    pub fn extend(&mut self, other: Written) {
        self.wishes.extend(other.wishes);
        self.claims.extend(other.claims);
        self.households.extend(other.households);
        self.volunteers.extend(other.volunteers);
        self.pledges.extend(other.pledges);
        self.campaigns.extend(other.campaigns);
        self.requests.extend(other.requests);
        self.notices.extend(other.notices);
        self.all_notices |= other.all_notices;
    }

    pub fn is_empty(&self) -> bool {
        *self == Written::default()
    }
}

impl Decision {
    fn replay(subject: Subject) -> Decision {
        Decision {
            subject,
            replayed: true,
            writes: Vec::new(),
            events: Vec::new(),
        }
    }

    /// What this decision writes.
    pub fn written(&self) -> Written {
        let mut written = Written::default();
        for write in &self.writes {
            match write {
                Write::WishCounts { wish, .. } | Write::WishFields { wish, .. } => {
                    written.wishes.push(*wish)
                }
                Write::NewWish(record) => {
                    written.wishes.push(record.id);
                    // The household lists its wishes.
                    written.households.push(record.household);
                }
                Write::NewClaim(new) => written.claims.push(new.id),
                Write::ClaimStatus { claim, .. }
                | Write::ClaimQuantity { claim, .. }
                | Write::Thanks { claim, .. } => written.claims.push(*claim),
                Write::PutHousehold { household, .. } => written.households.push(household.id),
                Write::EraseHousehold { household } => written.households.push(*household),
                Write::VolunteerStatus { user, .. } => written.volunteers.push(*user),
                Write::NewPledge(record) | Write::PledgeChanged { record, .. } => {
                    written.pledges.push(record.id)
                }
                Write::PledgeWithdrawn { pledge, .. } => written.pledges.push(*pledge),
                Write::PledgeAllocated { pledge, .. } => written.pledges.push(*pledge),
                Write::NewAllocation(record) => written.pledges.push(record.pledge),
                // An allocation lives inside its pledge's view.
                Write::AllocationStatus { .. } | Write::AllocationThanks { .. } => {}
                Write::NewCampaign(record) | Write::CampaignChanged(record) => {
                    written.campaigns.push(record.id)
                }
                Write::CampaignEnded { campaign, .. } => written.campaigns.push(*campaign),
                Write::PartyMember { user, .. } => written.volunteers.push(*user),
                Write::NewRequest(record) => written.requests.push(record.id),
                Write::RequestMoved { request, .. }
                | Write::RequestNote { request, .. }
                | Write::RequestPhoto { request, .. } => written.requests.push(*request),
                Write::NoticesRead { ids, all, .. } => {
                    written.notices.extend(ids);
                    written.all_notices |= *all;
                }
                // A record of the server's, on no phone.
                Write::Reminded { .. } => {}
            }
        }
        written
    }
}

impl Command {
    /// What the command reads.
    pub fn needs(&self) -> Needs {
        let claim = |id| Needs {
            claims: vec![id],
            ..Needs::default()
        };
        match self {
            Command::ClaimWish(claim) => Needs {
                wishes: vec![claim.wish_id],
                // A claim id seen before makes this a retry (or a conflict).
                claims: vec![claim.id],
                ..Needs::default()
            },
            Command::ReleaseClaim(release) => claim(release.claim_id),
            Command::MarkDelivered(target) | Command::ExpireClaim(target) => claim(target.claim_id),
            // A confirmation may fulfil the wish: its givers are told.
            Command::ConfirmClaim(confirm) => Needs {
                givers: true,
                ..claim(confirm.claim_id)
            },
            Command::RejectClaim(reject) => claim(reject.claim_id),
            Command::RecordThanks(thanks) => claim(thanks.claim_id),
            Command::CreateHousehold(new) => Needs {
                households: vec![new.id],
                ..Needs::default()
            },
            Command::UpdateHousehold(update) => Needs {
                households: vec![update.household_id],
                // A consent withdrawn (or a child added) takes its wishes off the public.
                wishes_of_households: update
                    .patch
                    .touches_consent()
                    .then_some(update.household_id)
                    .into_iter()
                    .collect(),
                ..Needs::default()
            },
            Command::DeleteHousehold(target) => Needs {
                households: vec![target.household_id],
                // Its open wishes are withdrawn.
                wishes_of_households: vec![target.household_id],
                ..Needs::default()
            },
            Command::CreateWish(new) => Needs {
                wishes: vec![new.id],
                households: vec![new.household_id],
                campaigns: new.campaign_id.into_iter().collect(),
                ..Needs::default()
            },
            Command::UpdateWish(update) => Needs {
                wishes: vec![update.wish_id],
                campaigns: update.patch.campaign_id.flatten().into_iter().collect(),
                // A smaller quantity may leave it fulfilled.
                givers: true,
                ..Needs::default()
            },
            Command::CancelWish(cancel) => Needs {
                wishes: vec![cancel.wish_id],
                claims_of_wishes: vec![cancel.wish_id],
                ..Needs::default()
            },
            Command::CloseWish(close) => Needs {
                wishes: vec![close.wish_id],
                ..Needs::default()
            },
            Command::ApproveVolunteer(decision) => Needs {
                users: vec![decision.user_id],
                ..Needs::default()
            },
            Command::SuspendVolunteer(decision) => Needs {
                users: vec![decision.user_id],
                house_calls_of: vec![decision.user_id],
                ..Needs::default()
            },
            Command::CreatePledge(new) => Needs {
                pledges: vec![new.id],
                grids: new.community_id.is_some(),
                partners: new.community_id.is_some(),
                ..Needs::default()
            },
            Command::AllocatePledge(new) => Needs {
                wishes: vec![new.wish_id],
                pledges: vec![new.pledge_id],
                allocations: vec![new.id],
                ..Needs::default()
            },
            Command::UpdatePledge(update) => Needs {
                pledges: vec![update.id],
                ..Needs::default()
            },
            Command::WithdrawPledge(target) => Needs {
                pledges: vec![target.pledge_id],
                ..Needs::default()
            },
            Command::DeliverAllocation(target)
            | Command::UndeliverAllocation(target)
            | Command::CancelAllocation(target) => Needs {
                allocations: vec![target.allocation_id],
                ..Needs::default()
            },
            Command::ConfirmAllocation(target) => Needs {
                allocations: vec![target.allocation_id],
                givers: true,
                ..Needs::default()
            },
            Command::ThankShop(thanks) => Needs {
                allocations: vec![thanks.allocation_id],
                ..Needs::default()
            },
            Command::CreateCampaign(new) => Needs {
                campaigns: vec![new.id],
                ..Needs::default()
            },
            Command::UpdateCampaign(update) => Needs {
                campaigns: vec![update.campaign_id],
                ..Needs::default()
            },
            Command::EndCampaign(target) => Needs {
                campaigns: vec![target.campaign_id],
                ..Needs::default()
            },
            Command::FileRequest(new) => Needs {
                // A request id seen before makes this a retry (or a conflict).
                requests: vec![new.id],
                buildings: vec![new.building_id],
                // The grid's workers are told.
                teams: true,
                ..Needs::default()
            },
            Command::CallVolunteers(target) => Needs {
                teams: true,
                ..request(target.request_id)
            },
            Command::AcceptRequest(target)
            | Command::TakeCall(target)
            | Command::StartRequest(target)
            | Command::CloseRequest(target) => request(target.request_id),
            Command::DispatchRequest(dispatch) => Needs {
                requests: vec![dispatch.request_id],
                users: vec![dispatch.handler.user_id],
                ..Needs::default()
            },
            Command::NoteRequest(note) => request(note.request_id),
            Command::ResolveRequest(resolution) => request(resolution.request_id),
            Command::ConfirmRequest(rating) => request(rating.request_id),
            Command::ReopenRequest(reason) | Command::DeclineRequest(reason) => {
                request(reason.request_id)
            }
            Command::MergeRequest(merge) => Needs {
                requests: vec![merge.request_id, merge.into],
                ..Needs::default()
            },
            Command::ConvertRequest(conversion) => Needs {
                requests: vec![conversion.request_id],
                wishes: vec![conversion.wish_id],
                ..Needs::default()
            },
            Command::MarkNoticesRead(mark) => Needs {
                notices: mark.ids.clone(),
                ..Needs::default()
            },
            Command::RemindClaim(target) => claim(target.claim_id),
            Command::RemindRequest(reminder) => Needs {
                teams: true,
                ..request(reminder.request_id)
            },
            // A confirmation may fulfil the wish: its givers are told.
            Command::ConfirmHandover(confirm) => Needs {
                handover_codes: HandoverCode::parse(&confirm.code).into_iter().collect(),
                givers: true,
                ..Needs::default()
            },
        }
    }
}

impl NewPhoto {
    /// What adding the photo reads: its request.
    pub fn needs(&self) -> Needs {
        request(self.request_id)
    }
}

fn request(id: RequestId) -> Needs {
    Needs {
        requests: vec![id],
        ..Needs::default()
    }
}

/// What `command` does, given the facts it needs, or why it may not. Whatever fulfils a
/// wish also resolves the open requests turned into it.
pub fn decide(command: &Command, facts: &Facts, ctx: &Context) -> Result<Decision, RuleError> {
    let mut decision = decide_command(command, facts, ctx)?;
    requests::resolve_fulfilled(&mut decision, facts, ctx);
    Ok(decision)
}

fn decide_command(command: &Command, facts: &Facts, ctx: &Context) -> Result<Decision, RuleError> {
    match command {
        Command::ClaimWish(claim) => claims::claim_wish(claim, facts, ctx),
        Command::ReleaseClaim(target) => claims::release(target, facts, ctx),
        Command::MarkDelivered(target) => claims::deliver(target.claim_id, facts, ctx),
        Command::ConfirmClaim(confirm) => claims::confirm(confirm, facts, ctx),
        Command::ExpireClaim(target) => claims::expire(target.claim_id, facts, ctx),
        Command::RejectClaim(reject) => claims::reject(reject, facts, ctx),
        Command::RecordThanks(thanks) => claims::record_thanks(thanks, facts, ctx),
        Command::CreateHousehold(new) => households::create(new, facts, ctx),
        Command::UpdateHousehold(update) => households::update(update, facts, ctx),
        Command::DeleteHousehold(target) => households::delete(target, facts, ctx),
        Command::CreateWish(new) => wishes::create(new, facts, ctx),
        Command::UpdateWish(update) => wishes::update(update, facts, ctx),
        Command::CancelWish(cancel) => wishes::cancel(cancel, facts, ctx),
        Command::CloseWish(close) => wishes::close(close, facts, ctx),
        Command::ApproveVolunteer(decision) => volunteers::approve(decision, facts, ctx),
        Command::SuspendVolunteer(decision) => volunteers::suspend(decision, facts, ctx),
        Command::CreatePledge(new) => pledges::create(new, facts, ctx),
        Command::AllocatePledge(new) => pledges::allocate(new, facts, ctx),
        Command::UpdatePledge(update) => pledges::update(update, facts, ctx),
        Command::WithdrawPledge(target) => pledges::withdraw(target.pledge_id, facts, ctx),
        Command::DeliverAllocation(target) => {
            pledges::by_shop(target, AllocationStatus::Delivered, facts, ctx)
        }
        Command::UndeliverAllocation(target) => {
            pledges::by_shop(target, AllocationStatus::Allocated, facts, ctx)
        }
        Command::ConfirmAllocation(target) => {
            pledges::settle(target, AllocationStatus::Confirmed, facts, ctx)
        }
        Command::CancelAllocation(target) => {
            pledges::settle(target, AllocationStatus::Cancelled, facts, ctx)
        }
        Command::ThankShop(thanks) => pledges::thank(thanks, facts, ctx),
        Command::CreateCampaign(new) => pledges::create_campaign(new, facts, ctx),
        Command::UpdateCampaign(update) => pledges::update_campaign(update, facts, ctx),
        Command::EndCampaign(target) => pledges::end_campaign(target.campaign_id, facts, ctx),
        Command::FileRequest(new) => requests::file(new, facts, ctx),
        Command::AcceptRequest(target) => requests::accept(target, facts, ctx),
        Command::DispatchRequest(dispatch) => requests::dispatch(dispatch, facts, ctx),
        Command::CallVolunteers(target) => requests::call(target, facts, ctx),
        Command::TakeCall(target) => requests::take(target, facts, ctx),
        Command::StartRequest(target) => requests::start(target, facts, ctx),
        Command::NoteRequest(note) => requests::note(note, facts, ctx),
        Command::ResolveRequest(resolution) => requests::resolve(resolution, facts, ctx),
        Command::ConfirmRequest(rating) => requests::confirm(rating, facts, ctx),
        Command::ReopenRequest(reason) => requests::reopen(reason, facts, ctx),
        Command::DeclineRequest(reason) => requests::decline(reason, facts, ctx),
        Command::MergeRequest(merge) => requests::merge(merge, facts, ctx),
        Command::ConvertRequest(conversion) => requests::convert(conversion, facts, ctx),
        Command::CloseRequest(target) => requests::close(target, facts, ctx),
        Command::MarkNoticesRead(mark) => notices::mark_read(mark, facts, ctx),
        Command::RemindClaim(target) => notices::remind_claim(target.claim_id, facts, ctx),
        Command::RemindRequest(reminder) => notices::remind_request(reminder, facts, ctx),
        Command::ConfirmHandover(confirm) => handover::confirm(confirm, facts, ctx),
    }
}

/// The wish's own timeline entry when its status moved.
fn wish_moved(wish: WishId, before: Counts, after: Counts) -> Option<Event> {
    (before.status != after.status).then(|| Event {
        action: EventAction::Status,
        subject: Subject::Wish(wish),
        wish: Some(wish),
        from: Some(before.status.into()),
        to: Some(after.status.into()),
        note: String::new(),
    })
}

#[cfg(test)]
pub(crate) mod testing;
