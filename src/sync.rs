//! Offline-first sync: the UI reads the device's cache (IndexedDB) at once, then a
//! background loop pushes the outbox and pulls changes (after Replicache's design).
//!
//! - Every write goes into the outbox first (`mutate`), is shown at once over the cached
//!   state (core's `optimistic` rules), and is pushed when the server is reachable, with
//!   backoff while it is not. Nothing leaves the outbox until the server has answered it.
//! - A rejected mutation drops out of the overlay (the screen rolls back) and the user is
//!   told why, in Chinese.
//! - The server pokes over `/api/events`; when that stream is down, the loop pulls
//!   every few seconds instead.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use futures::channel::mpsc;
use futures::StreamExt;
use leptos::prelude::*;
use microwish_core::command::Command;
use microwish_core::optimistic::LocalState;
use microwish_core::sync::{Change, MutationResult, MutationStatus, Op, PullResponse, PushRequest};
use microwish_core::{new_id, ClaimView, Grid, Id, Me, PublicCampaign, PublicWish, RuleError};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::api::{self, ApiError};
use crate::china_time::now;
use crate::i18n::t;
use crate::session::Session;
use crate::store::{Meta, Pending, Snapshot, Store, StoreError, DB_NAME};

/// What the sync indicator shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncStatus {
    /// Reading the cache / first contact.
    Starting,
    Synced,
    /// Waiting for the server to take this many changes.
    Pending(usize),
    /// No connection; changes wait in the outbox.
    Offline,
    /// The server or the device's storage failed; retrying.
    Failed,
}

/// What the screens show: the cache with the pending changes applied.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Data {
    pub wishes: HashMap<Id, PublicWish>,
    pub claims: HashMap<Id, ClaimView>,
    pub campaigns: HashMap<Id, PublicCampaign>,
    pub grids: Vec<Grid>,
    /// Claims changed by mutations the server has not answered yet.
    pub pending_claims: HashSet<Id>,
    /// The cache has been read.
    pub loaded: bool,
    /// The cache holds a complete copy from some pull (possibly an old one).
    pub synced: bool,
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

impl From<RuleError> for MutateError {
    fn from(error: RuleError) -> Self {
        MutateError::Refused(error)
    }
}

impl MutateError {
    /// The stable code the messages are written for.
    pub fn code(&self) -> &'static str {
        match self {
            MutateError::Refused(error) => error.code(),
            MutateError::NotLoggedIn => "not_logged_in",
            MutateError::NotSaved => "not_saved",
        }
    }
}

/// A change the server refused, explained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub id: u64,
    pub text: String,
}

/// The state the loop keeps outside the reactive graph.
#[derive(Default)]
struct Engine {
    store: Option<Rc<Store>>,
    base: LocalState,
    campaigns: HashMap<Id, PublicCampaign>,
    grids: HashMap<String, Grid>,
    outbox: Vec<Pending>,
    meta: Meta,
    /// Consecutive failed rounds, for backoff.
    failures: u32,
    /// The server said the session ended: pushes wait (the outbox is kept) until the
    /// same user logs in again.
    session_expired: bool,
    /// The server's event stream is open.
    live: bool,
    /// Bumped when the user changes: answers to requests made before are dropped.
    generation: u64,
    /// The cache is being emptied for another user.
    switching: bool,
}

/// The app's sync, provided once as context.
#[derive(Clone, Copy)]
pub struct Sync {
    pub data: RwSignal<Data>,
    pub status: RwSignal<SyncStatus>,
    pub notices: RwSignal<Vec<Notice>>,
    engine: StoredValue<Rc<RefCell<Engine>>, LocalStorage>,
    wake: StoredValue<mpsc::UnboundedSender<()>, LocalStorage>,
    session: Session,
}

pub fn use_sync() -> Sync {
    expect_context::<Sync>()
}

