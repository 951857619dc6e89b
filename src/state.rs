//! What the screens show, as fine-grained reactive state: a signal per wish, per claim, per
//! campaign, per grid, so that a pull touching one wish re-renders that wish's card and
//! nothing else; plus the user's notices (通知), the sync indicator, the sync's messages and
//! who is logged in. The sync driver
//! writes it; pages and components only read it.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use leptos::prelude::*;
use microwish_core::decide::Written;
use microwish_core::engine::{Changed, Notice, SessionState, SyncStatus};
use microwish_core::overlay::LocalState;
use microwish_core::{
    Building, BuildingId, CallView, CampaignId, ClaimId, ClaimView, Grid, GridId, Household,
    HouseholdId, Me, NoticeId, Pledge, PledgeId, PublicCampaign, PublicWish, RequestId,
    RequestView, StaffMember, UserId, VolunteerView, WishId,
};

use crate::photos::{PhotoProblem, QueuedPhoto};

/// One kind of entity: which ids exist (a signal that changes only when one comes or goes)
/// and a signal per entity (that changes only when that entity does).
pub struct Collection<K: 'static, V: 'static> {
    ids: RwSignal<Vec<K>>,
    items: StoredValue<HashMap<K, ArcRwSignal<V>>>,
    /// Changes when an entity comes, goes, or changes where lists place it.
    order: Trigger,
    /// Whether two values of an entity sit in the same place in every list (only their
    /// figures differ).
    same_place: fn(&V, &V) -> bool,
}

impl<K: 'static, V: 'static> Clone for Collection<K, V> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K: 'static, V: 'static> Copy for Collection<K, V> {}

