//! The words the community's spreadsheets use for codes (Chinese, the files' language; the
//! headers name each column in both languages): what an export writes in a cell, and what an
//! import reads back (with the codes and a few other words people type).

use crate::model::{
    BeneficiaryGroup, Category, Channel, HandlerKind, RequestCategory, RequestStatus, Urgency,
    WishKind, WishStatus,
};

pub fn kind(kind: WishKind) -> &'static str {
    match kind {
        WishKind::Item => "物品",
        WishKind::Service => "服务",
    }
}

pub fn wish_status(status: WishStatus) -> &'static str {
    match status {
        WishStatus::Draft => "草稿",
        WishStatus::Open => "待认领",
        WishStatus::Claimed => "已认领满",
        WishStatus::Fulfilled => "已实现",
        WishStatus::Closed => "已结束",
        WishStatus::Cancelled => "已撤回",
    }
}

/// A category's label: the first of its search words.
pub fn category(category: Category) -> &'static str {
    category.search_words()[0]
}

/// A group's label: the first of its search words.
pub fn group(group: BeneficiaryGroup) -> &'static str {
    group.search_words()[0]
}

pub fn request_status(status: RequestStatus) -> &'static str {
    match status {
        RequestStatus::Submitted => "待受理",
        RequestStatus::Accepted => "已受理",
        RequestStatus::Calling => "召集党员志愿者中",
        RequestStatus::Dispatched => "已派单",
        RequestStatus::InProgress => "办理中",
        RequestStatus::Resolved => "已办结待评价",
        RequestStatus::Closed => "已完结",
        RequestStatus::Declined => "不予受理",
        RequestStatus::Merged => "已合并",
    }
}

pub fn request_category(category: RequestCategory) -> &'static str {
    match category {
        RequestCategory::Repair => "报修",
        RequestCategory::Cleaning => "环境卫生",
        RequestCategory::Safety => "安全隐患",
        RequestCategory::Neighbour => "邻里事务",
        RequestCategory::Help => "求助",
        RequestCategory::Suggestion => "建议",
        RequestCategory::Other => "其他",
    }
}

pub fn urgency(urgency: Urgency) -> &'static str {
    match urgency {
        Urgency::Normal => "一般",
        Urgency::Urgent => "紧急",
    }
}

pub fn channel(channel: Channel) -> &'static str {
    match channel {
        Channel::App => "手机提交",
        Channel::Phone => "电话",
        Channel::Visit => "来访或上门",
        Channel::WechatGroup => "微信群",
    }
}

pub fn handler_kind(kind: HandlerKind) -> &'static str {
    match kind {
        HandlerKind::Worker => "社区工作人员",
        HandlerKind::Property => "物业",
        HandlerKind::Volunteer => "党员志愿者",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_chinese_word_an_import_reads_back() {
        for kind in WishKind::ALL {
            assert_eq!(crate::import::parse_kind(super::kind(*kind)), Some(*kind));
        }
        for category in Category::ALL {
            assert!(super::category(*category).chars().all(|c| !c.is_ascii()));
        }
        for group in BeneficiaryGroup::ALL {
            assert!(super::group(*group).chars().all(|c| !c.is_ascii()));
        }
        let statuses: std::collections::HashSet<_> = WishStatus::ALL
            .iter()
            .map(|status| wish_status(*status))
            .collect();
        assert_eq!(
            statuses.len(),
            WishStatus::ALL.len(),
            "each says a different thing"
        );
        let requests: std::collections::HashSet<_> = RequestStatus::ALL
            .iter()
            .map(|status| request_status(*status))
            .chain(RequestCategory::ALL.iter().map(|c| request_category(*c)))
            .collect();
        assert_eq!(
            requests.len(),
            RequestStatus::ALL.len() + RequestCategory::ALL.len(),
            "a request's every status and category says a different thing"
        );
        for word in Urgency::ALL
            .iter()
            .map(|u| urgency(*u))
            .chain(Channel::ALL.iter().map(|c| channel(*c)))
            .chain(HandlerKind::ALL.iter().map(|h| handler_kind(*h)))
        {
            assert!(word.chars().all(|c| !c.is_ascii()), "{word}");
        }
    }
}
