//! Who may see what, decided once. The pull, the REST reads, the exports and the phone's own
//! screens ask these predicates; none decides visibility on its own. Writes are decided in
//! [`crate::decide`]; this module only answers reads.
//!
//! The rules (DESIGN.md, "Privacy rules"):
//! - wishes in a public status ([`WishStatus::PUBLIC`]), campaigns and grids are for everyone;
//!   drafts and cancelled wishes for the workers of the wish's community only;
//! - a claim is seen by its owner and by the workers of its wish's community; the claimer's
//!   phone by those workers only; an item claim's hand-over code by the same two (the giver
//!   shows it, the workers check it offline);
//! - a household's private record (name, address, phone, notes) by the workers of its
//!   community only; its address and phone (never its name) also by the approved volunteer
//!   holding an active house call there, while it is active;
//! - a volunteer's vetting record (with their phone) by the workers of the volunteer's
//!   community only (a volunteer of no community by no worker: communities are sealed);
//! - a pledge, with its allocations, by its shop and by the workers of the community it is
//!   offered to (of every community, when offered to all); an allocation's hand-over code by
//!   its shop and the workers of its wish's community only;
//! - the timeline of a visible wish by everyone, but who acted (their name) and their note
//!   only by the workers of the wish's community and by the actor themselves;
//! - a resident's request in full (its words, unit, place, photos, timeline with notes) by its
//!   requester, the workers of its community and its handler; whom to call about it by the
//!   requester, those workers, and the handler only if the requester allowed contact; while
//!   it calls for help, its category, building and description by the approved party-member
//!   volunteers of its community (a [`crate::model::CallView`]); a volunteer who takes the
//!   call is its handler from then on. Nobody else sees anything of it but the public board's
//!   fields, once it is resolved and a worker wrote a public summary for it;
//! - buildings are public; a community's staff (workers, property) is for its workers;
//! - a notice by the user it is for, and nobody else (not even a worker).

use chrono::{DateTime, Utc};

use crate::command::Actor;
use crate::ids::{CommunityId, UserId};
use crate::model::Entity;
use crate::model::{
    CallView, ClaimStatus, Me, Request, RequestStatus, RequestView, Role, VolunteerStatus,
    WishKind, WishStatus,
};

/// A signed-in user as far as what they may see goes. Visitors are `None` wherever an
/// `Option<&Viewer>` is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewer {
    pub id: UserId,
    pub role: Role,
    /// Their community: the one a worker works for, the one others chose (if they did).
    pub community: Option<CommunityId>,
    /// For volunteers: their vetting.
    pub volunteer: Option<VolunteerStatus>,
    /// For volunteers: marked a party member, so they answer calls for help.
    pub party_member: bool,
}

impl Viewer {
    pub fn of(me: &Me) -> Viewer {
        Viewer {
            id: me.id,
            role: me.role,
            community: me.community,
            volunteer: me.volunteer_status,
            party_member: me.party_member,
        }
    }

    pub fn actor(&self) -> Actor {
        Actor::User {
            id: self.id,
            role: self.role,
        }
    }

    /// The community this viewer works for, if they are a community worker.
    pub fn works_for(&self) -> Option<CommunityId> {
        self.community.filter(|_| self.role == Role::Worker)
    }

    /// Whether this viewer is a worker of `community` (an unknown community is nobody's).
    pub fn works_in(&self, community: Option<CommunityId>) -> bool {
        community.is_some() && self.works_for() == community
    }

    /// Whether this viewer answers `community`'s calls for help: an approved volunteer of it,
    /// marked a party member.
    pub fn answers_calls_of(&self, community: CommunityId) -> bool {
        self.role == Role::Volunteer
            && self.volunteer == Some(VolunteerStatus::Approved)
            && self.party_member
            && self.community == Some(community)
    }
}

fn works_in(viewer: Option<&Viewer>, community: Option<CommunityId>) -> bool {
    viewer.is_some_and(|viewer| viewer.works_in(community))
}

/// What a visitor (no session) may ever be told of: wishes, campaigns, grids and buildings.
/// Every other kind of change (claims, households, volunteers, pledges, requests, staff,
/// notices) is never a visitor's, not even as a removal (see the functions below, each with
/// `None` for the viewer).
pub const PUBLIC_ENTITIES: &[Entity] = &[
    Entity::Wish,
    Entity::Campaign,
    Entity::Grid,
    Entity::Building,
];

