//! Every user-visible string, in one place. Chinese (zh-CN) is the app's language; English is
//! a second [`Texts`] value of the same shape. A language is its table and nothing else: words,
//! templates with `{name}` placeholders (see [`fill`]) and the calendar's names; the code that
//! puts them together (by area, in the modules below) is the same for every language.
//!
//! Its own crate because two programs speak: the app, and the server where it draws a page
//! before the app has arrived (a shared link's card, the list's first screen) in the same words.

use std::sync::atomic::{AtomicUsize, Ordering};

mod account;
mod calendar;
mod certificates;
mod claim;
mod en;
mod fields;
mod giving;
mod handover;
mod households;
mod import;
#[cfg(test)]
mod notice_tests;
mod notices;
mod pairings;
mod phone;
mod pledge_changes;
mod privacy;
mod problems;
mod report;
#[cfg(test)]
mod request_tests;
mod request_work;
mod requests;
mod shop_record;
mod shops;
mod stations;
mod sync;
#[cfg(test)]
mod tests;
mod vocabulary;
mod volunteers;
mod zh_cn;

pub use account::{AccountTexts, NavTexts};
pub use calendar::CalendarTexts;
pub use certificates::CertificateTexts;
pub use claim::{ClaimTexts, WorkerTexts};
pub use en::EN;
pub use fields::FieldErrorTexts;
pub use giving::GivingTexts;
pub use handover::HandoverTexts;
pub use households::{HouseholdTexts, WishFormTexts};
pub use import::ImportTexts;
pub use notices::{NoticeKindTexts, NoticeTexts};
pub use pairings::PairingTexts;
pub use phone::PhoneTexts;
pub use pledge_changes::PledgeChangeTexts;
pub use privacy::PrivacyTexts;
pub use problems::ProblemTexts;
pub use report::ReportTexts;
pub use request_work::{BoardTexts, RequestAnswerTexts, RequestWorkTexts};
pub use requests::{
    ChannelTexts, HandlerKindTexts, RequestCategoryTexts, RequestFieldTexts, RequestFormTexts,
    RequestStatusTexts, RequestTexts, UrgencyTexts,
};
pub use shop_record::ShopRecordTexts;
pub use shops::ShopTexts;
pub use stations::StationTexts;
pub use sync::SyncTexts;
pub use vocabulary::{
    AllocationStatusTexts, CategoryTexts, ClaimStatusTexts, EventActionTexts, GroupTexts,
    RoleTexts, WishKindTexts, WishStatusTexts,
};
pub use volunteers::VolunteerTexts;
pub use zh_cn::ZH_CN;

/// Everything the app says in one language. Each language is one value of this struct
/// (`zh_cn.rs`, `en.rs`), so a text missing from one of them does not compile.
pub struct Texts {
    /// The BCP 47 tag, for `<html lang>`, the saved choice and the browser's `Intl`.
    pub tag: &'static str,
    /// The language's own name, the same in every language (a person looking for theirs
    /// reads it).
    pub name: &'static str,
    pub app_name: &'static str,
    pub community: &'static str,
    pub tagline: &'static str,
    pub loading: &'static str,
    pub retry: &'static str,
    pub back_to_list: &'static str,
    pub back_to_console: &'static str,
    pub back_to_pledges: &'static str,
    pub back_to_shop: &'static str,
    pub back_to_me: &'static str,
    pub search_placeholder: &'static str,
    pub search: &'static str,
    pub clear: &'static str,
    pub filter_kind: &'static str,
    pub filter_grid: &'static str,
    pub filter_category: &'static str,
    pub filter_status: &'static str,
    pub all: &'static str,
    pub only_open: &'static str,
    pub no_wishes: &'static str,
    pub no_wishes_hint: &'static str,
    pub still_needed: &'static str,
    pub needed_by: &'static str,
    pub overdue: &'static str,
    pub due_today: &'static str,
    pub days_left: &'static str,
    pub drop_off: &'static str,
    pub house_call_in: &'static str,
    pub address_private: &'static str,
    pub beneficiary: &'static str,
    pub about_wish: &'static str,
    pub progress_claimed: &'static str,
    pub progress_fulfilled: &'static str,
    pub campaigns: &'static str,
    /// On a drive's page once its last day has passed.
    pub campaign_ended: &'static str,
    pub campaign: &'static str,
    pub campaign_wishes: &'static str,
    pub period: &'static str,
    pub stats_open: &'static str,
    pub stats_units: &'static str,
    pub stats_helped: &'static str,
    pub stats_pledged: &'static str,
    pub privacy_note: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub wish_not_found: &'static str,
    pub campaign_not_found: &'static str,
    pub err_unreachable: &'static str,
    pub err_unexpected: &'static str,
    pub err_server: &'static str,
    pub err_bad_request: &'static str,
    pub results: &'static str,
    pub show_more: &'static str,
    /// `{claimed}` of the `{goal}` `{unit}`, on a campaign.
    pub campaign_goal: &'static str,
    pub punctuation: Punctuation,
    pub calendar: CalendarTexts,
    pub kinds: WishKindTexts,
    pub statuses: WishStatusTexts,
    pub groups: GroupTexts,
    pub categories: CategoryTexts,
    pub roles: RoleTexts,
    pub claim_statuses: ClaimStatusTexts,
    pub allocation_statuses: AllocationStatusTexts,
    pub event_actions: EventActionTexts,
    pub nav: NavTexts,
    pub account: AccountTexts,
    pub claim: ClaimTexts,
    pub worker: WorkerTexts,
    pub households: HouseholdTexts,
    pub wish_form: WishFormTexts,
    pub volunteers: VolunteerTexts,
    pub notice_kinds: NoticeKindTexts,
    pub notices: NoticeTexts,
    pub shops: ShopTexts,
    pub handover: HandoverTexts,
    pub giving: GivingTexts,
    pub report: ReportTexts,
    pub import: ImportTexts,
    pub problem: ProblemTexts,
    pub field_errors: FieldErrorTexts,
    pub sync: SyncTexts,
    pub request_statuses: RequestStatusTexts,
    pub request_categories: RequestCategoryTexts,
    pub urgencies: UrgencyTexts,
    pub channels: ChannelTexts,
    pub handler_kinds: HandlerKindTexts,
    pub request_form: RequestFormTexts,
    pub requests: RequestTexts,
    pub request_fields: RequestFieldTexts,
    pub request_work: RequestWorkTexts,
    pub request_answer: RequestAnswerTexts,
    pub board: BoardTexts,
    pub privacy: PrivacyTexts,
    pub phone: PhoneTexts,
    pub stations: StationTexts,
    pub pairings: PairingTexts,
    pub pledge_changes: PledgeChangeTexts,
    pub certificates: CertificateTexts,
    pub shop_record: ShopRecordTexts,
}

