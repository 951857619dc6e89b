//! Domain types shared by the server and the SPA.
//!
//! Types that leave the server for anyone but a worker are separate structs
//! (`PublicWish`, `PublicCampaign`, …) that simply have no household field, so a
//! household's name, address or phone cannot be serialised to them by accident.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{
    AllocationId, CampaignId, ClaimId, CommunityId, DisplayName, GridId, HouseholdId, Phone,
    PledgeId, UserId, WishId,
};

mod notices;
mod requests;

pub use notices::*;
pub use requests::*;

string_enum! {
    /// An item to hand over (school bag, gift pack) or a service done at home (fix a kettle).
    WishKind { Item = "item", Service = "service" }
}

string_enum! {
    /// `draft` → `open` → `claimed` → `fulfilled` → `closed`; `cancelled` from any non-final state.
    WishStatus {
        Draft = "draft",
        Open = "open",
        Claimed = "claimed",
        Fulfilled = "fulfilled",
        Closed = "closed",
        Cancelled = "cancelled",
    }
}

string_enum! {
    /// `active` → `delivered` → `confirmed`; or `released`, `expired`, `rejected`.
    ClaimStatus {
        Active = "active",
        Delivered = "delivered",
        Confirmed = "confirmed",
        Released = "released",
        Expired = "expired",
        Rejected = "rejected",
    }
}

string_enum! {
    /// The broad, public group a beneficiary belongs to.
    BeneficiaryGroup {
        ElderlyAlone = "elderly_alone",
        LowIncome = "low_income",
        Orphan = "orphan",
        Disabled = "disabled",
        ChildInDifficulty = "child_in_difficulty",
        Other = "other",
    }
}

string_enum! {
    /// What a wish is about; drives the filter chips.
    Category {
        School = "school",
        Clothing = "clothing",
        Daily = "daily",
        Food = "food",
        Repair = "repair",
        Haircut = "haircut",
        Care = "care",
        Other = "other",
    }
}

impl Category {
    /// The words people search this category by (the label first; English too).
    pub fn search_words(self) -> &'static [&'static str] {
        match self {
            Category::School => &["学习用品", "文具", "学习", "school", "stationery"],
            Category::Clothing => &["衣物鞋帽", "衣服", "衣物", "鞋", "帽", "clothing", "shoes"],
            Category::Daily => &["生活用品", "日用品", "daily"],
            Category::Food => &["食品", "食物", "粮油", "food"],
            Category::Repair => &["维修", "修理", "repair", "fix"],
            Category::Haircut => &["理发", "剪发", "haircut"],
            Category::Care => &["陪伴照料", "陪伴", "照料", "探访", "care"],
            Category::Other => &["其他", "other"],
        }
    }
}

impl BeneficiaryGroup {
    /// The words people search this group by (the label first; English too).
    pub fn search_words(self) -> &'static [&'static str] {
        match self {
            BeneficiaryGroup::ElderlyAlone => &["独居老人", "独居", "老人", "elderly"],
            BeneficiaryGroup::LowIncome => &["低保低收入", "低保", "低收入", "low income"],
            BeneficiaryGroup::Orphan => &["孤儿", "orphan"],
            BeneficiaryGroup::Disabled => &["残疾人", "残疾", "disabled"],
            BeneficiaryGroup::ChildInDifficulty => &["困境儿童", "儿童", "孩子", "child"],
            BeneficiaryGroup::Other => &["其他困难群体"],
        }
    }
}

/// Whether a search term names something called by one of `words` ("修" finds 维修; "维修服务"
/// too). ASCII case is ignored, as the text search ignores it.
fn term_names(term: &str, words: &[&str]) -> bool {
    let term = term.to_ascii_lowercase();
    words
        .iter()
        .any(|word| word.contains(term.as_str()) || term.contains(word))
}

/// One word of a search: what it finds besides text (a category, a group of people).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchTerm<'a> {
    pub text: &'a str,
    pub categories: Vec<Category>,
    pub groups: Vec<BeneficiaryGroup>,
}

string_enum! {
    /// Who a user is; decides what they may do and see.
    Role {
        Donor = "donor",
        Volunteer = "volunteer",
        Shopkeeper = "shopkeeper",
        Worker = "worker",
        /// Lives in the community and files requests (居民点单).
        Resident = "resident",
        /// The property company's staff (物业): handle the requests dispatched to them.
        Property = "property",
    }
}

impl Role {
    /// Whether people sign up with this role themselves; workers and property staff are
    /// added by the community (a worker, or the server's command line).
    pub fn is_self_service(self) -> bool {
        !matches!(self, Role::Worker | Role::Property)
    }
}

string_enum! {
    /// The kinds of things that change: the sync change log, the event log and "not found"
    /// name them.
    Entity {
        Wish = "wish",
        Claim = "claim",
        Campaign = "campaign",
        Grid = "grid",
        /// Private: workers of its community only.
        Household = "household",
        /// A volunteer's vetting, for workers.
        Volunteer = "volunteer",
        /// A shop's pledge with its allocations: the shop and workers.
        Pledge = "pledge",
        Allocation = "allocation",
        /// A resident's request: its requester, its community's workers and its handler.
        Request = "request",
        /// A request as the party-member volunteers it calls see it (category, building and
        /// description only): a view of a request, never logged on its own.
        Call = "call",
        /// A building of a community (public).
        Building = "building",
        /// A community's workers and property staff, for its workers (whom to dispatch to).
        Staff = "staff",
        /// A notice to one user (通知): theirs alone.
        Notice = "notice",
        /// A volunteer's service certificate: never synced, read by its link.
        Certificate = "certificate",
        /// Two communities paired (结对帮扶): their workers' alone, read online, never synced.
        Pairing = "pairing",
    }
}

