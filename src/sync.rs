//! The sync driver: runs core's [`Engine`] in the browser. It feeds the engine what happens
//! (the cache was read, the network came and went, the server poked or answered, a timer ran
//! out) and carries out what the engine asks (IndexedDB writes, fetches, timers), then
//! writes what changed into the screens' reactive [`Data`]. All the decisions are the
//! engine's; nothing here knows a rule, a message or a session flow.

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::mpsc;
use futures::StreamExt;
use leptos::prelude::*;
use microwish_core::command::Command;
use microwish_core::engine::{
    Changed, Effect, Engine, Failure, Input, Meta, MutateError, Save, SessionState, Snapshot,
    Unsent, UnsentChange,
};
use microwish_core::overlay::LocalState;
use microwish_core::sync::Mutation;
use microwish_core::Me;

use crate::api::{self, ApiError};
use crate::china_time::now;
use crate::state::Data;
use crate::store::{Store, DB_NAME};

mod browser;
mod photos;

use browser::session_hint;
pub use browser::{sleep, within};

/// How long a request may take before it counts as "no connection". A phone in a lift can
/// hold a stalled connection for minutes; the engine retries instead (a push that did arrive
/// is answered from the server's stored result when it is sent again).
pub const REQUEST_TIMEOUT_MS: u32 = 15_000;

/// The app's sync, provided once as context.
#[derive(Clone, Copy)]
pub struct Sync {
    engine: StoredValue<Rc<RefCell<Engine>>, LocalStorage>,
    store: StoredValue<Option<Rc<Store>>, LocalStorage>,
    inputs: StoredValue<Option<mpsc::UnboundedSender<Input>>, LocalStorage>,
    timer: StoredValue<Option<i32>, LocalStorage>,
    /// The photo outbox of a device without a store (in-memory syncs), and its sender's state.
    photo_memory: StoredValue<Vec<(crate::photos::QueuedPhoto, web_sys::Blob)>, LocalStorage>,
    photo_sender: StoredValue<photos::Sender, LocalStorage>,
    pub data: Data,
}

pub fn use_sync() -> Sync {
    expect_context::<Sync>()
}

impl Sync {
    /// Starts syncing: reads the cache, finds out who is logged in, then keeps up.
    pub fn start(data: Data) -> Sync {
        let (sender, receiver) = mpsc::unbounded();
        let sync = Sync::new(data, Some(sender));
        leptos::task::spawn_local(sync.run(receiver));
        sync
    }

    /// A sync over `state` for `me` that keeps everything in memory and never contacts the
    /// server: for components mounted on their own (browser tests and benchmarks).
    pub fn in_memory(data: Data, me: Option<Me>, state: LocalState) -> Sync {
        let sync = Sync::new(data, None);
        let mut meta = Meta::fresh(me);
        meta.cursor = 1;
        let snapshot = Snapshot {
            state,
            outbox: Vec::new(),
            kept: Vec::new(),
            meta: Some(meta),
        };
        let effects = sync.engine().borrow_mut().handle(
            Input::Loaded {
                snapshot: Box::new(snapshot),
                online: false,
            },
            now(),
        );
        sync.perform_locally(effects);
        sync
    }

    fn new(data: Data, inputs: Option<mpsc::UnboundedSender<Input>>) -> Sync {
        Sync {
            engine: StoredValue::new_local(Rc::new(RefCell::new(Engine::new()))),
            store: StoredValue::new_local(None),
            inputs: StoredValue::new_local(inputs),
            timer: StoredValue::new_local(None),
            photo_memory: StoredValue::new_local(Vec::new()),
            photo_sender: StoredValue::new_local(photos::Sender::default()),
            data,
        }
    }

    fn engine(&self) -> Rc<RefCell<Engine>> {
        self.engine.get_value()
    }

    /// The server's settings, as of the last pull (how long a claim holds, fair shares).
    pub fn policy(&self) -> microwish_core::command::Policy {
        self.engine().borrow().meta().policy
    }

