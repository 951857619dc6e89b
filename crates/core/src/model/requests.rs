//! Residents' requests (诉求, 居民点单 → 派单 → 办理 → 回访): their vocabulary, the stored
//! record and the views that leave it. A request's words, unit, photos and the phone to call
//! reach only its requester, its community's workers and its handler; the volunteers a call
//! goes out to see a [`CallView`]; everyone else at most a [`BoardItem`]. Each is a separate
//! struct built from the stored [`Request`] (which is never sent as it is), so a field cannot
//! reach someone who may not see it; [`crate::visibility::request`] says which one.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::clock::community_today;
use crate::ids::{BuildingId, CommunityId, GridId, Phone, PhotoId, RequestId, UserId, WishId};

string_enum! {
    /// `submitted` → `accepted` → (`calling` →) `dispatched` → `in_progress` → `resolved` →
    /// `closed`; reopened by the requester, a resolved request is `accepted` again;
    /// `declined` and `merged` are final (see [`crate::rules::next_request_status`]).
    RequestStatus {
        Submitted = "submitted",
        Accepted = "accepted",
        /// The grid's party-member volunteers are called (支部吹哨); the first to take it
        /// holds it.
        Calling = "calling",
        Dispatched = "dispatched",
        InProgress = "in_progress",
        Resolved = "resolved",
        Closed = "closed",
        Declined = "declined",
        Merged = "merged",
    }
}

impl RequestStatus {
    /// Awaiting its resolution: filed and neither resolved nor ended.
    pub const OPEN: &'static [RequestStatus] = &[
        RequestStatus::Submitted,
        RequestStatus::Accepted,
        RequestStatus::Calling,
        RequestStatus::Dispatched,
        RequestStatus::InProgress,
    ];

    /// Resolved, and perhaps closed since (confirmed, or its answer time passed).
    pub const RESOLVED: &'static [RequestStatus] =
        &[RequestStatus::Resolved, RequestStatus::Closed];

    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }

    pub fn is_resolved(self) -> bool {
        Self::RESOLVED.contains(&self)
    }

    /// No transition leaves a final state.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            RequestStatus::Closed | RequestStatus::Declined | RequestStatus::Merged
        )
    }

    /// Which limit a request in this status has missed at `now`, if any: not accepted by
    /// `accept_by`, or not resolved by `resolve_by` (the first one missed is named).
    pub fn overdue(
        self,
        accept_by: DateTime<Utc>,
        resolve_by: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Option<Overdue> {
        match self {
            RequestStatus::Submitted if now > accept_by => Some(Overdue::Accept),
            status if status.is_open() && now > resolve_by => Some(Overdue::Resolve),
            _ => None,
        }
    }
}

/// The limit an overdue request missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overdue {
    /// Not accepted in time: it goes to every worker of the community.
    Accept,
    Resolve,
}

string_enum! {
    /// What a request is about.
    RequestCategory {
        /// Something broken (a pipe, a corridor light).
        Repair = "repair",
        /// Dirt or pests (spilled oil in a stairwell, fleas in the garage).
        Cleaning = "cleaning",
        /// A hazard.
        Safety = "safety",
        /// A matter between neighbours.
        Neighbour = "neighbour",
        /// Someone needs help (an elderly neighbour living alone).
        Help = "help",
        Suggestion = "suggestion",
        Other = "other",
    }
}

string_enum! {
    Urgency { Normal = "normal", Urgent = "urgent" }
}

string_enum! {
    /// How a request reached the community: filed in the app by the requester, or logged by
    /// a worker from a call, a visit or the grid's WeChat group.
    Channel {
        App = "app",
        Phone = "phone",
        Visit = "visit",
        WechatGroup = "wechat_group",
    }
}

string_enum! {
    /// Who handles a request: a community worker, the property company's staff, or a
    /// party-member volunteer who took the call.
    HandlerKind { Worker = "worker", Property = "property", Volunteer = "volunteer" }
}

string_enum! {
    /// A photo shows the problem (`before`, from the requester) or the fix (`after`, from
    /// the handler).
    PhotoStage { Before = "before", After = "after" }
}

