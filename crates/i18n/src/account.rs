//! Navigation, logging in, registering and the 我的 page.

/// The navigation bar.
pub struct NavTexts {
    pub label: &'static str,
    pub wishes: &'static str,
    pub my_claims: &'static str,
    pub to_confirm: &'static str,
    /// For screen readers beside 待确认's badge: `{n}` claims wait.
    pub waiting: &'static str,
    pub households: &'static str,
    pub volunteers: &'static str,
    pub console: &'static str,
    pub donations: &'static str,
    /// A resident's requests; property staff's requests dispatched to them; a party-member
    /// volunteer's calls.
    pub requests: &'static str,
    pub assigned: &'static str,
    pub calls: &'static str,
    pub login: &'static str,
    pub register: &'static str,
    pub logout: &'static str,
    pub me: &'static str,
}

/// Logging in and registering.
pub struct AccountTexts {
    pub login_title: &'static str,
    pub login_intro: &'static str,
    pub register_title: &'static str,
    pub register_intro: &'static str,
    pub display_name: &'static str,
    pub display_name_hint: &'static str,
    pub phone: &'static str,
    pub password: &'static str,
    pub password_hint: &'static str,
    pub role: &'static str,
    /// The community select, shown when the server holds several.
    pub community: &'static str,
    pub community_choose: &'static str,
    pub submit_login: &'static str,
    pub submit_register: &'static str,
    pub submitting: &'static str,
    pub no_account: &'static str,
    pub go_register: &'static str,
    pub have_account: &'static str,
    pub go_login: &'static str,
    /// `{name}`: the user's display name.
    pub already_logged_in: &'static str,
    pub continue_to: &'static str,
    pub me_title: &'static str,
    pub visitor_intro: &'static str,
    pub settings: &'static str,
    /// Deleting one's account (注销账号): a folded box with the password asked again.
    pub delete_title: &'static str,
    pub delete_intro: &'static str,
    pub delete_password: &'static str,
    pub delete_submit: &'static str,
    pub language: &'static str,
    pub elder_mode: &'static str,
    pub elder_mode_hint: &'static str,
    pub logout_offline_note: &'static str,
    pub phone_shown: &'static str,
    pub volunteer_time: &'static str,
}
