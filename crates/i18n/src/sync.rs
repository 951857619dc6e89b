//! The sync indicator, and what it says about changes made offline that the server refused.

use microwish_core::command::Command;
use microwish_core::engine::{Notice, SyncStatus, UnsentAction, UnsentChange};
use microwish_core::ProblemCode;

use super::{fill, Texts};

/// The sync indicator and what it says about changes made offline.
pub struct SyncTexts {
    pub starting: &'static str,
    pub synced: &'static str,
    /// `{n}`: changes waiting.
    pub pending: &'static str,
    pub offline: &'static str,
    /// `{n}`: changes saved on the phone, waiting.
    pub offline_waiting: &'static str,
    pub failed: &'static str,
    /// `{n}`: changes waiting for the same user to log in again.
    pub log_in_to_send: &'static str,
    /// Shown on a claim the server has not confirmed yet.
    pub pending_badge: &'static str,
    /// The title of a claim the server has not taken yet.
    pub saved_title: &'static str,
    pub saved_offline: &'static str,
    /// `{n}`: changes not sent yet when logging out (`_one`: a single change).
    pub unsent_at_logout: &'static str,
    pub unsent_at_logout_one: &'static str,
    pub send_then_log_out: &'static str,
    pub send_then_log_out_offline: &'static str,
    pub discard_and_log_out: &'static str,
    pub keep_logged_in: &'static str,
    /// The changes the logout question names: `{title}` the wish, `{n}` `{unit}` how many.
    pub unsent_claim: &'static str,
    pub unsent_release: &'static str,
    pub unsent_deliver: &'static str,
    pub unsent_other: &'static str,
    /// A change about nothing the phone can name.
    pub unsent_unnamed: &'static str,
    /// `{n}`: changes not listed.
    pub unsent_more: &'static str,
    pub logging_out_after_send: &'static str,
    pub dismiss: &'static str,
    /// `{title}`: the wish.
    pub claim_taken: &'static str,
    pub claim_too_many: &'static str,
    /// `{title}`, `{reason}`.
    pub claim_failed: &'static str,
    pub action_failed: &'static str,
    /// `{reason}`: a change to a request the server refused.
    pub request_failed: &'static str,
    pub not_cached: &'static str,
}

impl Texts {
    /// Why the server refused a change made (maybe offline) earlier, for a notice.
    pub fn notice(&self, notice: &Notice) -> String {
        let reason = self.code(notice.code).to_owned();
        let template = match (&notice.command, notice.code) {
            (Command::ClaimWish(_), ProblemCode::WishFullyClaimed) => self.sync.claim_taken,
            (Command::ClaimWish(_), ProblemCode::NotEnoughRemaining) => self.sync.claim_too_many,
            (Command::ClaimWish(_), _) => self.sync.claim_failed,
            (command, _) if is_about_a_request(command) => self.sync.request_failed,
            _ => self.sync.action_failed,
        };
        let title = notice.title.clone().unwrap_or_default();
        fill(template, &[("title", title), ("reason", reason)])
    }

    /// One change waiting in the outbox, named for the logout question.
    pub fn unsent_change(&self, change: &UnsentChange) -> String {
        let Some(title) = change.wish_title.clone() else {
            return self.sync.unsent_unnamed.to_owned();
        };
        let template = match (change.action, change.quantity) {
            (UnsentAction::Claim, Some(_)) => self.sync.unsent_claim,
            (UnsentAction::Release, Some(_)) => self.sync.unsent_release,
            (UnsentAction::Deliver, _) => self.sync.unsent_deliver,
            _ => self.sync.unsent_other,
        };
        let n = change.quantity.map(|n| n.to_string()).unwrap_or_default();
        let unit = change.unit.clone().unwrap_or_default();
        fill(template, &[("title", title), ("n", n), ("unit", unit)])
    }

    /// What the sync indicator says.
    pub fn sync_status(&self, status: SyncStatus) -> String {
        match status {
            SyncStatus::Starting => self.sync.starting.to_owned(),
            SyncStatus::Synced => self.sync.synced.to_owned(),
            SyncStatus::Pending(n) => fill(self.sync.pending, &[("n", n.to_string())]),
            SyncStatus::Offline(0) => self.sync.offline.to_owned(),
            SyncStatus::Offline(n) => fill(self.sync.offline_waiting, &[("n", n.to_string())]),
            SyncStatus::LoginToSend(n) => fill(self.sync.log_in_to_send, &[("n", n.to_string())]),
            SyncStatus::Failed => self.sync.failed.to_owned(),
        }
    }
}

/// Whether a command is a step of a resident's request (its notice names no wish).
fn is_about_a_request(command: &Command) -> bool {
    matches!(
        command,
        Command::FileRequest(_)
            | Command::AcceptRequest(_)
            | Command::DispatchRequest(_)
            | Command::CallVolunteers(_)
            | Command::TakeCall(_)
            | Command::StartRequest(_)
            | Command::NoteRequest(_)
            | Command::ResolveRequest(_)
            | Command::ConfirmRequest(_)
            | Command::ReopenRequest(_)
            | Command::DeclineRequest(_)
            | Command::MergeRequest(_)
            | Command::ConvertRequest(_)
            | Command::CloseRequest(_)
    )
}
