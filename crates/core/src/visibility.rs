//! Who may see what, decided once. The pull, the REST reads, the exports and the phone's own
//! screens ask these predicates; none decides visibility on its own. Writes are decided in
//! [`crate::decide`]; this module only answers reads.
//!
//! The rules (DESIGN.md, "Privacy rules"):
//! - wishes in a public status ([`WishStatus::PUBLIC`]), campaigns and grids are for everyone;
//!   drafts and cancelled wishes for the workers of the wish's community only;
//! - a claim is seen by its owner and by the workers of its wish's community; the claimer's
//!   phone by those workers only;
//! - a household's private record (name, address, phone, notes) by the workers of its
//!   community only; its address and phone (never its name) also by the approved volunteer
//!   holding an active house call there, while it is active;
//! - a volunteer's vetting record (with their phone) by workers (of the volunteer's community,
//!   once volunteers belong to one);
//! - a pledge, with its allocations, by its shop and by workers;
//! - the timeline of a visible wish by everyone, but who acted (their name) and their note
//!   only by the workers of the wish's community and by the actor themselves.

use crate::command::Actor;
use crate::ids::{CommunityId, UserId};
use crate::model::{ClaimStatus, Me, Role, VolunteerStatus, WishKind, WishStatus};

/// A signed-in user as far as what they may see goes. Visitors are `None` wherever an
/// `Option<&Viewer>` is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewer {
    pub id: UserId,
    pub role: Role,
    /// For workers: the community they work for.
    pub community: Option<CommunityId>,
    /// For volunteers: their vetting.
    pub volunteer: Option<VolunteerStatus>,
}

impl Viewer {
    pub fn of(me: &Me) -> Viewer {
        Viewer {
            id: me.id,
            role: me.role,
            community: me.community,
            volunteer: me.volunteer_status,
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
}

fn works_in(viewer: Option<&Viewer>, community: Option<CommunityId>) -> bool {
    viewer.is_some_and(|viewer| viewer.works_in(community))
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
    })
}

/// Who sees a household's address and phone on a claim: the workers of its community, and the
/// approved volunteer who holds it as an active house call, only while it is active.
fn contact(viewer: &Viewer, claim: SeenClaim) -> Option<ContactSight> {
    if viewer.works_in(claim.community) {
        return Some(ContactSight { name: true });
    }
    let house_call = viewer.id == claim.owner
        && viewer.volunteer == Some(VolunteerStatus::Approved)
        && claim.kind == WishKind::Service
        && claim.status == ClaimStatus::Active;
    house_call.then_some(ContactSight { name: false })
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

/// Whether `viewer` may see a volunteer's vetting record (with their phone). A volunteer of no
/// community yet is for every worker to vet.
pub fn volunteer(viewer: Option<&Viewer>, volunteer_community: Option<CommunityId>) -> bool {
    match (viewer.and_then(Viewer::works_for), volunteer_community) {
        (Some(_), None) => true,
        (Some(worker), Some(theirs)) => worker == theirs,
        (None, _) => false,
    }
}

/// Which pledges a viewer may list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PledgeScope {
    /// Every pledge (workers allocate them).
    All,
    /// A shop's own.
    OfShop(UserId),
    Nothing,
}

pub fn pledge_scope(viewer: Option<&Viewer>) -> PledgeScope {
    match viewer {
        Some(viewer) if viewer.works_for().is_some() => PledgeScope::All,
        Some(viewer) if viewer.role == Role::Shopkeeper => PledgeScope::OfShop(viewer.id),
        _ => PledgeScope::Nothing,
    }
}