impl Sync {
    /// Starts the loop: reads the cache, finds out who is logged in, then syncs.
    pub fn start(session: Session) -> Sync {
        let (wake, woken) = mpsc::unbounded();
        let sync = Sync {
            data: RwSignal::new(Data::default()),
            status: RwSignal::new(SyncStatus::Starting),
            notices: RwSignal::new(Vec::new()),
            engine: StoredValue::new_local(Rc::new(RefCell::new(Engine::default()))),
            wake: StoredValue::new_local(wake),
            session,
        };
        leptos::task::spawn_local(sync.run(woken));
        sync
    }

    /// A sync that keeps everything in memory and never contacts the server: for
    /// components mounted on their own (browser tests). `seed` is the cached state.
    pub fn in_memory(session: Session, me: Option<Me>, seed: LocalState) -> Sync {
        let (wake, _) = mpsc::unbounded();
        let engine = Engine {
            base: seed,
            meta: Meta {
                me,
                cursor: 1,
                ..Meta::default()
            },
            ..Engine::default()
        };
        let sync = Sync {
            data: RwSignal::new(Data::default()),
            status: RwSignal::new(SyncStatus::Synced),
            notices: RwSignal::new(Vec::new()),
            engine: StoredValue::new_local(Rc::new(RefCell::new(engine))),
            wake: StoredValue::new_local(wake),
            session,
        };
        sync.publish();
        sync
    }

    /// Asks the loop for a round now (after a local change, a poke, coming online).
    pub fn wake(&self) {
        self.wake.with_value(|wake| {
            let _ = wake.unbounded_send(());
        });
    }

    fn engine(&self) -> Rc<RefCell<Engine>> {
        self.engine.get_value()
    }

    async fn run(self, mut woken: mpsc::UnboundedReceiver<()>) {
        if let Err(error) = self.open_cache().await {
            // Private browsing or a full disk: the app still works online, from memory.
            web_sys::console::warn_1(&format!("offline cache unavailable: {}", error.0).into());
        }
        self.check_session().await;
        self.listen_to_server();
        loop {
            let ok = self.round().await;
            let delay_ms = {
                let shared = self.engine();
                let mut engine = shared.borrow_mut();
                if ok {
                    engine.failures = 0;
                    if engine.live {
                        60_000
                    } else {
                        10_000
                    }
                } else {
                    engine.failures += 1;
                    (1_000 * 2u32.saturating_pow(engine.failures.min(5))).min(30_000)
                }
            };
            let sleep = Box::pin(sleep(delay_ms));
            futures::future::select(woken.next(), sleep).await;
            // Several wake-ups while busy need one round only.
            while woken.try_recv().is_ok() {}
        }
    }

    async fn open_cache(&self) -> Result<(), StoreError> {
        let store = Rc::new(Store::open(DB_NAME).await?);
        let snapshot = store.load().await?;
        let mut meta = snapshot.meta.clone();
        if meta.client_id.is_none() {
            meta.client_id = Some(new_id());
            store.save_meta(&meta).await?;
        }
        {
            let shared = self.engine();
            let mut engine = shared.borrow_mut();
            engine.store = Some(store);
            engine.load(snapshot);
            engine.meta = meta;
        }
        self.publish();
        Ok(())
    }

    /// The cached user is shown at once (the app opens offline); the server then says
    /// whether the session is still valid and whose it is.
    async fn check_session(&self) {
        let cached = self.engine().borrow().meta.me.clone();
        if let Some(me) = &cached {
            self.session.logged_in(me.clone());
        }
        match patiently(api::me()).await {
            Ok(me) if cached.as_ref().map(|c| c.id) == Some(me.id) => {
                self.engine().borrow_mut().meta.me = Some(me.clone());
                self.session.logged_in(me);
            }
            Ok(me) => self.switch_user(Some(me)).await,
            Err(ApiError::NotLoggedIn) if cached.is_some() => self.switch_user(None).await,
            Err(ApiError::NotLoggedIn) => self.session.logged_out(),
            Err(_) if cached.is_none() => self.session.logged_out(),
            Err(_) => {}
        }
    }