impl<K, V> Collection<K, V>
where
    K: Clone + Eq + Hash + Ord + Send + Sync + 'static,
    V: Clone + PartialEq + Send + Sync + 'static,
{
    pub fn new() -> Self {
        Self::placed_by(|_, _| false)
    }

    /// A collection whose lists depend only on what `same_place` compares.
    pub fn placed_by(same_place: fn(&V, &V) -> bool) -> Self {
        Collection {
            ids: RwSignal::new(Vec::new()),
            items: StoredValue::new(HashMap::new()),
            order: Trigger::new(),
            same_place,
        }
    }

    /// The ids present (tracked: changes when one comes or goes).
    pub fn ids(&self) -> Vec<K> {
        self.ids.get()
    }

    pub fn len(&self) -> usize {
        self.ids.with(Vec::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The signal of one entity (tracks whether it exists; read it to track its value).
    pub fn signal(&self, id: &K) -> Option<ArcRwSignal<V>> {
        self.ids.track();
        self.items.with_value(|items| items.get(id).cloned())
    }

    /// One entity's current value (tracked).
    pub fn get(&self, id: &K) -> Option<V> {
        self.signal(id).map(|signal| signal.get())
    }

    /// The ids of the entities `keep` accepts (tracked: membership and every value read).
    pub fn filter(&self, keep: impl Fn(&V) -> bool) -> Vec<K> {
        self.ids.track();
        self.items.with_value(|items| {
            items
                .iter()
                .filter(|(_, signal)| signal.with(&keep))
                .map(|(id, _)| id.clone())
                .collect()
        })
    }

    /// What `pick` takes from each entity it accepts (tracked: membership and every value read).
    pub fn select<T>(&self, pick: impl Fn(&V) -> Option<T>) -> Vec<T> {
        self.ids.track();
        self.items.with_value(|items| {
            items
                .values()
                .filter_map(|signal| signal.with(&pick))
                .collect()
        })
    }

    /// Like [`Collection::select`], but tracking only what places entities in lists (not
    /// every figure): for lists that filter and sort.
    pub fn select_placed<T>(&self, pick: impl Fn(&V) -> Option<T>) -> Vec<T> {
        self.order.track();
        self.items.with_value(|items| {
            items
                .values()
                .filter_map(|signal| signal.with_untracked(&pick))
                .collect()
        })
    }

    /// Every value `keep` accepts (tracked).
    pub fn values(&self, keep: impl Fn(&V) -> bool) -> Vec<V> {
        self.ids.track();
        self.items.with_value(|items| {
            items
                .values()
                .filter_map(|signal| signal.with(|value| keep(value).then(|| value.clone())))
                .collect()
        })
    }

    /// Puts (or, with `None`, removes) one entity; a value equal to the one shown changes
    /// nothing and re-renders nothing.
    pub fn put(&self, id: K, value: Option<V>) {
        let existing = self.items.with_value(|items| items.get(&id).cloned());
        match (existing, value) {
            (Some(signal), Some(value)) => {
                let (same, moved) = signal.with_untracked(|current| {
                    (*current == value, !(self.same_place)(current, &value))
                });
                if !same {
                    signal.set(value);
                }
                if moved {
                    self.order.notify();
                }
            }
            (None, Some(value)) => {
                self.items
                    .update_value(|items| drop(items.insert(id.clone(), ArcRwSignal::new(value))));
                self.ids.update(|ids| {
                    let at = ids.binary_search(&id).unwrap_or_else(|at| at);
                    ids.insert(at, id);
                });
                self.order.notify();
            }
            (Some(_), None) => {
                self.items.update_value(|items| drop(items.remove(&id)));
                self.ids.update(|ids| ids.retain(|other| *other != id));
                self.order.notify();
            }
            (None, None) => {}
        }
    }

    /// Makes the collection hold exactly `values`, changing only what differs.
    pub fn replace_all(&self, values: &HashMap<K, V>) {
        let gone: Vec<K> = self.items.with_value(|items| {
            items
                .keys()
                .filter(|id| !values.contains_key(*id))
                .cloned()
                .collect()
        });
        for id in gone {
            self.put(id, None);
        }
        for (id, value) in values {
            self.put(id.clone(), Some(value.clone()));
        }
    }
}

impl<K, V> Default for Collection<K, V>
where
    K: Clone + Eq + Hash + Ord + Send + Sync + 'static,
    V: Clone + PartialEq + Send + Sync + 'static,
{
    fn default() -> Self {
        Self::new()
    }
}

/// Everything the screens read, provided once by the app.
#[derive(Clone, Copy)]
pub struct Data {
    pub wishes: Collection<WishId, PublicWish>,
    pub claims: Collection<ClaimId, ClaimView>,
    pub campaigns: Collection<CampaignId, PublicCampaign>,
    pub grids: Collection<GridId, Grid>,
    /// Workers only: their community's households, and the volunteers to vet.
    pub households: Collection<HouseholdId, Household>,
    pub volunteers: Collection<UserId, VolunteerView>,
    /// A shop's own pledges; every pledge for workers.
    pub pledges: Collection<PledgeId, Pledge>,
    /// The requests the user filed or handles; every request of their community for workers.
    pub requests: Collection<RequestId, RequestView>,
    /// Open calls for help, for a party-member volunteer.
    pub calls: Collection<RequestId, CallView>,
    pub buildings: Collection<BuildingId, Building>,
    /// The community's workers and property staff, for its workers (whom to dispatch to).
    pub staff: Collection<UserId, StaffMember>,
    /// The user's notices (通知), as read offline too; marking read shows at once.
    pub my_notices: Collection<NoticeId, microwish_core::Notice>,
    /// Claims and wishes with changes the server has not taken yet.
    pub pending_claims: RwSignal<HashSet<ClaimId>>,
    pub pending_wishes: RwSignal<HashSet<WishId>>,
    pub pending_pledges: RwSignal<HashSet<PledgeId>>,
    pub pending_households: RwSignal<HashSet<HouseholdId>>,
    pub pending_volunteers: RwSignal<HashSet<UserId>>,
    pub pending_requests: RwSignal<HashSet<RequestId>>,
    /// Photos kept on the phone until their request is on the server, and those it refused.
    pub photos: RwSignal<Vec<QueuedPhoto>>,
    pub photo_problems: RwSignal<Vec<PhotoProblem>>,
    /// The device's cache has been read.
    pub loaded: RwSignal<bool>,
    /// The cache holds a complete copy from some pull (possibly an old one).
    pub synced: RwSignal<bool>,
    pub status: RwSignal<SyncStatus>,
    /// What the sync has to tell (a change the server refused), until dismissed.
    pub notices: RwSignal<Vec<Notice>>,
    pub session: RwSignal<SessionState>,
}

impl Data {
    pub fn new(session: SessionState) -> Data {
        Data {
            wishes: Collection::placed_by(same_place),
            claims: Collection::new(),
            campaigns: Collection::new(),
            grids: Collection::new(),
            households: Collection::new(),
            volunteers: Collection::new(),
            pledges: Collection::new(),
            requests: Collection::new(),
            calls: Collection::new(),
            buildings: Collection::new(),
            staff: Collection::new(),
            my_notices: Collection::new(),
            pending_claims: RwSignal::new(HashSet::new()),
            pending_wishes: RwSignal::new(HashSet::new()),
            pending_pledges: RwSignal::new(HashSet::new()),
            pending_households: RwSignal::new(HashSet::new()),
            pending_volunteers: RwSignal::new(HashSet::new()),
            pending_requests: RwSignal::new(HashSet::new()),
            photos: RwSignal::new(Vec::new()),
            photo_problems: RwSignal::new(Vec::new()),
            loaded: RwSignal::new(false),
            synced: RwSignal::new(false),
            status: RwSignal::new(SyncStatus::Starting),
            notices: RwSignal::new(Vec::new()),
            session: RwSignal::new(session),
        }
    }

    /// The logged-in user (tracked), `None` while checking or when logged out.
    pub fn me(&self) -> Option<Me> {
        self.session.with(|state| match state {
            SessionState::LoggedIn(me) => Some(me.clone()),
            _ => None,
        })
    }

    /// Whether a pledge (or one of its allocations) waits for the server (tracked).
    pub fn is_pending_pledge(&self, id: PledgeId) -> bool {
        self.pending_pledges.with(|pending| pending.contains(&id))
    }

    /// Whether a request has changes the server has not taken yet (tracked).
    pub fn is_pending_request(&self, id: RequestId) -> bool {
        self.pending_requests.with(|pending| pending.contains(&id))
    }

    /// How many of the user's notices are unread (tracked: the tab bar's badge).
    pub fn unread_notices(&self) -> usize {
        self.my_notices
            .select(|notice| notice.read_at.is_none().then_some(()))
            .len()
    }

    /// How many claims wait for a worker's confirmation (tracked: 待确认's badge).
    pub fn awaiting_worker(&self) -> usize {
        self.claims
            .select(|claim| claim.status.awaits_worker().then_some(()))
            .len()
    }

    /// Whether a claim waits for the server (tracked).
    pub fn is_pending_claim(&self, id: ClaimId) -> bool {
        self.pending_claims.with(|pending| pending.contains(&id))
    }

    /// Shows what changed in `view` (the cache with pending changes applied); only what
    /// differs re-renders.
    pub fn publish(&self, view: &LocalState, changed: &Changed, pending: &Written, synced: bool) {
        if changed.all {
            self.wishes.replace_all(&view.wishes);
            self.claims.replace_all(&view.claims);
            self.campaigns.replace_all(&view.campaigns);
            self.grids.replace_all(&view.grids);
            self.households.replace_all(&view.households);
            self.volunteers.replace_all(&view.volunteers);
            self.pledges.replace_all(&view.pledges);
            self.requests.replace_all(&view.requests);
            self.calls.replace_all(&view.calls);
            self.buildings.replace_all(&view.buildings);
            self.staff.replace_all(&view.staff);
            self.my_notices.replace_all(&view.notices);
        } else {
            for id in &changed.wishes {
                self.wishes.put(*id, view.wishes.get(id).cloned());
            }
            for id in &changed.claims {
                self.claims.put(*id, view.claims.get(id).cloned());
            }
            for id in &changed.campaigns {
                self.campaigns.put(*id, view.campaigns.get(id).cloned());
            }
            for id in &changed.grids {
                self.grids.put(id.clone(), view.grids.get(id).cloned());
            }
            for id in &changed.households {
                self.households.put(*id, view.households.get(id).cloned());
            }
            for id in &changed.volunteers {
                self.volunteers.put(*id, view.volunteers.get(id).cloned());
            }
            for id in &changed.pledges {
                self.pledges.put(*id, view.pledges.get(id).cloned());
            }
            for id in &changed.requests {
                self.requests.put(*id, view.requests.get(id).cloned());
            }
            for id in &changed.calls {
                self.calls.put(*id, view.calls.get(id).cloned());
            }
            for id in &changed.buildings {
                self.buildings.put(*id, view.buildings.get(id).cloned());
            }
            for id in &changed.staff {
                self.staff.put(*id, view.staff.get(id).cloned());
            }
            for id in &changed.notices {
                self.my_notices.put(*id, view.notices.get(id).cloned());
            }
        }
        set_if_changed(self.pending_wishes, &pending.wishes);
        set_if_changed(self.pending_claims, &pending.claims);
        set_if_changed(self.pending_pledges, &pending.pledges);
        set_if_changed(self.pending_households, &pending.households);
        set_if_changed(self.pending_volunteers, &pending.volunteers);
        set_if_changed(self.pending_requests, &pending.requests);
        if self.synced.get_untracked() != synced {
            self.synced.set(synced);
        }
        if !self.loaded.get_untracked() {
            self.loaded.set(true);
        }
    }

    pub fn dismiss(&self, mutation: u64) {
        self.notices
            .update(|notices| notices.retain(|notice| notice.mutation != mutation));
    }
}

/// Replaces a set of pending ids only when it differs, so that nothing re-renders for nothing.
fn set_if_changed<T: Clone + Eq + Hash + Send + Sync + 'static>(
    signal: RwSignal<HashSet<T>>,
    ids: &[T],
) {
    let ids: HashSet<T> = ids.iter().cloned().collect();
    if signal.with_untracked(|old| *old != ids) {
        signal.set(ids);
    }
}

/// The state the app provided.
pub fn use_data() -> Data {
    expect_context::<Data>()
}

/// Two versions of a wish that every list filters and sorts alike (core's `WishQuery` reads
/// these fields): only its figures changed.
fn same_place(a: &PublicWish, b: &PublicWish) -> bool {
    a.status == b.status
        && a.kind == b.kind
        && a.grid == b.grid
        && a.category == b.category
        && a.campaign_id == b.campaign_id
        && a.needed_by == b.needed_by
        && a.title == b.title
        && a.description == b.description
        && a.alias == b.alias
        && a.unit == b.unit
}