/// A building (幢) of a community, in one of its grids. Public: a request names its building,
/// never more of where someone lives unless they add their unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Building {
    pub id: BuildingId,
    /// e.g. "星怡花园32幢".
    pub name: String,
    pub grid: GridId,
}

/// Whoever a request is dispatched to (or the volunteer who took its call).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Handler {
    pub kind: HandlerKind,
    pub user_id: UserId,
}

/// Whom a worker logged a request for (a resident who called, came by or wrote in the WeChat
/// group). Both optional: an anonymous tip has neither.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OnBehalf {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A mobile or a landline. Only for those who may call about the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestPhoto {
    pub id: PhotoId,
    pub stage: PhotoStage,
}

/// At most this many photos of each stage.
pub const PHOTOS_PER_STAGE: usize = 3;

/// Whom to call about a request: the person a worker logged it for, or the requester.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestContact {
    pub name: String,
    pub phone: String,
}

/// A request as stored, with the requester's name and phone and its building's name. Never
/// sent as it is: [`crate::visibility::request`] says which view of it a viewer gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub id: RequestId,
    pub community: CommunityId,
    /// The building's grid.
    pub grid: GridId,
    pub building_id: BuildingId,
    /// The building's name.
    pub building: String,
    pub unit: Option<String>,
    pub place: Option<String>,
    pub category: RequestCategory,
    pub description: String,
    pub urgency: Urgency,
    /// The handler may call them.
    pub contact_ok: bool,
    pub channel: Channel,
    pub status: RequestStatus,
    pub requester: UserId,
    pub requester_name: String,
    pub requester_phone: Phone,
    pub on_behalf: Option<OnBehalf>,
    pub handler: Option<Handler>,
    pub accept_by: DateTime<Utc>,
    pub resolve_by: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// When it ended: closed, declined or merged.
    pub closed_at: Option<DateTime<Utc>>,
    pub rating: Option<u8>,
    pub rating_note: Option<String>,
    pub public_summary: Option<String>,
    pub wish_id: Option<WishId>,
    pub merged_into: Option<RequestId>,
    pub photos: Vec<RequestPhoto>,
    pub reopen_count: u32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Request {
    /// Whom to call about it: the person it was logged for (if a worker noted their phone),
    /// otherwise the requester.
    pub fn contact(&self) -> Option<RequestContact> {
        match &self.on_behalf {
            Some(person) => person.phone.as_ref().map(|phone| RequestContact {
                name: person.name.clone().unwrap_or_default(),
                phone: phone.clone(),
            }),
            None => Some(RequestContact {
                name: self.requester_name.clone(),
                phone: self.requester_phone.to_string(),
            }),
        }
    }

    pub fn overdue(&self, now: DateTime<Utc>) -> Option<Overdue> {
        self.status.overdue(self.accept_by, self.resolve_by, now)
    }
}

/// A request as its requester, its community's workers and its handler see it
/// (`GET /api/requests/{id}`, the sync entity `request`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestView {
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
    pub status: RequestStatus,
    pub requester: UserId,
    /// Whom a worker logged it for; their phone only where `contact` is shown.
    pub on_behalf: Option<OnBehalf>,
    pub handler: Option<Handler>,
    pub accept_by: DateTime<Utc>,
    pub resolve_by: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub rating: Option<u8>,
    pub rating_note: Option<String>,
    pub public_summary: Option<String>,
    pub wish_id: Option<WishId>,
    pub merged_into: Option<RequestId>,
    pub photos: Vec<RequestPhoto>,
    pub reopen_count: u32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Past a limit when the view was made (lists from the cache ask [`RequestView::overdue`]).
    #[serde(default)]
    pub overdue: bool,
    /// Whom to call: for the requester, the community's workers, and the handler if the
    /// requester allowed contact; absent for everyone else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<RequestContact>,
}