    /// Someone else (or nobody) is using the app now: nothing of the previous user may
    /// stay on the device, so the cache starts over with a new client id.
    pub async fn switch_user(self, me: Option<Me>) {
        // The same person logging in again keeps what they did while the session was gone.
        let carried: Vec<Command> = {
            let shared = self.engine();
            let engine = shared.borrow();
            let same_user =
                matches!((&engine.meta.me, &me), (Some(old), Some(new)) if old.id == new.id);
            if same_user {
                engine.outbox.iter().map(|p| p.command.clone()).collect()
            } else {
                Vec::new()
            }
        };
        let live = self.engine().borrow().live;
        let store = self.engine().borrow().store.clone();
        let meta = Meta {
            client_id: Some(new_id()),
            me: me.clone(),
            ..Meta::default()
        };
        // Until the cache is emptied, changes wait (they would be wiped) and old answers drop.
        {
            let shared = self.engine();
            let mut engine = shared.borrow_mut();
            engine.switching = true;
            engine.generation += 1;
            engine.meta.me = me.clone();
        }
        let mut outbox = Vec::new();
        let store = match store {
            Some(store) => match store.wipe(&meta).await {
                Ok(()) => {
                    for command in carried {
                        if let Ok(mutation) = store.enqueue(&command).await {
                            outbox.push(Pending { mutation, command });
                        }
                    }
                    Some(store)
                }
                Err(error) => {
                    // Without a working cache the app goes on from memory alone.
                    web_sys::console::warn_1(
                        &format!("could not empty the cache: {}", error.0).into(),
                    );
                    None
                }
            },
            None => None,
        };
        let generation = self.engine().borrow().generation + 1;
        // Public wishes, campaigns and grids stay on screen until the new user's first
        // pull replaces them (no flicker, no lost page state); claims were the old
        // user's and go at once.
        let (wishes, campaigns, grids) = {
            let shared = self.engine();
            let engine = shared.borrow();
            let wishes = engine
                .base
                .wishes
                .iter()
                .filter(|(_, wish)| wish.status.is_public())
                .map(|(id, wish)| (*id, wish.clone()))
                .collect();
            (wishes, engine.campaigns.clone(), engine.grids.clone())
        };
        *self.engine().borrow_mut() = Engine {
            store,
            meta,
            outbox,
            live,
            generation,
            base: LocalState {
                wishes,
                claims: HashMap::new(),
            },
            campaigns,
            grids,
            ..Engine::default()
        };
        match me {
            Some(me) => self.session.logged_in(me),
            None => self.session.logged_out(),
        }
        self.notices.set(Vec::new());
        self.publish();
        self.wake();
    }

    /// The server's event stream: every `change` event asks for a round. The browser
    /// reconnects by itself; while it is down the loop pulls on a timer.
    fn listen_to_server(&self) {
        let Ok(events) = web_sys::EventSource::new("/api/events") else {
            return;
        };
        let sync = *self;
        let on_change = Closure::<dyn FnMut()>::new(move || sync.wake());
        let _ =
            events.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        let on_open = Closure::<dyn FnMut()>::new(move || {
            sync.engine().borrow_mut().live = true;
            sync.wake();
        });
        events.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        let on_error = Closure::<dyn FnMut()>::new(move || sync.engine().borrow_mut().live = false);
        events.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        // Coming back online is worth a round at once.
        let on_online = Closure::<dyn FnMut()>::new(move || sync.wake());
        if let Some(window) = web_sys::window() {
            let _ = window
                .add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
        }
        // They live as long as the app.
        on_change.forget();
        on_open.forget();
        on_error.forget();
        on_online.forget();
        std::mem::forget(events);
    }

