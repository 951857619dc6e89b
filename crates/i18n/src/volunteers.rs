//! Vetting volunteers.

/// Vetting volunteers.
pub struct VolunteerTexts {
    pub title: &'static str,
    pub intro: &'static str,
    pub pending: &'static str,
    pub approved: &'static str,
    pub suspended: &'static str,
    pub none_pending: &'static str,
    pub none_approved: &'static str,
    pub none_suspended: &'static str,
    /// `{date}`.
    pub registered: &'static str,
    /// `{n}` house calls, `{hours}`.
    pub served: &'static str,
    /// `{who}`, `{date}`.
    pub vetted: &'static str,
    pub note_label: &'static str,
    pub note_placeholder: &'static str,
    pub approve: &'static str,
    pub suspend: &'static str,
    pub suspend_reason: &'static str,
    pub suspend_placeholder: &'static str,
    /// What a suspension does, said before it is confirmed.
    pub suspend_hint: &'static str,
    pub suspend_submit: &'static str,
    pub restore: &'static str,
    pub restore_placeholder: &'static str,
    pub cancel: &'static str,
    /// A pending volunteer is declined, with a reason they read.
    pub decline: &'static str,
    pub decline_reason: &'static str,
    pub decline_placeholder: &'static str,
    pub decline_hint: &'static str,
    pub decline_submit: &'static str,
    /// The volunteer's own standing, on 我的.
    pub me_pending_title: &'static str,
    pub me_pending: &'static str,
    pub me_approved_title: &'static str,
    pub me_approved: &'static str,
    pub me_browse_services: &'static str,
    pub me_suspended_title: &'static str,
    pub me_suspended: &'static str,
    pub me_reason: &'static str,
    /// From a house call's page: where a pending volunteer is met (on 我的).
    pub me_where: &'static str,
}