/// The kinds of change a pull by `viewer` may carry, when fewer than all: a visitor's pull
/// reads only the public ones from the change log (a log of 300k claims is not a visitor's to
/// page through).
pub fn entities_of(viewer: Option<&Viewer>) -> Option<&'static [Entity]> {
    viewer.is_none().then_some(PUBLIC_ENTITIES)
}

/// Whether `viewer` may see a wish in `status` of `community` (its grid's).
pub fn wish(viewer: Option<&Viewer>, status: WishStatus, community: Option<CommunityId>) -> bool {
    status.is_public() || works_in(viewer, community)
}

/// Which wishes beyond the public ones a viewer may list: every status of their community's.
pub fn wishes_beyond_public(viewer: Option<&Viewer>) -> Option<CommunityId> {
    viewer.and_then(Viewer::works_for)
}

/// A claim as the rules of sight need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeenClaim {
    pub owner: UserId,
    /// The community of the claim's wish.
    pub community: Option<CommunityId>,
    pub kind: WishKind,
    pub status: ClaimStatus,
}

/// What of a claim a viewer sees (`None` from [`claim`]: nothing, not even that it exists).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimSight {
    /// The claimer's phone (the claimer's name goes with every claim a viewer may see).
    pub claimer_phone: bool,
    /// The household's contact on it, if any part of it.
    pub contact: Option<ContactSight>,
    /// Its hand-over code (items only: a house call is not handed over at a station).
    pub handover_code: bool,
}

/// What of a household's contact a viewer sees: always its address and phone, and the alias
/// to greet them by; the real name only where `name`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContactSight {
    pub name: bool,
}

/// What `viewer` may see of a claim.
pub fn claim(viewer: Option<&Viewer>, claim: SeenClaim) -> Option<ClaimSight> {
    let viewer = viewer?;
    // Workers see their community's claims (they make none); everyone else their own.
    let worker = viewer.works_for().is_some();
    let sees = if worker {
        viewer.works_in(claim.community)
    } else {
        viewer.id == claim.owner
    };
    if !sees {
        return None;
    }
    Some(ClaimSight {
        claimer_phone: worker,
        contact: contact(viewer, claim),
        handover_code: handover_code(viewer, claim),
    })
}

/// Who sees a claim's hand-over code: its giver (to show at the station) and the workers of
/// its wish's community (to check it offline); nobody else, on no public view.
fn handover_code(viewer: &Viewer, claim: SeenClaim) -> bool {
    claim.kind == WishKind::Item && (viewer.id == claim.owner || viewer.works_in(claim.community))
}

/// Who sees an allocation's hand-over code: its shop and the workers of the community of the
/// wish it goes to (a pledge offered to every community is seen by every community's
/// workers; its allocations' codes are not).
pub fn allocation_code(
    viewer: Option<&Viewer>,
    shop: UserId,
    wish_community: Option<CommunityId>,
) -> bool {
    viewer.is_some_and(|viewer| viewer.id == shop) || works_in(viewer, wish_community)
}

/// Who sees a household's address and phone on a claim: only on a house call (items go to a
/// grid station, never to a home), to the workers of its community (with the real name: a
/// read the server logs) and to the approved volunteer who holds it, only while it is active.
fn contact(viewer: &Viewer, claim: SeenClaim) -> Option<ContactSight> {
    if claim.kind != WishKind::Service {
        return None;
    }
    if viewer.works_in(claim.community) {
        return Some(ContactSight { name: true });
    }
    let house_call = viewer.id == claim.owner
        && viewer.volunteer == Some(VolunteerStatus::Approved)
        && claim.kind == WishKind::Service
        && claim.status == ClaimStatus::Active;
    house_call.then_some(ContactSight { name: false })
}

/// What a volunteer is told of their vetting note: the reason, once a worker declined or
/// suspended them (an approval's note is the worker's own record of the meeting).
pub fn vetting_reason(status: Option<VolunteerStatus>, note: Option<String>) -> Option<String> {
    note.filter(|note| status == Some(VolunteerStatus::Suspended) && !note.trim().is_empty())
}

/// Which claims a viewer may list: SQL filters on this, [`claim`] decides each one's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimScope {
    /// Every claim on a wish of this community.
    Community(CommunityId),
    /// Their own claims.
    Own(UserId),
    /// None at all (visitors).
    Nothing,
}

pub fn claim_scope(viewer: Option<&Viewer>) -> ClaimScope {
    match viewer {
        None => ClaimScope::Nothing,
        Some(viewer) => match viewer.works_for() {
            Some(community) => ClaimScope::Community(community),
            None => ClaimScope::Own(viewer.id),
        },
    }
}