    /// One round: push what waits, then pull until up to date. `false` on failure.
    async fn round(&self) -> bool {
        let result = match self.push().await {
            Ok(()) => self.pull().await,
            Err(error) => Err(error),
        };
        let pending = self.engine().borrow().outbox.len();
        let status = match &result {
            Ok(()) if pending == 0 => SyncStatus::Synced,
            Ok(()) => SyncStatus::Pending(pending),
            Err(ApiError::Unreachable) => SyncStatus::Offline,
            Err(ApiError::NotLoggedIn) => {
                // The session ended (expired, or logged out elsewhere): ask to log in
                // again; what waits in the outbox stays for when they do.
                self.engine().borrow_mut().session_expired = true;
                self.session.logged_out();
                SyncStatus::Pending(pending)
            }
            Err(_) => SyncStatus::Failed,
        };
        self.status.set(status);
        result.is_ok()
    }

    async fn push(&self) -> Result<(), ApiError> {
        let (client_id, mutations) = {
            let shared = self.engine();
            let engine = shared.borrow();
            if engine.meta.me.is_none() || engine.outbox.is_empty() || engine.session_expired {
                return Ok(());
            }
            let mutations: Vec<_> = engine
                .outbox
                .iter()
                .take(100)
                .map(|p| p.mutation.clone())
                .collect();
            (engine.meta.client_id.unwrap_or_else(new_id), mutations)
        };
        self.status.set(SyncStatus::Pending(mutations.len()));
        let generation = self.engine().borrow().generation;
        let response = match patiently(api::push(&PushRequest {
            client_id,
            mutations,
        }))
        .await
        {
            Ok(response) => response,
            // The outbox starts past what the server expects (its data was replaced):
            // a pull tells what it has; the outbox is renumbered after it.
            Err(ApiError::Problem { code, .. }) if code == "mutation_gap" => {
                self.pull().await?;
                self.renumber_outbox().await;
                return Ok(());
            }
            Err(error) => return Err(error),
        };
        if self.engine().borrow().generation != generation {
            return Ok(());
        }
        self.settle(&response.results).await
    }

    /// Takes in the server's answers to pushed mutations.
    pub async fn settle(&self, results: &[MutationResult]) -> Result<(), ApiError> {
        // Rejected mutations leave the outbox now: the screen rolls back. Applied ones stay
        // in the overlay until the pull that follows brings their effects (otherwise the
        // screen would flicker back to the old state in between).
        let mut rejected = Vec::new();
        let mut notices = Vec::new();
        {
            let shared = self.engine();
            let engine = shared.borrow();
            for result in results {
                if result.status == MutationStatus::Rejected {
                    rejected.push(result.id);
                    if let Some(pending) = engine.outbox.iter().find(|p| p.mutation.id == result.id)
                    {
                        let code = result.code.as_deref().unwrap_or("invalid_state");
                        notices.push(Notice {
                            id: result.id,
                            text: engine.explain_rejection(&pending.command, code),
                        });
                    }
                }
            }
        }
        let store = self.engine().borrow().store.clone();
        if let Some(store) = store {
            store
                .remove_mutations(&rejected)
                .await
                .map_err(|e| ApiError::Unexpected(e.0))?;
        }
        self.engine()
            .borrow_mut()
            .outbox
            .retain(|p| !rejected.contains(&p.mutation.id));
        if !notices.is_empty() {
            self.notices.update(|all| all.extend(notices));
        }
        self.publish();
        Ok(())
    }

    async fn renumber_outbox(&self) {
        let (store, commands) = {
            let shared = self.engine();
            let engine = shared.borrow();
            let commands: Vec<Command> = engine.outbox.iter().map(|p| p.command.clone()).collect();
            (engine.store.clone(), commands)
        };
        let Some(store) = store else { return };
        let ids: Vec<u64> = self
            .engine()
            .borrow()
            .outbox
            .iter()
            .map(|p| p.mutation.id)
            .collect();
        let _ = store.remove_mutations(&ids).await;
        let mut renumbered = Vec::new();
        for command in commands {
            if let Ok(mutation) = store.enqueue(&command).await {
                renumbered.push(Pending { mutation, command });
            }
        }
        self.engine().borrow_mut().outbox = renumbered;
    }

