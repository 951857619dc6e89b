//! Every user-visible string, in one place. Chinese (zh-CN) is the app's language;
//! English is a second `Texts` value of the same shape (`i18n/zh_cn.rs`, `i18n/en.rs`).

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike, Utc};
use microwish_core::account::{PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS};
use microwish_core::clock::{days_until, to_china};
use microwish_core::command::{
    Command, MINUTES_MAX, NOTE_MAX_CHARS, PLEDGE_QUANTITY_MAX, REASON_CHARS, SLOT_MAX_MINUTES,
    SLOT_MIN_MINUTES, THANKS_CHARS, VARIANTS_MAX, VARIANT_LABEL_CHARS,
};
use microwish_core::engine::{MutateError, Notice, SyncStatus};
use microwish_core::validate::{
    ADDRESS_CHARS, ALIAS_CHARS, DESCRIPTION_MAX_CHARS, NAME_CHARS, TITLE_CHARS, UNIT_CHARS,
};
use microwish_core::{
    AllocationStatus, BeneficiaryGroup, Category, ClaimStatus, DisplayName, EventAction, Field,
    FieldCode, Pledge, ProblemCode, Role, RuleError, WishKind, WishStatus,
};

use crate::api::ApiError;
use crate::prefs::{self, Language};

mod en;
mod zh_cn;
pub use en::EN;
pub use zh_cn::ZH_CN;

pub struct Texts {
    pub language: Language,
    pub app_name: &'static str,
    pub community: &'static str,
    pub tagline: &'static str,
    pub loading: &'static str,
    pub retry: &'static str,
    pub back_to_list: &'static str,
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
    pub nav: NavTexts,
    pub account: AccountTexts,
    pub claim: ClaimTexts,
    pub worker: WorkerTexts,
    pub households: HouseholdTexts,
    pub wish_form: WishFormTexts,
    pub volunteers: VolunteerTexts,
    pub shops: ShopTexts,
    pub report: ReportTexts,
    pub problem: ProblemTexts,
    pub sync: SyncTexts,
}

/// The navigation bar.
pub struct NavTexts {
    pub label: &'static str,
    pub wishes: &'static str,
    pub my_claims: &'static str,
    pub to_confirm: &'static str,
    pub households: &'static str,
    pub volunteers: &'static str,
    pub console: &'static str,
    pub donations: &'static str,
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
    pub language: &'static str,
    pub elder_mode: &'static str,
    pub elder_mode_hint: &'static str,
    pub logout_offline_note: &'static str,
    pub phone_shown: &'static str,
    pub volunteer_time: &'static str,
}

/// Claiming a wish, and the claim cards of "我的认领".
pub struct ClaimTexts {
    pub panel_title: &'static str,
    pub login_to_claim: &'static str,
    pub quantity: &'static str,
    pub decrease: &'static str,
    pub increase: &'static str,
    pub note: &'static str,
    pub note_placeholder: &'static str,
    pub note_placeholder_service: &'static str,
    /// "你已认领 {n}{unit}" on a wish's page, after a reload too.
    pub already_held: &'static str,
    pub already_booked: &'static str,
    pub held_more: &'static str,
    /// Before claiming an item: by when and where it must arrive.
    pub deliver_by_if_claimed: &'static str,
    /// "只剩 {n}{unit}" when a wanted quantity was cut to what remains.
    pub quantity_cut: &'static str,
    pub slot_title: &'static str,
    pub slot_date: &'static str,
    pub slot_start: &'static str,
    pub slot_end: &'static str,
    pub submit: &'static str,
    pub submitting: &'static str,
    pub success_title: &'static str,
    /// `{time}` the deadline, `{station}` the grid station.
    pub deliver_by: &'static str,
    /// `{slot}` the agreed time.
    pub visit_at: &'static str,
    pub contact_in_my_claims: &'static str,
    pub to_my_claims: &'static str,
    pub donor_on_service: &'static str,
    pub shopkeeper_cannot_claim: &'static str,
    pub worker_cannot_claim: &'static str,
    /// `{status}`: the wish's status.
    pub not_open: &'static str,
    /// `{n}` units, `{unit}` the wish's unit.
    pub quantity_of: &'static str,
    /// `{time}`: when the claim was made.
    pub claimed_at: &'static str,
    pub slot_label: &'static str,
    pub contact_title: &'static str,
    pub contact_alias: &'static str,
    pub contact_name: &'static str,
    pub contact_address: &'static str,
    pub contact_phone: &'static str,
    pub your_note: &'static str,
    pub reject_reason: &'static str,
    pub deliver: &'static str,
    pub deliver_service: &'static str,
    /// Why a house call cannot be marked done yet.
    pub deliver_not_yet: &'static str,
    /// A house call's Delivered and Confirmed (see `Texts::claim_status_for`).
    pub status_visited: &'static str,
    pub status_served: &'static str,
    pub release: &'static str,
    pub release_question: &'static str,
    pub give_back_how_many: &'static str,
    /// `{n}`: every unit held.
    pub give_back_all: &'static str,
    /// Asked before marking delivered, which cannot be taken back.
    pub deliver_question: &'static str,
    pub deliver_question_service: &'static str,
    pub deliver_yes: &'static str,
    pub release_yes: &'static str,
    pub keep: &'static str,
    pub working: &'static str,
    pub my_title: &'static str,
    pub empty: &'static str,
    pub browse: &'static str,
    /// `{minutes}`: volunteer time credited so far.
    pub volunteer_time: &'static str,
    pub timeline: &'static str,
    pub system_actor: &'static str,
    /// `{status}`: the wish's new status.
    pub wish_became: &'static str,
    pub gave_back_part: &'static str,
}