impl RequestView {
    /// The view of `request` at `now`, with whom to call only where `contact`.
    pub fn of(request: &Request, contact: bool, now: DateTime<Utc>) -> RequestView {
        let on_behalf = request.on_behalf.clone().map(|person| OnBehalf {
            phone: person.phone.filter(|_| contact),
            ..person
        });
        RequestView {
            id: request.id,
            community: request.community,
            grid: request.grid.clone(),
            building_id: request.building_id,
            unit: request.unit.clone(),
            place: request.place.clone(),
            category: request.category,
            description: request.description.clone(),
            urgency: request.urgency,
            contact_ok: request.contact_ok,
            channel: request.channel,
            status: request.status,
            requester: request.requester,
            on_behalf,
            handler: request.handler,
            accept_by: request.accept_by,
            resolve_by: request.resolve_by,
            accepted_at: request.accepted_at,
            resolved_at: request.resolved_at,
            closed_at: request.closed_at,
            rating: request.rating,
            rating_note: request.rating_note.clone(),
            public_summary: request.public_summary.clone(),
            wish_id: request.wish_id,
            merged_into: request.merged_into,
            photos: request.photos.clone(),
            reopen_count: request.reopen_count,
            created_at: request.created_at,
            updated_at: request.updated_at,
            overdue: request.overdue(now).is_some(),
            contact: request.contact().filter(|_| contact),
        }
    }

    pub fn overdue(&self, now: DateTime<Utc>) -> Option<Overdue> {
        self.status.overdue(self.accept_by, self.resolve_by, now)
    }

    /// The limit it is working towards now: acceptance, then resolution; none once resolved
    /// or ended.
    pub fn next_deadline(&self) -> Option<DateTime<Utc>> {
        match self.status {
            RequestStatus::Submitted => Some(self.accept_by),
            status if status.is_open() => Some(self.resolve_by),
            _ => None,
        }
    }
}

/// An open call for help as the party-member volunteers of its community see it: what and
/// which building, never the unit, the requester or their phone (those come once a volunteer
/// holds it, in the [`RequestView`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CallView {
    pub id: RequestId,
    pub grid: GridId,
    pub building_id: BuildingId,
    /// The building's name.
    pub building: String,
    pub category: RequestCategory,
    pub urgency: Urgency,
    pub description: String,
    /// `calling` while it is open (on a phone that took it, what the phone did meanwhile).
    pub status: RequestStatus,
    pub created_at: DateTime<Utc>,
}

impl CallView {
    pub fn of(request: &Request) -> CallView {
        CallView {
            id: request.id,
            grid: request.grid.clone(),
            building_id: request.building_id,
            building: request.building.clone(),
            category: request.category,
            urgency: request.urgency,
            description: request.description.clone(),
            status: request.status,
            created_at: request.created_at,
        }
    }
}

/// `GET /api/requests/{id}`: the request as the viewer may see it (see
/// [`crate::visibility::show_request`]) with its timeline, oldest first — every step and note
/// for those who see it in full (names as [`crate::visibility::request_event_names`] says),
/// none for the volunteers a call goes out to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestDetail {
    #[serde(flatten)]
    pub request: crate::visibility::ShownRequest,
    pub timeline: Vec<super::EventView>,
}

/// The answer to `PUT /api/requests/{id}/photos/{photo_id}`: the photo as the server keeps it
/// (re-encoded, shrunk to at most [`PHOTO_LONG_SIDE`] pixels on its long side).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadedPhoto {
    pub id: PhotoId,
    pub width: u32,
    pub height: u32,
}

/// The longest side of a stored photo, in pixels (the phone shrinks them to this before
/// sending; the server again, whatever arrives).
pub const PHOTO_LONG_SIDE: u32 = 1600;

/// A fixed problem on the public board (已办结, `GET /api/board`): what the worker wrote for
/// the public, the category, the building (never the unit) and the day it was resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BoardItem {
    pub id: RequestId,
    pub category: RequestCategory,
    /// The building's name.
    pub building: String,
    /// The community day it was resolved.
    pub resolved_on: NaiveDate,
    pub public_summary: String,
}

impl BoardItem {
    /// `request` on the board, if it belongs there (see [`crate::visibility::on_board`]).
    pub fn of(request: &Request) -> Option<BoardItem> {
        let summary = request.public_summary.as_ref()?;
        let resolved_at = request.resolved_at?;
        crate::visibility::on_board(request.status, Some(summary)).then(|| BoardItem {
            id: request.id,
            category: request.category,
            building: request.building.clone(),
            resolved_on: community_today(resolved_at),
            public_summary: summary.clone(),
        })
    }
}