    async fn pull(&self) -> Result<(), ApiError> {
        loop {
            let (cursor, client_id) = {
                let shared = self.engine();
                let engine = shared.borrow();
                (
                    engine.meta.cursor,
                    engine.meta.client_id.unwrap_or_else(new_id),
                )
            };
            let generation = self.engine().borrow().generation;
            let page = patiently(api::pull(cursor, client_id)).await?;
            if self.engine().borrow().generation != generation {
                // Another user since the request went out: this answer is not theirs.
                return Ok(());
            }
            let store = self.engine().borrow().store.clone();
            let meta = match store {
                Some(store) => store
                    .apply_pull(&page)
                    .await
                    .map_err(|e| ApiError::Unexpected(e.0))?,
                None => {
                    let shared = self.engine();
                    let engine = shared.borrow();
                    Meta {
                        cursor: page.cursor,
                        last_mutation_id: page.last_mutation_id,
                        ..engine.meta.clone()
                    }
                }
            };
            self.engine().borrow_mut().apply_pull(&page, meta);
            self.publish();
            if !page.more {
                return Ok(());
            }
        }
    }

    /// Applies a user's command: checked against the rules on what the screen shows (a
    /// refusal is explained at once and nothing is queued), then written to the outbox
    /// and shown; the loop takes it to the server.
    pub async fn mutate(&self, command: Command) -> Result<(), MutateError> {
        while self.engine().borrow().switching {
            sleep(20).await;
        }
        let (store, me) = {
            let shared = self.engine();
            let engine = shared.borrow();
            (engine.store.clone(), engine.meta.me.clone())
        };
        let Some(me) = me else {
            return Err(MutateError::NotLoggedIn);
        };
        let mut preview = self.engine().borrow().overlay(&me).0;
        preview.apply(&me, &command, now())?;
        let mutation = match store {
            Some(store) => store
                .enqueue(&command)
                .await
                .map_err(|_| MutateError::NotSaved)?,
            None => {
                let shared = self.engine();
                let engine = shared.borrow();
                let id = engine
                    .outbox
                    .last()
                    .map_or(engine.meta.last_mutation_id, |p| p.mutation.id)
                    + 1;
                microwish_core::sync::Mutation::new(id, &command)
            }
        };
        self.engine()
            .borrow_mut()
            .outbox
            .push(Pending { mutation, command });
        let pending = self.engine().borrow().outbox.len();
        self.status.set(SyncStatus::Pending(pending));
        self.publish();
        self.wake();
        Ok(())
    }

    pub fn dismiss(&self, id: u64) {
        self.notices
            .update(|all| all.retain(|notice| notice.id != id));
    }

    /// Recomputes what the screens show from the cache and the outbox.
    fn publish(&self) {
        let data = self.engine().borrow().data();
        self.data.set(data);
    }
}

impl Engine {
    fn load(&mut self, snapshot: Snapshot) {
        self.base = LocalState {
            wishes: snapshot.wishes.into_iter().map(|w| (w.id, w)).collect(),
            claims: snapshot.claims.into_iter().map(|c| (c.id, c)).collect(),
        };
        self.campaigns = snapshot.campaigns.into_iter().map(|c| (c.id, c)).collect();
        self.grids = snapshot
            .grids
            .into_iter()
            .map(|g| (g.id.clone(), g))
            .collect();
        self.outbox = snapshot.outbox;
    }