/// Whether `viewer` may see a household's private record (every read is logged).
pub fn household(viewer: Option<&Viewer>, community: Option<CommunityId>) -> bool {
    works_in(viewer, community)
}

/// Whose households a viewer may list and export: their community's, for its workers.
pub fn households_of(viewer: Option<&Viewer>) -> Option<CommunityId> {
    viewer.and_then(Viewer::works_for)
}

/// Whether `viewer` may see a volunteer's vetting record (with their phone): the workers of
/// the volunteer's community only. A volunteer of no community is seen by no worker.
pub fn volunteer(viewer: Option<&Viewer>, volunteer_community: Option<CommunityId>) -> bool {
    works_in(viewer, volunteer_community)
}

/// Whose volunteers a viewer may list: their community's, for its workers.
pub fn volunteers_of(viewer: Option<&Viewer>) -> Option<CommunityId> {
    viewer.and_then(Viewer::works_for)
}

/// Which pledges a viewer may list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PledgeScope {
    /// The pledges offered to this community or to every community (its workers allocate
    /// them).
    OfferedTo(CommunityId),
    /// A shop's own.
    OfShop(UserId),
    Nothing,
}

pub fn pledge_scope(viewer: Option<&Viewer>) -> PledgeScope {
    match viewer {
        Some(Viewer {
            role: Role::Worker,
            community: Some(community),
            ..
        }) => PledgeScope::OfferedTo(*community),
        Some(viewer) if viewer.role == Role::Shopkeeper => PledgeScope::OfShop(viewer.id),
        _ => PledgeScope::Nothing,
    }
}

/// Whether `viewer` may see the pledge of `shop` offered to `offered_to` (every community
/// when `None`), and its allocations.
pub fn pledge(viewer: Option<&Viewer>, shop: UserId, offered_to: Option<CommunityId>) -> bool {
    match pledge_scope(viewer) {
        PledgeScope::OfferedTo(community) => offered_to.is_none_or(|offered| offered == community),
        PledgeScope::OfShop(own) => own == shop,
        PledgeScope::Nothing => false,
    }
}

/// Whether `viewer` sees who did something on a visible wish's timeline, and their note
/// (everyone else sees the actor's role only).
pub fn event_names(
    viewer: Option<&Viewer>,
    actor: Option<UserId>,
    wish_community: Option<CommunityId>,
) -> bool {
    works_in(viewer, wish_community) || (actor.is_some() && viewer.map(|v| v.id) == actor)
}

/// A request as the rules of sight need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeenRequest {
    pub community: CommunityId,
    /// Absent where not known (a call, as a volunteer's phone holds it).
    pub requester: Option<UserId>,
    pub handler: Option<UserId>,
    pub status: RequestStatus,
    pub contact_ok: bool,
}

impl SeenRequest {
    pub fn of(request: &Request) -> SeenRequest {
        SeenRequest {
            community: request.community,
            requester: Some(request.requester),
            handler: request.handler.map(|handler| handler.user_id),
            status: request.status,
            contact_ok: request.contact_ok,
        }
    }
}

/// What of a request a viewer sees (`None` from [`request`]: nothing, not even that it exists).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestSight {
    /// The request in full (a [`RequestView`]), with whom to call only where `contact`.
    Full { contact: bool },
    /// An open call's category, building and description (a [`CallView`]).
    Call,
}

/// What `viewer` may see of a request.
pub fn request(viewer: Option<&Viewer>, request: SeenRequest) -> Option<RequestSight> {
    let viewer = viewer?;
    if viewer.works_for().is_some() {
        // Workers see their community's requests (they file and handle only those).
        return viewer
            .works_in(Some(request.community))
            .then_some(RequestSight::Full { contact: true });
    }
    if request.requester == Some(viewer.id) {
        Some(RequestSight::Full { contact: true })
    } else if request.handler == Some(viewer.id) {
        Some(RequestSight::Full {
            contact: request.contact_ok,
        })
    } else if request.status == RequestStatus::Calling && viewer.answers_calls_of(request.community)
    {
        Some(RequestSight::Call)
    } else {
        None
    }
}

/// A request as one viewer receives it. On the wire it is either shape as it is (a
/// [`RequestView`] names its `requester`, a [`CallView`] its `building`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum ShownRequest {
    Full(Box<RequestView>),
    Call(CallView),
}

/// The view of `stored` that `viewer` may receive at `now`, if any: the one way a request
/// leaves the store (reads, the pull, exports).
pub fn show_request(
    viewer: Option<&Viewer>,
    stored: &Request,
    now: DateTime<Utc>,
) -> Option<ShownRequest> {
    match request(viewer, SeenRequest::of(stored))? {
        RequestSight::Full { contact } => Some(ShownRequest::Full(Box::new(RequestView::of(
            stored, contact, now,
        )))),
        RequestSight::Call => Some(ShownRequest::Call(CallView::of(stored))),
    }
}

