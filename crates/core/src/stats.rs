//! Every reported number, counted once: the public summary (`GET /api/stats`, and the open
//! wishes the phone counts from its cache) and the workers' report (`GET /api/stats/detail?
//! from=&to=&grid=`: households helped, wishes fulfilled by month and by grid, volunteer hours,
//! shop contributions, the median days from posting to fulfilment). The server reads plain
//! facts (each published wish, when it was posted and fulfilled, each confirmed house call,
//! each allocation) and this module counts them, so a number means one thing wherever it is
//! shown: a wish counts as fulfilled while it is ([`CountedWish::is_fulfilled`]), dated by
//! when it last became so, and a household is helped by such a wish ([`households_helped`]).

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::clock::community_today;
use crate::error::{Field, FieldCode, RuleError, ValidationErrors};
use crate::ids::{GridId, HouseholdId, UserId};
use crate::model::{AllocationStatus, Grid, PublicWish, Stats, WishKind, WishStatus};

/// The longest period one report covers.
pub const MAX_DAYS: i64 = 3 * 366;

/// The query of `GET /api/stats/detail`; dates are community days, both ends included.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct StatsQuery {
    #[serde(default)]
    pub from: Option<NaiveDate>,
    #[serde(default)]
    pub to: Option<NaiveDate>,
    #[serde(default)]
    pub grid: Option<GridId>,
}

/// Community days from `from` to `to`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        (self.from..=self.to).contains(&community_today(at))
    }

    /// Each month the period touches, as "2026-07".
    pub fn months(&self) -> Vec<String> {
        let mut months = Vec::new();
        let mut month = self.from.with_day(1).unwrap_or(self.from);
        while month <= self.to {
            months.push(month_of(month));
            month = month + Months::new(1);
        }
        months
    }
}

fn month_of(date: NaiveDate) -> String {
    format!("{:04}-{:02}", date.year(), date.month())
}

impl StatsQuery {
    /// The period asked for; by default the twelve months up to `today` (from the first of
    /// the month eleven months ago).
    pub fn period(&self, today: NaiveDate) -> Result<Period, RuleError> {
        let to = self.to.unwrap_or(today);
        let from = self.from.unwrap_or_else(|| {
            let start = to.with_day(1).unwrap_or(to);
            start - Months::new(11)
        });
        let mut errors = ValidationErrors::default();
        if to < from {
            errors.add(Field::To, FieldCode::BeforeStart, "must not be before from");
        } else if (to - from).num_days() > MAX_DAYS {
            errors.add(
                Field::To,
                FieldCode::TooLong,
                "at most three years at a time",
            );
        }
        errors.into_result(Period { from, to })
    }
}

/// A published wish as every reported number counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountedWish {
    /// Absent on a phone (households are private) and for wishes of old versions.
    pub household: Option<HouseholdId>,
    pub kind: WishKind,
    pub status: WishStatus,
    pub quantity: u32,
    pub remaining: u32,
}

impl CountedWish {
    /// What a phone can count of a wish it holds (no household).
    pub fn of(wish: &PublicWish) -> CountedWish {
        CountedWish {
            household: None,
            kind: wish.kind,
            status: wish.status,
            quantity: wish.quantity,
            remaining: wish.remaining,
        }
    }

    /// Every unit handed over, now (then thanked and closed, perhaps). A wish whose quantity
    /// was raised after it was fulfilled is open again and no longer counts.
    pub fn is_fulfilled(&self) -> bool {
        WishStatus::FULFILLED.contains(&self.status)
    }
}

/// The wishes still open, and the units they still need.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OpenNeed {
    pub wishes: u32,
    pub units: u32,
}

pub fn open_need<'a>(wishes: impl IntoIterator<Item = &'a CountedWish>) -> OpenNeed {
    wishes
        .into_iter()
        .filter(|wish| wish.status == WishStatus::Open)
        .fold(OpenNeed::default(), |need, wish| OpenNeed {
            wishes: need.wishes + 1,
            units: need.units.saturating_add(wish.remaining),
        })
}