    fn apply_pull(&mut self, page: &PullResponse, meta: Meta) {
        if page.reset {
            self.base = LocalState::default();
            self.campaigns.clear();
            self.grids.clear();
        }
        for change in &page.changes {
            match change {
                Change::Wish { id, op, data } => put(&mut self.base.wishes, *id, *op, data.clone()),
                Change::Claim { id, op, data } => put(
                    &mut self.base.claims,
                    *id,
                    *op,
                    data.clone().map(|claim| *claim),
                ),
                Change::Campaign { id, op, data } => {
                    put(&mut self.campaigns, *id, *op, data.clone())
                }
                Change::Grid { id, op, data } => {
                    put(&mut self.grids, id.clone(), *op, data.clone())
                }
            }
        }
        // Answered mutations are part of the pulled state now.
        self.outbox
            .retain(|p| p.mutation.id > page.last_mutation_id);
        self.meta = Meta {
            me: self.meta.me.clone(),
            client_id: self.meta.client_id,
            ..meta
        };
    }

    /// The cached state with the pending commands applied, and the claims they touch.
    fn overlay(&self, me: &Me) -> (LocalState, HashSet<Id>) {
        let mut state = self.base.clone();
        state.apply_all(
            me,
            self.outbox.iter().map(|p| (p.mutation.id, &p.command)),
            now(),
        );
        let touched = self
            .outbox
            .iter()
            .filter_map(|p| p.command.claim_id())
            .collect();
        (state, touched)
    }

    fn data(&self) -> Data {
        let (state, pending_claims) = match &self.meta.me {
            Some(me) => self.overlay(me),
            None => (self.base.clone(), HashSet::new()),
        };
        let mut grids: Vec<Grid> = self.grids.values().cloned().collect();
        grids.sort_by(|a, b| a.id.cmp(&b.id));
        Data {
            wishes: state.wishes,
            claims: state.claims,
            campaigns: self.campaigns.clone(),
            grids,
            pending_claims,
            loaded: true,
            synced: self.meta.cursor > 0 || !self.base.wishes.is_empty(),
        }
    }

    /// Why the server refused a command, for the person who made it.
    fn explain_rejection(&self, command: &Command, code: &str) -> String {
        let title = match command {
            Command::ClaimWish(claim) => self
                .base
                .wishes
                .get(&claim.wish_id)
                .map(|w| w.title.clone()),
            other => other
                .claim_id()
                .and_then(|id| self.base.claims.get(&id))
                .map(|c| c.wish.title.clone()),
        };
        t().sync_rejected(command.name(), code, title.as_deref().unwrap_or_default())
    }
}

fn put<K: std::hash::Hash + Eq, V>(map: &mut HashMap<K, V>, key: K, op: Op, data: Option<V>) {
    match (op, data) {
        (Op::Put, Some(value)) => {
            map.insert(key, value);
        }
        _ => {
            map.remove(&key);
        }
    }
}

/// How long a sync request may take before it counts as "no connection". A phone in a
/// lift can hold a stalled connection for minutes; the loop retries instead (a push that
/// did arrive is answered from the server's stored result when it is sent again).
const REQUEST_TIMEOUT_MS: u32 = 15_000;

/// `request`, or `Unreachable` if it takes longer than [`REQUEST_TIMEOUT_MS`].
async fn patiently<T>(
    request: impl std::future::Future<Output = Result<T, ApiError>>,
) -> Result<T, ApiError> {
    within(REQUEST_TIMEOUT_MS, request).await
}

/// `request`, or `Unreachable` if it takes longer than `ms` milliseconds.
pub async fn within<T>(
    ms: u32,
    request: impl std::future::Future<Output = Result<T, ApiError>>,
) -> Result<T, ApiError> {
    let request = Box::pin(request);
    let timeout = Box::pin(sleep(ms));
    match futures::future::select(request, timeout).await {
        futures::future::Either::Left((result, _)) => result,
        futures::future::Either::Right(((), _)) => Err(ApiError::Unreachable),
    }
}

/// Waits `ms` milliseconds.
async fn sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ =
                window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