/// A community's worker or property staff, as its workers see them to dispatch requests
/// (the sync entity `staff`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffMember {
    pub id: UserId,
    pub display_name: String,
    /// `worker` or `property`.
    pub role: crate::model::Role,
    pub phone: Phone,
    pub community: CommunityId,
}

/// How fast a community answers requests (接诉即办's limits), and how long a requester has to
/// confirm or reopen a resolved one. Sent to phones in the [`crate::command::Policy`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestLimits {
    /// Accept an urgent request within (minutes).
    #[serde(with = "crate::command::minutes")]
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub accept_urgent: Duration,
    /// Accept any other request within (minutes).
    #[serde(with = "crate::command::minutes")]
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub accept_normal: Duration,
    /// Resolve an urgent request within (minutes).
    #[serde(with = "crate::command::minutes")]
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub resolve_urgent: Duration,
    /// Resolve any other request within (minutes) …
    #[serde(with = "crate::command::minutes")]
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub resolve_normal: Duration,
    /// … but a suggestion (not urgent) within (minutes).
    #[serde(with = "crate::command::minutes")]
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub resolve_suggestion: Duration,
    /// The requester confirms or reopens a resolved request within (minutes); after that it
    /// closes itself, unrated.
    #[serde(with = "crate::command::minutes")]
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub answer: Duration,
}

impl Default for RequestLimits {
    fn default() -> Self {
        RequestLimits {
            accept_urgent: Duration::minutes(30),
            accept_normal: Duration::hours(4),
            resolve_urgent: Duration::hours(24),
            resolve_normal: Duration::hours(72),
            resolve_suggestion: Duration::days(7),
            answer: Duration::days(7),
        }
    }
}

impl RequestLimits {
    /// When a request filed at `filed_at` must be accepted, and resolved, by.
    pub fn deadlines(
        &self,
        category: RequestCategory,
        urgency: Urgency,
        filed_at: DateTime<Utc>,
    ) -> (DateTime<Utc>, DateTime<Utc>) {
        let (accept, resolve) = match (urgency, category) {
            (Urgency::Urgent, _) => (self.accept_urgent, self.resolve_urgent),
            (Urgency::Normal, RequestCategory::Suggestion) => {
                (self.accept_normal, self.resolve_suggestion)
            }
            (Urgency::Normal, _) => (self.accept_normal, self.resolve_normal),
        };
        (filed_at + accept, filed_at + resolve)
    }

    /// Until when the requester may confirm or reopen a request resolved at `resolved_at`.
    pub fn answer_until(&self, resolved_at: DateTime<Utc>) -> DateTime<Utc> {
        resolved_at + self.answer
    }
}

/// Query of `GET /api/requests`; every field is optional and they combine with AND. Who sees
/// which requests at all is [`crate::visibility::request_scope`]'s.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct RequestQuery {
    pub status: Option<RequestStatus>,
    pub grid: Option<GridId>,
    pub category: Option<RequestCategory>,
    /// Only the overdue ones (`true`) or only the others (`false`).
    pub overdue: Option<bool>,
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

impl RequestQuery {
    /// Whether `request` is one this query asks for at `now` (the server's filter, for lists
    /// drawn from the cache).
    pub fn matches(&self, request: &RequestView, now: DateTime<Utc>) -> bool {
        self.status.is_none_or(|status| request.status == status)
            && self.grid.as_ref().is_none_or(|grid| &request.grid == grid)
            && self
                .category
                .is_none_or(|category| request.category == category)
            && self
                .overdue
                .is_none_or(|overdue| request.overdue(now).is_some() == overdue)
    }