string_enum! {
    /// What happened, in the event log (the timeline of a wish).
    EventAction {
        /// A wish was published (or seeded).
        Publish = "publish",
        /// A wish's status moved because of its claims (`from_status` → `to_status`).
        Status = "status",
        Claim = "claim",
        Deliver = "deliver",
        /// The shop took back its "dropped at the station" (a worker had not confirmed).
        Undeliver = "undeliver",
        Confirm = "confirm",
        Release = "release",
        Expire = "expire",
        Reject = "reject",
        Cancel = "cancel",
        Close = "close",
        /// A worker posted a wish as a draft.
        Draft = "draft",
        /// A worker edited a wish or a household.
        Update = "update",
        /// A worker registered a household.
        Register = "register",
        /// A worker recorded the household's thanks for a claim.
        Thanks = "thanks",
        /// A household's address and phone were given to a volunteer for a house call.
        RevealContact = "reveal_contact",
        /// A worker read a household's private fields (its page, or a claim view that names it).
        ReadHousehold = "read_household",
        /// A published wish went back to a draft: its household withdrew its consent.
        Unpublish = "unpublish",
        /// A worker deleted a household (PIPL): its name, address, phone and notes were erased.
        Erase = "erase",
        /// A worker approved or suspended a volunteer.
        Approve = "approve",
        Suspend = "suspend",
        /// A shop pledged goods.
        Pledge = "pledge",
        /// A shop took back what of its pledge was not yet given out.
        Withdraw = "withdraw",
        /// A worker gave pledged units to a wish.
        Allocate = "allocate",
        /// A worker exported the households' private fields (households.csv).
        ExportHousehold = "export_household",
        /// A request was filed (by its requester, or by a worker on someone's behalf). A
        /// request's timeline also uses `confirm` (the requester rated it) and `close` (its
        /// answer time passed); `update` marks a volunteer a party member or not.
        File = "file",
        /// A worker accepted a request (the response, 响应).
        Accept = "accept",
        /// A worker gave a request to a handler (派单).
        Dispatch = "dispatch",
        /// A worker called the grid's party-member volunteers (支部吹哨).
        Call = "call",
        /// A volunteer took a call (党员报到).
        Take = "take",
        /// The handler started on it.
        Start = "start",
        /// Someone added a note to a request.
        Note = "note",
        Resolve = "resolve",
        /// The requester reopened a resolved request.
        Reopen = "reopen",
        /// A worker declined a request, with the reason.
        Decline = "decline",
        /// A worker merged a duplicate into another request.
        Merge = "merge",
        /// A worker turned a request for help into a wish for a household.
        Convert = "convert",
        /// A photo was added to a request.
        Photo = "photo",
    }
}

string_enum! {
    /// `allocated` → `delivered` (the shop dropped them at the station) → `confirmed` (handed
    /// over); `cancelled` by a worker returns the units to the pledge and the wish.
    AllocationStatus {
        Allocated = "allocated",
        Delivered = "delivered",
        Confirmed = "confirmed",
        Cancelled = "cancelled",
    }
}

impl ClaimStatus {
    /// Waiting for a worker: delivered to the station, or the house call made, not yet
    /// confirmed (待确认, and the count on its tab).
    pub fn awaits_worker(self) -> bool {
        self == ClaimStatus::Delivered
    }
}

impl AllocationStatus {
    /// How an allocation counts towards its wish: like a claim in this state.
    pub fn counts_as(self) -> ClaimStatus {
        match self {
            AllocationStatus::Allocated => ClaimStatus::Active,
            AllocationStatus::Delivered => ClaimStatus::Delivered,
            AllocationStatus::Confirmed => ClaimStatus::Confirmed,
            AllocationStatus::Cancelled => ClaimStatus::Released,
        }
    }
}

string_enum! {
    /// Where a volunteer stands: vetted by a worker before any house call.
    VolunteerStatus {
        Pending = "pending",
        Approved = "approved",
        Suspended = "suspended",
    }
}

/// The status of anything that has one, as the event log records a move (`from_status` →
/// `to_status`, in the same words as the entity's own status) and a refusal names what it
/// found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Wish(WishStatus),
    Claim(ClaimStatus),
    Allocation(AllocationStatus),
    Volunteer(VolunteerStatus),
    Request(RequestStatus),
    Pairing(crate::pairing::PairingStatus),
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Wish(status) => status.as_str(),
            Status::Claim(status) => status.as_str(),
            Status::Allocation(status) => status.as_str(),
            Status::Volunteer(status) => status.as_str(),
            Status::Request(status) => status.as_str(),
            Status::Pairing(status) => status.as_str(),
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

impl From<WishStatus> for Status {
    fn from(status: WishStatus) -> Status {
        Status::Wish(status)
    }
}

impl From<ClaimStatus> for Status {
    fn from(status: ClaimStatus) -> Status {
        Status::Claim(status)
    }
}

impl From<AllocationStatus> for Status {
    fn from(status: AllocationStatus) -> Status {
        Status::Allocation(status)
    }
}

impl From<VolunteerStatus> for Status {
    fn from(status: VolunteerStatus) -> Status {
        Status::Volunteer(status)
    }
}

impl From<RequestStatus> for Status {
    fn from(status: RequestStatus) -> Status {
        Status::Request(status)
    }
}

impl WishStatus {
    /// Wishes in these states are shown to the public; drafts and cancelled ones are not.
    pub const PUBLIC: &'static [WishStatus] = &[
        WishStatus::Open,
        WishStatus::Claimed,
        WishStatus::Fulfilled,
        WishStatus::Closed,
    ];

    /// Every unit confirmed: fulfilled, and perhaps closed since (thanked, archived).
    pub const FULFILLED: &'static [WishStatus] = &[WishStatus::Fulfilled, WishStatus::Closed];

    pub fn is_public(self) -> bool {
        Self::PUBLIC.contains(&self)
    }

    /// No transition leaves a final state.
    pub fn is_final(self) -> bool {
        matches!(self, WishStatus::Closed | WishStatus::Cancelled)
    }

    /// Nothing more is awaited: its date no longer counts down.
    pub fn is_done(self) -> bool {
        self == WishStatus::Fulfilled || self.is_final()
    }
}