/// The workers' page of claims to confirm.
pub struct WorkerTexts {
    pub title: &'static str,
    pub workers_only: &'static str,
    pub workers_only_hint: &'static str,
    pub delivered_section: &'static str,
    pub active_section: &'static str,
    pub none_delivered: &'static str,
    pub none_active: &'static str,
    pub done_section: &'static str,
    pub none_done: &'static str,
    pub claimer: &'static str,
    pub confirm: &'static str,
    pub reject: &'static str,
    pub reject_placeholder: &'static str,
    pub reject_submit: &'static str,
    pub cancel: &'static str,
    pub confirm_service: &'static str,
    /// Asked before confirming an item: confirming cannot be taken back.
    pub confirm_question: &'static str,
    /// Asked before confirming a house call; `{n}`: the minutes credited.
    pub confirm_question_service: &'static str,
    pub confirm_yes: &'static str,
    pub minutes: &'static str,
    pub minutes_hint: &'static str,
    pub record_thanks: &'static str,
    pub thanks_placeholder: &'static str,
    pub save_thanks: &'static str,
    pub thanks_title: &'static str,
    pub call: &'static str,
}

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
    /// `{n}`: wishes posted for the household.
    pub wish_count: &'static str,
    /// `{y}`, `{m}`, `{d}`: a date with its year.
    pub date_full: &'static str,
    pub name: &'static str,
    pub address: &'static str,
    pub phone: &'static str,
    pub grid: &'static str,
    pub choose_grid: &'static str,
    pub groups: &'static str,
    pub notes: &'static str,
    pub notes_hint: &'static str,
    pub consent_on: &'static str,
    pub consent_hint: &'static str,
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
    pub household_not_found: &'static str,
}

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
}

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
    /// `{n}`: changes not sent yet when logging out.
    pub unsent_at_logout: &'static str,
    pub send_then_log_out: &'static str,
    pub send_then_log_out_offline: &'static str,
    pub discard_and_log_out: &'static str,
    pub keep_logged_in: &'static str,
    pub logging_out_after_send: &'static str,
    pub dismiss: &'static str,
    /// `{title}`: the wish.
    pub claim_taken: &'static str,
    pub claim_too_many: &'static str,
    /// `{title}`, `{reason}`.
    pub claim_failed: &'static str,
    pub action_failed: &'static str,
    pub not_cached: &'static str,
}

pub struct ProblemTexts {
    pub wish_fully_claimed: &'static str,
    pub not_enough_remaining: &'static str,
    /// `{n}` units left, `{unit}` the wish's unit.
    pub only_left: &'static str,
    pub invalid_state: &'static str,
    pub claim_not_yours: &'static str,
    pub volunteer_not_approved: &'static str,
    pub too_many_house_calls: &'static str,
    pub too_many_claims: &'static str,
    pub busy: &'static str,
    pub too_many_connections: &'static str,
    pub pledge_exhausted: &'static str,
    pub wish_full: &'static str,
    pub forbidden: &'static str,
    pub id_conflict: &'static str,
    pub validation_failed: &'static str,
    pub phone_taken: &'static str,
    pub invalid_credentials: &'static str,
    /// `{n}`: seconds to wait.
    pub too_many_attempts: &'static str,
    pub too_many_attempts_later: &'static str,
    pub not_logged_in: &'static str,
    /// The device could not store a change.
    pub not_saved: &'static str,
    pub body_too_large: &'static str,
    pub unsupported_media_type: &'static str,
    pub not_found: &'static str,
    pub field_invalid: &'static str,
}

/// Shops' pledges: the shop's 我的捐赠 and pledge form; workers' allocation.
pub struct ShopTexts {
    pub title: &'static str,
    pub intro: &'static str,
    pub new_pledge: &'static str,
    pub none: &'static str,
    pub none_hint: &'static str,
    pub shops_only: &'static str,
    pub shops_only_hint: &'static str,
    pub yearly: &'static str,
    pub once: &'static str,
    pub went_to: &'static str,
    pub not_allocated_yet: &'static str,
    pub mark_delivered: &'static str,
    pub thanks_from: &'static str,
    pub form_title: &'static str,
    pub form_intro: &'static str,
    pub item_title: &'static str,
    pub item_title_hint: &'static str,
    pub category: &'static str,
    pub quantity: &'static str,
    pub unit: &'static str,
    pub by_variant: &'static str,
    pub by_variant_hint: &'static str,
    pub variant_label: &'static str,
    pub variant_quantity: &'static str,
    pub add_variant: &'static str,
    pub shoe_sizes: &'static str,
    pub remove_variant: &'static str,
    pub available_from: &'static str,
    pub yearly_label: &'static str,
    pub note: &'static str,
    pub note_hint: &'static str,
    pub submit: &'static str,
    pub submitting: &'static str,
    pub pledges_title: &'static str,
    pub pledges_intro: &'static str,
    pub no_pledges: &'static str,
    pub allocate: &'static str,
    pub confirm: &'static str,
    pub cancel: &'static str,
    pub cancel_check: &'static str,
    pub record_thanks: &'static str,
    pub thanks_placeholder: &'static str,
    pub save_thanks: &'static str,
    pub allocate_title: &'static str,
    pub choose_size: &'static str,
    pub allocate_quantity: &'static str,
    pub suggested: &'static str,
    pub suggested_hint: &'static str,
    pub other_wishes: &'static str,
    pub no_suggestions: &'static str,
    pub choose_wish: &'static str,
    pub nothing_left: &'static str,
    pub pledge_not_found: &'static str,
    pub wish_needs: &'static str,
}

/// The workers' console: campaigns, the report and the spreadsheets.
pub struct ReportTexts {
    pub console_title: &'static str,
    pub console_intro: &'static str,
    pub to_volunteers: &'static str,
    pub to_pledges: &'static str,
    pub to_new_campaign: &'static str,
    pub to_stats: &'static str,
    pub campaign_form_title: &'static str,
    pub campaign_name: &'static str,
    pub campaign_name_hint: &'static str,
    pub campaign_description: &'static str,
    pub goal: &'static str,
    pub goal_unit: &'static str,
    pub goal_unit_hint: &'static str,
    pub starts_on: &'static str,
    pub ends_on: &'static str,
    pub start_campaign: &'static str,
    pub stats_title: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub grid: &'static str,
    pub all_grids: &'static str,
    pub households_helped: &'static str,
    pub wishes_fulfilled: &'static str,
    pub volunteer_time: &'static str,
    pub median_days: &'static str,
    pub by_month: &'static str,
    pub by_grid: &'static str,
    pub month: &'static str,
    pub posted: &'static str,
    pub fulfilled: &'static str,
    pub service_minutes: &'static str,
    pub helped: &'static str,
    pub shops: &'static str,
    pub shop: &'static str,
    pub allocated: &'static str,
    pub delivered: &'static str,
    pub confirmed: &'static str,
    pub no_shops: &'static str,
    pub export_title: &'static str,
    pub export_wishes: &'static str,
    pub export_wishes_hint: &'static str,
    pub export_households: &'static str,
    pub export_households_hint: &'static str,
    pub needs_network: &'static str,
    pub none_yet: &'static str,
}

/// Puts values into a template's `{name}` placeholders.
pub fn fill(template: &str, values: &[(&str, String)]) -> String {
    values
        .iter()
        .fold(template.to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

/// The texts of the app's language (chosen on 我的, see [`crate::prefs`]).
pub fn t() -> &'static Texts {
    texts(prefs::language())
}

pub fn texts(language: Language) -> &'static Texts {
    match language {
        Language::ZhCn => &ZH_CN,
        Language::En => &EN,
    }
}

impl Texts {
    /// This language's text of a (Chinese, English) pair.
    fn pick<T>(&self, zh: T, en: T) -> T {
        match self.language {
            Language::ZhCn => zh,
            Language::En => en,
        }
    }

