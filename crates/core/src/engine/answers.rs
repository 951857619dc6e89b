//! How the engine takes in answers: to pushes, pulls, outbox reads and session checks.

use chrono::{DateTime, Utc};

use super::*;

impl Engine {
    pub(super) fn pushed(&mut self, result: Result<PushResponse, Failure>, now: DateTime<Utc>) {
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
            Err(Failure::Gap { expected })
                if self.gap_retries < 3
                    && expected <= self.answered.max(self.meta.last_mutation_id) =>
            {
                // The server forgot mutations it had answered (restored from an older
                // backup): the kept ones go again, with the queue, in line.
                self.gap_retries += 1;
                self.resend(expected.saturating_sub(1), now);
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

    pub(super) fn outbox_read(&mut self, mut outbox: Vec<Mutation>, now: DateTime<Utc>) {
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

    pub(super) fn pulled(&mut self, result: Result<PullResponse, Failure>, now: DateTime<Utc>) {
        let page = match result {
            Ok(page) => page,
            Err(failure) => return self.failed(failure),
        };
        if page.reset {
            self.base = LocalState::default();
            self.view = LocalState::default();
            self.touched = Written::default();
            self.changed.all = true;
        }
        for change in &page.changes {
            self.base.apply_change(change);
            self.view.apply_change(change);
            self.changed.note(change);
        }
        // The server no longer has mutations it answered (restored from an older backup):
        // the kept ones go again when this pull has ended.
        if page.last_mutation_id < self.answered.max(self.meta.last_mutation_id) {
            self.lost_after = Some(page.last_mutation_id);
        }
        self.meta.cursor = page.cursor;
        self.meta.last_mutation_id = page.last_mutation_id;
        self.meta.next_mutation_id = self.meta.next_mutation_id.max(page.last_mutation_id + 1);
        self.meta.policy = page.policy;
        // The same user, changed on the server (approved, time credited): shown at once.
        if let Some(me) = &page.me {
            if self
                .meta
                .me
                .as_ref()
                .is_some_and(|old| old.id == me.id && old != me)
            {
                self.meta.me = Some(me.clone());
                self.effects
                    .push(Effect::Save(Save::Meta(self.meta.clone())));
                self.effects.push(Effect::Session(self.session()));
            }
        }
        if self.lost_after.is_some() {
            self.answered = page.last_mutation_id;
        }
        self.answered = self.answered.max(page.last_mutation_id);
        // Answered mutations are part of the pulled state now; they are kept (in case the
        // server is restored from a backup taken before them) until core lets them go.
        let (answered, waiting): (Vec<Mutation>, Vec<Mutation>) = std::mem::take(&mut self.outbox)
            .into_iter()
            .partition(|m| m.id <= page.last_mutation_id);
        self.outbox = waiting;
        self.kept.extend(answered);
        self.kept.sort_by_key(|m| m.id);
        self.kept.dedup_by_key(|m| m.id);
        let ids: Vec<u64> = self.kept.iter().map(|m| m.id).collect();
        let dropped = crate::sync::kept_to_drop(&ids, page.last_mutation_id);
        self.kept.retain(|m| !dropped.contains(&m.id));
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
        } else if let Some(after) = self
            .lost_after
            .take()
            .filter(|after| self.kept.iter().chain(&self.outbox).any(|m| m.id > *after))
        {
            self.resend(after, now);
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

    pub(super) fn session_checked(&mut self, result: Result<Me, Failure>) {
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
                        meta.policy = self.meta.policy;
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

    pub(super) fn server_logged_out(&mut self, result: Result<(), Failure>) {
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
    pub(super) fn logged_in(&mut self, me: Me) {
        let same = self.meta.me.as_ref().is_some_and(|old| old.id == me.id);
        if same {
            self.meta.me = Some(me);
            // A new login replaced the cookie an offline logout meant to end.
            self.meta.logout_pending = false;
            self.effects
                .push(Effect::Save(Save::Meta(self.meta.clone())));
        } else {
            let mut meta = Meta::fresh(Some(me));
            meta.policy = self.meta.policy;
            self.start_over(meta);
        }
        self.session = Known::Yes;
        self.effects.push(Effect::Session(self.session()));
    }

    /// Empties the cache for `meta`'s user. Public wishes, campaigns and grids stay on
    /// screen until the new user's first pull replaces them (no flicker); claims go at once.
    pub(super) fn start_over(&mut self, meta: Meta) {
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
            ..LocalState::default()
        };
        self.base = public.clone();
        self.view = public;
        self.outbox.clear();
        self.kept.clear();
        self.lost_after = None;
        self.touched = Written::default();
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

    pub(super) fn title_of(&self, command: &Command) -> Option<String> {
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