/// How a language puts words together.
pub struct Punctuation {
    /// `{inner}` in brackets after other words: "赵阿姨(老人)" / "Zhao (Elderly)".
    pub in_brackets: &'static str,
    /// `{label}` and its `{value}`: "留言:周六送到" / "Note: on Saturday".
    pub labelled: &'static str,
    /// Between the items of a short list: "独居老人、残疾人" / "Orphan, Disabled".
    pub list: &'static str,
    /// Between several messages about a form's fields.
    pub clauses: &'static str,
}

/// Every language the app speaks; the first, Chinese, until another is chosen. A third
/// language is a third table here.
pub static LANGUAGES: [&Texts; 2] = [&ZH_CN, &EN];

/// Which of [`LANGUAGES`] is spoken, set once at start-up: a change reloads the page, so
/// every text is drawn in one language.
static SPOKEN: AtomicUsize = AtomicUsize::new(0);

/// The texts of the app's language (chosen on 我的, kept on the device by the app's `prefs`).
pub fn t() -> &'static Texts {
    LANGUAGES[SPOKEN.load(Ordering::Relaxed)]
}

/// The language with this BCP 47 tag, if the app speaks it.
pub fn language(tag: &str) -> Option<&'static Texts> {
    LANGUAGES.into_iter().find(|texts| texts.tag == tag)
}

/// Speaks `language` from now on.
pub fn speak(language: &Texts) {
    let index = LANGUAGES
        .iter()
        .position(|texts| texts.tag == language.tag)
        .unwrap_or(0);
    SPOKEN.store(index, Ordering::Relaxed);
}

/// Puts values into a template's `{name}` placeholders, in one pass: a value is never read as
/// a template (a wish titled "{n}" stays "{n}"); a placeholder without a value stays as it is.
pub fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut text = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        text.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            let value = values.iter().find(|(known, _)| *known == name)?;
            Some((&value.1, close))
        });
        match value {
            Some((value, close)) => {
                text.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                text.push('{');
                rest = after;
            }
        }
    }
    text.push_str(rest);
    text
}

impl Texts {
    /// Words in brackets after others, as each language writes it: "赵阿姨(老人)", "进行中(3)";
    /// "Zhao (Elderly)", "In progress (3)".
    pub fn in_brackets(&self, inner: impl std::fmt::Display) -> String {
        fill(
            self.punctuation.in_brackets,
            &[("inner", inner.to_string())],
        )
    }

    /// "留言:周六送到" / "Note: on Saturday".
    pub fn labelled(&self, label: &str, value: &str) -> String {
        fill(
            self.punctuation.labelled,
            &[("label", label.to_owned()), ("value", value.to_owned())],
        )
    }

    /// Joins a short list: "独居老人、残疾人" / "Elderly, living alone, Disabled".
    pub fn list(&self, items: &[&str]) -> String {
        items.join(self.punctuation.list)
    }

    /// "已认领 12 / 目标 30 个书包".
    pub fn campaign_goal(&self, claimed: u32, goal: u32, unit: &str) -> String {
        fill(
            self.campaign_goal,
            &[
                ("claimed", claimed.to_string()),
                ("goal", goal.to_string()),
                ("unit", unit.to_owned()),
            ],
        )
    }
}