    /// "标题需为 2–40 个字" / "The title must be 2–40 characters".
    fn range_text(&self, (zh, en): (&str, &str), chars: std::ops::RangeInclusive<usize>) -> String {
        let (min, max) = (chars.start(), chars.end());
        self.pick(
            format!("{zh}需为 {min}–{max} 个字"),
            format!("{en} must be {min}–{max} characters"),
        )
    }

    pub fn kind(&self, kind: WishKind) -> &'static str {
        match kind {
            WishKind::Item => self.pick("物品心愿", "Item wish"),
            WishKind::Service => self.pick("上门服务", "House call"),
        }
    }

    pub fn status(&self, status: WishStatus) -> &'static str {
        match status {
            WishStatus::Draft => self.pick("草稿", "Draft"),
            WishStatus::Open => self.pick("待认领", "Open"),
            WishStatus::Claimed => self.pick("已被认领", "Claimed"),
            WishStatus::Fulfilled => self.pick("已实现", "Fulfilled"),
            WishStatus::Closed => self.pick("已结束", "Closed"),
            WishStatus::Cancelled => self.pick("已取消", "Cancelled"),
        }
    }

    pub fn group(&self, group: BeneficiaryGroup) -> &'static str {
        match group {
            BeneficiaryGroup::ElderlyAlone => self.pick("独居老人", "Elderly, living alone"),
            BeneficiaryGroup::LowIncome => self.pick("低保低收入", "Low income"),
            BeneficiaryGroup::Orphan => self.pick("孤儿", "Orphan"),
            BeneficiaryGroup::Disabled => self.pick("残疾人", "Disabled"),
            BeneficiaryGroup::ChildInDifficulty => self.pick("困境儿童", "Child in difficulty"),
            BeneficiaryGroup::Other => self.pick("其他困难群体", "Other need"),
        }
    }

    pub fn allocation_status(&self, status: AllocationStatus) -> &'static str {
        match status {
            AllocationStatus::Allocated => {
                self.pick("已分配,待送到驿站", "Allocated, to bring to the station")
            }
            AllocationStatus::Delivered => {
                self.pick("已送到驿站,待确认", "At the station, to be confirmed")
            }
            AllocationStatus::Confirmed => self.pick("已交到住户手中", "Handed to the household"),
            AllocationStatus::Cancelled => self.pick("已取消", "Cancelled"),
        }
    }

    /// "104 双:已分配 34 · 已送达 20 · 已确认 18".
    pub fn pledge_summary(&self, pledge: &Pledge) -> String {
        let (total, unit) = (pledge.quantity, &pledge.unit);
        let (allocated, delivered, confirmed) =
            (pledge.allocated, pledge.delivered, pledge.confirmed);
        self.pick(
            format!("{total} {unit}:已分配 {allocated} · 已送达 {delivered} · 已确认 {confirmed}"),
            format!("{total} {unit}: {allocated} allocated · {delivered} delivered · {confirmed} confirmed"),
        )
    }

    /// "6月1日起可领".
    pub fn available_on(&self, date: NaiveDate) -> String {
        self.pick(
            format!("{}起可领", self.date(date)),
            format!("From {}", self.date(date)),
        )
    }

    /// "还可分配 70 双".
    pub fn pledge_left(&self, left: u32, unit: &str) -> String {
        self.pick(
            format!("还可分配 {left} {unit}"),
            format!("{left} {unit} left to allocate"),
        )
    }

    /// "合计 104 双".
    pub fn pledge_total(&self, total: i64, unit: &str) -> String {
        self.pick(
            format!("合计 {total} {unit}"),
            format!("{total} {unit} in all"),
        )
    }

    /// "分配 3 双".
    pub fn allocate_units(&self, quantity: u32, unit: &str) -> String {
        self.pick(
            format!("分配 {quantity} {unit}"),
            format!("Allocate {quantity} {unit}"),
        )
    }

    /// "已认领 12 / 目标 30 个书包".
    pub fn campaign_goal(&self, claimed: u32, goal: u32, unit: &str) -> String {
        self.pick(
            format!("已认领 {claimed} / 目标 {goal} {unit}"),
            format!("{claimed} claimed of {goal} {unit}"),
        )
    }

    /// "12.5 小时", from minutes.
    pub fn hours(&self, minutes: u32) -> String {
        let hours = if minutes.is_multiple_of(60) {
            (minutes / 60).to_string()
        } else {
            format!("{:.1}", f64::from(minutes) / 60.0)
        };
        self.pick(format!("{hours} 小时"), format!("{hours} h"))
    }

    /// "3.5 天".
    pub fn days(&self, days: f64) -> String {
        self.pick(format!("{days:.1} 天"), format!("{days:.1} days"))
    }

    /// "2026年7月" from "2026-07"; short: "7月".
    pub fn month(&self, month: &str, short: bool) -> String {
        match month.split_once('-') {
            Some((year, month)) => {
                let number: u32 = month.parse().unwrap_or(0);
                match (self.language, short) {
                    (Language::ZhCn, true) => format!("{number}月"),
                    (Language::ZhCn, false) => format!("{year}年{number}月"),
                    (Language::En, true) => month_name(number).to_owned(),
                    (Language::En, false) => format!("{} {year}", month_name(number)),
                }
            }
            None => month.to_owned(),
        }
    }

    pub fn category(&self, category: Category) -> &'static str {
        match category {
            Category::School => self.pick("学习用品", "School"),
            Category::Clothing => self.pick("衣物鞋帽", "Clothing"),
            Category::Daily => self.pick("生活用品", "Daily needs"),
            Category::Food => self.pick("食品", "Food"),
            Category::Repair => self.pick("维修", "Repair"),
            Category::Haircut => self.pick("理发", "Haircut"),
            Category::Care => self.pick("陪伴照料", "Care and company"),
            Category::Other => self.pick("其他", "Other"),
        }
    }

    /// "8月31日前", the way dates are written on notices.
    pub fn date(&self, date: NaiveDate) -> String {
        match self.language {
            Language::ZhCn => format!("{}月{}日", date.month(), date.day()),
            Language::En => format!("{} {}", month_name(date.month()), date.day()),
        }
    }

    /// A year in a date's lists: "2026年" / "2026".
    pub fn year_choice(&self, year: i32) -> String {
        self.pick(format!("{year}年"), year.to_string())
    }

    /// A month in a date's lists: "11月" / "Nov".
    pub fn month_choice(&self, month: u32) -> String {
        self.pick(format!("{month}月"), month_name(month).to_owned())
    }

    /// A day in a date's lists: "29日" / "29".
    pub fn day_of_month_choice(&self, day: u32) -> String {
        self.pick(format!("{day}日"), day.to_string())
    }

    /// What a date's three lists are called (for screen readers).
    pub fn date_part_labels(&self) -> [&'static str; 3] {
        self.pick(["年", "月", "日"], ["Year", "Month", "Day"])
    }

    /// A day to choose for a house call: "11月29日 周日(明天)" / "Sun, Nov 29 (tomorrow)".
    pub fn day_choice(&self, date: NaiveDate, today: NaiveDate) -> String {
        let weekday = date.weekday().num_days_from_monday() as usize;
        let when = match (date - today).num_days() {
            0 => Some(self.pick("今天", "today")),
            1 => Some(self.pick("明天", "tomorrow")),
            _ => None,
        };
        match self.language {
            Language::ZhCn => {
                const DAYS: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
                let when = when.map(|when| format!("({when})")).unwrap_or_default();
                format!("{} {}{when}", self.date(date), DAYS[weekday])
            }
            Language::En => {
                const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
                let when = when.map(|when| format!(" ({when})")).unwrap_or_default();
                format!("{}, {}{when}", DAYS[weekday], self.date(date))
            }
        }
    }

    /// "留言:周六送到" / "Note: on Saturday".
    pub fn labelled(&self, label: &str, value: &str) -> String {
        self.pick(format!("{label}:{value}"), format!("{label}: {value}"))
    }

    /// Joins a short list: "独居老人、残疾人" / "Elderly, living alone, Disabled".
    pub fn list(&self, items: &[&str]) -> String {
        items.join(self.pick("、", ", "))
    }

    /// "8月31日前" / "by Aug 31".
    pub fn by_date(&self, date: NaiveDate) -> String {
        self.pick(
            format!("{}前", self.date(date)),
            format!("by {}", self.date(date)),
        )
    }

    /// The report's tiles: "14 户", "12 个 · 30 件", "12 小时 · 9 次".
    pub fn households_count(&self, n: u32) -> String {
        self.pick(format!("{n} 户"), format!("{n} households"))
    }

    pub fn wishes_and_units(&self, wishes: u32, units: u32) -> String {
        self.pick(
            format!("{wishes} 个 · {units} 件"),
            format!("{wishes} wishes · {units} items"),
        )
    }

    pub fn time_and_visits(&self, minutes: u32, visits: u32) -> String {
        let hours = self.hours(minutes);
        self.pick(
            format!("{hours} · {visits} 次"),
            format!("{hours} · {visits} visits"),
        )
    }

    /// Units a form starts with: "件" (pieces), "双" (pairs), and a shoe size "32码".
    pub fn pieces(&self) -> &'static str {
        self.pick("件", "pcs")
    }

    pub fn pairs(&self) -> &'static str {
        self.pick("双", "pairs")
    }

    pub fn shoe_size(&self, size: u32) -> String {
        self.pick(format!("{size}码"), format!("EU {size}"))
    }

    /// Words in brackets after others, as each language writes it: "赵阿姨(老人)", "进行中(3)";
    /// "Zhao (Elderly)", "In progress (3)".
    pub fn in_brackets(&self, inner: impl std::fmt::Display) -> String {
        self.pick(format!("({inner})"), format!(" ({inner})"))
    }

    /// A wish's date with how long is left, while it still waits ("8月31日前 · 3天后截止");
    /// a wish that is done or ended no longer counts down ("8月31日前").
    pub fn deadline(&self, needed_by: NaiveDate, today: NaiveDate, status: WishStatus) -> String {
        let by = self.by_date(needed_by);
        if status.is_done() {
            by
        } else {
            format!("{by} · {}", self.due(needed_by, today))
        }
    }

    /// How urgent a wish is: "3天后截止", "今天截止" or "已过期望日期".
    pub fn due(&self, needed_by: NaiveDate, today: NaiveDate) -> String {
        match days_until(needed_by, today) {
            days if days < 0 => self.overdue.to_owned(),
            0 => self.due_today.to_owned(),
            days => fill(self.days_left, &[("n", days.to_string())]),
        }
    }

    /// The message for a failed load.
    pub fn error(&self, error: &ApiError) -> &'static str {
        match error {
            ApiError::Unreachable => self.err_unreachable,
            ApiError::Problem {
                code: ProblemCode::NotFound,
                ..
            } => self.not_found_body,
            ApiError::Problem { code, .. }
                if code.status() >= 500 && *code != ProblemCode::Busy =>
            {
                self.err_server
            }
            ApiError::Problem { code, .. } => self.code(*code),
            ApiError::Unexpected(_) => self.err_unexpected,
        }
    }

    /// What a problem code means for the person who ran into it.
    pub fn code(&self, code: ProblemCode) -> &'static str {
        use ProblemCode::*;
        let p = &self.problem;
        match code {
            WishFullyClaimed => p.wish_fully_claimed,
            NotEnoughRemaining => p.not_enough_remaining,
            InvalidState => p.invalid_state,
            ClaimNotYours => p.claim_not_yours,
            VolunteerNotApproved => p.volunteer_not_approved,
            TooManyHouseCalls => p.too_many_house_calls,
            TooManyClaims => p.too_many_claims,
            PledgeExhausted => p.pledge_exhausted,
            WishFull => p.wish_full,
            Forbidden => p.forbidden,
            IdConflict => p.id_conflict,
            ValidationFailed | InvalidBody | InvalidMutation => p.validation_failed,
            PhoneTaken => p.phone_taken,
            InvalidCredentials => p.invalid_credentials,
            TooManyAttempts => p.too_many_attempts_later,
            TooManyConnections => p.too_many_connections,
            NotLoggedIn => p.not_logged_in,
            BodyTooLarge => p.body_too_large,
            UnsupportedMediaType | CrossSite => p.unsupported_media_type,
            NotFound => p.not_found,
            MalformedJson | BadQuery | BadBody | TooManyMutations | BadMutationId | MutationGap => {
                self.err_bad_request
            }
            Busy => p.busy,
            Internal | Unknown => self.err_server,
            // SPA: residents' requests not worded yet (issue 24, SPA slice)
            CallTaken | TooManyPhotos => p.invalid_state,
            TooLarge => p.body_too_large,
            NotAnImage => p.unsupported_media_type,
        }
    }

    /// The message for a failed action (a login, a claim, a confirmation).
    pub fn problem(&self, error: &ApiError) -> String {
        match error {
            ApiError::Problem {
                code: ProblemCode::TooManyAttempts,
                retry_after: Some(seconds),
                ..
            } => fill(
                self.problem.too_many_attempts,
                &[("n", seconds.to_string())],
            ),
            ApiError::Problem { code, .. } => self.code(*code).to_owned(),
            other => self.error(other).to_owned(),
        }
    }

    /// Why an action was not taken: the rules (core's, the server's too) refuse it now,
    /// nobody is logged in, or the device could not store it.
    pub fn mutate_error(&self, error: &MutateError) -> String {
        match error {
            MutateError::Refused(RuleError::Validation(errors)) => {
                self.problem_with_fields(&ApiError::invalid(errors.0.clone()))
            }
            MutateError::Refused(rule) => self.code(rule.code()).to_owned(),
            MutateError::NotLoggedIn => self.problem.not_logged_in.to_owned(),
            MutateError::NotSaved => self.problem.not_saved.to_owned(),
        }
    }

    /// Why the server refused a change made (maybe offline) earlier, for a notice.
    pub fn notice(&self, notice: &Notice) -> String {
        let reason = self.code(notice.code).to_owned();
        let template = match (&notice.command, notice.code) {
            (Command::ClaimWish(_), ProblemCode::WishFullyClaimed) => self.sync.claim_taken,
            (Command::ClaimWish(_), ProblemCode::NotEnoughRemaining) => self.sync.claim_too_many,
            (Command::ClaimWish(_), _) => self.sync.claim_failed,
            _ => self.sync.action_failed,
        };
        let title = notice.title.clone().unwrap_or_default();
        fill(template, &[("title", title), ("reason", reason)])
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

    /// A problem with its field messages spelled out, where there are no fields to mark.
    pub fn problem_with_fields(&self, error: &ApiError) -> String {
        let fields: Vec<String> = error
            .field_errors()
            .iter()
            .map(|error| self.field_error(error.field, error.code))
            .collect();
        if fields.is_empty() {
            self.problem(error)
        } else {
            fields.join(self.pick(";", "; "))
        }
    }

    /// "只剩 2 个可以认领了…": a `not_enough_remaining` problem once the count is known.
    pub fn only_left(&self, remaining: u32, unit: &str) -> String {
        fill(
            self.problem.only_left,
            &[("n", remaining.to_string()), ("unit", unit.to_owned())],
        )
    }

    /// What is wrong with one field, by the field and the code the rules gave it.
    pub fn field_error(&self, field: Field, code: FieldCode) -> String {
        let (min_name, max_name) = (DisplayName::CHARS.start(), DisplayName::CHARS.end());
        let (min_reason, max_reason) = (REASON_CHARS.start(), REASON_CHARS.end());
        match (field, code) {
            (Field::DisplayName, FieldCode::Length) => self.pick(
                format!("称呼需为 {min_name}–{max_name} 个字"),
                format!("The name must be {min_name}–{max_name} characters"),
            ),
            (Field::DisplayName, _) => self
                .pick("称呼只能是普通文字", "The name may only be plain text")
                .to_owned(),
            (Field::Phone, _) => self
                .pick("请填写 11 位手机号", "Enter an 11-digit mobile number")
                .to_owned(),
            (Field::Password, FieldCode::TooShort) => self.pick(
                format!("密码至少 {PASSWORD_MIN_CHARS} 位"),
                format!("At least {PASSWORD_MIN_CHARS} characters"),
            ),
            (Field::Password, FieldCode::TooLong) => self.pick(
                format!("密码最多 {PASSWORD_MAX_CHARS} 位"),
                format!("At most {PASSWORD_MAX_CHARS} characters"),
            ),
            (Field::Password, _) => self
                .pick(
                    "这个密码太常见,容易被猜到,请换一个",
                    "This password is too common and easy to guess; choose another",
                )
                .to_owned(),
            (Field::Role, FieldCode::NotSelfService) => self
                .pick(
                    "社区工作人员账号由社区统一开通",
                    "Community worker accounts are opened by the community",
                )
                .to_owned(),
            (Field::Role, _) => self
                .pick("请选择一种身份", "Choose what you are")
                .to_owned(),
            (Field::Quantity, FieldCode::NotTheSum) => self
                .pick(
                    "总数需等于各尺码数量之和",
                    "The total must equal the sum of the sizes",
                )
                .to_owned(),
            (Field::Quantity, FieldCode::BelowClaimed) => self
                .pick(
                    "数量不能少于已认领的数量",
                    "The quantity cannot be below what is claimed",
                )
                .to_owned(),
            (Field::Quantity, FieldCode::ServiceIsOneVisit) => self
                .pick(
                    "上门服务每次认领一次",
                    "A house call is claimed one visit at a time",
                )
                .to_owned(),
            (Field::Quantity, _) => self
                .pick("数量超出范围", "The quantity is out of range")
                .to_owned(),
            (Field::Note, FieldCode::Required) => {
                self.pick("请写明原因", "Please give a reason").to_owned()
            }
            (Field::Note, _) => self.pick(
                format!("留言最多 {NOTE_MAX_CHARS} 字"),
                format!("A note of at most {NOTE_MAX_CHARS} characters"),
            ),
            (Field::SlotStart, FieldCode::Required) => self
                .pick(
                    "请选择上门日期和开始时间",
                    "Choose the visit date and start time",
                )
                .to_owned(),
            (Field::SlotStart, FieldCode::InThePast) => self
                .pick("上门时间需在现在之后", "The visit must be in the future")
                .to_owned(),
            (Field::SlotStart, FieldCode::NotForItems) => self
                .pick("物品心愿不需要选择时间", "Item wishes need no time")
                .to_owned(),
            (Field::SlotEnd, FieldCode::Required) => self
                .pick("请选择结束时间", "Choose the end time")
                .to_owned(),
            (Field::SlotEnd, FieldCode::BeforeStart) => self
                .pick("结束时间要晚于开始时间", "The end must be after the start")
                .to_owned(),
            (Field::SlotEnd, FieldCode::TooShort) => self.pick(
                format!("上门时间至少 {SLOT_MIN_MINUTES} 分钟"),
                format!("A visit of at least {SLOT_MIN_MINUTES} minutes"),
            ),
            (Field::SlotEnd, FieldCode::TooLong) => self.pick(
                format!("上门时间最长 {} 小时", SLOT_MAX_MINUTES / 60),
                format!("A visit of at most {} hours", SLOT_MAX_MINUTES / 60),
            ),
            (Field::SlotEnd, FieldCode::AfterNeededBy) => self
                .pick("需在期望日期当天结束前完成", "Must end by the wish's date")
                .to_owned(),
            (Field::Reason, _) => self.pick(
                format!("请填写 {min_reason}–{max_reason} 字的原因"),
                format!("Give a reason of {min_reason}–{max_reason} characters"),
            ),
            (Field::Variant, FieldCode::Required) => self
                .pick(
                    "这份认捐分尺码,请选择一个尺码",
                    "This pledge comes in sizes; choose one",
                )
                .to_owned(),
            (_, FieldCode::RevealsName) => self
                .pick(
                    "不能出现住户的真实姓名,请用化名",
                    "The household's real name may not appear; use an alias",
                )
                .to_owned(),
            (_, FieldCode::ControlCharacters) => {
                self.pick("只能填写普通文字", "Plain text only").to_owned()
            }
            (_, FieldCode::Required) => self.pick("这一项必须填写", "This is required").to_owned(),
            (Field::Name, _) => self.range_text(("姓名", "The name"), NAME_CHARS),
            (Field::Address, _) => self.range_text(("地址", "The address"), ADDRESS_CHARS),
            (Field::Title, _) => self.range_text(("标题", "The title"), TITLE_CHARS),
            (Field::Unit, _) => self.range_text(("单位", "The unit"), UNIT_CHARS),
            (Field::Alias, _) => self.range_text(("化名", "The alias"), ALIAS_CHARS),
            (Field::Variants, FieldCode::Duplicate) => self
                .pick("每个尺码只能填一次", "Each size only once")
                .to_owned(),
            (Field::Variants, FieldCode::OutOfRange) => self.pick(
                format!("每个尺码的数量需在 1–{PLEDGE_QUANTITY_MAX} 之间"),
                format!("Each size needs 1–{PLEDGE_QUANTITY_MAX}"),
            ),
            (Field::Variants, FieldCode::TooLong) => self.pick(
                format!("最多 {VARIANTS_MAX} 个尺码或款式"),
                format!("At most {VARIANTS_MAX} sizes or styles"),
            ),
            (Field::Variants, _) => {
                self.range_text(("尺码名称", "A size name"), VARIANT_LABEL_CHARS)
            }
            (Field::Variant, _) => self.pick("没有这个尺码", "No such size").to_owned(),
            (Field::Description | Field::Notes, _) => self.pick(
                format!("最多 {DESCRIPTION_MAX_CHARS} 字"),
                format!("At most {DESCRIPTION_MAX_CHARS} characters"),
            ),
            (Field::Goal, _) => self.pick(
                format!("目标需在 1–{PLEDGE_QUANTITY_MAX} 之间"),
                format!("The goal must be 1–{PLEDGE_QUANTITY_MAX}"),
            ),
            (Field::EndsOn | Field::To, FieldCode::BeforeStart) => self
                .pick(
                    "结束日期不能早于开始日期",
                    "The end date cannot be before the start",
                )
                .to_owned(),
            (Field::To, _) => self
                .pick("一次最多统计三年", "At most three years at a time")
                .to_owned(),
            (Field::NeededBy, FieldCode::InThePast) => self
                .pick("期望日期不能早于今天", "The date cannot be before today")
                .to_owned(),
            (Field::NeededBy, _) => self
                .pick("期望日期最远一年以内", "The date must be within a year")
                .to_owned(),
            (Field::Text, _) => {
                let (min, max) = (THANKS_CHARS.start(), THANKS_CHARS.end());
                self.pick(
                    format!("请填写 {min}–{max} 字"),
                    format!("{min}–{max} characters"),
                )
            }
            (Field::Minutes, _) => self.pick(
                format!("服务时长需在 1–{MINUTES_MAX} 分钟之间"),
                format!("Time served must be 1–{MINUTES_MAX} minutes"),
            ),
            (Field::Grid, _) => self.pick("请选择一个网格", "Choose a grid").to_owned(),
            (Field::Station, _) => self.pick("请选择一个驿站", "Choose a station").to_owned(),
            (Field::CampaignId, _) => self.pick("没有这个活动", "No such campaign").to_owned(),
            _ => self.problem.field_invalid.to_owned(),
        }
    }

    pub fn role(&self, role: Role) -> &'static str {
        match role {
            Role::Donor => self.pick("爱心人士", "Donor"),
            Role::Volunteer => self.pick("志愿者", "Volunteer"),
            Role::Shopkeeper => self.pick("爱心商户", "Shop"),
            Role::Worker => self.pick("社区工作人员", "Community worker"),
            // SPA: residents' requests not worded yet (issue 24, SPA slice)
            Role::Resident | Role::Property => role.as_str(),
        }
    }

    /// One line on what each role does, for the registration form.
    pub fn role_hint(&self, role: Role) -> &'static str {
        match role {
            Role::Donor => self.pick(
                "认领物品心愿,把物品送到网格驿站",
                "Claim item wishes and bring them to the grid's station",
            ),
            Role::Volunteer => self.pick(
                "认领上门服务(维修、理发、陪同),也可认领物品心愿",
                "Take house calls (repairs, haircuts, company) and item wishes too",
            ),
            Role::Shopkeeper => self.pick(
                "以店铺名义认捐物品,由社区统一分配",
                "Pledge goods as a shop; the community allocates them",
            ),
            Role::Worker => self.pick(
                "社区工作人员账号由社区统一开通",
                "Community worker accounts are opened by the community",
            ),
            // SPA: residents' requests not worded yet (issue 24, SPA slice)
            Role::Resident | Role::Property => role.as_str(),
        }
    }

    pub fn claim_status(&self, status: ClaimStatus) -> &'static str {
        match status {
            ClaimStatus::Active => self.pick("进行中", "In progress"),
            ClaimStatus::Delivered => self.pick("已送达,待确认", "Delivered, to be confirmed"),
            ClaimStatus::Confirmed => self.pick("已确认收到", "Received"),
            ClaimStatus::Released => self.pick("已放弃", "Given up"),
            ClaimStatus::Expired => self.pick("已超时", "Expired"),
            ClaimStatus::Rejected => self.pick("已退回", "Returned"),
        }
    }

    /// A claim's status as its kind reads: a house call is visited and served, not
    /// delivered and received.
    pub fn claim_status_for(&self, kind: WishKind, status: ClaimStatus) -> &'static str {
        match (kind, status) {
            (WishKind::Service, ClaimStatus::Delivered) => self.claim.status_visited,
            (WishKind::Service, ClaimStatus::Confirmed) => self.claim.status_served,
            _ => self.claim_status(status),
        }
    }

    /// A timeline entry's action.
    pub fn event_action(&self, action: EventAction) -> &'static str {
        match action {
            EventAction::Publish => self.pick("发布了心愿", "published the wish"),
            EventAction::Status => self.pick("心愿状态变化", "the wish's status changed"),
            EventAction::Claim => self.pick("认领了", "claimed"),
            EventAction::Deliver => self.pick("标记已送达", "marked it delivered"),
            EventAction::Confirm => self.pick("确认收到", "confirmed receipt"),
            EventAction::Release => self.pick("放弃了认领", "gave up the claim"),
            EventAction::Expire => self.pick(
                "认领超时,数量已退回",
                "the claim expired; its units returned",
            ),
            EventAction::Reject => self.pick("退回了认领", "returned the claim"),
            EventAction::Cancel => self.pick("取消了心愿", "cancelled the wish"),
            EventAction::Close => self.pick("结束了心愿", "closed the wish"),
            EventAction::Draft => self.pick("起草了心愿", "drafted the wish"),
            EventAction::Update => self.pick("修改了内容", "edited it"),
            EventAction::Register => self.pick("登记了住户", "registered the household"),
            EventAction::Thanks => {
                self.pick("转达了受助人的感谢", "passed on the household's thanks")
            }
            EventAction::RevealContact => self.pick(
                "向上门志愿者提供了地址和电话",
                "gave the address and phone to the visiting volunteer",
            ),
            EventAction::ReadHousehold => {
                self.pick("查看了住户资料", "viewed the household's details")
            }
            EventAction::Approve => self.pick("审核通过了志愿者", "approved the volunteer"),
            EventAction::Suspend => self.pick("暂停了志愿者", "suspended the volunteer"),
            EventAction::Pledge => self.pick("认捐了物品", "pledged goods"),
            EventAction::Allocate => {
                self.pick("分配了商户认捐的物品", "allocated a shop's pledged goods")
            }
            EventAction::ExportHousehold => {
                self.pick("导出了住户名册", "exported the household register")
            }
            // SPA: residents' requests not worded yet (issue 24, SPA slice)
            EventAction::File
            | EventAction::Accept
            | EventAction::Dispatch
            | EventAction::Call
            | EventAction::Take
            | EventAction::Start
            | EventAction::Note
            | EventAction::Resolve
            | EventAction::Reopen
            | EventAction::Decline
            | EventAction::Merge
            | EventAction::Convert
            | EventAction::Photo => action.as_str(),
        }
    }

    /// "7月3日 10:00", China time.
    pub fn date_time(&self, at: DateTime<Utc>) -> String {
        let local = to_china(at);
        format!("{} {}", self.date(local.date()), clock(local))
    }

    /// "7月3日 10:00–11:00" (or with both dates when the slot crosses midnight), China time.
    pub fn slot(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> String {
        let (from, to) = (to_china(start), to_china(end));
        if from.date() == to.date() {
            format!("{} {}–{}", self.date(from.date()), clock(from), clock(to))
        } else {
            format!("{} – {}", self.date_time(start), self.date_time(end))
        }
    }
}

