//! A shop's second thoughts: a drop-off confirmed before it is marked and taken back until a
//! worker confirms it, a pledge changed or what is left of it withdrawn. Both languages are
//! here, as in [`super::phone`].

use microwish_core::{Field, FieldCode};

use super::shops::units;
use super::{fill, Texts};

pub struct PledgeChangeTexts {
    /// Asked before "dropped at the station" is marked: `{station}`.
    pub deliver_check: &'static str,
    pub deliver_yes: &'static str,
    pub not_yet: &'static str,
    /// Marked dropped at the station, a worker still to confirm.
    pub delivered_waiting: &'static str,
    pub undeliver: &'static str,
    pub edit: &'static str,
    pub edit_title: &'static str,
    pub save: &'static str,
    /// `{n}` `{unit}` not yet given out.
    pub withdraw: &'static str,
    pub withdraw_check: &'static str,
    pub withdraw_yes: &'static str,
    pub withdrawn_badge: &'static str,
    /// `{n}` `{unit}` taken back.
    pub withdrawn_units: &'static str,
    /// A size or the whole below what is given out.
    pub below_given_out: &'static str,
}

pub const ZH: PledgeChangeTexts = PledgeChangeTexts {
    deliver_check: "确定已经送到{station}了吗?",
    deliver_yes: "确定,已送到",
    not_yet: "还没有",
    delivered_waiting: "已送到驿站,等工作人员确认收到。",
    undeliver: "撤回“已送到”",
    edit: "修改认捐",
    edit_title: "修改认捐",
    save: "保存修改",
    withdraw: "撤回未分配的 {n} {unit}",
    withdraw_check: "确定撤回?还没分配的 {n} {unit}不再分给心愿;已分配的照常送出。撤回后不能恢复。",
    withdraw_yes: "确定撤回",
    withdrawn_badge: "已撤回",
    withdrawn_units: "已撤回未分配的 {n} {unit}",
    below_given_out: "不能少于已分配出去的数量(已分配的尺码要保留)",
};

pub const EN: PledgeChangeTexts = PledgeChangeTexts {
    deliver_check: "Have they really reached {station}?",
    deliver_yes: "Yes, delivered",
    not_yet: "Not yet",
    delivered_waiting: "At the station; a community worker will confirm receipt.",
    undeliver: "Undo “delivered”",
    edit: "Edit pledge",
    edit_title: "Edit pledge",
    save: "Save changes",
    withdraw: "Withdraw the {n} {unit} not allocated",
    withdraw_check: "Withdraw? The {n} {unit} not yet allocated will not go to wishes; allocated ones are still delivered. This cannot be undone.",
    withdraw_yes: "Withdraw",
    withdrawn_badge: "Withdrawn",
    withdrawn_units: "{n} {unit} not allocated were withdrawn",
    below_given_out: "Cannot be below what is already allocated (keep the sizes given out)",
};

impl Texts {
    /// "确定已经送到星怡一网格驿站了吗?".
    pub fn deliver_check(&self, station: &str) -> String {
        fill(
            self.pledge_changes.deliver_check,
            &[("station", station.to_owned())],
        )
    }

    /// "撤回未分配的 70 双".
    pub fn withdraw_pledge(&self, left: u32, unit: &str) -> String {
        units(self.pledge_changes.withdraw, left, unit)
    }

    pub fn withdraw_check(&self, left: u32, unit: &str) -> String {
        units(self.pledge_changes.withdraw_check, left, unit)
    }

    /// "已撤回未分配的 70 双".
    pub fn withdrawn_units(&self, taken_back: u32, unit: &str) -> String {
        units(self.pledge_changes.withdrawn_units, taken_back, unit)
    }

    /// A pledge form's field error: below what is given out says so; the rest as anywhere.
    pub fn pledge_field_error(&self, field: Field, code: FieldCode) -> String {
        match (field, code) {
            (Field::Quantity | Field::Variants, FieldCode::BelowClaimed) => {
                self.pledge_changes.below_given_out.to_owned()
            }
            _ => self.field_error(field, code),
        }
    }
}
