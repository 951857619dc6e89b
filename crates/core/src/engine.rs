//! The phone's sync engine: a plain state machine over the outbox and the cache, with no
//! text, no browser, no timers and no I/O. The app's driver feeds it [`Input`]s (the cache was
//! read, the network came back, a push was answered…) and carries out the [`Effect`]s it
//! returns (send a push, write IndexedDB, show a notice, wake me in 10 s…). Every sequence
//! that matters (gap recovery, two tabs, logout with a queue) is unit-tested natively below.
//!
//! The promises it keeps: a change the user made is written to the outbox before anything is
//! sent and leaves it only once the server has answered it; it is applied exactly once (the
//! server remembers mutation ids); a refused one is rolled back and explained; the screen
//! shows the pulled state with the pending changes decided over it by core's own rules.

use chrono::{DateTime, Utc};

use crate::command::{Command, HoldPolicy};
use crate::decide::{decide, Context};
use crate::error::RuleError;
use crate::ids::{CampaignId, ClaimId, ClientId, GridId, WishId};
use crate::model::Me;
use crate::overlay::LocalState;
use crate::problem::ProblemCode;
use crate::sync::{Change, Mutation, MutationStatus, PullResponse, PushRequest, PushResponse};

/// At most this many mutations go in one push.
pub const PUSH_BATCH: usize = 100;
/// Between rounds when the server's event stream is open (it pokes on every change) …
pub const LIVE_INTERVAL_MS: u32 = 60_000;
/// … and when it is not.
pub const POLL_INTERVAL_MS: u32 = 10_000;
/// Backoff after failures: 2 s, 4 s, … up to this.
pub const MAX_BACKOFF_MS: u32 = 30_000;

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
    /// The server's hold policy, from the last pull.
    #[serde(default)]
    pub hold: HoldPolicy,
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
            hold: HoldPolicy::default(),
            logout_pending: false,
        }
    }
}

/// What the cache held when the app started.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    pub state: LocalState,
    pub outbox: Vec<Mutation>,
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
}

impl Changed {
    pub fn is_empty(&self) -> bool {
        !self.all
            && self.wishes.is_empty()
            && self.claims.is_empty()
            && self.campaigns.is_empty()
            && self.grids.is_empty()
    }

    fn note(&mut self, change: &Change) {
        match change {
            Change::Wish { id, .. } => self.wishes.push(*id),
            Change::Claim { id, .. } => self.claims.push(*id),
            Change::Campaign { id, .. } => self.campaigns.push(*id),
            Change::Grid { id, .. } => self.grids.push(id.clone()),
        }
    }
}

/// IndexedDB writes, in the order given.
#[derive(Debug, Clone, PartialEq)]
pub enum Save {
    /// Remove answered mutations from the outbox.
    Drop(Vec<u64>),
    /// A pull page: its changes, the cursor, the acknowledged mutations and the hold policy.
    Pulled(PullResponse),
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Request {
    Session,
    EndSession,
    Push { up_to: u64 },
    Pull,
    Outbox,
}

/// Whether the server has said whom the session belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Known {
    No,
    Yes,
    /// It said: nobody, while this user's changes wait to be sent.
    Expired,
}

pub struct Engine {
    meta: Meta,
    /// What was pulled.
    base: LocalState,
    /// What is shown: `base` with the pending commands applied.
    view: LocalState,
    outbox: Vec<Mutation>,
    /// What the pending commands wrote in `view`.
    touched_wishes: Vec<WishId>,
    touched_claims: Vec<ClaimId>,
    /// Mutations up to this id were answered by a push (they wait for the pull).
    answered: u64,
    loaded: bool,
    online: bool,
    live: bool,
    session: Known,
    in_flight: Option<(u64, Request)>,
    next_token: u64,
    /// A round was asked for while a request was under way.
    again: bool,
    failures: u32,
    gap_retries: u32,
    /// The mutation id the server said it expects, while the outbox is being read.
    gap_expected: Option<u64>,
    logout_after_send: bool,
    status: SyncStatus,
    changed: Changed,
    effects: Vec<Effect>,
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

impl Engine {
    pub fn new() -> Engine {
        Engine {
            meta: Meta::fresh(None),
            base: LocalState::default(),
            view: LocalState::default(),
            outbox: Vec::new(),
            touched_wishes: Vec::new(),
            touched_claims: Vec::new(),
            answered: 0,
            loaded: false,
            online: true,
            live: false,
            session: Known::No,
            in_flight: None,
            next_token: 1,
            again: false,
            failures: 0,
            gap_retries: 0,
            gap_expected: None,
            logout_after_send: false,
            status: SyncStatus::Starting,
            changed: Changed::default(),
            effects: Vec::new(),
        }
    }

