//! Hand-over at the station: the code a giver shows, and the worker's confirmation of it.

pub struct HandoverTexts {
    /// Above the code on the giver's claim.
    pub code_title: &'static str,
    pub code_hint: &'static str,
    /// The worker console's form.
    pub confirm_title: &'static str,
    pub confirm_intro: &'static str,
    pub code_label: &'static str,
    pub submit: &'static str,
    /// Confirmed on this phone; the server applies it at the next sync.
    pub confirmed: &'static str,
}