impl ClaimStatus {
    /// Claims in these states hold units of their wish.
    pub const HOLDING: &'static [ClaimStatus] = &[
        ClaimStatus::Active,
        ClaimStatus::Delivered,
        ClaimStatus::Confirmed,
    ];

    pub fn holds_units(self) -> bool {
        Self::HOLDING.contains(&self)
    }
}

/// A grid (网格) of the community, led by a grid leader, with its grid station (网格驿站)
/// where item wishes are dropped off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Grid {
    pub id: GridId,
    /// The community the grid belongs to.
    pub community: CommunityId,
    pub name: String,
    pub station: String,
    /// Where the station is, e.g. "星怡花园32幢东侧"; a public place, never a home.
    pub station_location: String,
    /// When the station is open, e.g. "每天 9:00–17:00" (empty: not set).
    #[serde(default)]
    pub station_hours: String,
    /// Whom to ask for there (staff, public), e.g. "网格长 李敏".
    #[serde(default)]
    pub station_contact: String,
    /// The station's phone, a mobile or a landline (staff, public).
    #[serde(default)]
    pub station_phone: String,
}

impl Grid {
    /// Whether this grid's station is the one `wish` names (a public wish carries the
    /// station's name and place, not its grid).
    pub fn is_station_of(&self, wish: &PublicWish) -> bool {
        self.station == wish.station && self.station_location == wish.station_location
    }

    /// Whether the community has said when the station is open, whom to ask or whom to call.
    pub fn has_station_details(&self) -> bool {
        !(self.station_hours.is_empty()
            && self.station_contact.is_empty()
            && self.station_phone.is_empty())
    }
}

/// A wish as anyone may see it: the household behind it appears only as an alias and a broad group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicWish {
    pub id: WishId,
    pub kind: WishKind,
    pub title: String,
    pub description: String,
    pub category: Category,
    pub status: WishStatus,
    pub quantity: u32,
    /// Units nobody has claimed yet: `quantity − claimed`, never below zero.
    pub remaining: u32,
    /// Units held by live claims (active, delivered or confirmed).
    pub claimed: u32,
    /// Units handed over (delivered or confirmed).
    pub delivered: u32,
    /// Units a worker confirmed as received.
    pub fulfilled: u32,
    pub unit: String,
    /// The pseudonym (化名) the household appears under.
    pub alias: String,
    pub group: BeneficiaryGroup,
    pub grid: GridId,
    pub grid_name: String,
    /// The grid station where items are dropped off (never a home address).
    pub station: String,
    /// Where the station is, e.g. "星怡花园32幢东侧".
    pub station_location: String,
    pub needed_by: Option<NaiveDate>,
    pub campaign_id: Option<CampaignId>,
    pub campaign_title: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The signed-in user, as `GET /api/me` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub id: UserId,
    pub display_name: DisplayName,
    pub phone: Phone,
    pub role: Role,
    /// Time credited for confirmed house calls.
    pub volunteer_minutes: u32,
    /// For volunteers: whether a worker has approved them for house calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volunteer_status: Option<VolunteerStatus>,
    /// For volunteers: marked a party member (党员) by the worker who approved them, so they
    /// receive their community's calls for help.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub party_member: bool,
    /// Their community: the one a worker works for, the one residents and volunteers chose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub community: Option<CommunityId>,
    /// For a shop: the communities paired with its own now (结对帮扶), which it may pledge to
    /// too (empty for everyone else).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partner_communities: Vec<CommunityId>,
    /// Whether the number was proven by an SMS code (or the account was added by the
    /// community, which knows it).
    #[serde(default)]
    pub phone_verified: bool,
    /// For a declined or suspended volunteer: the reason the worker gave them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volunteer_reason: Option<String>,
}

/// A claim as its owner and workers see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimView {
    pub id: ClaimId,
    pub wish_id: WishId,
    pub quantity: u32,
    pub status: ClaimStatus,
    pub note: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Until when an active claim holds its units ("deliver by").
    pub hold_until: DateTime<Utc>,
    pub slot_start: Option<DateTime<Utc>>,
    pub slot_end: Option<DateTime<Utc>>,
    pub reject_reason: Option<String>,
    pub claimer_id: UserId,
    /// The claimer's name: shown to workers and to the claimer.
    pub claimer_name: String,
    pub claimer_role: Role,
    /// The claimer's phone, for workers who call them; absent for everyone else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimer_phone: Option<Phone>,
    /// The household's thanks, recorded by a worker once the claim was confirmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thanks: Option<String>,
    /// The code the giver shows at the station (item claims): for the giver and the
    /// community's workers only (see [`crate::visibility::claim`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handover_code: Option<crate::handover::HandoverCode>,
    pub wish: PublicWish,
    /// The household's contact on a house call only (items go to the grid station, never to
    /// a home): for the volunteer holding it while active, and for the community's workers
    /// (with the real name: each such read is logged on the household); absent everywhere
    /// else.
    pub contact: Option<HouseContact>,
}