/// Which requests a viewer may list: SQL filters on this, [`request`] decides each one's view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestScope {
    /// Every request of this community (its workers: the grid's first is the inbox's order).
    Community(CommunityId),
    /// Those they filed or handle, and, for a party-member volunteer, the open calls of their
    /// community.
    Own {
        user: UserId,
        calls_of: Option<CommunityId>,
    },
    Nothing,
}

pub fn request_scope(viewer: Option<&Viewer>) -> RequestScope {
    match viewer {
        None => RequestScope::Nothing,
        Some(viewer) => match viewer.works_for() {
            Some(community) => RequestScope::Community(community),
            None => RequestScope::Own {
                user: viewer.id,
                calls_of: viewer
                    .community
                    .filter(|community| viewer.answers_calls_of(*community)),
            },
        },
    }
}

/// Whether `viewer`, who may no longer see a request of `community`, is told that it left
/// their phone (a removal names the id, nothing more): the property staff and volunteers it
/// may have been handed to (a reopened request waits for a new handler), and the volunteers
/// its call went out to (taken by another, or no longer calling). Nobody else learns that
/// it exists.
pub fn told_request_left(viewer: Option<&Viewer>, community: CommunityId) -> bool {
    viewer.is_some_and(|viewer| match viewer.role {
        Role::Property => viewer.community == Some(community),
        // An approved volunteer of no community yet may be dispatched one.
        Role::Volunteer => viewer.community.is_none_or(|theirs| theirs == community),
        _ => false,
    })
}

/// Whether a request is on the public board: resolved (or closed since) with a summary a
/// worker wrote for the public. Its other fields never are.
pub fn on_board(status: RequestStatus, public_summary: Option<&str>) -> bool {
    status.is_resolved() && public_summary.is_some_and(|summary| !summary.trim().is_empty())
}

/// Whether `viewer` sees who did something on a request's timeline (those with its full view
/// see every step and note; names, as on a wish's timeline, only its community's workers and
/// the actor).
pub fn request_event_names(
    viewer: Option<&Viewer>,
    actor: Option<UserId>,
    community: CommunityId,
) -> bool {
    event_names(viewer, actor, Some(community))
}

/// Whether `viewer` may see a community's staff (to dispatch requests to): its workers.
pub fn staff(viewer: Option<&Viewer>, community: CommunityId) -> bool {
    works_in(viewer, Some(community))
}

/// Whether `viewer` may see (and mark) a notice to `owner`: theirs alone.
pub fn notice(viewer: Option<&Viewer>, owner: UserId) -> bool {
    viewer.is_some_and(|viewer| viewer.id == owner)
}

/// Buildings are public (a request names its building, never its unit).
pub fn building(_viewer: Option<&Viewer>) -> bool {
    true
}

/// Campaigns are for everyone but workers, who see their own community's only.
pub fn campaign(viewer: Option<&Viewer>, community: Option<CommunityId>) -> bool {
    match viewer.and_then(Viewer::works_for) {
        // Communities are sealed: a worker sees (and fills) their own community's drives.
        Some(_) => works_in(viewer, community),
        None => true,
    }
}

/// Grids (with their stations, public places) are for everyone.
pub fn grid(_viewer: Option<&Viewer>) -> bool {
    true
}

