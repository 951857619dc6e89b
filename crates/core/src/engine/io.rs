//! What goes in and out of the sync engine: the inputs the driver feeds it, the effects it
//! asks for, and the records it keeps (meta, snapshot, notices).

use crate::command::{Command, Policy};
use crate::decide::Written;
use crate::error::RuleError;
use crate::ids::{
    BuildingId, CampaignId, ClaimId, ClientId, GridId, HouseholdId, NoticeId, PledgeId, RequestId,
    UserId, WishId,
};
use crate::model::Me;
use crate::overlay::LocalState;
use crate::problem::ProblemCode;
use crate::sync::{Change, Mutation, PullResponse, PushRequest, PushResponse};

/// Facts about this device's sync, kept with the cache.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Meta {
    /// One per login on this device: the server ties a client to one user.
    pub client_id: ClientId,
    pub cursor: u64,
    /// The last of this client's mutations the server has answered.
    pub last_mutation_id: u64,
    /// The id the next mutation gets (the store keeps it, across tabs).
    pub next_mutation_id: u64,
    /// Who this cache belongs to (absent: public data only).
    pub me: Option<Me>,
    /// The server's settings, from the last pull.
    #[serde(default)]
    pub policy: Policy,
    /// Logged out while offline: the server's session still has to be ended.
    #[serde(default)]
    pub logout_pending: bool,
}

impl Meta {
    pub fn fresh(me: Option<Me>) -> Meta {
        Meta {
            client_id: ClientId::generate(),
            cursor: 0,
            last_mutation_id: 0,
            next_mutation_id: 1,
            me,
            policy: Policy::default(),
            logout_pending: false,
        }
    }
}

/// What the cache held when the app started.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    pub state: LocalState,
    pub outbox: Vec<Mutation>,
    /// Answered mutations kept in case the server is restored from an older backup (see
    /// [`Save::Pulled`] and [`Save::Resend`]).
    pub kept: Vec<Mutation>,
    /// Absent on a new device.
    pub meta: Option<Meta>,
}

/// What the sync indicator says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncStatus {
    /// Reading the cache, or (re)connecting.
    Starting,
    Synced,
    /// Sending this many changes.
    Pending(usize),
    /// No connection; this many changes are saved on the phone and wait.
    Offline(usize),
    /// The session ended; this many changes wait for the same user to log in again.
    LoginToSend(usize),
    /// The server or the device's storage failed; retrying.
    Failed,
}

impl SyncStatus {
    /// Whether the indicator has anything to say to this person: a signed-in user hears how
    /// their copy stands; a visitor has nothing of theirs to sync ("synced" would mean
    /// nothing), so they hear only that the phone is offline (what they see may be old) and
    /// of changes that wait (made before a session ended).
    pub fn speaks_to(self, signed_in: bool) -> bool {
        match self {
            SyncStatus::Starting => false,
            _ if signed_in => true,
            SyncStatus::Offline(_) => true,
            SyncStatus::Pending(n) | SyncStatus::LoginToSend(n) => n > 0,
            SyncStatus::Synced | SyncStatus::Failed => false,
        }
    }
}

/// Who is using the app, as far as the phone knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionState {
    /// Waiting for the server to say whom the session cookie belongs to.
    Checking,
    LoggedOut,
    LoggedIn(Me),
}

/// Why a request brought no answer the engine can use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No answer at all: offline, the server down, or too slow.
    Unreachable,
    /// The session ended (401).
    NotLoggedIn,
    /// The server expects this mutation id next (`mutation_gap`).
    Gap { expected: u64 },
    /// Any other problem the server answered with.
    Problem(ProblemCode),
    /// The device's storage failed.
    Storage,
}

/// A change the server refused, to explain to the user who made it.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub mutation: u64,
    pub command: Command,
    pub code: ProblemCode,
    /// The title of the wish it was about, if the cache knows it.
    pub title: Option<String>,
}

/// What changed on screen since the last [`Effect::Changed`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changed {
    /// Everything may have changed (a reset, a new user): redraw from the view.
    pub all: bool,
    pub wishes: Vec<WishId>,
    pub claims: Vec<ClaimId>,
    pub campaigns: Vec<CampaignId>,
    pub grids: Vec<GridId>,
    pub households: Vec<HouseholdId>,
    pub volunteers: Vec<UserId>,
    pub pledges: Vec<PledgeId>,
    pub requests: Vec<RequestId>,
    /// Open calls for help (a volunteer's).
    pub calls: Vec<RequestId>,
    pub buildings: Vec<BuildingId>,
    pub staff: Vec<UserId>,
    /// The user's notices.
    pub notices: Vec<NoticeId>,
}

impl Changed {
    pub fn is_empty(&self) -> bool {
        !self.all
            && self.wishes.is_empty()
            && self.claims.is_empty()
            && self.campaigns.is_empty()
            && self.grids.is_empty()
            && self.households.is_empty()
            && self.volunteers.is_empty()
            && self.pledges.is_empty()
            && self.requests.is_empty()
            && self.calls.is_empty()
            && self.buildings.is_empty()
            && self.staff.is_empty()
            && self.notices.is_empty()
    }