/// Where a house call goes. Private: see [`ClaimView::contact`]. A volunteer gets the
/// alias to greet them by, never the real name; workers get the name too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HouseContact {
    pub alias: String,
    pub address: String,
    pub phone: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A needy household. Private: only workers of its community ever receive this type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Household {
    pub id: HouseholdId,
    pub name: String,
    pub address: String,
    pub phone: String,
    pub grid: GridId,
    pub groups: Vec<BeneficiaryGroup>,
    pub notes: String,
    /// When the household agreed that its wishes be published (under an alias).
    pub consent_on: Option<NaiveDate>,
    /// When a guardian agreed for the child living here (PIPL art. 31); a household with a
    /// child needs it before a wish is published.
    #[serde(default)]
    pub guardian_consent_on: Option<NaiveDate>,
    /// A child under 14 lives here: nothing identifying may ever be public (PIPL art. 28).
    pub minor: bool,
    /// The wishes posted on its behalf, newest last.
    pub wishes: Vec<WishId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Household {
    /// Whether its wishes may be public: it consented (PIPL art. 13), and where a child
    /// lives, a guardian consented too (art. 31).
    pub fn consents_to_publish(&self) -> bool {
        self.consent_on.is_some() && (!self.minor || self.guardian_consent_on.is_some())
    }
}

/// A volunteer as workers see them when vetting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VolunteerView {
    pub id: UserId,
    pub display_name: DisplayName,
    pub phone: Phone,
    pub status: VolunteerStatus,
    /// Marked a party member (党员) by a worker: receives the calls for help.
    #[serde(default)]
    pub party_member: bool,
    /// The worker's note from meeting them (党员报到 / 志愿者登记), or why they were suspended.
    pub note: String,
    pub vetted_at: Option<DateTime<Utc>>,
    pub vetted_by: Option<String>,
    pub registered_at: DateTime<Utc>,
    /// House calls confirmed, and the time credited for them.
    pub house_calls: u32,
    pub minutes: u32,
    /// Whether they can be reached beyond the app's inbox (push, SMS).
    #[serde(default)]
    pub reachable: crate::model::Reachable,
}

/// One row of a wish's timeline (`GET /api/wishes/{id}/events`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventView {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub action: EventAction,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    /// The actor's role; `None` for the system.
    pub actor_role: Option<Role>,
    /// The actor's name, only for workers and for the actor; the public sees the role alone.
    pub actor_name: Option<String>,
    /// Notes (e.g. a reject reason) are for workers and the actor only.
    pub note: Option<String>,
}

/// A community (社区), as anyone may see it: whom to sign up with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Community {
    pub id: CommunityId,
    pub name: String,
}

/// A named drive grouping wishes, with its progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicCampaign {
    pub id: CampaignId,
    pub title: String,
    pub description: String,
    /// The units the drive aims for, and what they are ("30 个书包").
    #[serde(default)]
    pub goal: u32,
    #[serde(default)]
    pub unit: String,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub progress: Progress,
    pub created_at: DateTime<Utc>,
    /// The community running the drive (its workers alone see it among theirs).
    #[serde(default)]
    pub community_id: Option<CommunityId>,
    /// When a worker ended the drive early (`end_campaign`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<DateTime<Utc>>,
}

impl PublicCampaign {
    /// Whether the drive runs on `today` (the community's date): begun, or with no start,
    /// not past its last day, and not ended early. Only running drives are listed as ongoing.
    pub fn is_running(&self, today: NaiveDate) -> bool {
        self.ended_at.is_none()
            && self.starts_on.is_none_or(|start| start <= today)
            && self.ends_on.is_none_or(|end| today <= end)
    }

    /// Whether it is over: its last day has passed, or a worker ended it.
    pub fn has_ended(&self, today: NaiveDate) -> bool {
        self.ended_at.is_some() || self.ends_on.is_some_and(|end| end < today)
    }

    /// What its progress is counted against: the goal when it has one (as its text says
    /// "已认领 5 / 目标 6 件"), else the units its wishes ask for.
    pub fn target_units(&self) -> u32 {
        if self.goal > 0 {
            self.goal
        } else {
            self.progress.units
        }
    }
}

/// How far a set of wishes has come, in units and in wishes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Progress {
    pub wishes: u32,
    pub wishes_fulfilled: u32,
    pub units: u32,
    pub units_claimed: u32,
    pub units_fulfilled: u32,
}

impl Progress {
    /// Share of units claimed, in whole percent (0 for an empty campaign).
    pub fn claimed_percent(&self) -> u32 {
        percent(self.units_claimed, self.units)
    }

    /// Share of units confirmed as received, in whole percent.
    pub fn fulfilled_percent(&self) -> u32 {
        percent(self.units_fulfilled, self.units)
    }
}

fn percent(part: u32, whole: u32) -> u32 {
    if whole == 0 {
        0
    } else {
        ((u64::from(part.min(whole)) * 100) / u64::from(whole)) as u32
    }
}

/// Part of a pledge by size or model, e.g. "32码 × 11", and how many of it are given out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PledgeVariant {
    pub label: String,
    pub quantity: u32,
    pub allocated: u32,
}

/// A shop's pledge as the shop and workers see it: where every unit went (wish title, alias,
/// grid: nothing private) and the thanks received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pledge {
    pub id: PledgeId,
    pub shop: UserId,
    /// The shop's public name (爱心商户).
    pub shop_name: String,
    pub title: String,
    pub category: Category,
    pub quantity: u32,
    pub unit: String,
    pub variants: Vec<PledgeVariant>,
    pub available_from: Option<NaiveDate>,
    pub yearly: bool,
    pub note: String,
    /// Units given to wishes (allocated, delivered or confirmed).
    pub allocated: u32,
    /// Units the shop dropped at a station (delivered or confirmed).
    pub delivered: u32,
    /// Units handed over to households.
    pub confirmed: u32,
    /// Units still to give out.
    pub remaining: u32,
    pub allocations: Vec<AllocationView>,
    pub created_at: DateTime<Utc>,
    /// The community it is offered to (its workers alone see and give it out); every
    /// community's when absent.
    #[serde(default)]
    pub community_id: Option<CommunityId>,
    /// When the shop took back what was not yet given out: nothing is left from then on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn_at: Option<DateTime<Utc>>,
}

/// A wish suggested for a pledge, and why.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Suggestion<'a> {
    pub wish: &'a PublicWish,
    pub fit: Fit,
}

/// What of a wish fits a pledge: it names the size given out, it asks for the same thing,
/// it is of the same category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fit {
    pub names_size: bool,
    pub same_thing: bool,
    pub same_category: bool,
}

