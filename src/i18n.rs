//! Every user-visible string, in one place. Chinese (zh-CN) is the app's language;
//! a second language is one more `Texts` value (English is planned).

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

pub struct Texts {
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

pub const ZH_CN: Texts = Texts {
    app_name: "微心愿",
    community: "星怡社区",
    tagline: "点亮邻里的小小心愿",
    loading: "正在加载…",
    retry: "重试",
    back_to_list: "返回心愿列表",
    search_placeholder: "搜索心愿,如“书包”“理发”",
    search: "搜索",
    clear: "清除",
    filter_kind: "类型",
    filter_grid: "网格",
    filter_category: "分类",
    filter_status: "状态",
    all: "全部",
    only_open: "待认领",
    no_wishes: "没有找到符合条件的心愿",
    no_wishes_hint: "换个条件试试,或清除搜索。",
    still_needed: "还需",
    needed_by: "期望日期",
    overdue: "已过期望日期",
    due_today: "今天截止",
    days_left: "天后截止",
    drop_off: "送达地点",
    house_call_in: "上门地址",
    address_private: "仅告知接单的志愿者",
    beneficiary: "受助人",
    about_wish: "心愿详情",
    progress_claimed: "已认领",
    progress_fulfilled: "已完成",
    campaigns: "正在进行的活动",
    campaign: "活动",
    campaign_wishes: "活动中的心愿",
    period: "活动时间",
    stats_open: "个心愿待认领",
    stats_units: "件/次待满足",
    stats_helped: "户已受助",
    stats_pledged: "件商户认捐",
    privacy_note: "受助人以化名展示,物品统一送至网格驿站,不公开住址和电话。",
    not_found_title: "页面不存在",
    not_found_body: "这个地址没有内容,可能链接有误。",
    wish_not_found: "这个心愿不存在或已下架。",
    campaign_not_found: "这个活动不存在。",
    err_unreachable: "连不上服务器,请检查网络后重试。",
    err_unexpected: "服务器的回答无法识别,请刷新页面。",
    err_server: "服务器出错了,请稍后重试。",
    err_bad_request: "请求有误,请返回列表重新选择。",
    results: "个心愿",
    show_more: "显示更多",
    nav: NavTexts {
        label: "主导航",
        wishes: "心愿",
        my_claims: "我的认领",
        to_confirm: "待确认",
        households: "住户",
        volunteers: "志愿者",
        console: "工作台",
        donations: "我的捐赠",
        login: "登录",
        register: "注册",
        logout: "退出",
        me: "我的",
    },
    account: AccountTexts {
        login_title: "登录",
        login_intro: "登录后即可认领心愿、查看自己的认领。",
        register_title: "注册",
        register_intro: "注册一个账号,认领心愿、预约上门服务。",
        display_name: "称呼",
        display_name_hint: "社区工作人员联系你时看到的名字,如“张阿姨”",
        phone: "手机号",
        password: "密码",
        password_hint: "至少 8 位,不要用 12345678 这类常见密码",
        role: "我的身份",
        submit_login: "登录",
        submit_register: "注册并登录",
        submitting: "正在提交…",
        no_account: "还没有账号?",
        go_register: "注册一个",
        have_account: "已有账号?",
        go_login: "去登录",
        already_logged_in: "你已登录为 {name}。",
        continue_to: "继续",
        me_title: "我的",
        visitor_intro: "登录后可以认领心愿、预约上门服务,在这里看到自己的账号。",
        settings: "本机设置",
        language: "语言 Language",
        elder_mode: "长辈模式",
        elder_mode_hint: "字更大、颜色更清楚、卡片更简洁。只对这台手机有效。",
        logout_offline_note: "现在没有网络:退出后本机的个人数据会立即清除,服务器上的登录在联网后结束。",
        phone_shown: "手机号",
        volunteer_time: "累计服务时长",
    },
    claim: ClaimTexts {
        panel_title: "认领这个心愿",
        login_to_claim: "登录后认领",
        quantity: "认领数量",
        decrease: "减少一份",
        increase: "增加一份",
        note: "留言(选填)",
        note_placeholder: "如:周六上午送到驿站",
        note_placeholder_service: "如:需要带什么工具?到楼下先打电话",
        already_held: "你已认领 {n}{unit},正在进行中。",
        held_more: "还可以再认领。",
        deliver_by_if_claimed: "认领后请在 {time} 前送到 {station}({location})。",
        quantity_cut: "只剩 {n}{unit},数量已改为 {n}。",
        already_booked: "你已预约这次上门服务,正在进行中。",
        slot_title: "上门时间(北京时间)",
        slot_date: "日期",
        slot_start: "开始",
        slot_end: "结束",
        submit: "确认认领",
        submitting: "正在提交…",
        success_title: "认领成功",
        deliver_by: "请在 {time} 前送达 {station}",
        visit_at: "请在 {slot} 上门",
        contact_in_my_claims: "受助人的地址和电话可在“我的认领”中查看。",
        to_my_claims: "查看我的认领",
        donor_on_service: "上门服务由志愿者认领。愿意上门帮忙的话,可以注册一个志愿者账号。",
        shopkeeper_cannot_claim: "爱心商户通过认捐物品参与,由社区统一分配,不能直接认领心愿。",
        worker_cannot_claim: "社区工作人员不能认领心愿,请在“待确认”中处理认领。",
        not_open: "这个心愿{status},不再接受认领。",
        quantity_of: "认领 {n} {unit}",
        claimed_at: "认领于 {time}",
        slot_label: "上门时间",
        contact_title: "受助人联系方式",
        contact_alias: "称呼",
        contact_name: "姓名",
        contact_address: "地址",
        contact_phone: "电话",
        your_note: "留言",
        reject_reason: "退回原因",
        deliver: "标记已送达",
        deliver_service: "已上门服务",
        deliver_not_yet: "服务时间开始后才能标记",
        status_visited: "已上门,待确认",
        status_served: "服务已完成",
        release: "放弃认领",
        release_question: "确定放弃这个认领吗?放弃后其他人可以认领。",
        deliver_question: "确定已经送到驿站了吗?标记后交由社区确认,不能撤回。",
        deliver_question_service: "确定已经上门服务过了吗?标记后交由社区确认,不能撤回。",
        deliver_yes: "确定",
        release_yes: "确定放弃",
        keep: "再想想",
        working: "正在处理…",
        my_title: "我的认领",
        empty: "你还没有认领心愿。",
        browse: "去看看心愿",
        volunteer_time: "累计志愿服务 {minutes} 分钟",
        timeline: "心愿进展",
        system_actor: "系统",
        wish_became: "心愿状态变为“{status}”",
    },
    worker: WorkerTexts {
        title: "待确认",
        workers_only: "仅社区工作人员可用",
        workers_only_hint: "这个页面用于社区工作人员确认送达的物品和完成的服务。",
        delivered_section: "已送达、已上门,等待确认",
        active_section: "进行中",
        none_delivered: "没有等待确认的物品或上门服务。",
        none_active: "没有进行中的认领。",
        done_section: "最近处理",
        none_done: "还没有处理过的认领。",
        claimer: "认领人",
        confirm: "确认收到",
        reject: "退回",
        reject_placeholder: "如:物品与心愿不符",
        reject_submit: "确认退回",
        cancel: "取消",
        confirm_service: "确认服务完成",
        minutes: "服务时长(分钟)",
        minutes_hint: "按实际上门的时间记给志愿者",
        record_thanks: "记录受助人的感谢",
        thanks_placeholder: "受助人想说的话,如:谢谢您,水壶很好用!",
        save_thanks: "保存感谢",
        thanks_title: "受助人的感谢:",
        call: "拨打",
    },
    households: HouseholdTexts {
        title: "住户",
        new_title: "登记新住户",
        register: "登记新住户",
        back: "住户列表",
        search_label: "搜索住户",
        search_placeholder: "姓名、地址、电话或备注",
        count: "共 {n} 户",
        empty: "还没有登记住户。",
        empty_hint: "点“登记新住户”,把需要帮助的住户登记进来。",
        no_match: "没有符合的住户,换个词试试。",
        minor_badge: "未成年人",
        consented: "{date} 同意公开",
        no_consent: "未登记同意",
        wish_count: "{n} 个心愿",
        date_full: "{y}年{m}月{d}日",
        name: "姓名",
        address: "住址",
        phone: "电话",
        grid: "所属网格",
        choose_grid: "请选择网格",
        groups: "困难类别(可多选)",
        notes: "备注(选填)",
        notes_hint: "仅本社区工作人员可见,如:听力不好,请先打电话",
        consent_on: "同意公开的日期",
        consent_hint: "住户同意以化名公开心愿的日期;还没同意就留空,心愿先存为草稿",
        minor: "家中有14岁以下儿童(不公开任何可识别信息)",
        create: "登记住户",
        save: "保存修改",
        saving: "正在保存…",
        saved: "已保存",
        no_changes: "没有需要保存的改动",
        not_found: "没有找到这个住户,可能不属于你的社区。",
        private_note: "住户资料仅本社区工作人员可见,每次查看都会留下记录。",
        wishes_title: "该住户的心愿",
        no_wishes: "还没有为该住户发布心愿。",
        post_wish: "为该住户发布心愿",
        records_title: "查看记录",
        records_intro: "谁在什么时候登记、修改、查看了这户的资料。",
        records_offline: "查看记录需要联网,联网后会自动加载。",
        records_waiting: "住户信息保存到服务器后,这里会显示操作记录。",
        records_empty: "还没有记录。",
    },
    wish_form: WishFormTexts {
        title_new: "发布心愿",
        title_edit: "编辑心愿",
        for_household: "住户:{name}",
        back: "返回住户",
        kind: "心愿类型",
        title: "心愿标题",
        title_placeholder: "如:冬季棉被一床",
        description: "描述(选填)",
        description_minor_hint: "家中有儿童:描述里不要写姓名、学校等能认出孩子的信息",
        category: "类别",
        quantity: "数量",
        service_one_visit: "上门服务每个心愿一次",
        unit: "单位",
        unit_item: "个",
        unit_service: "次",
        alias: "化名",
        alias_hint: "化名,不能用真实姓名",
        alias_child_prefix: "小",
        alias_elder_suffix: "老人",
        alias_adult_suffix: "阿姨",
        campaign: "所属活动",
        no_campaign: "不属于活动",
        no_consent: "该住户还没有登记同意公开,建议先保存为草稿。",
        draft_note: "这是草稿,还没有公开;发布后大家才能看到并认领。",
        save_draft: "保存为草稿",
        publish: "发布",
        save: "保存修改",
        saving: "正在保存…",
        no_changes: "没有需要保存的改动",
        cancel_wish: "取消心愿",
        cancel_reason: "取消原因",
        cancel_placeholder: "如:住户已自行解决",
        cancel_hint: "已经认领的人会收到通知和取消原因。",
        cancel_confirm: "确认取消",
        keep: "再想想",
        read_only_cancelled: "这个心愿已取消,不能再修改。",
        read_only_closed: "这个心愿已结束,不能再修改。",
        household_not_found: "没有找到这个住户,请从住户列表进入。",
    },
    volunteers: VolunteerTexts {
        title: "志愿者审核",
        intro: "志愿者要上门服务,需先由社区工作人员当面核实(党员报到或志愿者登记)后通过。",
        pending: "待审核",
        approved: "已通过",
        suspended: "已暂停",
        none_pending: "没有等待审核的志愿者。",
        none_approved: "还没有通过审核的志愿者。",
        none_suspended: "没有暂停的志愿者。",
        registered: "{date} 注册",
        served: "已上门 {n} 次 · {hours}",
        vetted: "{who} 于 {date} 办理",
        note_label: "核实情况",
        note_placeholder: "如:党员报到,已当面核实",
        approve: "审核通过",
        suspend: "暂停",
        suspend_reason: "暂停原因",
        suspend_placeholder: "如:多次未按约上门",
        suspend_hint: "暂停后,他正在进行的上门服务会结束,住户的地址和电话也会从他的手机上移除;恢复前不能再认领上门服务。",
        suspend_submit: "确认暂停",
        restore: "恢复",
        restore_placeholder: "如:已再次面谈,可以恢复",
        cancel: "取消",
    },
    shops: ShopTexts {
        title: "我的捐赠",
        intro: "店里愿意捐出的物品在这里登记,社区会分配给需要的家庭;每一件送到了哪里、收到的感谢,都在这里。",
        new_pledge: "+ 认捐物品",
        none: "还没有认捐。",
        none_hint: "登记一份认捐,例如每年 104 双童鞋,社区会按心愿分配。",
        shops_only: "这里是爱心商户的页面",
        shops_only_hint: "以爱心商户身份登录后,可以认捐物品、查看每一件的去向。",
        yearly: "每年",
        once: "一次性",
        went_to: "去向",
        not_allocated_yet: "还没有分配,社区会尽快安排。",
        mark_delivered: "已送到驿站",
        thanks_from: "住户的感谢",
        form_title: "认捐物品",
        form_intro: "写清楚物品、数量和尺码,社区会把它们分配给需要的心愿。",
        item_title: "物品名称",
        item_title_hint: "例如:儿童运动鞋",
        category: "类别",
        quantity: "数量",
        unit: "单位",
        by_variant: "分尺码或款式",
        by_variant_hint: "例如童鞋 28–36 码,每个尺码各有多少双",
        variant_label: "尺码/款式",
        variant_quantity: "数量",
        add_variant: "+ 添加一个尺码",
        shoe_sizes: "填入童鞋 28–36 码",
        remove_variant: "删除",
        available_from: "从哪天起可以领",
        yearly_label: "每年都捐",
        note: "送货说明",
        note_hint: "何时、送到哪个驿站,或其他需要社区知道的事",
        submit: "提交认捐",
        submitting: "正在提交…",
        pledges_title: "商户认捐",
        pledges_intro: "把商户认捐的物品分配给心愿;分配的数量计入心愿的认领,商户送到驿站后请确认。",
        no_pledges: "还没有商户认捐。",
        allocate: "分配给心愿",
        confirm: "确认收到",
        cancel: "取消分配",
        cancel_check: "确定取消?数量会退回认捐和心愿。",
        record_thanks: "记录感谢",
        thanks_placeholder: "住户想对商户说的话",
        save_thanks: "保存感谢",
        allocate_title: "分配认捐物品",
        choose_size: "选择尺码",
        allocate_quantity: "分配数量",
        suggested: "推荐的心愿",
        suggested_hint: "写明尺码的在前,其次是同类心愿,越急越靠前",
        other_wishes: "其他心愿",
        no_suggestions: "没有写明这个尺码或同类的心愿,可以从下面的其他心愿中选择。",
        choose_wish: "请先选择一个心愿",
        nothing_left: "这份认捐已经全部分配完了。",
        pledge_not_found: "找不到这份认捐。",
        wish_needs: "还需",
    },
    report: ReportTexts {
        console_title: "工作台",
        console_intro: "审核志愿者、分配商户认捐、发起活动、查看统计和导出表格。",
        to_volunteers: "志愿者审核",
        to_pledges: "商户认捐",
        to_new_campaign: "发起活动",
        to_stats: "统计与导出",
        campaign_form_title: "发起活动",
        campaign_name: "活动名称",
        campaign_name_hint: "例如:暖心行动送书包",
        campaign_description: "活动介绍",
        goal: "目标数量",
        goal_unit: "单位",
        goal_unit_hint: "例如:个书包",
        starts_on: "开始日期",
        ends_on: "结束日期",
        start_campaign: "发起活动",
        stats_title: "统计与导出",
        from: "从",
        to: "到",
        grid: "网格",
        all_grids: "全部网格",
        households_helped: "帮助住户",
        wishes_fulfilled: "完成心愿",
        volunteer_time: "志愿服务",
        median_days: "从发布到完成",
        by_month: "每月心愿",
        by_grid: "各网格",
        month: "月份",
        posted: "发布",
        fulfilled: "完成",
        service_minutes: "服务时长",
        helped: "帮助住户",
        shops: "商户捐赠",
        shop: "商户",
        allocated: "已分配",
        delivered: "已送达",
        confirmed: "已确认",
        no_shops: "这段时间没有商户捐赠。",
        export_title: "导出 Excel 表格",
        export_wishes: "心愿表(wishes.csv)",
        export_wishes_hint: "全部心愿和进度;只有化名,没有住户的真实姓名。",
        export_households: "住户名册(households.csv)",
        export_households_hint: "含姓名、地址、电话等隐私信息。每次导出都会记在每户的档案里,请妥善保管,用完删除。",
        needs_network: "统计需要联网,连上网络后会自动加载。",
        none_yet: "这段时间还没有数据。",
    },
    problem: ProblemTexts {
        wish_fully_claimed: "这个心愿刚刚被其他人认领完了",
        not_enough_remaining: "剩下的数量不够了,请减少数量后再试。",
        only_left: "只剩 {n} {unit}可以认领了,请减少数量后再试。",
        invalid_state: "状态已经变了,请刷新页面看看最新情况。",
        claim_not_yours: "这不是你的认领,不能操作。",
        volunteer_not_approved: "上门服务需要社区工作人员当面审核后才能预约,请联系网格长。",
        too_many_house_calls: "你已有 3 个上门服务在进行中,请先完成一个再预约。",
        too_many_connections: "打开的页面太多,实时更新暂停;关掉其他页面后会自动恢复。",
        busy: "现在使用的人很多,请几秒钟后再试。",
        too_many_claims: "你认领中、尚未送达的物品已到上限。请先送到驿站或退回一些,再认领新的心愿,把机会也留给其他邻居。",
        pledge_exhausted: "这份认捐(或这个尺码)剩下的数量不够了。",
        wish_full: "这个心愿需要的数量没有这么多了。",
        forbidden: "你的账号没有这个权限。",
        id_conflict: "提交编号冲突,请刷新页面后重新提交。",
        validation_failed: "填写有误,请按提示修改。",
        phone_taken: "这个手机号已经注册",
        invalid_credentials: "手机号或密码不正确",
        too_many_attempts: "尝试次数过多,请 {n} 秒后再试",
        too_many_attempts_later: "尝试次数过多,请稍后再试",
        not_logged_in: "请先登录。",
        not_saved: "手机存储已满或不可用,这次操作没有保存,请稍后再试。",
        body_too_large: "内容太长了,请精简后再提交。",
        unsupported_media_type: "请求格式有误,请刷新页面后重试。",
        not_found: "没有找到,可能已被删除。",
        field_invalid: "这一项填写有误",
    },
    sync: SyncTexts {
        starting: "正在同步…",
        synced: "已同步",
        pending: "{n} 项待同步",
        offline: "离线 · 联网后自动提交",
        offline_waiting: "离线 · {n} 项已保存,联网后自动提交",
        failed: "同步出错,正在重试",
        log_in_to_send: "登录已过期 · {n} 项改动待提交,重新登录后自动提交",
        pending_badge: "已保存,待提交",
        saved_title: "已保存,待提交",
        saved_offline: "已保存在本机,联网后会自动提交;服务器确认后才算认领成功。",
        unsent_at_logout:
            "还有 {n} 项改动没有提交到服务器。退出后本机数据会清除,这些改动也会丢失。",
        send_then_log_out: "先提交,再退出",
        send_then_log_out_offline: "联网后提交并退出",
        discard_and_log_out: "放弃改动并退出",
        keep_logged_in: "暂不退出",
        logging_out_after_send: "改动提交后会自动退出。",
        dismiss: "知道了",
        claim_taken: "你离线时认领的「{title}」已被其他人认领完了,这次认领没有成功。",
        claim_too_many: "「{title}」剩下的数量不够了,这次认领没有成功,请减少数量再试。",
        claim_failed: "认领「{title}」没有成功:{reason}",
        action_failed: "对「{title}」的操作没有成功:{reason}",
        not_cached: "本机还没有这个内容,请联网后再打开。",
    },
};

/// Puts values into a template's `{name}` placeholders.
pub fn fill(template: &str, values: &[(&str, String)]) -> String {
    values
        .iter()
        .fold(template.to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

/// The texts of the app's language.
pub fn t() -> &'static Texts {
    &ZH_CN
}

impl Texts {
    pub fn kind(&self, kind: WishKind) -> &'static str {
        match kind {
            WishKind::Item => "物品心愿",
            WishKind::Service => "上门服务",
        }
    }

    pub fn status(&self, status: WishStatus) -> &'static str {
        match status {
            WishStatus::Draft => "草稿",
            WishStatus::Open => "待认领",
            WishStatus::Claimed => "已被认领",
            WishStatus::Fulfilled => "已实现",
            WishStatus::Closed => "已结束",
            WishStatus::Cancelled => "已取消",
        }
    }