    /// The inbox's order: open requests first, the nearest limit first (so the overdue lead),
    /// then the others, the latest changed first; ties by id.
    pub fn sort(requests: &mut [RequestView]) {
        requests.sort_by(|a, b| {
            match (a.next_deadline(), b.next_deadline()) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => b.updated_at.cmp(&a.updated_at),
            }
            .then_with(|| a.id.cmp(&b.id))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{from_china, to_china};
    use chrono::{NaiveTime, TimeZone};

    pub(crate) fn request(status: RequestStatus) -> Request {
        let filed = Utc.with_ymd_and_hms(2026, 7, 1, 2, 0, 0).unwrap();
        let (accept_by, resolve_by) =
            RequestLimits::default().deadlines(RequestCategory::Repair, Urgency::Normal, filed);
        Request {
            id: RequestId::generate(),
            community: CommunityId::generate(),
            grid: GridId::from("grid-1"),
            building_id: BuildingId::generate(),
            building: "星怡花园32幢".into(),
            unit: Some("1202室".into()),
            place: Some("楼道".into()),
            category: RequestCategory::Repair,
            description: "楼道灯坏了".into(),
            urgency: Urgency::Normal,
            contact_ok: true,
            channel: Channel::App,
            status,
            requester: UserId::generate(),
            requester_name: "李阿姨".into(),
            requester_phone: Phone::parse("13912345678").unwrap(),
            on_behalf: None,
            handler: None,
            accept_by,
            resolve_by,
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
            created_at: filed,
            updated_at: filed,
        }
    }

    #[test]
    fn limits_follow_urgency_and_category_and_cross_midnight_in_china_time() {
        let limits = RequestLimits::default();
        // Filed at 22:00 China time on 1 July: four hours to accept is 02:00 on 2 July.
        let filed = from_china(
            NaiveDate::from_ymd_opt(2026, 7, 1).unwrap(),
            NaiveTime::from_hms_opt(22, 0, 0).unwrap(),
        );
        let (accept_by, resolve_by) =
            limits.deadlines(RequestCategory::Repair, Urgency::Normal, filed);
        assert_eq!(
            to_china(accept_by).to_string(),
            "2026-07-02 02:00:00",
            "the limit runs across the community's midnight"
        );
        assert_eq!(to_china(resolve_by).to_string(), "2026-07-04 22:00:00");
        let (accept_by, resolve_by) =
            limits.deadlines(RequestCategory::Safety, Urgency::Urgent, filed);
        assert_eq!(to_china(accept_by).to_string(), "2026-07-01 22:30:00");
        assert_eq!(to_china(resolve_by).to_string(), "2026-07-02 22:00:00");
        let (_, resolve_by) = limits.deadlines(RequestCategory::Suggestion, Urgency::Normal, filed);
        assert_eq!(resolve_by - filed, Duration::days(7));

        let mut repair = request(RequestStatus::Submitted);
        repair.accept_by = accept_by;
        repair.resolve_by = resolve_by;
        let just_before = accept_by - Duration::minutes(1);
        let just_after = accept_by + Duration::minutes(1);
        assert_eq!(repair.overdue(accept_by), None, "at the limit is in time");
        assert_eq!(repair.overdue(just_before), None);
        assert_eq!(repair.overdue(just_after), Some(Overdue::Accept));
        repair.status = RequestStatus::Accepted;
        assert_eq!(repair.overdue(just_after), None);
        assert_eq!(
            repair.overdue(resolve_by + Duration::seconds(1)),
            Some(Overdue::Resolve)
        );
        for done in [
            RequestStatus::Resolved,
            RequestStatus::Closed,
            RequestStatus::Declined,
            RequestStatus::Merged,
        ] {
            repair.status = done;
            assert_eq!(repair.overdue(resolve_by + Duration::days(30)), None);
        }
    }

    #[test]
    fn the_view_hides_whom_to_call_unless_allowed_and_the_call_hides_the_rest() {
        let mut logged = request(RequestStatus::Dispatched);
        logged.on_behalf = Some(OnBehalf {
            name: Some("王奶奶".into()),
            phone: Some("0513-8888 8888".into()),
        });
        let now = logged.created_at;
        let full = RequestView::of(&logged, true, now);
        assert_eq!(
            full.contact,
            Some(RequestContact {
                name: "王奶奶".into(),
                phone: "0513-8888 8888".into()
            }),
            "the person it was logged for, not the worker who logged it"
        );
        let without = RequestView::of(&logged, false, now);
        assert_eq!(without.contact, None);
        assert_eq!(without.on_behalf.as_ref().unwrap().phone, None);
        assert_eq!(without.on_behalf.unwrap().name.as_deref(), Some("王奶奶"));
        let json = serde_json::to_value(CallView::of(&logged)).unwrap();
        for private in [
            "unit",
            "place",
            "requester",
            "on_behalf",
            "contact",
            "photos",
        ] {
            assert!(json.get(private).is_none(), "{private} is not in a call");
        }
        let mine = request(RequestStatus::Submitted);
        assert_eq!(
            RequestView::of(&mine, true, now).contact.unwrap().phone,
            "13912345678"
        );
    }

    #[test]
    fn a_detail_travels_as_either_view_with_its_timeline_and_comes_back_the_same() {
        use crate::visibility::ShownRequest;
        let stored = request(RequestStatus::Calling);
        let full = RequestDetail {
            request: ShownRequest::Full(Box::new(RequestView::of(
                &stored,
                true,
                stored.created_at,
            ))),
            timeline: Vec::new(),
        };
        let call = RequestDetail {
            request: ShownRequest::Call(CallView::of(&stored)),
            timeline: Vec::new(),
        };
        for detail in [full, call] {
            let json = serde_json::to_value(&detail).unwrap();
            assert!(
                json["timeline"].is_array() && json["id"].is_string(),
                "{json}"
            );
            let back: RequestDetail = serde_json::from_value(json).unwrap();
            assert_eq!(back, detail);
        }
    }

    #[test]
    fn only_resolved_requests_with_a_public_summary_reach_the_board() {
        let mut fixed = request(RequestStatus::Resolved);
        // 20:00 UTC is 04:00 the next day in China.
        fixed.resolved_at = Some(Utc.with_ymd_and_hms(2026, 7, 3, 20, 0, 0).unwrap());
        assert_eq!(
            BoardItem::of(&fixed),
            None,
            "nothing written for the public"
        );
        fixed.public_summary = Some("已更换楼道灯".into());
        let item = BoardItem::of(&fixed).unwrap();
        assert_eq!(
            item.resolved_on,
            NaiveDate::from_ymd_opt(2026, 7, 4).unwrap()
        );
        let json = serde_json::to_value(&item).unwrap();
        assert_eq!(
            json.as_object().unwrap().keys().collect::<Vec<_>>(),
            [
                "building",
                "category",
                "id",
                "public_summary",
                "resolved_on"
            ]
        );
        fixed.status = RequestStatus::Accepted;
        assert_eq!(BoardItem::of(&fixed), None, "reopened: off the board");
    }

    #[test]
    fn queries_filter_like_the_server_and_the_inbox_leads_with_the_nearest_limit() {
        let now = request(RequestStatus::Submitted).created_at;
        let view = |status, hours: i64| {
            let mut request = request(status);
            request.accept_by = now + Duration::hours(hours);
            request.resolve_by = now + Duration::hours(hours + 10);
            RequestView::of(&request, true, now)
        };
        let late = view(RequestStatus::Submitted, -1);
        let soon = view(RequestStatus::Submitted, 1);
        let accepted = view(RequestStatus::Accepted, -5);
        let done = view(RequestStatus::Closed, -50);
        let overdue = RequestQuery {
            overdue: Some(true),
            ..RequestQuery::default()
        };
        assert!(overdue.matches(&late, now));
        assert!(!overdue.matches(&soon, now));
        assert!(!overdue.matches(&done, now));
        let repairs = RequestQuery {
            category: Some(RequestCategory::Repair),
            status: Some(RequestStatus::Accepted),
            ..RequestQuery::default()
        };
        assert!(repairs.matches(&accepted, now) && !repairs.matches(&late, now));
        let mut inbox = vec![done.clone(), soon.clone(), accepted.clone(), late.clone()];
        RequestQuery::sort(&mut inbox);
        let order: Vec<_> = inbox.iter().map(|r| r.id).collect();
        assert_eq!(order, [late.id, soon.id, accepted.id, done.id]);
    }
}