    /// Tells the engine something happened (from anywhere: an event listener, a fetch).
    pub fn send(&self, input: Input) {
        self.inputs.with_value(|inputs| {
            if let Some(inputs) = inputs {
                let _ = inputs.unbounded_send(input);
            }
        });
    }

    /// Asks for a round now (the user tapped "retry").
    pub fn wake(&self) {
        self.send(Input::Wake);
    }

    async fn run(self, mut inputs: mpsc::UnboundedReceiver<Input>) {
        let snapshot = self.open_cache().await;
        let online = web_sys::window().is_none_or(|window| window.navigator().on_line());
        self.listen();
        self.feed(Input::Loaded {
            snapshot: Box::new(snapshot),
            online,
        })
        .await;
        while let Some(input) = inputs.next().await {
            self.feed(input).await;
        }
    }

    /// The cache as the device holds it; an empty one (the app runs from memory) when the
    /// device has no usable storage, as in some private modes.
    async fn open_cache(&self) -> Snapshot {
        let store = match Store::open(DB_NAME).await {
            Ok(store) => Rc::new(store),
            Err(error) => {
                web_sys::console::warn_1(&format!("offline cache unavailable: {}", error.0).into());
                return Snapshot::default();
            }
        };
        let snapshot = match store.load().await {
            Ok(snapshot) => snapshot,
            Err(error) => {
                // A record this version cannot read: start over rather than fail forever.
                web_sys::console::warn_1(&format!("offline cache unreadable: {}", error.0).into());
                let _ = store.save(&Save::Wipe(Meta::fresh(None))).await;
                Snapshot::default()
            }
        };
        self.store.set_value(Some(store));
        self.show_photos().await;
        snapshot
    }

    async fn feed(&self, input: Input) {
        let effects = self.engine().borrow_mut().handle(input, now());
        self.perform(effects).await;
    }

