//! The workers' console: campaigns, the report and the spreadsheets.

use super::{fill, Texts};

/// The workers' console: campaigns, the report and the spreadsheets.
pub struct ReportTexts {
    pub console_title: &'static str,
    pub console_intro: &'static str,
    pub to_volunteers: &'static str,
    pub to_pledges: &'static str,
    pub to_new_wish: &'static str,
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
    pub campaign_edit_title: &'static str,
    pub save_campaign: &'static str,
    /// A worker's actions on their community's drive page.
    pub edit_campaign: &'static str,
    pub end_campaign: &'static str,
    pub end_campaign_question: &'static str,
    pub end_campaign_yes: &'static str,
    pub keep_campaign: &'static str,
    /// A drive with no wishes yet, and how wishes join one.
    pub campaign_no_wishes: &'static str,
    pub campaign_no_wishes_hint: &'static str,
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
    /// The unit a campaign's goal starts with.
    pub goal_unit_default: &'static str,
    /// The report's tiles: `{n}` households; `{wishes}` and `{units}`; `{hours}` and `{visits}`.
    pub households_count: &'static str,
    pub wishes_and_units: &'static str,
    pub time_and_visits: &'static str,
}

impl Texts {
    /// The report's tiles: "14 户", "12 个 · 30 件", "12 小时 · 9 次".
    pub fn households_count(&self, n: u32) -> String {
        fill(self.report.households_count, &[("n", n.to_string())])
    }

    pub fn wishes_and_units(&self, wishes: u32, units: u32) -> String {
        fill(
            self.report.wishes_and_units,
            &[("wishes", wishes.to_string()), ("units", units.to_string())],
        )
    }

    pub fn time_and_visits(&self, minutes: u32, visits: u32) -> String {
        fill(
            self.report.time_and_visits,
            &[
                ("hours", self.duration(minutes)),
                ("visits", visits.to_string()),
            ],
        )
    }
}