/// Whether `viewer` may say when a grid's station is open, whom to ask and whom to call: the
/// workers of the grid's community.
pub fn station_editable(viewer: Option<&Viewer>, community: CommunityId) -> bool {
    works_in(viewer, Some(community))
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    const HERE: CommunityId = CommunityId(Uuid::from_u128(1));
    const THERE: CommunityId = CommunityId(Uuid::from_u128(2));

    /// A visitor's pull reads only the public kinds; what it leaves out, the rules below never
    /// show a visitor anyway (claims, households, volunteers, pledges, requests, staff, notices).
    #[test]
    fn a_visitor_is_told_of_public_kinds_only() {
        assert_eq!(entities_of(None), Some(PUBLIC_ENTITIES));
        assert_eq!(pledge_scope(None), PledgeScope::Nothing);
        assert_eq!(request_scope(None), RequestScope::Nothing);
        assert!(volunteers_of(None).is_none() && households_of(None).is_none());
        assert!(!told_request_left(None, HERE));
        assert!(!staff(None, HERE) && !notice(None, UserId(Uuid::from_u128(3))));
        assert_eq!(claim_scope(None), ClaimScope::Nothing);
    }

    /// The people the table walks: visitors, each role, a volunteer marked a party member
    /// (of this community), and a worker of another community.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Who {
        Visitor,
        Donor,
        PendingVolunteer,
        ApprovedVolunteer,
        PartyMember,
        Resident,
        Property,
        Shopkeeper,
        Worker,
        OtherWorker,
    }

    const EVERYONE: [Who; 10] = [
        Who::Visitor,
        Who::Donor,
        Who::PendingVolunteer,
        Who::ApprovedVolunteer,
        Who::PartyMember,
        Who::Resident,
        Who::Property,
        Who::Shopkeeper,
        Who::Worker,
        Who::OtherWorker,
    ];

    /// The one user who owns whatever the table asks about (their claim, their pledge).
    const OWNER: UserId = UserId(Uuid::from_u128(99));

    fn viewer(who: Who, owns: bool) -> Option<Viewer> {
        let id = if owns {
            OWNER
        } else {
            UserId(Uuid::from_u128(7))
        };
        let user = |role, community, volunteer| {
            Some(Viewer {
                id,
                role,
                community,
                volunteer,
                party_member: false,
            })
        };
        let approved = Some(VolunteerStatus::Approved);
        match who {
            Who::Visitor => None,
            Who::Donor => user(Role::Donor, None, None),
            Who::PendingVolunteer => user(Role::Volunteer, None, Some(VolunteerStatus::Pending)),
            Who::ApprovedVolunteer => user(Role::Volunteer, Some(HERE), approved),
            Who::PartyMember => user(Role::Volunteer, Some(HERE), approved).map(|viewer| Viewer {
                party_member: true,
                ..viewer
            }),
            Who::Resident => user(Role::Resident, Some(HERE), None),
            Who::Property => user(Role::Property, Some(HERE), None),
            Who::Shopkeeper => user(Role::Shopkeeper, None, None),
            Who::Worker => user(Role::Worker, Some(HERE), None),
            Who::OtherWorker => user(Role::Worker, Some(THERE), None),
        }
    }

    fn house_call(status: ClaimStatus) -> SeenClaim {
        SeenClaim {
            owner: OWNER,
            community: Some(HERE),
            kind: WishKind::Service,
            status,
        }
    }

    /// One row of the table: what each of [`EVERYONE`] sees, in that order.
    fn row(seen: impl Fn(Who) -> bool) -> [bool; 10] {
        EVERYONE.map(seen)
    }

    /// A request of this community in `status`: filed by [`OWNER`] (`by_owner`) or someone
    /// else, handled by [`OWNER`] (`handled_by_owner`) or nobody.
    fn a_request(
        status: RequestStatus,
        by_owner: bool,
        handled_by_owner: bool,
        contact_ok: bool,
    ) -> SeenRequest {
        let someone = UserId(Uuid::from_u128(55));
        SeenRequest {
            community: HERE,
            requester: Some(if by_owner { OWNER } else { someone }),
            handler: handled_by_owner.then_some(OWNER),
            status,
            contact_ok,
        }
    }

    /// What `who` sees of `request` (owning it as [`a_request`] says).
    fn sight(who: Who, request: SeenRequest) -> Option<RequestSight> {
        let owns = request.requester == Some(OWNER) || request.handler == Some(OWNER);
        super::request(viewer(who, owns).as_ref(), request)
    }

    fn full(sight: Option<RequestSight>) -> bool {
        matches!(sight, Some(RequestSight::Full { .. }))
    }

    fn whom_to_call(sight: Option<RequestSight>) -> bool {
        matches!(sight, Some(RequestSight::Full { contact: true }))
    }

    const Y: bool = true;
    const N: bool = false;

    #[test]
    fn every_role_sees_what_the_privacy_rules_allow() {
        //              visitor donor pending approved party resident property shop worker other
        let calling = RequestStatus::Calling;
        let cases: Vec<(&str, [bool; 10], [bool; 10])> = vec![
            (
                "an open wish",
                row(|w| wish(viewer(w, false).as_ref(), WishStatus::Open, Some(HERE))),
                [Y, Y, Y, Y, Y, Y, Y, Y, Y, Y],
            ),
            (
                "a closed wish",
                row(|w| wish(viewer(w, false).as_ref(), WishStatus::Closed, Some(HERE))),
                [Y, Y, Y, Y, Y, Y, Y, Y, Y, Y],
            ),
            (
                "a draft",
                row(|w| wish(viewer(w, false).as_ref(), WishStatus::Draft, Some(HERE))),
                [N, N, N, N, N, N, N, N, Y, N],
            ),
            (
                "a cancelled wish",
                row(|w| wish(viewer(w, false).as_ref(), WishStatus::Cancelled, Some(HERE))),
                [N, N, N, N, N, N, N, N, Y, N],
            ),
            (
                "someone else's claim",
                row(|w| {
                    claim(viewer(w, false).as_ref(), house_call(ClaimStatus::Active)).is_some()
                }),
                [N, N, N, N, N, N, N, N, Y, N],
            ),
            (
                "one's own claim",
                row(|w| claim(viewer(w, true).as_ref(), house_call(ClaimStatus::Active)).is_some()),
                [N, Y, Y, Y, Y, Y, Y, Y, Y, N],
            ),
            (
                "the claimer's phone on one's own claim",
                row(|w| {
                    claim(viewer(w, true).as_ref(), house_call(ClaimStatus::Active))
                        .is_some_and(|sight| sight.claimer_phone)
                }),
                [N, N, N, N, N, N, N, N, Y, N],
            ),
            (
                "the address on one's own active house call",
                row(|w| {
                    claim(viewer(w, true).as_ref(), house_call(ClaimStatus::Active))
                        .is_some_and(|sight| sight.contact.is_some())
                }),
                [N, N, N, Y, Y, N, N, N, Y, N],
            ),
            (
                "the address on one's own delivered house call",
                row(|w| {
                    claim(viewer(w, true).as_ref(), house_call(ClaimStatus::Delivered))
                        .is_some_and(|sight| sight.contact.is_some())
                }),
                [N, N, N, N, N, N, N, N, Y, N],
            ),
            (
                "the household's name on an active house call",
                row(|w| {
                    claim(viewer(w, true).as_ref(), house_call(ClaimStatus::Active))
                        .and_then(|sight| sight.contact)
                        .is_some_and(|contact| contact.name)
                }),
                [N, N, N, N, N, N, N, N, Y, N],
            ),
            (
                "a home's address on an item claim (items go to the station)",
                row(|w| {
                    let item = SeenClaim {
                        kind: WishKind::Item,
                        ..house_call(ClaimStatus::Active)
                    };
                    claim(viewer(w, true).as_ref(), item).is_some_and(|s| s.contact.is_some())
                }),
                [N, N, N, N, N, N, N, N, N, N],
            ),
            (
                "a household's record",
                row(|w| household(viewer(w, false).as_ref(), Some(HERE))),
                [N, N, N, N, N, N, N, N, Y, N],
            ),
            (
                "this community's households, listed",
                row(|w| households_of(viewer(w, false).as_ref()) == Some(HERE)),
                [N, N, N, N, N, N, N, N, Y, N],
            ),
            (
                "a volunteer of no community (sealed: nobody's to vet)",
                row(|w| volunteer(viewer(w, false).as_ref(), None)),
                [N, N, N, N, N, N, N, N, N, N],
            ),
            (
                "this community's volunteers, listed",
                row(|w| volunteers_of(viewer(w, false).as_ref()) == Some(HERE)),
                [N, N, N, N, N, N, N, N, Y, N],
            ),
            (
                "a volunteer of this community",
                row(|w| volunteer(viewer(w, false).as_ref(), Some(HERE))),
                [N, N, N, N, N, N, N, N, Y, N],
            ),
            (
                "another shop's pledge offered to every community",
                row(|w| pledge(viewer(w, false).as_ref(), OWNER, None)),
                [N, N, N, N, N, N, N, N, Y, Y],
            ),
            (
                "another shop's pledge offered to this community",
                row(|w| pledge(viewer(w, false).as_ref(), OWNER, Some(HERE))),
                [N, N, N, N, N, N, N, N, Y, N],
            ),
            (
                "one's own pledge",
                row(|w| pledge(viewer(w, true).as_ref(), OWNER, Some(THERE))),
                [N, N, N, N, N, N, N, Y, N, Y],
            ),
            (
                "who acted on a wish's timeline",
                row(|w| event_names(viewer(w, false).as_ref(), Some(OWNER), Some(HERE))),
                [N, N, N, N, N, N, N, N, Y, N],
            ),
            (
                "one's own name on a wish's timeline",
                row(|w| event_names(viewer(w, true).as_ref(), Some(OWNER), Some(HERE))),
                [N, Y, Y, Y, Y, Y, Y, Y, Y, Y],
            ),
            (
                "a campaign of this community",
                row(|w| campaign(viewer(w, false).as_ref(), Some(HERE))),
                [Y, Y, Y, Y, Y, Y, Y, Y, Y, N],
            ),
            (
                "a campaign of another community",
                row(|w| campaign(viewer(w, false).as_ref(), Some(THERE))),
                [Y, Y, Y, Y, Y, Y, Y, Y, N, Y],
            ),
            (
                "a grid and its station",
                row(|w| grid(viewer(w, false).as_ref())),
                [Y, Y, Y, Y, Y, Y, Y, Y, Y, Y],
            ),
            (
                "someone else's request",
                row(|w| {
                    sight(w, a_request(RequestStatus::Submitted, false, false, true)).is_some()
                }),
                [N, N, N, N, N, N, N, N, Y, N],
            ),
            (
                "one's own request, in full",
                row(|w| {
                    full(sight(
                        w,
                        a_request(RequestStatus::Dispatched, true, false, false),
                    ))
                }),
                [N, Y, Y, Y, Y, Y, Y, Y, Y, N],
            ),
            (
                "whom to call on one's own request",
                row(|w| {
                    whom_to_call(sight(
                        w,
                        a_request(RequestStatus::Dispatched, true, false, false),
                    ))
                }),
                [N, Y, Y, Y, Y, Y, Y, Y, Y, N],
            ),
            (
                "a request one handles, in full (its words, unit, photos)",
                row(|w| {
                    full(sight(
                        w,
                        a_request(RequestStatus::InProgress, false, true, false),
                    ))
                }),
                [N, Y, Y, Y, Y, Y, Y, Y, Y, N],
            ),
            (
                "whom to call on a request one handles, contact not allowed",
                row(|w| {
                    whom_to_call(sight(
                        w,
                        a_request(RequestStatus::InProgress, false, true, false),
                    ))
                }),
                [N, N, N, N, N, N, N, N, Y, N],
            ),
            (
                "whom to call on a request one handles, contact allowed",
                row(|w| {
                    whom_to_call(sight(
                        w,
                        a_request(RequestStatus::InProgress, false, true, true),
                    ))
                }),
                [N, Y, Y, Y, Y, Y, Y, Y, Y, N],
            ),
            (
                "a request that calls for help, anything of it",
                row(|w| sight(w, a_request(calling, false, false, true)).is_some()),
                [N, N, N, N, Y, N, N, N, Y, N],
            ),
            (
                "a request that calls for help, as a call only",
                row(|w| {
                    sight(w, a_request(calling, false, false, true)) == Some(RequestSight::Call)
                }),
                [N, N, N, N, Y, N, N, N, N, N],
            ),
            (
                "a request that calls for help, in full",
                row(|w| full(sight(w, a_request(calling, false, false, true)))),
                [N, N, N, N, N, N, N, N, Y, N],
            ),
            (
                "an accepted request that calls nobody",
                row(|w| sight(w, a_request(RequestStatus::Accepted, false, false, true)).is_some()),
                [N, N, N, N, N, N, N, N, Y, N],
            ),
            (
                "open calls of this community, listed",
                row(|w| {
                    matches!(
                        request_scope(viewer(w, false).as_ref()),
                        RequestScope::Own {
                            calls_of: Some(HERE),
                            ..
                        }
                    )
                }),
                [N, N, N, N, Y, N, N, N, N, N],
            ),
            (
                "this community's requests, listed",
                row(|w| request_scope(viewer(w, false).as_ref()) == RequestScope::Community(HERE)),
                [N, N, N, N, N, N, N, N, Y, N],
            ),
            (
                "a resolved request with a public summary, on the board",
                row(|_| on_board(RequestStatus::Resolved, Some("已更换楼道灯"))),
                [Y, Y, Y, Y, Y, Y, Y, Y, Y, Y],
            ),
            (
                "a closed request with a public summary, on the board",
                row(|_| on_board(RequestStatus::Closed, Some("已清理"))),
                [Y, Y, Y, Y, Y, Y, Y, Y, Y, Y],
            ),
            (
                "a resolved request without a public summary, on the board",
                row(|_| on_board(RequestStatus::Resolved, Some("  "))),
                [N, N, N, N, N, N, N, N, N, N],
            ),
            (
                "a declined request, on the board",
                row(|_| on_board(RequestStatus::Declined, Some("请拨打12345"))),
                [N, N, N, N, N, N, N, N, N, N],
            ),
            (
                "who acted on a request's timeline",
                row(|w| request_event_names(viewer(w, false).as_ref(), Some(OWNER), HERE)),
                [N, N, N, N, N, N, N, N, Y, N],
            ),
            (
                "told that a request of this community left their phone",
                row(|w| told_request_left(viewer(w, false).as_ref(), HERE)),
                [N, N, Y, Y, Y, N, Y, N, N, N],
            ),
            (
                "this community's staff",
                row(|w| staff(viewer(w, false).as_ref(), HERE)),
                [N, N, N, N, N, N, N, N, Y, N],
            ),
            (
                "a building",
                row(|w| building(viewer(w, false).as_ref())),
                [Y, Y, Y, Y, Y, Y, Y, Y, Y, Y],
            ),
            (
                "a notice to its owner",
                row(|w| notice(viewer(w, true).as_ref(), OWNER)),
                [N, Y, Y, Y, Y, Y, Y, Y, Y, Y],
            ),
            (
                "someone else's notice",
                row(|w| notice(viewer(w, false).as_ref(), OWNER)),
                [N, N, N, N, N, N, N, N, N, N],
            ),
        ];
        for (what, seen, expected) in cases {
            for ((who, seen), expected) in EVERYONE.iter().zip(seen).zip(expected) {
                assert_eq!(seen, expected, "{what}, seen by {who:?}");
            }
        }
    }

    #[test]
    fn a_wish_of_no_known_community_is_public_only() {
        let worker = viewer(Who::Worker, false);
        assert!(!wish(worker.as_ref(), WishStatus::Draft, None));
        assert!(wish(worker.as_ref(), WishStatus::Open, None));
    }

    #[test]
    fn a_call_reaches_approved_party_members_of_its_community_only() {
        let call = a_request(RequestStatus::Calling, false, false, true);
        let party = viewer(Who::PartyMember, false).unwrap();
        assert_eq!(request(Some(&party), call), Some(RequestSight::Call));
        let elsewhere = Viewer {
            community: Some(THERE),
            ..party
        };
        assert_eq!(request(Some(&elsewhere), call), None);
        let suspended = Viewer {
            volunteer: Some(VolunteerStatus::Suspended),
            ..party
        };
        assert_eq!(request(Some(&suspended), call), None);
        let of_no_community = Viewer {
            community: None,
            ..party
        };
        assert_eq!(request(Some(&of_no_community), call), None);
        assert_eq!(
            request_scope(Some(&of_no_community)),
            RequestScope::Own {
                user: party.id,
                calls_of: None
            }
        );
    }

    #[test]
    fn scopes_agree_with_the_single_answers() {
        for who in EVERYONE {
            for owns in [false, true] {
                let looking = viewer(who, owns);
                let listed = match claim_scope(looking.as_ref()) {
                    ClaimScope::Community(community) => community == HERE,
                    ClaimScope::Own(user) => user == OWNER,
                    ClaimScope::Nothing => false,
                };
                let seen = claim(looking.as_ref(), house_call(ClaimStatus::Active)).is_some();
                assert_eq!(listed, seen, "claims, {who:?} owning: {owns}");
                for offered in [None, Some(HERE), Some(THERE)] {
                    let pledges = match pledge_scope(looking.as_ref()) {
                        PledgeScope::OfferedTo(community) => {
                            offered.is_none_or(|offered| offered == community)
                        }
                        PledgeScope::OfShop(shop) => shop == OWNER,
                        PledgeScope::Nothing => false,
                    };
                    assert_eq!(
                        pledges,
                        pledge(looking.as_ref(), OWNER, offered),
                        "pledges, {who:?} owning: {owns}, offered to {offered:?}"
                    );
                }
                let volunteers = volunteers_of(looking.as_ref());
                for theirs in [None, Some(HERE), Some(THERE)] {
                    assert_eq!(
                        theirs.is_some() && volunteers == theirs,
                        volunteer(looking.as_ref(), theirs),
                        "volunteers, {who:?}, of {theirs:?}"
                    );
                }
                for (status, handled) in [
                    (RequestStatus::Calling, false),
                    (RequestStatus::Dispatched, true),
                    (RequestStatus::Resolved, false),
                ] {
                    let seen = a_request(status, owns && !handled, owns && handled, true);
                    let listed = match request_scope(looking.as_ref()) {
                        RequestScope::Community(community) => community == seen.community,
                        RequestScope::Own { user, calls_of } => {
                            seen.requester == Some(user)
                                || seen.handler == Some(user)
                                || (calls_of == Some(seen.community)
                                    && seen.status == RequestStatus::Calling)
                        }
                        RequestScope::Nothing => false,
                    };
                    assert_eq!(
                        listed,
                        request(looking.as_ref(), seen).is_some(),
                        "requests {status}, {who:?} owning: {owns}"
                    );
                }
            }
        }
    }
}