    /// What the screens show.
    pub fn view(&self) -> &LocalState {
        &self.view
    }

    pub fn status(&self) -> SyncStatus {
        self.status
    }

    pub fn me(&self) -> Option<&Me> {
        self.meta.me.as_ref()
    }

    pub fn meta(&self) -> &Meta {
        &self.meta
    }

    pub fn outbox(&self) -> &[Mutation] {
        &self.outbox
    }

    /// The claims and wishes with changes the server has not taken yet.
    pub fn pending(&self) -> (&[WishId], &[ClaimId]) {
        (&self.touched_wishes, &self.touched_claims)
    }

    /// Whether a claim has changes the server has not taken yet.
    pub fn is_pending_claim(&self, id: ClaimId) -> bool {
        self.touched_claims.contains(&id)
    }

    /// Whether a wish shows changes the server has not taken yet.
    pub fn is_pending_wish(&self, id: WishId) -> bool {
        self.touched_wishes.contains(&id)
    }

    /// The session as the screens should show it.
    pub fn session(&self) -> SessionState {
        match (&self.meta.me, self.session) {
            (Some(me), Known::No | Known::Yes) => SessionState::LoggedIn(me.clone()),
            (_, Known::Expired) => SessionState::LoggedOut,
            (None, Known::No) if !self.loaded || self.meta.logout_pending => SessionState::Checking,
            (None, Known::No) if self.online => SessionState::Checking,
            (None, _) => SessionState::LoggedOut,
        }
    }

    /// The id the next mutation gets when the device has no store to number it.
    pub fn next_mutation_id(&self) -> u64 {
        let after_outbox = self.outbox.last().map_or(0, |m| m.id + 1);
        self.meta
            .next_mutation_id
            .max(after_outbox)
            .max(self.meta.last_mutation_id + 1)
    }

    /// The outbox as [`Effect::ReadOutbox`] asks for it, for a device with no store.
    pub fn read_outbox(&self, renumber_with: Option<Renumber>) -> Vec<Mutation> {
        match renumber_with {
            Some(how) => renumber(self.outbox.clone(), how),
            None => self.outbox.clone(),
        }
    }

    /// Checks a user's command against the rules on what the screen shows; when they allow
    /// it, asks for it to be put in the outbox (it shows once [`Input::Enqueued`] says it is).
    pub fn mutate(
        &mut self,
        command: Command,
        now: DateTime<Utc>,
    ) -> Result<Vec<Effect>, MutateError> {
        let Some(me) = &self.meta.me else {
            return Err(MutateError::NotLoggedIn);
        };
        if self.session == Known::Expired {
            return Err(MutateError::NotLoggedIn);
        }
        let ctx = Context {
            actor: crate::command::Actor::of(me),
            now,
            hold: self.meta.hold,
        };
        decide(&command, &self.view.facts(&command.needs()), &ctx).map_err(MutateError::Refused)?;
        Ok(vec![Effect::Enqueue(command)])
    }

    /// Asks to log out. With changes not sent yet, says how many instead (see
    /// [`Engine::send_then_log_out`] and [`Engine::log_out_now`]).
    pub fn log_out(&mut self) -> Result<Vec<Effect>, Unsent> {
        if !self.outbox.is_empty() {
            return Err(Unsent(self.outbox.len()));
        }
        Ok(self.log_out_now())
    }

    /// Sends what waits first, then logs out.
    pub fn send_then_log_out(&mut self) -> Vec<Effect> {
        self.logout_after_send = true;
        self.round();
        self.finish()
    }