/// Whether `viewer` may see the pledge of `shop` (and its allocations).
pub fn pledge(viewer: Option<&Viewer>, shop: UserId) -> bool {
    match pledge_scope(viewer) {
        PledgeScope::All => true,
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

/// Campaigns and grids (with their stations, public places) are for everyone.
pub fn campaign(_viewer: Option<&Viewer>) -> bool {
    true
}

pub fn grid(_viewer: Option<&Viewer>) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    const HERE: CommunityId = CommunityId(Uuid::from_u128(1));
    const THERE: CommunityId = CommunityId(Uuid::from_u128(2));

    /// The people the table walks: visitors, each role, and a worker of another community.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Who {
        Visitor,
        Donor,
        PendingVolunteer,
        ApprovedVolunteer,
        Shopkeeper,
        Worker,
        OtherWorker,
    }

    const EVERYONE: [Who; 7] = [
        Who::Visitor,
        Who::Donor,
        Who::PendingVolunteer,
        Who::ApprovedVolunteer,
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
            })
        };
        match who {
            Who::Visitor => None,
            Who::Donor => user(Role::Donor, None, None),
            Who::PendingVolunteer => user(Role::Volunteer, None, Some(VolunteerStatus::Pending)),
            Who::ApprovedVolunteer => user(Role::Volunteer, None, Some(VolunteerStatus::Approved)),
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
    fn row(seen: impl Fn(Who) -> bool) -> [bool; 7] {
        EVERYONE.map(seen)
    }

    const Y: bool = true;
    const N: bool = false;

    #[test]
    fn every_role_sees_what_the_privacy_rules_allow() {
        //              visitor donor  pending approved shop  worker other
        let cases: Vec<(&str, [bool; 7], [bool; 7])> = vec![
            (
                "an open wish",
                row(|w| wish(viewer(w, false).as_ref(), WishStatus::Open, Some(HERE))),
                [Y, Y, Y, Y, Y, Y, Y],
            ),
            (
                "a closed wish",
                row(|w| wish(viewer(w, false).as_ref(), WishStatus::Closed, Some(HERE))),
                [Y, Y, Y, Y, Y, Y, Y],
            ),
            (
                "a draft",
                row(|w| wish(viewer(w, false).as_ref(), WishStatus::Draft, Some(HERE))),
                [N, N, N, N, N, Y, N],
            ),
            (
                "a cancelled wish",
                row(|w| wish(viewer(w, false).as_ref(), WishStatus::Cancelled, Some(HERE))),
                [N, N, N, N, N, Y, N],
            ),
            (
                "someone else's claim",
                row(|w| {
                    claim(viewer(w, false).as_ref(), house_call(ClaimStatus::Active)).is_some()
                }),
                [N, N, N, N, N, Y, N],
            ),
            (
                "one's own claim",
                row(|w| claim(viewer(w, true).as_ref(), house_call(ClaimStatus::Active)).is_some()),
                [N, Y, Y, Y, Y, Y, N],
            ),
            (
                "the claimer's phone on one's own claim",
                row(|w| {
                    claim(viewer(w, true).as_ref(), house_call(ClaimStatus::Active))
                        .is_some_and(|sight| sight.claimer_phone)
                }),
                [N, N, N, N, N, Y, N],
            ),
            (
                "the address on one's own active house call",
                row(|w| {
                    claim(viewer(w, true).as_ref(), house_call(ClaimStatus::Active))
                        .is_some_and(|sight| sight.contact.is_some())
                }),
                [N, N, N, Y, N, Y, N],
            ),
            (
                "the address on one's own delivered house call",
                row(|w| {
                    claim(viewer(w, true).as_ref(), house_call(ClaimStatus::Delivered))
                        .is_some_and(|sight| sight.contact.is_some())
                }),
                [N, N, N, N, N, Y, N],
            ),
            (
                "the household's name on an active house call",
                row(|w| {
                    claim(viewer(w, true).as_ref(), house_call(ClaimStatus::Active))
                        .and_then(|sight| sight.contact)
                        .is_some_and(|contact| contact.name)
                }),
                [N, N, N, N, N, Y, N],
            ),
            (
                "the address on one's own item claim",
                row(|w| {
                    let item = SeenClaim {
                        kind: WishKind::Item,
                        ..house_call(ClaimStatus::Active)
                    };
                    claim(viewer(w, true).as_ref(), item).is_some_and(|s| s.contact.is_some())
                }),
                [N, N, N, N, N, Y, N],
            ),
            (
                "a household's record",
                row(|w| household(viewer(w, false).as_ref(), Some(HERE))),
                [N, N, N, N, N, Y, N],
            ),
            (
                "this community's households, listed",
                row(|w| households_of(viewer(w, false).as_ref()) == Some(HERE)),
                [N, N, N, N, N, Y, N],
            ),
            (
                "a volunteer of no community yet",
                row(|w| volunteer(viewer(w, false).as_ref(), None)),
                [N, N, N, N, N, Y, Y],
            ),
            (
                "a volunteer of this community",
                row(|w| volunteer(viewer(w, false).as_ref(), Some(HERE))),
                [N, N, N, N, N, Y, N],
            ),
            (
                "another shop's pledge",
                row(|w| pledge(viewer(w, false).as_ref(), OWNER)),
                [N, N, N, N, N, Y, Y],
            ),
            (
                "one's own pledge",
                row(|w| pledge(viewer(w, true).as_ref(), OWNER)),
                [N, N, N, N, Y, Y, Y],
            ),
            (
                "who acted on a wish's timeline",
                row(|w| event_names(viewer(w, false).as_ref(), Some(OWNER), Some(HERE))),
                [N, N, N, N, N, Y, N],
            ),
            (
                "one's own name on a wish's timeline",
                row(|w| event_names(viewer(w, true).as_ref(), Some(OWNER), Some(HERE))),
                [N, Y, Y, Y, Y, Y, Y],
            ),
            (
                "a campaign",
                row(|w| campaign(viewer(w, false).as_ref())),
                [Y, Y, Y, Y, Y, Y, Y],
            ),
            (
                "a grid and its station",
                row(|w| grid(viewer(w, false).as_ref())),
                [Y, Y, Y, Y, Y, Y, Y],
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
                let pledges = match pledge_scope(looking.as_ref()) {
                    PledgeScope::All => true,
                    PledgeScope::OfShop(shop) => shop == OWNER,
                    PledgeScope::Nothing => false,
                };
                assert_eq!(
                    pledges,
                    pledge(looking.as_ref(), OWNER),
                    "pledges, {who:?} owning: {owns}"
                );
            }
        }
    }
}
