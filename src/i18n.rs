//! Every user-visible string, in one place. Chinese (zh-CN) is the app's language;
//! a second language is one more `Texts` value (English is planned).

use chrono::{Datelike, NaiveDate};
use microwish_core::{BeneficiaryGroup, Category, WishKind, WishStatus};

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
};

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
        match crate::format::days_until(needed_by, today) {
            days if days < 0 => self.overdue.to_owned(),
            0 => self.due_today.to_owned(),
            days => format!("{days}{}", self.days_left),
        }
    }

    /// The message for a failed request.
    pub fn error(&self, error: &ApiError) -> &'static str {
        match error {
            ApiError::Unreachable => self.err_unreachable,
            ApiError::NotFound => self.not_found_body,
            ApiError::Problem { status, .. } if *status >= 500 => self.err_server,
            ApiError::Problem { .. } => self.err_bad_request,
            ApiError::Unexpected(_) => self.err_unexpected,
        }
    }
}
