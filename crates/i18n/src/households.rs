//! The household registry, and posting or editing a wish on a household's behalf.

/// The household registry (workers only).
pub struct HouseholdTexts {
    pub title: &'static str,
    pub new_title: &'static str,
    pub register: &'static str,
    pub back: &'static str,
    pub search_label: &'static str,
    pub search_placeholder: &'static str,
    /// `{n}`: households shown.
    pub count: &'static str,
    pub empty: &'static str,
    pub empty_hint: &'static str,
    pub no_match: &'static str,
    pub minor_badge: &'static str,
    /// `{date}`: when the household agreed.
    pub consented: &'static str,
    pub no_consent: &'static str,
    /// A child lives there and no guardian's consent is recorded.
    pub no_guardian_consent: &'static str,
    /// `{n}`: wishes posted for the household.
    pub wish_count: &'static str,
    /// `{y}`, `{m}`, `{d}`: a date with its year.
    pub date_full: &'static str,
    pub name: &'static str,
    pub address: &'static str,
    pub phone: &'static str,
    /// A household's phone may be a mobile or a landline.
    pub phone_hint: &'static str,
    pub phone_invalid: &'static str,
    pub grid: &'static str,
    pub choose_grid: &'static str,
    pub groups: &'static str,
    pub notes: &'static str,
    pub notes_hint: &'static str,
    pub consent_on: &'static str,
    pub consent_hint: &'static str,
    pub guardian_consent_on: &'static str,
    pub guardian_consent_hint: &'static str,
    pub minor: &'static str,
    pub create: &'static str,
    pub save: &'static str,
    pub saving: &'static str,
    pub saved: &'static str,
    pub no_changes: &'static str,
    pub not_found: &'static str,
    pub private_note: &'static str,
    pub wishes_title: &'static str,
    pub no_wishes: &'static str,
    pub post_wish: &'static str,
    pub records_title: &'static str,
    pub records_intro: &'static str,
    pub records_offline: &'static str,
    pub records_waiting: &'static str,
    pub records_empty: &'static str,
}

/// Posting and editing a wish on a household's behalf.
pub struct WishFormTexts {
    pub title_new: &'static str,
    pub title_edit: &'static str,
    /// `{name}`: the household's real name (workers only see this page).
    pub for_household: &'static str,
    pub back: &'static str,
    pub kind: &'static str,
    pub title: &'static str,
    pub title_placeholder: &'static str,
    pub description: &'static str,
    pub description_minor_hint: &'static str,
    pub category: &'static str,
    pub quantity: &'static str,
    pub service_one_visit: &'static str,
    pub unit: &'static str,
    pub unit_item: &'static str,
    pub unit_service: &'static str,
    pub alias: &'static str,
    pub alias_hint: &'static str,
    /// A suggested alias is the surname with one of these (a child: 小 + surname).
    pub alias_child_prefix: &'static str,
    pub alias_elder_suffix: &'static str,
    pub alias_adult_suffix: &'static str,
    pub campaign: &'static str,
    pub no_campaign: &'static str,
    pub no_consent: &'static str,
    pub draft_note: &'static str,
    pub save_draft: &'static str,
    pub publish: &'static str,
    pub save: &'static str,
    pub saving: &'static str,
    pub no_changes: &'static str,
    pub cancel_wish: &'static str,
    pub cancel_reason: &'static str,
    pub cancel_placeholder: &'static str,
    pub cancel_hint: &'static str,
    pub cancel_confirm: &'static str,
    pub keep: &'static str,
    pub read_only_cancelled: &'static str,
    pub read_only_closed: &'static str,
    /// Closing a fulfilled wish: archived, once the household's thanks are written down.
    pub close_wish: &'static str,
    pub close_hint: &'static str,
    pub closing: &'static str,
    pub household_not_found: &'static str,
    /// `/worker/wishes/new` opened without a household: choose one.
    pub choose_household: &'static str,
    pub no_households: &'static str,
    pub add_household: &'static str,
}

impl super::Texts {
    /// A household form's field errors: its phone may be a landline (a sign-up's may not).
    pub fn household_field_error(
        &self,
        field: microwish_core::Field,
        code: microwish_core::FieldCode,
    ) -> String {
        match field {
            microwish_core::Field::Phone => self.households.phone_invalid.to_owned(),
            _ => self.field_error(field, code),
        }
    }
}