    /// Logs out at once: nothing of the user stays on the device, changes not sent are
    /// dropped, and the server's session is ended now or when the network returns.
    pub fn log_out_now(&mut self) -> Vec<Effect> {
        self.logout_after_send = false;
        let mut meta = Meta::fresh(None);
        meta.hold = self.meta.hold;
        meta.logout_pending = true;
        self.start_over(meta);
        self.session = Known::Yes;
        self.round();
        self.finish()
    }

    /// Takes in what happened at `now`; returns what to do.
    pub fn handle(&mut self, input: Input, now: DateTime<Utc>) -> Vec<Effect> {
        match input {
            Input::Loaded { snapshot, online } => self.loaded(*snapshot, online, now),
            Input::Online => {
                self.online = true;
                self.failures = 0;
                self.set_status(match self.outbox.len() {
                    0 => SyncStatus::Starting,
                    n => SyncStatus::Pending(n),
                });
                self.round();
            }
            Input::Offline => {
                self.online = false;
                self.set_status(SyncStatus::Offline(self.outbox.len()));
            }
            Input::Live(live) => {
                self.live = live;
                if live {
                    self.round();
                }
            }
            Input::Wake => self.round(),
            Input::Enqueued(mutation) => self.enqueued(mutation, now),
            Input::EnqueueFailed => {}
            Input::OutboxRead(outbox) => self.outbox_read(outbox, now),
            Input::Pushed { token, result } => {
                if self.answer_to(token) {
                    self.pushed(result, now);
                }
            }
            Input::Pulled { token, result } => {
                if self.answer_to(token) {
                    self.pulled(result, now);
                }
            }
            Input::SessionChecked { token, result } => {
                if self.answer_to(token) {
                    self.session_checked(result);
                }
            }
            Input::ServerLoggedOut { token, result } => {
                if self.answer_to(token) {
                    self.server_logged_out(result);
                }
            }
            Input::LoggedIn(me) => {
                self.logged_in(me);
                self.round();
            }
        }
        self.finish()
    }

    fn finish(&mut self) -> Vec<Effect> {
        if !self.changed.is_empty() {
            self.effects
                .push(Effect::Changed(std::mem::take(&mut self.changed)));
        }
        std::mem::take(&mut self.effects)
    }

    fn loaded(&mut self, snapshot: Snapshot, online: bool, now: DateTime<Utc>) {
        self.online = online;
        self.base = snapshot.state;
        self.outbox = snapshot.outbox;
        self.outbox.sort_by_key(|m| m.id);
        match snapshot.meta {
            Some(meta) => self.meta = meta,
            None => self
                .effects
                .push(Effect::Save(Save::Meta(self.meta.clone()))),
        }
        self.loaded = true;
        self.view = self.base.clone();
        self.touched_wishes.clear();
        self.touched_claims.clear();
        self.reapply_outbox(now);
        self.changed.all = true;
        self.effects.push(Effect::Session(self.session()));
        if !online {
            self.set_status(SyncStatus::Offline(self.outbox.len()));
        }
        self.round();
    }

    fn enqueued(&mut self, mutation: Mutation, now: DateTime<Utc>) {
        if self.outbox.iter().any(|m| m.id == mutation.id) {
            return;
        }
        self.meta.next_mutation_id = self.meta.next_mutation_id.max(mutation.id + 1);
        if let Some(me) = &self.meta.me {
            if let Ok(decision) = self.view.apply(me, &mutation.command, now, self.meta.hold) {
                let (wishes, claims) = decision.written();
                self.changed.wishes.extend(&wishes);
                self.changed.claims.extend(&claims);
                self.touched_wishes.extend(wishes);
                self.touched_claims.extend(claims);
            }
        }
        self.outbox.push(mutation);
        self.set_status(if self.online {
            SyncStatus::Pending(self.outbox.len())
        } else {
            SyncStatus::Offline(self.outbox.len())
        });
        self.round();
    }