fn clock(at: NaiveDateTime) -> String {
    format!("{:02}:{:02}", at.hour(), at.minute())
}

/// English month names (the only calendar words the app needs; no locale data).
fn month_name(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    NAMES
        .get(month.wrapping_sub(1) as usize)
        .copied()
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use microwish_core::command::ClaimWish;
    use microwish_core::{ClaimId, FieldError, WishId};

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 7, d).unwrap()
    }

    #[test]
    fn words_in_brackets_follow_others_as_each_language_writes_them() {
        let heading = |t: &Texts| format!("{}{}", t.worker.active_section, t.in_brackets(3));
        assert_eq!(heading(&ZH_CN), "进行中(3)");
        assert_eq!(heading(&EN), "In progress (3)");
        assert_eq!(
            format!("张先生{}", EN.in_brackets(EN.role(Role::Donor))),
            "张先生 (Donor)"
        );
    }

    #[test]
    fn due_labels_count_days() {
        let t = t();
        let today = day(1);
        assert_eq!(t.due(day(4), today), "3天后截止");
        assert_eq!(t.due(today, today), t.due_today);
        assert_eq!(t.due(day(1).pred_opt().unwrap(), today), t.overdue);
        assert_eq!(t.date(day(4)), "7月4日");
    }

    #[test]
    fn problem_codes_read_as_clear_chinese_messages() {
        let t = t();
        let cases = [
            (
                ProblemCode::WishFullyClaimed,
                "这个心愿刚刚被其他人认领完了",
            ),
            (
                ProblemCode::NotEnoughRemaining,
                t.problem.not_enough_remaining,
            ),
            (ProblemCode::InvalidState, t.problem.invalid_state),
            (ProblemCode::ClaimNotYours, t.problem.claim_not_yours),
            (ProblemCode::Forbidden, t.problem.forbidden),
            (ProblemCode::IdConflict, t.problem.id_conflict),
            (ProblemCode::ValidationFailed, t.problem.validation_failed),
            (ProblemCode::PhoneTaken, "这个手机号已经注册"),
            (ProblemCode::InvalidCredentials, "手机号或密码不正确"),
            (ProblemCode::BodyTooLarge, t.problem.body_too_large),
            (
                ProblemCode::UnsupportedMediaType,
                t.problem.unsupported_media_type,
            ),
            (ProblemCode::BadQuery, t.err_bad_request),
            (ProblemCode::Internal, t.err_server),
            (ProblemCode::Unknown, t.err_server),
        ];
        for (code, message) in cases {
            assert_eq!(t.problem(&ApiError::of(code)), message, "{code}");
        }
        // Every message is distinct: a person can tell the problems apart.
        let mut messages: Vec<_> = cases[..11].iter().map(|(_, m)| *m).collect();
        messages.sort();
        messages.dedup();
        assert_eq!(messages.len(), 11);

        let throttled = ApiError::Problem {
            code: ProblemCode::TooManyAttempts,
            errors: Vec::new(),
            retry_after: Some(30),
            expected: None,
        };
        assert_eq!(t.problem(&throttled), "尝试次数过多,请 30 秒后再试");
        assert_eq!(
            t.problem(&ApiError::of(ProblemCode::TooManyAttempts)),
            t.problem.too_many_attempts_later
        );
        assert_eq!(t.problem(&ApiError::Unreachable), t.err_unreachable);
        assert_eq!(
            t.only_left(2, "个"),
            "只剩 2 个可以认领了,请减少数量后再试。"
        );
    }

    #[test]
    fn field_errors_read_by_field_and_code_with_the_rules_limits() {
        let t = t();
        assert_eq!(
            t.field_error(Field::Password, FieldCode::TooShort),
            "密码至少 8 位"
        );
        assert_eq!(
            t.field_error(Field::Password, FieldCode::TooCommon),
            "这个密码太常见,容易被猜到,请换一个"
        );
        assert_eq!(
            t.field_error(Field::Phone, FieldCode::Invalid),
            "请填写 11 位手机号"
        );
        assert_eq!(
            t.field_error(Field::SlotEnd, FieldCode::TooShort),
            "上门时间至少 15 分钟"
        );
        assert_eq!(
            t.field_error(Field::Reason, FieldCode::Length),
            "请填写 2–200 字的原因"
        );
        assert_eq!(
            t.field_error(Field::Title, FieldCode::Length),
            "标题需为 2–40 个字"
        );
        assert_eq!(
            t.field_error(Field::Alias, FieldCode::RevealsName),
            "不能出现住户的真实姓名,请用化名"
        );
        assert_eq!(
            t.field_error(Field::SlotStart, FieldCode::TooFar),
            t.problem.field_invalid
        );
        let invalid = ApiError::invalid(vec![FieldError {
            field: Field::DisplayName,
            code: FieldCode::Length,
            message: "1 to 20 characters".into(),
        }]);
        assert_eq!(invalid.code(), Some(ProblemCode::ValidationFailed));
        assert_eq!(t.problem_with_fields(&invalid), "称呼需为 1–20 个字");
    }

    #[test]
    fn refused_offline_changes_are_explained_by_what_they_were() {
        let t = t();
        let claim = Command::ClaimWish(ClaimWish {
            id: ClaimId::generate(),
            wish_id: WishId::generate(),
            quantity: 1,
            note: None,
            slot_start: None,
            slot_end: None,
        });
        let notice = |code| Notice {
            mutation: 1,
            command: claim.clone(),
            code,
            title: Some("电风扇".into()),
        };
        assert_eq!(
            t.notice(&notice(ProblemCode::WishFullyClaimed)),
            "你离线时认领的「电风扇」已被其他人认领完了,这次认领没有成功。"
        );
        assert!(t
            .notice(&notice(ProblemCode::Forbidden))
            .contains(t.problem.forbidden));
        assert_eq!(t.mutate_error(&MutateError::NotSaved), t.problem.not_saved);
        assert_eq!(
            t.sync_status(SyncStatus::Offline(2)),
            "离线 · 2 项已保存,联网后自动提交"
        );
    }

    fn has_chinese(text: &str) -> bool {
        text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    /// A house call's days read the same way a notice would, in either language.
    #[test]
    fn days_to_choose_name_the_weekday_and_today_or_tomorrow() {
        // 2026-07-01 is a Wednesday.
        let (zh, en) = (texts(Language::ZhCn), texts(Language::En));
        assert_eq!(zh.day_choice(day(1), day(1)), "7月1日 周三(今天)");
        assert_eq!(zh.day_choice(day(2), day(1)), "7月2日 周四(明天)");
        assert_eq!(zh.day_choice(day(5), day(1)), "7月5日 周日");
        assert_eq!(en.day_choice(day(1), day(1)), "Wed, Jul 1 (today)");
        assert_eq!(en.day_choice(day(2), day(1)), "Thu, Jul 2 (tomorrow)");
        assert_eq!(en.day_choice(day(6), day(1)), "Mon, Jul 6");
    }

    /// English leaves nothing in Chinese: the table (but for the alias helpers, which make
    /// Chinese aliases, and the language picker's own label) and every text made in code.
    #[test]
    fn english_is_english_throughout() {
        let table = include_str!("i18n/en.rs");
        let chinese: Vec<&str> = table
            .lines()
            .filter(|line| has_chinese(line))
            .filter(|line| !line.contains("alias_") && !line.contains("语言 Language"))
            .collect();
        assert_eq!(chinese, Vec::<&str>::new());

        let en = texts(Language::En);
        let mut said: Vec<String> = Vec::new();
        said.extend(WishKind::ALL.iter().map(|&kind| en.kind(kind).to_owned()));
        said.extend(
            WishStatus::ALL
                .iter()
                .map(|&status| en.status(status).to_owned()),
        );
        said.extend(
            BeneficiaryGroup::ALL
                .iter()
                .map(|&group| en.group(group).to_owned()),
        );
        said.extend(
            Category::ALL
                .iter()
                .map(|&category| en.category(category).to_owned()),
        );
        said.extend(Role::ALL.iter().map(|&role| en.role(role).to_owned()));
        said.extend(Role::ALL.iter().map(|&role| en.role_hint(role).to_owned()));
        said.extend(
            ClaimStatus::ALL
                .iter()
                .map(|&status| en.claim_status(status).to_owned()),
        );
        said.extend(
            EventAction::ALL
                .iter()
                .map(|&action| en.event_action(action).to_owned()),
        );
        said.extend(
            AllocationStatus::ALL
                .iter()
                .map(|&status| en.allocation_status(status).to_owned()),
        );
        said.extend(
            ProblemCode::ALL
                .iter()
                .map(|&code| en.code(code).to_owned()),
        );
        for &field in Field::ALL {
            said.extend(
                FieldCode::ALL
                    .iter()
                    .map(|&code| en.field_error(field, code)),
            );
        }
        said.push(en.due(day(4), day(1)));
        said.extend((0..9).map(|n| en.day_choice(day(1 + n), day(1))));
        said.extend([
            en.year_choice(2026),
            en.month_choice(11),
            en.day_of_month_choice(29),
        ]);
        said.extend(en.date_part_labels().map(str::to_owned));
        said.push(en.hours(90));
        said.push(en.month("2026-07", false));
        said.push(en.wishes_and_units(2, 5));
        said.push(en.shoe_size(32));
        let left: Vec<&String> = said.iter().filter(|text| has_chinese(text)).collect();
        assert_eq!(left, Vec::<&String>::new());

        assert_eq!(en.date(day(4)), "Jul 4");
        assert_eq!(en.by_date(day(4)), "by Jul 4");
        assert_eq!(en.due(day(4), day(1)), "3 days left");
        assert_eq!(en.month("2026-07", false), "Jul 2026");
        assert_eq!(
            en.deadline(day(4), day(1), WishStatus::Open),
            "by Jul 4 · 3 days left"
        );
        assert_eq!(
            en.deadline(day(4), day(1), WishStatus::Fulfilled),
            "by Jul 4"
        );
        assert_eq!(en.hours(90), "1.5 h");
        assert_eq!(en.labelled("Note", "Saturday"), "Note: Saturday");
        assert_eq!(texts(Language::ZhCn).labelled("留言", "周六"), "留言:周六");
        assert_eq!(en.list(&["Orphan", "Disabled"]), "Orphan, Disabled");
        assert_eq!(
            en.field_error(Field::Title, FieldCode::Length),
            "The title must be 2–40 characters"
        );
    }

    #[test]
    fn times_read_in_china_time() {
        let t = t();
        let utc = |d, h, m| Utc.with_ymd_and_hms(2026, 7, d, h, m, 0).unwrap();
        assert_eq!(t.slot(utc(3, 2, 0), utc(3, 3, 30)), "7月3日 10:00–11:30");
        assert_eq!(
            t.slot(utc(3, 15, 0), utc(3, 17, 0)),
            "7月3日 23:00 – 7月4日 01:00"
        );
        assert_eq!(t.date_time(utc(10, 10, 0)), "7月10日 18:00");
    }
}
