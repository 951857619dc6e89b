//! Shops' pledges and the workers' allocation of them.

use chrono::NaiveDate;
use microwish_core::Pledge;

use super::{fill, Texts};

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
    /// Asked before an allocation is cancelled; `cancel_yes` cancels it.
    pub cancel_check: &'static str,
    pub cancel_yes: &'static str,
    pub record_thanks: &'static str,
    pub thanks_placeholder: &'static str,
    pub save_thanks: &'static str,
    pub allocate_title: &'static str,
    pub choose_size: &'static str,
    pub allocate_quantity: &'static str,
    pub suggested: &'static str,
    pub suggested_hint: &'static str,
    /// `{n}`: the community's other open item wishes, in a section that opens.
    pub other_wishes_count: &'static str,
    pub no_suggestions: &'static str,
    /// Why a wish is suggested: it names `{size}`, it asks for the same `{thing}`, it is of
    /// the same category.
    pub fit_label: &'static str,
    pub fit_size: &'static str,
    pub fit_thing: &'static str,
    pub fit_category: &'static str,
    pub choose_wish: &'static str,
    pub nothing_left: &'static str,
    pub pledge_not_found: &'static str,
    pub wish_needs: &'static str,
    /// `{total}` `{unit}`, then how many are `{allocated}`, `{delivered}` and `{confirmed}`.
    pub summary: &'static str,
    /// `{date}`: from when the goods can be collected.
    pub available_on: &'static str,
    /// `{n}` `{unit}` still to give out.
    pub left_to_allocate: &'static str,
    /// `{n}` `{unit}`: the sizes added up.
    pub total: &'static str,
    /// `{n}` `{unit}`: the allocate button.
    pub allocate_units: &'static str,
    /// The unit a pledge starts with.
    pub pairs: &'static str,
    /// `{size}`: a shoe size as a variant's label.
    pub shoe_size: &'static str,
}

impl Texts {
    /// "104 双:已分配 34 · 已送达 20 · 已确认 18".
    pub fn pledge_summary(&self, pledge: &Pledge) -> String {
        fill(
            self.shops.summary,
            &[
                ("total", pledge.quantity.to_string()),
                ("unit", pledge.unit.clone()),
                ("allocated", pledge.allocated.to_string()),
                ("delivered", pledge.delivered.to_string()),
                ("confirmed", pledge.confirmed.to_string()),
            ],
        )
    }

    /// "6月1日起可领".
    pub fn available_on(&self, date: NaiveDate) -> String {
        fill(self.shops.available_on, &[("date", self.date(date))])
    }

    /// "还可分配 70 双".
    pub fn pledge_left(&self, left: u32, unit: &str) -> String {
        units(self.shops.left_to_allocate, left, unit)
    }

    /// "合计 104 双".
    pub fn pledge_total(&self, total: i64, unit: &str) -> String {
        units(self.shops.total, total, unit)
    }

    /// "分配 3 双".
    pub fn allocate_units(&self, quantity: u32, unit: &str) -> String {
        units(self.shops.allocate_units, quantity, unit)
    }

    /// "32码" / "EU 32".
    pub fn shoe_size(&self, size: u32) -> String {
        fill(self.shops.shoe_size, &[("size", size.to_string())])
    }
}

/// A template's `{n}` and `{unit}` filled in.
pub(super) fn units(template: &str, n: impl ToString, unit: &str) -> String {
    fill(template, &[("n", n.to_string()), ("unit", unit.to_owned())])
}
