//! How the engine paces its work: one request at a time, the next step of a round, and
//! what the indicator says after a round ended well or badly.

use super::*;

impl Engine {
    pub(super) fn answer_to(&mut self, token: u64) -> bool {
        match self.in_flight {
            Some((expected, _)) if expected == token => {
                self.in_flight = None;
                true
            }
            // An answer to a request made before a logout or a user switch: not theirs.
            _ => false,
        }
    }

    pub(super) fn request(&mut self, request: Request) -> u64 {
        let token = self.next_token;
        self.next_token += 1;
        self.in_flight = Some((token, request));
        token
    }

    /// The next step of syncing, if one is due and none is under way.
    pub(super) fn round(&mut self) {
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
    pub(super) fn settled(&mut self) {
        self.failures = 0;
        self.gap_retries = 0;
        if self.logout_after_send && self.outbox.is_empty() {
            let effects = self.log_out_now();
            self.effects.extend(effects);
            return;
        }
        let status = match (self.outbox.len(), self.session) {
            // An answer that was on its way when the network went: still offline.
            (n, _) if !self.online => SyncStatus::Offline(n),
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
    pub(super) fn failed(&mut self, failure: Failure) {
        self.failures += 1;
        let status = match failure {
            _ if !self.online => SyncStatus::Offline(self.outbox.len()),
            Failure::Unreachable => SyncStatus::Offline(self.outbox.len()),
            Failure::NotLoggedIn => SyncStatus::LoginToSend(self.outbox.len()),
            _ => SyncStatus::Failed,
        };
        self.set_status(status);
        let backoff = 1_000u32.saturating_mul(2u32.saturating_pow(self.failures.min(5)));
        self.effects
            .push(Effect::WakeIn(backoff.min(MAX_BACKOFF_MS)));
    }

    pub(super) fn set_status(&mut self, status: SyncStatus) {
        if self.status != status {
            self.status = status;
            self.effects.push(Effect::Status(status));
        }
    }
}