    /// Takes the pulled state back for everything the pending commands touched, then
    /// decides them again in order: the same as starting from `base`, at the cost of what
    /// they touch only.
    fn reapply_outbox(&mut self, now: DateTime<Utc>) {
        let old_wishes = std::mem::take(&mut self.touched_wishes);
        let old_claims = std::mem::take(&mut self.touched_claims);
        self.view.restore_from(&self.base, &old_wishes, &old_claims);
        self.changed.wishes.extend(old_wishes);
        self.changed.claims.extend(old_claims);
        let Some(me) = self.meta.me.clone() else {
            return;
        };
        for mutation in &self.outbox {
            // A command the rules refuse now is left out; the server will say why.
            if let Ok(decision) = self.view.apply(&me, &mutation.command, now, self.meta.hold) {
                let (wishes, claims) = decision.written();
                self.touched_wishes.extend(wishes);
                self.touched_claims.extend(claims);
            }
        }
        self.changed.wishes.extend(&self.touched_wishes);
        self.changed.claims.extend(&self.touched_claims);
    }

    fn answer_to(&mut self, token: u64) -> bool {
        match self.in_flight {
            Some((expected, _)) if expected == token => {
                self.in_flight = None;
                true
            }
            // An answer to a request made before a logout or a user switch: not theirs.
            _ => false,
        }
    }

    fn request(&mut self, request: Request) -> u64 {
        let token = self.next_token;
        self.next_token += 1;
        self.in_flight = Some((token, request));
        token
    }

    /// The next step of syncing, if one is due and none is under way.
    fn round(&mut self) {
        if !self.loaded {
            return;
        }
        if self.in_flight.is_some() {
            self.again = true;
            return;
        }
        self.again = false;
        if !self.online {
            self.set_status(SyncStatus::Offline(self.outbox.len()));
            return;
        }
        if self.meta.logout_pending {
            let token = self.request(Request::EndSession);
            self.effects.push(Effect::EndServerSession { token });
            return;
        }
        if self.session == Known::No {
            let token = self.request(Request::Session);
            self.effects.push(Effect::CheckSession { token });
            return;
        }
        let sendable = self.meta.me.is_some() && self.session == Known::Yes;
        let batch: Vec<Mutation> = self
            .outbox
            .iter()
            .filter(|m| m.id > self.answered)
            .take(PUSH_BATCH)
            .cloned()
            .collect();
        if sendable && !batch.is_empty() {
            let up_to = batch.last().map_or(0, |m| m.id);
            let token = self.request(Request::Push { up_to });
            self.set_status(SyncStatus::Pending(self.outbox.len()));
            self.effects.push(Effect::Push {
                token,
                request: PushRequest {
                    client_id: self.meta.client_id,
                    mutations: batch,
                },
            });
            return;
        }
        let token = self.request(Request::Pull);
        self.effects.push(Effect::Pull {
            token,
            cursor: self.meta.cursor,
            client_id: self.meta.client_id,
        });
    }

    /// A round ended well: say so, and come back later.
    fn settled(&mut self) {
        self.failures = 0;
        self.gap_retries = 0;
        if self.logout_after_send && self.outbox.is_empty() {
            let effects = self.log_out_now();
            self.effects.extend(effects);
            return;
        }
        let status = match (self.outbox.len(), self.session) {
            (0, _) => SyncStatus::Synced,
            (n, Known::Expired) => SyncStatus::LoginToSend(n),
            (n, _) => SyncStatus::Pending(n),
        };
        self.set_status(status);
        if self.again {
            self.round();
        } else {
            let interval = if self.live {
                LIVE_INTERVAL_MS
            } else {
                POLL_INTERVAL_MS
            };
            self.effects.push(Effect::WakeIn(interval));
        }
    }

    /// A round failed: say why, and try again later (sooner at first).
    fn failed(&mut self, failure: Failure) {
        self.failures += 1;
        let status = match failure {
            Failure::Unreachable => SyncStatus::Offline(self.outbox.len()),
            Failure::NotLoggedIn => SyncStatus::LoginToSend(self.outbox.len()),
            _ => SyncStatus::Failed,
        };
        self.set_status(status);
        let backoff = 1_000u32.saturating_mul(2u32.saturating_pow(self.failures.min(5)));
        self.effects
            .push(Effect::WakeIn(backoff.min(MAX_BACKOFF_MS)));
    }

    fn set_status(&mut self, status: SyncStatus) {
        if self.status != status {
            self.status = status;
            self.effects.push(Effect::Status(status));
        }
    }

