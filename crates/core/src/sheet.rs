//! The words the community's spreadsheets use for codes (Chinese, the files' language; the
//! headers name each column in both languages): what an export writes in a cell, and what an
//! import reads back (with the codes and a few other words people type).

use crate::model::{BeneficiaryGroup, Category, WishKind, WishStatus};

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
    }
}
