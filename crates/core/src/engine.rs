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

use crate::command::Command;
use crate::decide::Written;
use crate::decide::{decide, Context};
use crate::ids::{ClaimId, WishId};
use crate::model::Me;
use crate::overlay::LocalState;
use crate::problem::ProblemCode;
use crate::sync::{Mutation, MutationStatus, PullResponse, PushRequest, PushResponse};

mod answers;
mod io;
mod rounds;
mod unsent;

pub use io::*;
pub use unsent::{UnsentAction, UnsentChange};

/// At most this many mutations go in one push.
pub const PUSH_BATCH: usize = 100;
/// Between rounds when the server's event stream is open (it pokes on every change) …
pub const LIVE_INTERVAL_MS: u32 = 60_000;
/// … and when it is not.
pub const POLL_INTERVAL_MS: u32 = 10_000;
/// Backoff after failures: 2 s, 4 s, … up to this.
pub const MAX_BACKOFF_MS: u32 = 30_000;

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
    /// Answered mutations, kept until a restore of the server can no longer need them (the
    /// store keeps the same, for every tab).
    kept: Vec<Mutation>,
    /// The server said it no longer has this client's mutations after this id: they go
    /// again once the pull under way has ended.
    lost_after: Option<u64>,
    /// What the pending commands wrote in `view`.
    touched: Written,
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
            kept: Vec::new(),
            lost_after: None,
            touched: Written::default(),
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

    /// The answered mutations kept in case the server is restored from an older backup.
    pub fn kept(&self) -> &[Mutation] {
        &self.kept
    }

    /// Everything with changes the server has not taken yet.
    pub fn pending(&self) -> &Written {
        &self.touched
    }

    /// Whether a claim has changes the server has not taken yet.
    pub fn is_pending_claim(&self, id: ClaimId) -> bool {
        self.touched.claims.contains(&id)
    }

    /// Whether a wish shows changes the server has not taken yet.
    pub fn is_pending_wish(&self, id: WishId) -> bool {
        self.touched.wishes.contains(&id)
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

    /// The server no longer has this client's mutations after `after` (restored from an
    /// older backup): the kept ones after it go back into the outbox, and the whole queue is
    /// read again numbered from `after + 1` (ids it has never seen, so each is applied once;
    /// the claims they create keep their own ids).
    pub(super) fn resend(&mut self, after: u64, now: DateTime<Utc>) {
        let again = crate::sync::to_resend(&self.kept, after);
        self.kept.retain(|m| m.id <= after);
        self.outbox.extend(again);
        self.outbox.sort_by_key(|m| m.id);
        self.outbox.dedup_by_key(|m| m.id);
        self.answered = after;
        self.reapply_outbox(now);
        self.effects.push(Effect::Save(Save::Resend { after }));
        let _ = self.request(Request::Outbox);
        self.effects.push(Effect::ReadOutbox {
            renumber: Some(Renumber {
                from: after + 1,
                after,
            }),
        });
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
            policy: self.meta.policy,
        };
        decide(&command, &self.view.facts(me, &command.needs()), &ctx)
            .map_err(MutateError::Refused)?;
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
        meta.policy = self.meta.policy;
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
        self.kept = snapshot.kept;
        self.kept.sort_by_key(|m| m.id);
        match snapshot.meta {
            Some(meta) => self.meta = meta,
            None => self
                .effects
                .push(Effect::Save(Save::Meta(self.meta.clone()))),
        }
        self.loaded = true;
        self.view = self.base.clone();
        self.touched = Written::default();
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
            if let Ok(decision) = self
                .view
                .apply(me, &mutation.command, now, self.meta.policy)
            {
                let written = decision.written();
                self.changed.add(&written);
                self.touched.extend(written);
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
        let old = std::mem::take(&mut self.touched);
        self.view.restore_from(&self.base, &old);
        self.changed.add(&old);
        let Some(me) = self.meta.me.clone() else {
            return;
        };
        for mutation in &self.outbox {
            // A command the rules refuse now is left out; the server will say why.
            if let Ok(decision) = self
                .view
                .apply(&me, &mutation.command, now, self.meta.policy)
            {
                self.touched.extend(decision.written());
            }
        }
        self.changed.add(&self.touched);
    }
}

#[cfg(test)]
mod tests;