    fn pushed(&mut self, result: Result<PushResponse, Failure>, now: DateTime<Utc>) {
        match result {
            Ok(response) => {
                let mut rejected = Vec::new();
                for result in &response.results {
                    self.answered = self.answered.max(result.id);
                    if result.status != MutationStatus::Rejected {
                        continue;
                    }
                    rejected.push(result.id);
                    if let Some(mutation) = self.outbox.iter().find(|m| m.id == result.id) {
                        self.effects.push(Effect::Notice(Notice {
                            mutation: result.id,
                            command: mutation.command.clone(),
                            code: result.code.unwrap_or(ProblemCode::InvalidState),
                            title: self.title_of(&mutation.command),
                        }));
                    }
                }
                // Rejected mutations leave now and the screen rolls back; applied ones stay
                // in the overlay until the pull that follows brings their effects (else the
                // screen would flicker back to the old state in between).
                if !rejected.is_empty() {
                    self.outbox.retain(|m| !rejected.contains(&m.id));
                    self.effects.push(Effect::Save(Save::Drop(rejected)));
                    self.reapply_outbox(now);
                }
                self.gap_retries = 0;
                let token = self.request(Request::Pull);
                self.effects.push(Effect::Pull {
                    token,
                    cursor: self.meta.cursor,
                    client_id: self.meta.client_id,
                });
            }
            Err(Failure::Gap { expected }) if self.gap_retries < 3 => {
                // Another tab of this phone numbered mutations too, or one side was restored
                // from an older state: read what the store holds, and line it up again.
                self.gap_retries += 1;
                self.gap_expected = Some(expected);
                let _ = self.request(Request::Outbox);
                self.effects.push(Effect::ReadOutbox { renumber: None });
            }
            Err(Failure::NotLoggedIn) => {
                self.session = Known::Expired;
                self.effects.push(Effect::Session(self.session()));
                self.failed(Failure::NotLoggedIn);
            }
            Err(failure) => self.failed(failure),
        }
    }

    fn outbox_read(&mut self, mut outbox: Vec<Mutation>, now: DateTime<Utc>) {
        if !matches!(self.in_flight, Some((_, Request::Outbox))) {
            return;
        }
        self.in_flight = None;
        outbox.sort_by_key(|m| m.id);
        if let Some(last) = outbox.last() {
            self.meta.next_mutation_id = self.meta.next_mutation_id.max(last.id + 1);
        }
        self.outbox = outbox;
        self.reapply_outbox(now);
        let first_unanswered = self
            .outbox
            .iter()
            .map(|m| m.id)
            .find(|id| *id > self.answered);
        match (self.gap_expected.take(), first_unanswered) {
            // Out of line with the server (it was restored, or this phone was, or numbers
            // were reused): the unanswered mutations take the numbers it expects.
            (Some(expected), Some(first)) if first != expected => {
                let renumber = Renumber {
                    from: expected,
                    after: self.answered,
                };
                self.answered = expected.saturating_sub(1);
                let _ = self.request(Request::Outbox);
                self.effects.push(Effect::ReadOutbox {
                    renumber: Some(renumber),
                });
            }
            // In line now (another tab's mutations filled the gap): send them all.
            _ => self.round(),
        }
    }

    fn pulled(&mut self, result: Result<PullResponse, Failure>, now: DateTime<Utc>) {
        let page = match result {
            Ok(page) => page,
            Err(failure) => return self.failed(failure),
        };
        if page.reset {
            self.base = LocalState::default();
            self.view = LocalState::default();
            self.touched_wishes.clear();
            self.touched_claims.clear();
            self.changed.all = true;
        }
        for change in &page.changes {
            self.base.apply_change(change);
            self.view.apply_change(change);
            self.changed.note(change);
        }
        self.meta.cursor = page.cursor;
        self.meta.last_mutation_id = page.last_mutation_id;
        self.meta.next_mutation_id = self.meta.next_mutation_id.max(page.last_mutation_id + 1);
        self.meta.hold = page.hold;
        self.answered = self.answered.max(page.last_mutation_id);
        // Answered mutations are part of the pulled state now.
        self.outbox.retain(|m| m.id > page.last_mutation_id);
        self.reapply_outbox(now);
        let more = page.more;
        self.effects.push(Effect::Save(Save::Pulled(page)));
        if more {
            let token = self.request(Request::Pull);
            self.effects.push(Effect::Pull {
                token,
                cursor: self.meta.cursor,
                client_id: self.meta.client_id,
            });
        } else if self.session == Known::Yes
            && self.meta.me.is_some()
            && self.outbox.iter().any(|m| m.id > self.answered)
        {
            // Changes made while this round was under way.
            self.round();
        } else {
            self.settled();
        }
    }