    async fn perform(&self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Save(save) => {
                    if let Some(store) = self.store.get_value() {
                        if let Err(error) = store.save(&save).await {
                            web_sys::console::warn_1(
                                &format!("cache write failed: {}", error.0).into(),
                            );
                        }
                    }
                    if matches!(save, Save::Wipe(_)) {
                        self.forget_photos();
                    }
                }
                Effect::ReadOutbox { renumber } => {
                    let outbox = match self.store.get_value() {
                        Some(store) => match store.read_outbox(renumber).await {
                            Ok(outbox) => outbox,
                            Err(_) => self.engine().borrow().read_outbox(renumber),
                        },
                        None => self.engine().borrow().read_outbox(renumber),
                    };
                    self.send(Input::OutboxRead(outbox));
                }
                Effect::Push { token, request } => self.request(async move {
                    let result = within(REQUEST_TIMEOUT_MS, api::push(&request))
                        .await
                        .map_err(ApiError::failure);
                    Input::Pushed { token, result }
                }),
                Effect::Pull {
                    token,
                    cursor,
                    client_id,
                } => self.request(async move {
                    let result = within(REQUEST_TIMEOUT_MS, api::pull(cursor, client_id))
                        .await
                        .map_err(ApiError::failure);
                    Input::Pulled { token, result }
                }),
                Effect::CheckSession { token } => self.request(async move {
                    // No session was ever started on this browser: a visitor, known
                    // without a request (whose 401 the browser would log as an error).
                    let result = if session_hint() {
                        within(REQUEST_TIMEOUT_MS, api::me())
                            .await
                            .map_err(ApiError::failure)
                    } else {
                        Err(Failure::NotLoggedIn)
                    };
                    Input::SessionChecked { token, result }
                }),
                Effect::EndServerSession { token } => self.request(async move {
                    let result = within(REQUEST_TIMEOUT_MS, api::logout())
                        .await
                        .map_err(ApiError::failure);
                    Input::ServerLoggedOut { token, result }
                }),
                Effect::WakeIn(ms) => self.wake_in(ms),
                other => self.show(other),
            }
        }
    }

    /// Effects that only change what the screens show.
    fn show(&self, effect: Effect) {
        match effect {
            Effect::Changed(changed) => {
                self.publish(&changed);
                self.send_photos();
            }
            Effect::Status(status) => {
                self.data.status.set(status);
                self.send_photos();
            }
            // Only a change is told: every screen that reads the session is drawn again when
            // it is set, and 我的 would lose a half-typed form to a session checked again.
            Effect::Session(session) if self.data.session.with_untracked(|now| *now != session) => {
                self.data.session.set(session)
            }
            Effect::Notice(notice) => {
                if let Command::FileRequest(refused) = &notice.command {
                    self.drop_photos_of(refused.id);
                }
                self.data.notices.update(|all| all.push(notice));
            }
            Effect::Save(Save::Wipe(_)) => self.forget_photos(),
            _ => {}
        }
    }

    /// Feeds an in-memory sync: shows what the engine answers and returns all of it (the
    /// caller plays the network; browser tests and benchmarks).
    pub fn handle_locally(&self, input: Input) -> Vec<Effect> {
        let effects = self.engine().borrow_mut().handle(input, now());
        self.perform_locally(effects.clone());
        effects
    }

    /// Carries out what needs no network and no store (in-memory syncs).
    fn perform_locally(&self, effects: Vec<Effect>) {
        for effect in effects {
            self.show(effect);
        }
    }

    /// Sends a request in the background; its answer comes back as an input, so the engine
    /// keeps hearing about the network (offline, online) while it waits.
    fn request(&self, request: impl std::future::Future<Output = Input> + 'static) {
        let sync = *self;
        leptos::task::spawn_local(async move {
            let input = request.await;
            sync.send(input);
        });
    }

    /// Puts what changed into the screens' signals.
    fn publish(&self, changed: &Changed) {
        let shared = self.engine();
        let engine = shared.borrow();
        let synced = engine.meta().cursor > 0 || !engine.view().wishes.is_empty();
        self.data
            .publish(engine.view(), changed, engine.pending(), synced);
    }

    /// Applies a user's command: checked against the rules on what the screen shows (a
    /// refusal is returned at once and nothing is queued), then written to the outbox and
    /// shown; the engine takes it to the server.
    pub async fn mutate(&self, command: Command) -> Result<(), MutateError> {
        let effects = self.engine().borrow_mut().mutate(command, now())?;
        for effect in effects {
            if let Effect::Enqueue(command) = effect {
                let mutation = match self.store.get_value() {
                    Some(store) => store
                        .enqueue(&command)
                        .await
                        .map_err(|_| MutateError::NotSaved)?,
                    None => Mutation {
                        id: self.engine().borrow().next_mutation_id(),
                        command,
                    },
                };
                let effects = self
                    .engine()
                    .borrow_mut()
                    .handle(Input::Enqueued(mutation), now());
                if self.inputs.with_value(Option::is_some) {
                    self.perform(effects).await;
                } else {
                    self.perform_locally(effects);
                }
            }
        }
        Ok(())
    }

    /// The login or registration form got `me` from the server.
    pub fn logged_in(&self, me: Me) {
        self.send(Input::LoggedIn(me));
    }

    /// Logs out, unless changes wait to be sent: then says how many (see
    /// [`Sync::send_then_log_out`] and [`Sync::log_out_now`]).
    pub async fn log_out(&self) -> Result<(), Unsent> {
        let effects = self.engine().borrow_mut().log_out()?;
        self.perform(effects).await;
        Ok(())
    }

    pub async fn send_then_log_out(&self) {
        let effects = self.engine().borrow_mut().send_then_log_out();
        self.perform(effects).await;
    }

    /// Logs out at once, dropping what was not sent.
    pub async fn log_out_now(&self) {
        let effects = self.engine().borrow_mut().log_out_now();
        self.perform(effects).await;
    }

    /// The changes not sent yet, named (which wish, how many): what logging out would lose.
    pub fn unsent(&self) -> Vec<UnsentChange> {
        self.engine().borrow().unsent()
    }

    /// The session as the engine sees it now.
    pub fn session(&self) -> SessionState {
        self.engine().borrow().session()
    }
}