    pub fn group(&self, group: BeneficiaryGroup) -> &'static str {
        match group {
            BeneficiaryGroup::ElderlyAlone => "独居老人",
            BeneficiaryGroup::LowIncome => "低保低收入",
            BeneficiaryGroup::Orphan => "孤儿",
            BeneficiaryGroup::Disabled => "残疾人",
            BeneficiaryGroup::ChildInDifficulty => "困境儿童",
            BeneficiaryGroup::Other => "其他困难群体",
        }
    }

    pub fn allocation_status(&self, status: AllocationStatus) -> &'static str {
        match status {
            AllocationStatus::Allocated => "已分配,待送到驿站",
            AllocationStatus::Delivered => "已送到驿站,待确认",
            AllocationStatus::Confirmed => "已交到住户手中",
            AllocationStatus::Cancelled => "已取消",
        }
    }

    /// "104 双:已分配 34 · 已送达 20 · 已确认 18".
    pub fn pledge_summary(&self, pledge: &Pledge) -> String {
        format!(
            "{} {}:已分配 {} · 已送达 {} · 已确认 {}",
            pledge.quantity, pledge.unit, pledge.allocated, pledge.delivered, pledge.confirmed
        )
    }

    /// "6月1日起可领".
    pub fn available_on(&self, date: NaiveDate) -> String {
        format!("{}起可领", self.date(date))
    }

    /// "还可分配 70 双".
    pub fn pledge_left(&self, left: u32, unit: &str) -> String {
        format!("还可分配 {left} {unit}")
    }

    /// "合计 104 双".
    pub fn pledge_total(&self, total: i64, unit: &str) -> String {
        format!("合计 {total} {unit}")
    }

    /// "分配 3 双".
    pub fn allocate_units(&self, quantity: u32, unit: &str) -> String {
        format!("分配 {quantity} {unit}")
    }

    /// "已认领 12 / 目标 30 个书包".
    pub fn campaign_goal(&self, claimed: u32, goal: u32, unit: &str) -> String {
        format!("已认领 {claimed} / 目标 {goal} {unit}")
    }

    /// "12.5 小时", from minutes.
    pub fn hours(&self, minutes: u32) -> String {
        let hours = f64::from(minutes) / 60.0;
        if minutes.is_multiple_of(60) {
            format!("{} 小时", minutes / 60)
        } else {
            format!("{hours:.1} 小时")
        }
    }

    /// "3.5 天".
    pub fn days(&self, days: f64) -> String {
        format!("{days:.1} 天")
    }

    /// "2026年7月" from "2026-07"; short: "7月".
    pub fn month(&self, month: &str, short: bool) -> String {
        match month.split_once('-') {
            Some((year, month)) => {
                let month = month.trim_start_matches('0');
                if short {
                    format!("{month}月")
                } else {
                    format!("{year}年{month}月")
                }
            }
            None => month.to_owned(),
        }
    }

    pub fn category(&self, category: Category) -> &'static str {
        match category {
            Category::School => "学习用品",
            Category::Clothing => "衣物鞋帽",
            Category::Daily => "生活用品",
            Category::Food => "食品",
            Category::Repair => "维修",
            Category::Haircut => "理发",
            Category::Care => "陪伴照料",
            Category::Other => "其他",
        }
    }

    /// "8月31日前", the way dates are written on notices.
    pub fn date(&self, date: NaiveDate) -> String {
        format!("{}月{}日", date.month(), date.day())
    }

    /// How urgent a wish is: "3天后截止", "今天截止" or "已过期望日期".
    pub fn due(&self, needed_by: NaiveDate, today: NaiveDate) -> String {
        match days_until(needed_by, today) {
            days if days < 0 => self.overdue.to_owned(),
            0 => self.due_today.to_owned(),
            days => format!("{days}{}", self.days_left),
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
            fields.join(";")
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
            (Field::DisplayName, FieldCode::Length) => {
                format!("称呼需为 {min_name}–{max_name} 个字")
            }
            (Field::DisplayName, _) => "称呼只能是普通文字".to_owned(),
            (Field::Phone, _) => "请填写 11 位手机号".to_owned(),
            (Field::Password, FieldCode::TooShort) => format!("密码至少 {PASSWORD_MIN_CHARS} 位"),
            (Field::Password, FieldCode::TooLong) => format!("密码最多 {PASSWORD_MAX_CHARS} 位"),
            (Field::Password, _) => "这个密码太常见,容易被猜到,请换一个".to_owned(),
            (Field::Role, FieldCode::NotSelfService) => "社区工作人员账号由社区统一开通".to_owned(),
            (Field::Role, _) => "请选择一种身份".to_owned(),
            (Field::Quantity, FieldCode::NotTheSum) => "总数需等于各尺码数量之和".to_owned(),
            (Field::Quantity, FieldCode::BelowClaimed) => "数量不能少于已认领的数量".to_owned(),
            (Field::Quantity, FieldCode::ServiceIsOneVisit) => "上门服务每次认领一次".to_owned(),
            (Field::Quantity, _) => "数量超出范围".to_owned(),
            (Field::Note, FieldCode::Required) => "请写明原因".to_owned(),
            (Field::Note, _) => format!("留言最多 {NOTE_MAX_CHARS} 字"),
            (Field::SlotStart, FieldCode::Required) => "请选择上门日期和开始时间".to_owned(),
            (Field::SlotStart, FieldCode::InThePast) => "上门时间需在现在之后".to_owned(),
            (Field::SlotStart, FieldCode::NotForItems) => "物品心愿不需要选择时间".to_owned(),
            (Field::SlotEnd, FieldCode::Required) => "请选择结束时间".to_owned(),
            (Field::SlotEnd, FieldCode::BeforeStart) => "结束时间要晚于开始时间".to_owned(),
            (Field::SlotEnd, FieldCode::TooShort) => {
                format!("上门时间至少 {SLOT_MIN_MINUTES} 分钟")
            }
            (Field::SlotEnd, FieldCode::TooLong) => {
                format!("上门时间最长 {} 小时", SLOT_MAX_MINUTES / 60)
            }
            (Field::SlotEnd, FieldCode::AfterNeededBy) => "需在期望日期当天结束前完成".to_owned(),
            (Field::Reason, _) => format!("请填写 {min_reason}–{max_reason} 字的原因"),
            (Field::Variant, FieldCode::Required) => "这份认捐分尺码,请选择一个尺码".to_owned(),
            (_, FieldCode::RevealsName) => "不能出现住户的真实姓名,请用化名".to_owned(),
            (_, FieldCode::ControlCharacters) => "只能填写普通文字".to_owned(),
            (_, FieldCode::Required) => "这一项必须填写".to_owned(),
            (Field::Name, _) => range_text("姓名", NAME_CHARS),
            (Field::Address, _) => range_text("地址", ADDRESS_CHARS),
            (Field::Title, _) => range_text("标题", TITLE_CHARS),
            (Field::Unit, _) => range_text("单位", UNIT_CHARS),
            (Field::Alias, _) => range_text("化名", ALIAS_CHARS),
            (Field::Variants, FieldCode::Duplicate) => "每个尺码只能填一次".to_owned(),
            (Field::Variants, FieldCode::OutOfRange) => {
                format!("每个尺码的数量需在 1–{PLEDGE_QUANTITY_MAX} 之间")
            }
            (Field::Variants, FieldCode::TooLong) => format!("最多 {VARIANTS_MAX} 个尺码或款式"),
            (Field::Variants, _) => range_text("尺码名称", VARIANT_LABEL_CHARS),
            (Field::Variant, _) => "没有这个尺码".to_owned(),
            (Field::Description | Field::Notes, _) => {
                format!("最多 {DESCRIPTION_MAX_CHARS} 字")
            }
            (Field::Goal, _) => format!("目标需在 1–{PLEDGE_QUANTITY_MAX} 之间"),
            (Field::EndsOn | Field::To, FieldCode::BeforeStart) => {
                "结束日期不能早于开始日期".to_owned()
            }
            (Field::To, _) => "一次最多统计三年".to_owned(),
            (Field::NeededBy, FieldCode::InThePast) => "期望日期不能早于今天".to_owned(),
            (Field::NeededBy, _) => "期望日期最远一年以内".to_owned(),
            (Field::Text, _) => {
                format!("请填写 {}–{} 字", THANKS_CHARS.start(), THANKS_CHARS.end())
            }
            (Field::Minutes, _) => format!("服务时长需在 1–{MINUTES_MAX} 分钟之间"),
            (Field::Grid, _) => "请选择一个网格".to_owned(),
            (Field::Station, _) => "请选择一个驿站".to_owned(),
            (Field::CampaignId, _) => "没有这个活动".to_owned(),
            _ => self.problem.field_invalid.to_owned(),
        }
    }

    pub fn role(&self, role: Role) -> &'static str {
        match role {
            Role::Donor => "爱心人士",
            Role::Volunteer => "志愿者",
            Role::Shopkeeper => "爱心商户",
            Role::Worker => "社区工作人员",
        }
    }

    /// One line on what each role does, for the registration form.
    pub fn role_hint(&self, role: Role) -> &'static str {
        match role {
            Role::Donor => "认领物品心愿,把物品送到网格驿站",
            Role::Volunteer => "认领上门服务(维修、理发、陪同),也可认领物品心愿",
            Role::Shopkeeper => "以店铺名义认捐物品,由社区统一分配",
            Role::Worker => "社区工作人员账号由社区统一开通",
        }
    }

    pub fn claim_status(&self, status: ClaimStatus) -> &'static str {
        match status {
            ClaimStatus::Active => "进行中",
            ClaimStatus::Delivered => "已送达,待确认",
            ClaimStatus::Confirmed => "已确认收到",
            ClaimStatus::Released => "已放弃",
            ClaimStatus::Expired => "已超时",
            ClaimStatus::Rejected => "已退回",
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
            EventAction::Publish => "发布了心愿",
            EventAction::Status => "心愿状态变化",
            EventAction::Claim => "认领了",
            EventAction::Deliver => "标记已送达",
            EventAction::Confirm => "确认收到",
            EventAction::Release => "放弃了认领",
            EventAction::Expire => "认领超时,数量已退回",
            EventAction::Reject => "退回了认领",
            EventAction::Cancel => "取消了心愿",
            EventAction::Close => "结束了心愿",
            EventAction::Draft => "起草了心愿",
            EventAction::Update => "修改了内容",
            EventAction::Register => "登记了住户",
            EventAction::Thanks => "转达了受助人的感谢",
            EventAction::RevealContact => "向上门志愿者提供了地址和电话",
            EventAction::ReadHousehold => "查看了住户资料",
            EventAction::Approve => "审核通过了志愿者",
            EventAction::Suspend => "暂停了志愿者",
            EventAction::Pledge => "认捐了物品",
            EventAction::Allocate => "分配了商户认捐的物品",
            EventAction::ExportHousehold => "导出了住户名册",
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

/// "标题需为 2–40 个字".
fn range_text(what: &str, chars: std::ops::RangeInclusive<usize>) -> String {
    format!("{what}需为 {}–{} 个字", chars.start(), chars.end())
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
    fn due_labels_count_days() {
        let t = t();
        let today = day(1);
        assert_eq!(t.due(day(4), today), format!("3{}", t.days_left));
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