    fn session_checked(&mut self, result: Result<Me, Failure>) {
        match result {
            Ok(me) => {
                self.logged_in(me);
                self.round();
            }
            Err(Failure::NotLoggedIn) => {
                if self.meta.me.is_some() && !self.outbox.is_empty() {
                    // The session ended elsewhere with changes waiting: keep them for when
                    // the same user logs in again.
                    self.session = Known::Expired;
                    self.effects.push(Effect::Session(self.session()));
                    self.set_status(SyncStatus::LoginToSend(self.outbox.len()));
                } else {
                    if self.meta.me.is_some() {
                        let mut meta = Meta::fresh(None);
                        meta.hold = self.meta.hold;
                        self.start_over(meta);
                    }
                    self.session = Known::Yes;
                    self.effects.push(Effect::Session(self.session()));
                    self.round();
                }
            }
            Err(failure) => self.failed(failure),
        }
    }

    fn server_logged_out(&mut self, result: Result<(), Failure>) {
        match result {
            Ok(()) | Err(Failure::NotLoggedIn) => {
                self.meta.logout_pending = false;
                self.effects
                    .push(Effect::Save(Save::Meta(self.meta.clone())));
                self.session = Known::Yes;
                self.effects.push(Effect::Session(self.session()));
                self.round();
            }
            Err(failure) => self.failed(failure),
        }
    }

    /// The server says `me` is using the app. The same user goes on where they were;
    /// anyone else starts over, with nothing of the previous user left on the device.
    fn logged_in(&mut self, me: Me) {
        let same = self.meta.me.as_ref().is_some_and(|old| old.id == me.id);
        if same {
            self.meta.me = Some(me);
            // A new login replaced the cookie an offline logout meant to end.
            self.meta.logout_pending = false;
            self.effects
                .push(Effect::Save(Save::Meta(self.meta.clone())));
        } else {
            let mut meta = Meta::fresh(Some(me));
            meta.hold = self.meta.hold;
            self.start_over(meta);
        }
        self.session = Known::Yes;
        self.effects.push(Effect::Session(self.session()));
    }

    /// Empties the cache for `meta`'s user. Public wishes, campaigns and grids stay on
    /// screen until the new user's first pull replaces them (no flicker); claims go at once.
    fn start_over(&mut self, meta: Meta) {
        let public = LocalState {
            wishes: self
                .base
                .wishes
                .iter()
                .filter(|(_, wish)| wish.status.is_public())
                .map(|(id, wish)| (*id, wish.clone()))
                .collect(),
            claims: Default::default(),
            campaigns: self.base.campaigns.clone(),
            grids: self.base.grids.clone(),
        };
        self.base = public.clone();
        self.view = public;
        self.outbox.clear();
        self.touched_wishes.clear();
        self.touched_claims.clear();
        self.answered = 0;
        self.in_flight = None;
        self.meta = meta;
        self.changed.all = true;
        self.effects
            .push(Effect::Save(Save::Wipe(self.meta.clone())));
        self.effects.push(Effect::Session(self.session()));
        self.set_status(if self.online {
            SyncStatus::Starting
        } else {
            SyncStatus::Offline(0)
        });
    }

    fn title_of(&self, command: &Command) -> Option<String> {
        let needs = command.needs();
        let wish = needs
            .wishes
            .iter()
            .chain(
                needs
                    .claims
                    .iter()
                    .filter_map(|id| self.base.claims.get(id).map(|claim| &claim.wish_id)),
            )
            .find_map(|id| self.base.wishes.get(id))?;
        Some(wish.title.clone())
    }
}

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

#[cfg(test)]
mod tests;