/// What a Chinese title is about: its last word-character outside brackets and digits (the
/// head of the noun phrase: 鞋 in 儿童运动鞋(32码), 包 in 新书包).
fn head_word(title: &str) -> Option<char> {
    let mut depth = 0i32;
    let mut last = None;
    for c in title.chars() {
        match c {
            '(' | '（' | '[' | '【' => depth += 1,
            ')' | '）' | ']' | '】' => depth -= 1,
            c if depth <= 0 && c.is_alphabetic() && !c.is_ascii() => last = Some(c),
            _ => {}
        }
    }
    last
}

impl Pledge {
    /// Units of `variant` (or of the pledge, without variants) still to give out: none once
    /// withdrawn.
    pub fn left(&self, variant: Option<&str>) -> u32 {
        match variant {
            Some(_) if self.withdrawn_at.is_some() => 0,
            Some(label) => self
                .variants
                .iter()
                .find(|each| each.label == label)
                .map_or(0, |each| each.quantity.saturating_sub(each.allocated)),
            None => self.remaining,
        }
    }

    /// What the pledge gives, in one word (鞋 for 儿童鞋), if its title says.
    pub fn thing(&self) -> Option<char> {
        head_word(&self.title)
    }

    /// The open item wishes this pledge (of `variant`) suits, best first, each with why: a
    /// wish that names the size ("32码") or names the same thing (its title ends in the same
    /// word as the pledge's: 鞋 for 儿童鞋 and 运动鞋). Sharing the category alone is not a
    /// fit (children's shoes and a school uniform are both clothing); among fits it counts,
    /// then the same unit, then the most urgent first.
    pub fn suggested_wishes<'a>(
        &self,
        variant: Option<&str>,
        wishes: impl IntoIterator<Item = &'a PublicWish>,
    ) -> Vec<Suggestion<'a>> {
        // "32码" → "32": a wish may say "32码", "32 码" or "穿32的".
        let size: Option<String> = variant
            .map(|label| label.chars().filter(char::is_ascii_digit).collect())
            .filter(|digits: &String| !digits.is_empty());
        let thing = self.thing();
        let mut fits: Vec<(u32, Suggestion<'a>)> = wishes
            .into_iter()
            .filter(|wish| wish.kind == WishKind::Item && wish.status == WishStatus::Open)
            .filter(|wish| wish.remaining > 0)
            .filter_map(|wish| {
                let fit = Fit {
                    names_size: size.as_ref().is_some_and(|size| {
                        wish.title.contains(size.as_str())
                            || wish.description.contains(size.as_str())
                    }),
                    same_thing: thing.is_some_and(|thing| wish.title.contains(thing)),
                    same_category: wish.category == self.category,
                };
                let score = 8 * u32::from(fit.names_size)
                    + 4 * u32::from(fit.same_thing)
                    + 2 * u32::from(fit.same_category)
                    + u32::from(wish.unit == self.unit);
                (fit.names_size || fit.same_thing).then_some((score, Suggestion { wish, fit }))
            })
            .collect();
        fits.sort_by(|(a, x), (b, y)| {
            b.cmp(a)
                .then_with(|| {
                    x.wish
                        .needed_by
                        .unwrap_or(NaiveDate::MAX)
                        .cmp(&y.wish.needed_by.unwrap_or(NaiveDate::MAX))
                })
                .then_with(|| x.wish.id.cmp(&y.wish.id))
        });
        fits.into_iter().map(|(_, suggestion)| suggestion).collect()
    }

    /// Units the shop took back when it withdrew the pledge.
    pub fn withdrawn_units(&self) -> u32 {
        match self.withdrawn_at {
            Some(_) => self.quantity.saturating_sub(self.allocated),
            None => 0,
        }
    }

    /// The delivered, confirmed and remaining units, from its allocations' statuses and
    /// whether it was withdrawn.
    pub fn recount(&mut self) {
        self.remaining = match self.withdrawn_at {
            Some(_) => 0,
            None => self.quantity.saturating_sub(self.allocated),
        };
        let units = |keep: &dyn Fn(AllocationStatus) -> bool| -> u32 {
            self.allocations
                .iter()
                .filter(|allocation| keep(allocation.status))
                .map(|allocation| allocation.quantity)
                .sum()
        };
        self.delivered = units(&|status| {
            matches!(
                status,
                AllocationStatus::Delivered | AllocationStatus::Confirmed
            )
        });
        self.confirmed = units(&|status| status == AllocationStatus::Confirmed);
    }
}

/// Where some units of a pledge went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AllocationView {
    pub id: AllocationId,
    pub pledge_id: PledgeId,
    pub wish_id: WishId,
    pub wish_title: String,
    pub alias: String,
    pub grid: GridId,
    pub grid_name: String,
    /// The station the shop brings them to.
    pub station: String,
    pub variant: Option<String>,
    pub quantity: u32,
    pub status: AllocationStatus,
    pub thanks: Option<String>,
    /// The code the shop shows at the station: for the shop and the workers of the wish's
    /// community only (see [`crate::visibility::allocation_code`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handover_code: Option<crate::handover::HandoverCode>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Public figures for the home page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stats {
    pub wishes_open: u32,
    pub wishes_fulfilled: u32,
    pub wishes_total: u32,
    pub units_needed: u32,
    /// Households with at least one fulfilled wish (counted, never named).
    pub households_helped: u32,
    pub services_done: u32,
    pub pledged_units: u32,
    pub campaigns: u32,
    /// Residents' requests: counts and rates only.
    #[serde(default)]
    pub requests: crate::stats::PublicRequestStats,
}

/// The `{"items": [...], "next": cursor-or-null}` shape of every list endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

/// `?cursor=&limit=` of the paged lists other than the wishes (claims, timelines): `cursor`
/// is the `next` of the page before.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

impl PageQuery {
    pub const DEFAULT_LIMIT: u32 = 100;
    pub const MAX_LIMIT: u32 = 500;