/// Distinct households with a wish that counts as fulfilled (counted, never named).
pub fn households_helped<'a>(wishes: impl IntoIterator<Item = &'a CountedWish>) -> u32 {
    let helped: HashSet<HouseholdId> = wishes
        .into_iter()
        .filter(|wish| wish.is_fulfilled())
        .filter_map(|wish| wish.household)
        .collect();
    count(helped.iter())
}

/// The public summary of every published wish, the units shops pledged and the campaigns.
pub fn summary(wishes: &[CountedWish], pledged_units: u32, campaigns: u32) -> Stats {
    let need = open_need(wishes);
    let fulfilled = || wishes.iter().filter(|wish| wish.is_fulfilled());
    Stats {
        wishes_open: need.wishes,
        wishes_fulfilled: count(fulfilled()),
        wishes_total: count(wishes.iter()),
        units_needed: need.units,
        households_helped: households_helped(wishes),
        services_done: count(fulfilled().filter(|wish| wish.kind == WishKind::Service)),
        pledged_units,
        campaigns,
    }
}

/// A published wish of the report: where, when it was posted and when it last became fulfilled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WishFact {
    pub wish: CountedWish,
    pub grid: GridId,
    pub posted_at: DateTime<Utc>,
    pub fulfilled_at: Option<DateTime<Utc>>,
}

impl WishFact {
    /// When it was fulfilled, if it counts as fulfilled.
    pub fn fulfilled(&self) -> Option<DateTime<Utc>> {
        self.fulfilled_at.filter(|_| self.wish.is_fulfilled())
    }
}

/// A house call a worker confirmed, with the minutes credited to the volunteer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseCallFact {
    pub grid: GridId,
    pub volunteer: UserId,
    pub confirmed_at: DateTime<Utc>,
    pub minutes: u32,
}

/// Units of a shop's pledge given to a wish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllocationFact {
    pub shop_name: String,
    pub grid: GridId,
    pub allocated_at: DateTime<Utc>,
    pub status: AllocationStatus,
    pub units: u32,
}