    pub(super) fn note(&mut self, change: &Change) {
        match change {
            Change::Wish { id, .. } => self.wishes.push(*id),
            Change::Claim { id, .. } => self.claims.push(*id),
            Change::Campaign { id, .. } => self.campaigns.push(*id),
            Change::Grid { id, .. } => self.grids.push(id.clone()),
            Change::Household { id, .. } => self.households.push(*id),
            Change::Volunteer { id, .. } => self.volunteers.push(*id),
            Change::Pledge { id, .. } => self.pledges.push(*id),
            Change::Request { id, .. } => self.requests.push(*id),
            Change::Call { id, .. } => self.calls.push(*id),
            Change::Building { id, .. } => self.buildings.push(*id),
            Change::Staff { id, .. } => self.staff.push(*id),
            Change::Notice { id, .. } => self.notices.push(*id),
        }
    }

    /// What a decision wrote changed too.
    pub(super) fn add(&mut self, written: &Written) {
        self.wishes.extend(&written.wishes);
        self.claims.extend(&written.claims);
        self.households.extend(&written.households);
        self.volunteers.extend(&written.volunteers);
        self.pledges.extend(&written.pledges);
        self.campaigns.extend(&written.campaigns);
        // A call a volunteer took changes on screen as a call, until the pull brings it.
        self.requests.extend(&written.requests);
        self.calls.extend(&written.requests);
        self.notices.extend(&written.notices);
        // Every notice read at once (rare): redraw from the view.
        self.all |= written.all_notices;
    }
}

/// IndexedDB writes, in the order given.
#[derive(Debug, Clone, PartialEq)]
pub enum Save {
    /// Remove answered mutations from the outbox.
    Drop(Vec<u64>),
    /// A pull page: its changes, the cursor, the acknowledged mutations and the hold policy.
    /// The acknowledged mutations move from the outbox to the kept ones (which then lose
    /// what core's [`crate::sync::kept_to_drop`] says).
    Pulled(PullResponse),
    /// The server no longer has the answered mutations after this id (it was restored from
    /// an older backup): the kept ones after it go back into the outbox, to be sent again
    /// (the [`Effect::ReadOutbox`] that follows numbers them in line).
    Resend { after: u64 },
    /// Replace the meta record (the store never lowers its mutation counter).
    Meta(Meta),
    /// Empty everything and start over with `meta` (another user, or nobody).
    Wipe(Meta),
}

/// What the engine asks the driver to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Save(Save),
    /// Put a command in the outbox; the store numbers it (one counter for every tab) and the
    /// driver answers with [`Input::Enqueued`] or [`Input::EnqueueFailed`].
    Enqueue(Command),
    /// Read the whole outbox (other tabs add to it too), renumbered first when asked
    /// (see [`renumber`]); answered with [`Input::OutboxRead`].
    ReadOutbox {
        renumber: Option<Renumber>,
    },
    Push {
        token: u64,
        request: PushRequest,
    },
    Pull {
        token: u64,
        cursor: u64,
        client_id: ClientId,
    },
    CheckSession {
        token: u64,
    },
    EndServerSession {
        token: u64,
    },
    Changed(Changed),
    Status(SyncStatus),
    Session(SessionState),
    Notice(Notice),
    /// Send [`Input::Wake`] after this many milliseconds (replacing an earlier timer).
    WakeIn(u32),
}

/// What happened, for the engine to take in.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// The cache was read (an empty snapshot when the device has no usable storage).
    Loaded {
        snapshot: Box<Snapshot>,
        online: bool,
    },
    Online,
    Offline,
    /// The server's event stream opened or closed.
    Live(bool),
    /// Time for a round: a timer ran out, the server poked, the user asked to retry.
    Wake,
    Enqueued(Mutation),
    EnqueueFailed,
    OutboxRead(Vec<Mutation>),
    Pushed {
        token: u64,
        result: Result<PushResponse, Failure>,
    },
    Pulled {
        token: u64,
        result: Result<PullResponse, Failure>,
    },
    SessionChecked {
        token: u64,
        result: Result<Me, Failure>,
    },
    ServerLoggedOut {
        token: u64,
        result: Result<(), Failure>,
    },
    /// The login or registration form got this user from the server.
    LoggedIn(Me),
}

/// Why a change was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MutateError {
    /// The rules refuse it now (the server would too).
    Refused(RuleError),
    NotLoggedIn,
    /// The device could not store it (storage full or unavailable): nothing was queued.
    NotSaved,
}

/// Logging out would throw away changes not sent yet: how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsent(pub usize);

/// How to line the outbox up with the server again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Renumber {
    /// The id the server expects next: the first unanswered mutation gets it.
    pub from: u64,
    /// Mutations up to this id were answered already: they go.
    pub after: u64,
}

/// `outbox` (in id order) without its answered mutations, the others numbered `from`,
/// `from + 1`, … in their order.
pub fn renumber(mut outbox: Vec<Mutation>, how: Renumber) -> Vec<Mutation> {
    outbox.sort_by_key(|m| m.id);
    outbox
        .into_iter()
        .filter(|m| m.id > how.after)
        .zip(how.from..)
        .map(|(mutation, id)| Mutation { id, ..mutation })
        .collect()
}