    /// The page size to use: the default when absent, capped at `MAX_LIMIT`, at least 1.
    pub fn page_size(&self) -> u32 {
        self.limit
            .unwrap_or(Self::DEFAULT_LIMIT)
            .clamp(1, Self::MAX_LIMIT)
    }
}

/// Query of `GET /api/wishes`; every field is optional and they combine with AND.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct WishQuery {
    pub status: Option<WishStatus>,
    pub kind: Option<WishKind>,
    pub grid: Option<GridId>,
    pub category: Option<Category>,
    pub campaign: Option<CampaignId>,
    /// Free text, matched against title, description, alias and unit.
    pub q: Option<String>,
    /// The `next` value of the previous page (opaque).
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

impl WishQuery {
    pub const DEFAULT_LIMIT: u32 = 50;
    pub const MAX_LIMIT: u32 = 200;

    /// The page size to use: the default when absent, capped at `MAX_LIMIT`, at least 1.
    pub fn page_size(&self) -> u32 {
        self.limit
            .unwrap_or(Self::DEFAULT_LIMIT)
            .clamp(1, Self::MAX_LIMIT)
    }

    /// The `status` value of a list URL that asks for every public status; none means open
    /// wishes only, because donors come to find something still to do.
    pub const ALL_STATUSES: &'static str = "all";

    /// The filters a list page's URL holds (`/?kind=service&grid=grid-4&q=书包`), read through
    /// `param` (the value of a key). Unknown or malformed values are ignored, never an error: a
    /// mistyped link still shows wishes. The app's list and the server's drawing of it both read
    /// the URL with this.
    pub fn from_list_params(param: impl Fn(&str) -> Option<String>) -> WishQuery {
        let text = |key: &str| {
            param(key)
                .map(|value| value.trim().to_owned())
                .filter(|value| !value.is_empty())
        };
        WishQuery {
            kind: text("kind").and_then(|v| v.parse().ok()),
            grid: text("grid").map(|grid| grid.as_str().into()),
            category: text("category").and_then(|v| v.parse().ok()),
            status: match text("status").as_deref() {
                Some(Self::ALL_STATUSES) => None,
                Some(other) => Some(other.parse().unwrap_or(WishStatus::Open)),
                None => Some(WishStatus::Open),
            },
            q: text("q"),
            ..Default::default()
        }
    }

    /// The list URL's parameters for these filters, in order (the inverse of
    /// [`WishQuery::from_list_params`]); none for the default list of open wishes.
    pub fn list_params(&self) -> Vec<(&'static str, String)> {
        let mut params = Vec::new();
        if let Some(kind) = self.kind {
            params.push(("kind", kind.to_string()));
        }
        if let Some(grid) = &self.grid {
            params.push(("grid", grid.to_string()));
        }
        if let Some(category) = self.category {
            params.push(("category", category.to_string()));
        }
        match self.status {
            Some(WishStatus::Open) => {}
            Some(status) => params.push(("status", status.to_string())),
            None => params.push(("status", Self::ALL_STATUSES.to_owned())),
        }
        if let Some(q) = self.search_text() {
            params.push(("q", q.to_owned()));
        }
        params
    }

    /// The search text, trimmed; `None` when empty.
    pub fn search_text(&self) -> Option<&str> {
        self.q.as_deref().map(str::trim).filter(|q| !q.is_empty())
    }

