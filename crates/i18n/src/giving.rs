//! What a giver is told after the fact: a claim that ended because its wish was withdrawn, a
//! claim still waiting to be sent, and a finished wish's thanks and what to help next.

use microwish_core::giving::ClaimEnding;
use microwish_core::ClaimView;

use super::Texts;

pub struct GivingTexts {
    /// A claim's state while it waits in the outbox (the server has not taken it).
    pub status_waiting: &'static str,
    /// A claim whose wish was withdrawn: its state, the label of the worker's reason, and a
    /// thank-you that says the gift was not refused.
    pub status_withdrawn: &'static str,
    pub withdrawn_reason: &'static str,
    pub withdrawn_thanks: &'static str,
    pub other_wishes: &'static str,
    /// A fulfilled or closed wish's page.
    pub finished_title: &'static str,
    pub finished_body: &'static str,
    /// Before the household's thanks for the viewer's own claim.
    pub thanks_to_you: &'static str,
    pub more_title: &'static str,
    pub more_none: &'static str,
    pub all_wishes: &'static str,
}

impl Texts {
    /// A claim's state in words, as its giver reads it: waiting to be sent, or why it ended.
    pub fn claim_state(&self, claim: &ClaimView, waiting: bool) -> &'static str {
        if waiting {
            return self.giving.status_waiting;
        }
        match claim.ending() {
            Some(ClaimEnding::WishWithdrawn) => self.giving.status_withdrawn,
            _ => self.claim_status_for(claim.wish.kind, claim.status),
        }
    }

    /// The label of the reason a claim ended with (a withdrawn wish's, or a refusal's).
    pub fn ending_reason(&self, ending: Option<ClaimEnding>) -> &'static str {
        match ending {
            Some(ClaimEnding::WishWithdrawn) => self.giving.withdrawn_reason,
            _ => self.claim.reject_reason,
        }
    }
}