/// Everything the report counts, as read from the database.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub wishes: Vec<WishFact>,
    pub house_calls: Vec<HouseCallFact>,
    pub allocations: Vec<AllocationFact>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthFigures {
    /// "2026-07".
    pub month: String,
    pub posted: u32,
    pub fulfilled: u32,
    pub volunteer_minutes: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GridFigures {
    pub grid: GridId,
    pub grid_name: String,
    pub posted: u32,
    pub fulfilled: u32,
    pub households_helped: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShopFigures {
    pub shop_name: String,
    /// Units given to wishes in the period (not cancelled since).
    pub allocated: u32,
    /// Of those, dropped at a station or handed over.
    pub delivered: u32,
    /// Of those, handed over to households.
    pub confirmed: u32,
}

/// The answer of `GET /api/stats/detail`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatsDetail {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub grid: Option<GridId>,
    /// Distinct households with a wish fulfilled in the period.
    pub households_helped: u32,
    pub wishes_posted: u32,
    pub wishes_fulfilled: u32,
    pub units_fulfilled: u32,
    pub house_calls: u32,
    pub volunteers: u32,
    pub volunteer_minutes: u32,
    /// Median days from posting to fulfilment over the wishes fulfilled in the period.
    pub median_days_to_fulfil: Option<f64>,
    pub by_month: Vec<MonthFigures>,
    pub by_grid: Vec<GridFigures>,
    pub shops: Vec<ShopFigures>,
}

/// Counts `facts` over `period`, only in `grid` if one is given; `grids` names them (in
/// their order).
pub fn detail(period: Period, grid: Option<&GridId>, grids: &[Grid], facts: &Facts) -> StatsDetail {
    let in_grid = |of: &GridId| grid.is_none_or(|grid| grid == of);
    let posted: Vec<&WishFact> = facts
        .wishes
        .iter()
        .filter(|wish| in_grid(&wish.grid) && period.contains(wish.posted_at))
        .collect();
    let fulfilled: Vec<(&WishFact, DateTime<Utc>)> = facts
        .wishes
        .iter()
        .filter(|wish| in_grid(&wish.grid))
        .filter_map(|wish| wish.fulfilled().map(|at| (wish, at)))
        .filter(|(_, at)| period.contains(*at))
        .collect();
    let calls: Vec<&HouseCallFact> = facts
        .house_calls
        .iter()
        .filter(|call| in_grid(&call.grid) && period.contains(call.confirmed_at))
        .collect();

    let mut by_month: BTreeMap<String, MonthFigures> = period
        .months()
        .into_iter()
        .map(|month| {
            let figures = MonthFigures {
                month: month.clone(),
                posted: 0,
                fulfilled: 0,
                volunteer_minutes: 0,
            };
            (month, figures)
        })
        .collect();
    let month = |at: DateTime<Utc>| month_of(community_today(at));
    for wish in &posted {
        if let Some(figures) = by_month.get_mut(&month(wish.posted_at)) {
            figures.posted += 1;
        }
    }
    for (_, at) in &fulfilled {
        if let Some(figures) = by_month.get_mut(&month(*at)) {
            figures.fulfilled += 1;
        }
    }
    for call in &calls {
        if let Some(figures) = by_month.get_mut(&month(call.confirmed_at)) {
            figures.volunteer_minutes += call.minutes;
        }
    }

    let by_grid = grids
        .iter()
        .filter(|each| in_grid(&each.id))
        .map(|each| {
            let helped = households_helped(
                fulfilled
                    .iter()
                    .filter(|(wish, _)| wish.grid == each.id)
                    .map(|(wish, _)| &wish.wish),
            );
            GridFigures {
                grid: each.id.clone(),
                grid_name: each.name.clone(),
                posted: count(posted.iter().filter(|wish| wish.grid == each.id)),
                fulfilled: count(fulfilled.iter().filter(|(wish, _)| wish.grid == each.id)),
                households_helped: helped,
            }
        })
        .collect();

    let mut shops: BTreeMap<&str, ShopFigures> = BTreeMap::new();
    for allocation in facts.allocations.iter().filter(|allocation| {
        in_grid(&allocation.grid)
            && period.contains(allocation.allocated_at)
            && allocation.status != AllocationStatus::Cancelled
    }) {
        let figures = shops
            .entry(&allocation.shop_name)
            .or_insert_with(|| ShopFigures {
                shop_name: allocation.shop_name.clone(),
                allocated: 0,
                delivered: 0,
                confirmed: 0,
            });
        figures.allocated += allocation.units;
        if matches!(
            allocation.status,
            AllocationStatus::Delivered | AllocationStatus::Confirmed
        ) {
            figures.delivered += allocation.units;
        }
        if allocation.status == AllocationStatus::Confirmed {
            figures.confirmed += allocation.units;
        }
    }

    let volunteers: HashSet<_> = calls.iter().map(|call| call.volunteer).collect();
    let days: Vec<f64> = fulfilled
        .iter()
        .map(|(wish, at)| (*at - wish.posted_at).num_minutes() as f64 / (24.0 * 60.0))
        .collect();
    StatsDetail {
        from: period.from,
        to: period.to,
        grid: grid.cloned(),
        households_helped: households_helped(fulfilled.iter().map(|(wish, _)| &wish.wish)),
        wishes_posted: count(posted.iter()),
        wishes_fulfilled: count(fulfilled.iter()),
        units_fulfilled: fulfilled.iter().map(|(wish, _)| wish.wish.quantity).sum(),
        house_calls: count(calls.iter()),
        volunteers: count(volunteers.iter()),
        volunteer_minutes: calls.iter().map(|call| call.minutes).sum(),
        median_days_to_fulfil: median(days),
        by_month: by_month.into_values().collect(),
        by_grid,
        shops: shops.into_values().collect(),
    }
}

fn count<T>(items: impl Iterator<Item = T>) -> u32 {
    u32::try_from(items.count()).unwrap_or(u32::MAX)
}

/// The middle value (the mean of the two middle ones for an even count), to a tenth of a day.
fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    let value = if values.len().is_multiple_of(2) {
        (values[middle - 1] + values[middle]) / 2.0
    } else {
        values[middle]
    };
    Some((value * 10.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::CommunityId;
    use chrono::TimeZone;

    fn at(month: u32, day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, month, day, hour, 0, 0).unwrap()
    }

    fn date(month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, month, day).unwrap()
    }

    fn grids() -> Vec<Grid> {
        let community = CommunityId::generate();
        ["grid-1", "grid-2"]
            .iter()
            .map(|id| Grid {
                id: GridId::from(*id),
                community,
                name: format!("网格{id}"),
                station: String::new(),
                station_location: String::new(),
            })
            .collect()
    }

    fn wish(
        grid: &str,
        household: HouseholdId,
        posted: DateTime<Utc>,
        days: Option<i64>,
    ) -> WishFact {
        WishFact {
            wish: CountedWish {
                household: Some(household),
                kind: WishKind::Item,
                status: if days.is_some() {
                    WishStatus::Fulfilled
                } else {
                    WishStatus::Open
                },
                quantity: 2,
                remaining: if days.is_some() { 0 } else { 2 },
            },
            grid: GridId::from(grid),
            posted_at: posted,
            fulfilled_at: days.map(|days| posted + chrono::Duration::days(days)),
        }
    }

    #[test]
    fn the_default_period_is_twelve_months_to_today() {
        let period = StatsQuery::default().period(date(11, 28)).unwrap();
        assert_eq!(period.from, NaiveDate::from_ymd_opt(2025, 12, 1).unwrap());
        assert_eq!(period.to, date(11, 28));
        assert_eq!(period.months().len(), 12);
        let backwards = StatsQuery {
            from: Some(date(11, 2)),
            to: Some(date(11, 1)),
            grid: None,
        };
        let Err(RuleError::Validation(errors)) = backwards.period(date(11, 28)) else {
            panic!()
        };
        assert!(errors.has(Field::To));
    }

    #[test]
    fn counts_by_month_grid_and_household_in_china_time() {
        let (a, b) = (HouseholdId::generate(), HouseholdId::generate());
        let facts = Facts {
            wishes: vec![
                wish("grid-1", a, at(7, 1, 2), Some(4)),
                wish("grid-1", a, at(7, 10, 2), Some(2)),
                wish("grid-2", b, at(8, 1, 2), Some(9)),
                wish("grid-2", b, at(8, 2, 2), None),
                // 31 July 20:00 UTC is 1 August in China: an August wish.
                wish("grid-2", b, at(7, 31, 20), None),
            ],
            house_calls: vec![HouseCallFact {
                grid: GridId::from("grid-1"),
                volunteer: UserId::generate(),
                confirmed_at: at(8, 3, 1),
                minutes: 90,
            }],
            allocations: vec![
                AllocationFact {
                    shop_name: "大拇哥童鞋店".into(),
                    grid: GridId::from("grid-2"),
                    allocated_at: at(8, 1, 3),
                    status: AllocationStatus::Confirmed,
                    units: 3,
                },
                AllocationFact {
                    shop_name: "大拇哥童鞋店".into(),
                    grid: GridId::from("grid-2"),
                    allocated_at: at(8, 2, 3),
                    status: AllocationStatus::Cancelled,
                    units: 5,
                },
            ],
        };
        let period = Period {
            from: date(7, 1),
            to: date(8, 31),
        };
        let all = detail(period, None, &grids(), &facts);
        assert_eq!(all.wishes_posted, 5);
        assert_eq!(all.wishes_fulfilled, 3);
        assert_eq!(all.units_fulfilled, 6);
        assert_eq!(all.households_helped, 2);
        assert_eq!(all.median_days_to_fulfil, Some(4.0));
        assert_eq!(all.volunteer_minutes, 90);
        assert_eq!((all.house_calls, all.volunteers), (1, 1));
        let months: Vec<_> = all
            .by_month
            .iter()
            .map(|m| (m.month.as_str(), m.posted, m.fulfilled))
            .collect();
        assert_eq!(months, [("2026-07", 2, 2), ("2026-08", 3, 1)]);
        assert_eq!(all.shops.len(), 1);
        assert_eq!(
            (
                all.shops[0].allocated,
                all.shops[0].delivered,
                all.shops[0].confirmed
            ),
            (3, 3, 3),
            "the cancelled allocation does not count"
        );
        assert_eq!(all.by_grid[0].households_helped, 1);
        assert_eq!(all.by_grid[1].fulfilled, 1);

        let grid2 = GridId::from("grid-2");
        let one = detail(period, Some(&grid2), &grids(), &facts);
        assert_eq!((one.wishes_posted, one.wishes_fulfilled), (3, 1));
        assert_eq!(one.volunteer_minutes, 0);
        assert_eq!(one.by_grid.len(), 1);

        let july = Period {
            from: date(7, 1),
            to: date(7, 31),
        };
        let july = detail(july, None, &grids(), &facts);
        assert_eq!(july.wishes_posted, 2, "the 20:00 UTC wish is August's");
        assert_eq!(july.median_days_to_fulfil, Some(3.0));
    }

    #[test]
    fn a_fulfilled_wish_that_reopens_no_longer_counts_in_the_summary_nor_the_report() {
        let household = HouseholdId::generate();
        let mut fact = wish("grid-1", household, at(7, 1, 2), Some(4));
        let period = Period {
            from: date(7, 1),
            to: date(7, 31),
        };
        let report = |fact: &WishFact| {
            let facts = Facts {
                wishes: vec![fact.clone()],
                ..Facts::default()
            };
            detail(period, None, &grids(), &facts)
        };
        let summary = |fact: &WishFact| summary(std::slice::from_ref(&fact.wish), 0, 0);
        assert_eq!(report(&fact).households_helped, 1);
        assert_eq!(summary(&fact).households_helped, 1);
        assert_eq!(
            report(&fact).wishes_fulfilled,
            summary(&fact).wishes_fulfilled
        );

        // The worker raises the quantity: the wish is open again, one unit still needed.
        fact.wish.status = WishStatus::Open;
        fact.wish.quantity = 3;
        fact.wish.remaining = 1;
        let (report, summary) = (report(&fact), summary(&fact));
        assert_eq!(
            (report.households_helped, summary.households_helped),
            (0, 0)
        );
        assert_eq!((report.wishes_fulfilled, summary.wishes_fulfilled), (0, 0));
        assert_eq!((summary.wishes_open, summary.units_needed), (1, 1));
    }

    #[test]
    fn the_summary_counts_open_needs_fulfilled_wishes_and_house_calls_once_each() {
        let (a, b) = (HouseholdId::generate(), HouseholdId::generate());
        let counted = |household, kind, status, quantity, remaining| CountedWish {
            household: Some(household),
            kind,
            status,
            quantity,
            remaining,
        };
        let wishes = [
            counted(a, WishKind::Item, WishStatus::Open, 5, 3),
            counted(a, WishKind::Item, WishStatus::Claimed, 2, 0),
            counted(a, WishKind::Service, WishStatus::Fulfilled, 1, 0),
            counted(a, WishKind::Item, WishStatus::Closed, 4, 0),
            counted(b, WishKind::Item, WishStatus::Open, 1, 1),
        ];
        let stats = summary(&wishes, 104, 2);
        assert_eq!((stats.wishes_open, stats.units_needed), (2, 4));
        assert_eq!((stats.wishes_fulfilled, stats.services_done), (2, 1));
        assert_eq!((stats.wishes_total, stats.households_helped), (5, 1));
        assert_eq!((stats.pledged_units, stats.campaigns), (104, 2));
    }

    #[test]
    fn median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 10.0]), Some(3.0));
    }
}