    /// The search, word by word (spaces, full-width too, separate them): a wish is found
    /// when every word is in its text or names its category or group ("维修", "书包 文具").
    pub fn search_terms(&self) -> Vec<SearchTerm<'_>> {
        self.search_text()
            .map(|text| {
                text.split_whitespace()
                    .take(8)
                    .map(|text| SearchTerm {
                        text,
                        categories: Category::ALL
                            .iter()
                            .copied()
                            .filter(|category| term_names(text, category.search_words()))
                            .collect(),
                        groups: BeneficiaryGroup::ALL
                            .iter()
                            .copied()
                            .filter(|group| term_names(text, group.search_words()))
                            .collect(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Whether `wish` is one this query asks for: the same filter as the server's, for
    /// lists drawn from the offline cache. Statuses: none given means every public one.
    pub fn matches(&self, wish: &PublicWish) -> bool {
        let status_ok = match self.status {
            Some(status) => wish.status == status,
            None => wish.status.is_public(),
        };
        let text_ok = self.search_terms().iter().all(|term| {
            // The server's LIKE ignores ASCII case only; so does this.
            let q = term.text.to_ascii_lowercase();
            [&wish.title, &wish.description, &wish.alias, &wish.unit]
                .iter()
                .any(|field| field.to_ascii_lowercase().contains(&q))
                || term.categories.contains(&wish.category)
                || term.groups.contains(&wish.group)
        });
        status_ok
            && text_ok
            && self.kind.is_none_or(|kind| wish.kind == kind)
            && self.grid.as_ref().is_none_or(|grid| &wish.grid == grid)
            && self
                .category
                .is_none_or(|category| wish.category == category)
            && self
                .campaign
                .is_none_or(|campaign| wish.campaign_id == Some(campaign))
    }

    /// The order lists are shown in: most urgent first, undated last, then by id
    /// (the server's `ORDER BY`).
    pub fn sort(wishes: &mut [PublicWish]) {
        wishes.sort_by_key(Self::sort_key);
    }

    /// What [`WishQuery::sort`] orders by.
    pub fn sort_key(wish: &PublicWish) -> (bool, Option<NaiveDate>, WishId) {
        (wish.needed_by.is_none(), wish.needed_by, wish.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_url_holds_its_filters_and_reads_back_the_same() {
        let read = |params: &[(&'static str, String)]| {
            WishQuery::from_list_params(|key| {
                params
                    .iter()
                    .find(|(name, _)| *name == key)
                    .map(|(_, value)| value.clone())
            })
        };
        let open = read(&[]);
        assert_eq!(open.status, Some(WishStatus::Open));
        assert!(open.list_params().is_empty(), "the default list is plain /");
        let query = WishQuery {
            kind: Some(WishKind::Service),
            grid: Some("grid-4".into()),
            category: Some(Category::Haircut),
            status: None,
            q: Some(" 理发 ".into()),
            ..Default::default()
        };
        let params = query.list_params();
        let keys: Vec<_> = params.iter().map(|(key, _)| *key).collect();
        assert_eq!(keys, ["kind", "grid", "category", "status", "q"]);
        assert_eq!(
            read(&params),
            WishQuery {
                q: Some("理发".into()),
                ..query
            }
        );
        // What it cannot read is left out, never an error; a blank search is no search.
        let odd = read(&[
            ("kind", "rocket".into()),
            ("status", "nope".into()),
            ("q", "  ".into()),
        ]);
        assert_eq!(
            (odd.kind, odd.status, odd.q),
            (None, Some(WishStatus::Open), None)
        );
    }

    fn wish(title: &str, needed_by: Option<u32>) -> PublicWish {
        let at = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 7, 1, 0, 0, 0).unwrap();
        PublicWish {
            id: WishId::generate(),
            kind: WishKind::Item,
            title: title.into(),
            description: "Blue, size M".into(),
            category: Category::School,
            status: WishStatus::Open,
            quantity: 1,
            remaining: 1,
            claimed: 0,
            delivered: 0,
            fulfilled: 0,
            unit: "个".into(),
            alias: "王爷爷".into(),
            group: BeneficiaryGroup::ElderlyAlone,
            grid: GridId::from("grid-1"),
            grid_name: "第一网格".into(),
            station: "第一网格驿站".into(),
            station_location: "6幢".into(),
            needed_by: needed_by.and_then(|day| NaiveDate::from_ymd_opt(2026, 8, day)),
            campaign_id: None,
            campaign_title: None,
            created_at: at,
            updated_at: at,
        }
    }

    #[test]
    fn a_search_finds_category_and_group_words_and_every_word_counts() {
        let mut repair = wish("水龙头漏水", None);
        repair.category = Category::Repair;
        repair.kind = WishKind::Service;
        let mut haircut = wish("上门剪头发", None);
        haircut.category = Category::Haircut;
        let bag = wish("新书包", None);
        let search = |q: &str| {
            let query = WishQuery {
                q: Some(q.into()),
                ..WishQuery::default()
            };
            [&repair, &haircut, &bag]
                .iter()
                .filter(|wish| query.matches(wish))
                .map(|wish| wish.title.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(search("维修"), ["水龙头漏水"]);
        assert_eq!(search("修"), ["水龙头漏水"]);
        assert_eq!(search("理发"), ["上门剪头发"]);
        assert_eq!(search("书包 文具"), ["新书包"]);
        assert_eq!(
            search("书包\u{3000}学习用品"),
            ["新书包"],
            "a full-width space separates too"
        );
        assert!(search("书包 理发").is_empty(), "every word must match");
        assert_eq!(
            search("独居老人").len(),
            3,
            "the group's word finds its wishes"
        );
        assert_eq!(search("Repair"), ["水龙头漏水"], "English words, any case");
        assert_eq!(search("漏水"), ["水龙头漏水"], "text still matches");
    }

    #[test]
    fn a_pledge_suggests_wishes_that_name_its_size_then_its_category() {
        let at = wish("x", None).created_at;
        let shoes = Pledge {
            id: PledgeId::generate(),
            shop: UserId::generate(),
            shop_name: "大拇哥童鞋店".into(),
            title: "儿童鞋".into(),
            category: Category::Clothing,
            quantity: 20,
            unit: "双".into(),
            variants: vec![PledgeVariant {
                label: "32码".into(),
                quantity: 20,
                allocated: 5,
            }],
            available_from: None,
            yearly: true,
            note: String::new(),
            allocated: 5,
            delivered: 0,
            confirmed: 0,
            remaining: 15,
            allocations: Vec::new(),
            created_at: at,
            community_id: None,
            withdrawn_at: None,
        };
        assert_eq!(shoes.left(Some("32码")), 15);
        assert_eq!(shoes.left(Some("33码")), 0);
        let mut withdrawn = shoes.clone();
        withdrawn.withdrawn_at = Some(at);
        withdrawn.recount();
        assert_eq!(
            (withdrawn.left(Some("32码")), withdrawn.left(None)),
            (0, 0),
            "nothing left once withdrawn"
        );
        assert_eq!(withdrawn.withdrawn_units(), 15);
        let clothing = |title: &str, description: &str, day| PublicWish {
            category: Category::Clothing,
            description: description.into(),
            unit: "双".into(),
            ..wish(title, Some(day))
        };
        let sandals = clothing("儿童凉鞋", "32码", 20);
        let coat = clothing("冬季外套", "身高140", 5);
        let trainers = clothing("运动鞋", "穿 32 的", 25);
        let bag = wish("书包", Some(1));
        let mut taken = clothing("拖鞋", "32码", 1);
        taken.status = WishStatus::Claimed;
        taken.remaining = 0;
        let all = [&bag, &coat, &sandals, &trainers, &taken];
        let titles = |variant| -> Vec<&str> {
            shoes
                .suggested_wishes(variant, all.iter().copied())
                .into_iter()
                .map(|suggestion| suggestion.wish.title.as_str())
                .collect()
        };
        // Shoes naming the size (the sooner needed first); a coat is clothing too but no fit;
        // the school bag and the fully claimed wish are not suggested.
        assert_eq!(titles(Some("32码")), ["儿童凉鞋", "运动鞋"]);
        assert_eq!(titles(None), ["儿童凉鞋", "运动鞋"]);
        let why = shoes.suggested_wishes(Some("32码"), [&trainers]);
        assert_eq!(
            why[0].fit,
            Fit {
                names_size: true,
                same_thing: true,
                same_category: true
            }
        );
        // A wish of another category that names the size still fits, below one that fits
        // in every way.
        let mut socks = wish("袜子", Some(2));
        socks.description = "32码".into();
        assert_eq!(
            shoes
                .suggested_wishes(Some("32码"), [&socks, &sandals])
                .iter()
                .map(|s| s.wish.title.as_str())
                .collect::<Vec<_>>(),
            ["儿童凉鞋", "袜子"]
        );
        assert_eq!(head_word("儿童运动鞋(32码)"), Some('鞋'));
        assert_eq!(head_word("新书包"), Some('包'));
        assert_eq!(head_word("abc"), None);
    }

    #[test]
    fn queries_match_like_the_server() {
        let bag = wish("书包", Some(1));
        let search = |q: &str| WishQuery {
            q: Some(q.into()),
            ..Default::default()
        };
        assert!(search("书包").matches(&bag));
        assert!(search("爷爷").matches(&bag), "the alias is searched");
        assert!(search("blue").matches(&bag), "ASCII case is ignored");
        assert!(!search("风扇").matches(&bag));
        assert!(search("  ").matches(&bag), "a blank search is no search");
        let mut cancelled = bag.clone();
        cancelled.status = WishStatus::Cancelled;
        assert!(
            !WishQuery::default().matches(&cancelled),
            "only public wishes by default"
        );
        let services = WishQuery {
            kind: Some(WishKind::Service),
            ..Default::default()
        };
        assert!(!services.matches(&bag));
        let campaign = WishQuery {
            campaign: Some(CampaignId::generate()),
            ..Default::default()
        };
        assert!(!campaign.matches(&bag));
    }

    #[test]
    fn the_most_urgent_come_first_and_undated_last() {
        let mut wishes = vec![wish("c", None), wish("b", Some(20)), wish("a", Some(3))];
        WishQuery::sort(&mut wishes);
        let titles: Vec<_> = wishes.iter().map(|w| w.title.as_str()).collect();
        assert_eq!(titles, ["a", "b", "c"]);
    }

    #[test]
    fn enums_round_trip_through_their_text() {
        for kind in WishKind::ALL {
            assert_eq!(kind.as_str().parse::<WishKind>().unwrap(), *kind);
        }
        for status in WishStatus::ALL {
            let json = serde_json::to_string(status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
        for group in BeneficiaryGroup::ALL {
            assert_eq!(group.as_str().parse::<BeneficiaryGroup>().unwrap(), *group);
        }
        let err = "haircut!".parse::<Category>().unwrap_err();
        assert!(err.to_string().contains("haircut!"), "{err}");
    }

    #[test]
    fn public_statuses_exclude_drafts_and_cancelled() {
        assert!(WishStatus::Open.is_public());
        assert!(!WishStatus::Draft.is_public());
        assert!(!WishStatus::Cancelled.is_public());
    }

    #[test]
    fn progress_percent_is_bounded() {
        let progress = Progress {
            units: 8,
            units_claimed: 6,
            units_fulfilled: 2,
            ..Default::default()
        };
        assert_eq!(progress.claimed_percent(), 75);
        assert_eq!(progress.fulfilled_percent(), 25);
        assert_eq!(Progress::default().claimed_percent(), 0);
    }

    #[test]
    fn page_size_is_clamped() {
        let mut query = WishQuery::default();
        assert_eq!(query.page_size(), WishQuery::DEFAULT_LIMIT);
        query.limit = Some(0);
        assert_eq!(query.page_size(), 1);
        query.limit = Some(100_000);
        assert_eq!(query.page_size(), WishQuery::MAX_LIMIT);
    }

    #[test]
    fn wish_query_refuses_unknown_fields() {
        let parsed: Result<WishQuery, _> = serde_json::from_str(r#"{"colour":"red"}"#);
        assert!(parsed.is_err());
    }
}

#[cfg(test)]
mod campaign_tests {
    use super::*;

    fn drive(starts: Option<&str>, ends: Option<&str>, goal: u32) -> PublicCampaign {
        let date = |text: &str| text.parse::<NaiveDate>().unwrap();
        PublicCampaign {
            id: CampaignId::generate(),
            title: "六一童心愿".into(),
            description: String::new(),
            goal,
            unit: "件".into(),
            starts_on: starts.map(date),
            ends_on: ends.map(date),
            progress: Progress {
                wishes: 4,
                units: 5,
                units_claimed: 5,
                ..Progress::default()
            },
            created_at: DateTime::<Utc>::UNIX_EPOCH,
            community_id: None,
            ended_at: None,
        }
    }

    #[test]
    fn a_drive_ended_early_is_no_longer_running() {
        let today = "2026-07-10".parse().unwrap();
        let mut drive = drive(Some("2026-05-20"), Some("2026-07-28"), 6);
        assert!(drive.is_running(today));
        drive.ended_at = Some(DateTime::<Utc>::UNIX_EPOCH);
        assert!(!drive.is_running(today) && drive.has_ended(today));
    }

    #[test]
    fn a_drive_runs_from_its_first_to_its_last_day() {
        let today = "2026-07-28".parse().unwrap();
        assert!(drive(Some("2026-05-20"), Some("2026-07-28"), 6).is_running(today));
        assert!(drive(None, None, 6).is_running(today));
        let ended = drive(Some("2026-05-20"), Some("2026-07-27"), 6);
        assert!(!ended.is_running(today) && ended.has_ended(today));
        let later = drive(Some("2026-07-29"), None, 6);
        assert!(!later.is_running(today) && !later.has_ended(today));
    }

    #[test]
    fn progress_counts_against_the_goal_the_text_names() {
        assert_eq!(
            drive(None, None, 6).target_units(),
            6,
            "5 of 6, not a full bar"
        );
        assert_eq!(drive(None, None, 0).target_units(), 5);
    }
}
