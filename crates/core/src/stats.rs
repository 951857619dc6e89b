//! Every reported number, counted once: the public summary (`GET /api/stats`, and the open
//! wishes the phone counts from its cache) and the workers' report (`GET /api/stats/detail?
//! from=&to=&grid=`: households helped, wishes fulfilled by month and by grid, volunteer hours,
//! shop contributions, the median days from posting to fulfilment). The server reads plain
//! facts (each published wish, when it was posted and fulfilled, each confirmed house call,
//! each allocation) and this module counts them, so a number means one thing wherever it is
//! shown: a wish counts as fulfilled while it is ([`CountedWish::is_fulfilled`]), dated by
//! when it last became so, and a household is helped by such a wish ([`households_helped`]).
//! Residents' requests likewise: each rate is defined once, on [`RequestFact`] and in
//! [`request_rates`], and the home page's figures ([`public_requests`]) and the report's
//! (by month, grid and category) are those same rates over different sets of requests.
//! A rate is a share in 0..=1 (to four places), or `null` when nothing is there to count.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::clock::community_today;
use crate::error::{Field, FieldCode, RuleError, ValidationErrors};
use crate::ids::{GridId, HouseholdId, UserId};
use crate::model::{
    AllocationStatus, Grid, PublicWish, Request, RequestCategory, RequestStatus, Stats, WishKind,
    WishStatus,
};

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

/// The public summary of every published wish and every request, the units shops pledged
/// and the campaigns.
pub fn summary(
    wishes: &[CountedWish],
    requests: &[RequestFact],
    pledged_units: u32,
    campaigns: u32,
) -> Stats {
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
        requests: public_requests(requests),
    }
}

/// A resident's request as the rates count it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestFact {
    pub grid: GridId,
    pub category: RequestCategory,
    pub status: RequestStatus,
    pub created_at: DateTime<Utc>,
    pub accept_by: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub rating: Option<u8>,
    pub reopen_count: u32,
    /// When it was read: one still unanswered past its limit by then counts as missed.
    pub read_at: DateTime<Utc>,
}

impl RequestFact {
    /// What the rates count of a stored request, read at `read_at`.
    pub fn of(request: &Request, read_at: DateTime<Utc>) -> RequestFact {
        RequestFact {
            grid: request.grid.clone(),
            category: request.category,
            status: request.status,
            created_at: request.created_at,
            accept_by: request.accept_by,
            accepted_at: request.accepted_at,
            resolved_at: request.resolved_at,
            closed_at: request.closed_at,
            rating: request.rating,
            reopen_count: request.reopen_count,
            read_at,
        }
    }

    /// Counted at all: a duplicate merged into another request is that request.
    pub fn counts(&self) -> bool {
        self.status != RequestStatus::Merged
    }

    /// When a worker first answered it: accepted it, or declined it without accepting.
    pub fn responded_at(&self) -> Option<DateTime<Utc>> {
        self.accepted_at.or(self
            .closed_at
            .filter(|_| self.status == RequestStatus::Declined))
    }

    /// Due for an answer: answered, or its limit passed unanswered.
    pub fn due(&self) -> bool {
        self.responded_at().is_some() || self.accept_by < self.read_at
    }

    /// Answered within its limit (响应).
    pub fn responded_in_time(&self) -> bool {
        self.responded_at().is_some_and(|at| at <= self.accept_by)
    }

    /// Resolved (办结), and perhaps closed since: not while reopened, declined or open.
    pub fn is_resolved(&self) -> bool {
        self.status.is_resolved()
    }

    /// Resolved the first time: never reopened.
    pub fn is_solved(&self) -> bool {
        self.is_resolved() && self.reopen_count == 0
    }

    /// Its requester rated it 4 or 5 (满意).
    pub fn is_satisfied(&self) -> bool {
        self.rating.is_some_and(|rating| rating >= 4)
    }
}

/// The rates of a set of requests (merged duplicates left out).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestRates {
    /// Requests filed.
    pub total: u32,
    /// Answered within the limit / due for an answer (answered, or unanswered past the limit).
    pub response_rate: Option<f64>,
    /// Resolved or closed after resolving / all.
    pub resolution_rate: Option<f64>,
    /// Resolved and never reopened / all.
    pub solved_rate: Option<f64>,
    /// Rated 4–5 / rated.
    pub satisfaction_rate: Option<f64>,
    /// Median minutes from filing to the first answer, over those answered.
    pub median_minutes_to_accept: Option<f64>,
    /// Median minutes from filing to the (latest) resolution, over those resolved.
    pub median_minutes_to_resolve: Option<f64>,
}

/// The rates of `requests`, each as [`RequestRates`] defines it.
pub fn request_rates<'a>(requests: impl IntoIterator<Item = &'a RequestFact>) -> RequestRates {
    let counted: Vec<&RequestFact> = requests.into_iter().filter(|r| r.counts()).collect();
    let total = count(counted.iter());
    let share = |part: usize, whole: usize| {
        (whole > 0).then(|| ((part as f64 / whole as f64) * 10_000.0).round() / 10_000.0)
    };
    let of = |keep: &dyn Fn(&RequestFact) -> bool| counted.iter().filter(|r| keep(r)).count();
    let minutes = |from: DateTime<Utc>, to: DateTime<Utc>| (to - from).num_seconds() as f64 / 60.0;
    RequestRates {
        total,
        response_rate: share(of(&RequestFact::responded_in_time), of(&RequestFact::due)),
        resolution_rate: share(of(&RequestFact::is_resolved), counted.len()),
        solved_rate: share(of(&RequestFact::is_solved), counted.len()),
        satisfaction_rate: share(of(&RequestFact::is_satisfied), of(&|r| r.rating.is_some())),
        median_minutes_to_accept: median(
            counted
                .iter()
                .filter_map(|r| Some(minutes(r.created_at, r.responded_at()?)))
                .collect(),
        ),
        median_minutes_to_resolve: median(
            counted
                .iter()
                .filter(|r| r.is_resolved())
                .filter_map(|r| Some(minutes(r.created_at, r.resolved_at?)))
                .collect(),
        ),
    }
}

/// The requests on the home page: counts and two rates, over every request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicRequestStats {
    pub total: u32,
    /// Resolved, or closed after resolving.
    pub resolved: u32,
    pub response_rate: Option<f64>,
    pub satisfaction_rate: Option<f64>,
}

pub fn public_requests(requests: &[RequestFact]) -> PublicRequestStats {
    let rates = request_rates(requests);
    PublicRequestStats {
        total: rates.total,
        resolved: count(requests.iter().filter(|r| r.counts() && r.is_resolved())),
        response_rate: rates.response_rate,
        satisfaction_rate: rates.satisfaction_rate,
    }
}

/// A month of the requests report: those filed in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestMonth {
    /// "2026-07".
    pub month: String,
    #[serde(flatten)]
    pub rates: RequestRates,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestGrid {
    pub grid: GridId,
    pub grid_name: String,
    #[serde(flatten)]
    pub rates: RequestRates,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestCategoryFigures {
    pub category: RequestCategory,
    #[serde(flatten)]
    pub rates: RequestRates,
}

/// The requests filed in a report's period, with their rates, and by month, grid and category.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestStats {
    #[serde(flatten)]
    pub rates: RequestRates,
    pub by_month: Vec<RequestMonth>,
    pub by_grid: Vec<RequestGrid>,
    pub by_category: Vec<RequestCategoryFigures>,
}

/// The requests report of those filed in `period` (only in `grid`, if one is given); every
/// month of the period, every grid of `grids` and every category has its row.
pub fn request_stats(
    period: Period,
    grid: Option<&GridId>,
    grids: &[Grid],
    requests: &[RequestFact],
) -> RequestStats {
    let in_grid = |of: &GridId| grid.is_none_or(|grid| grid == of);
    let filed: Vec<&RequestFact> = requests
        .iter()
        .filter(|r| in_grid(&r.grid) && period.contains(r.created_at))
        .collect();
    let rates_of = |keep: &dyn Fn(&RequestFact) -> bool| {
        request_rates(filed.iter().copied().filter(|r| keep(r)))
    };
    RequestStats {
        rates: request_rates(filed.iter().copied()),
        by_month: period
            .months()
            .into_iter()
            .map(|month| RequestMonth {
                rates: rates_of(&|r| month_of(community_today(r.created_at)) == month),
                month,
            })
            .collect(),
        by_grid: grids
            .iter()
            .filter(|each| in_grid(&each.id))
            .map(|each| RequestGrid {
                grid: each.id.clone(),
                grid_name: each.name.clone(),
                rates: rates_of(&|r| r.grid == each.id),
            })
            .collect(),
        by_category: RequestCategory::ALL
            .iter()
            .map(|&category| RequestCategoryFigures {
                category,
                rates: rates_of(&|r| r.category == category),
            })
            .collect(),
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
    /// The worker who confirmed it (none for a call the system confirmed, as the demo seed).
    pub confirmed_by: Option<UserId>,
}

/// Whether an allocation in `status` counts as given (the report's shop figures, a shop's
/// record of its years): every one not cancelled since.
pub fn counts_as_given(status: AllocationStatus) -> bool {
    status != AllocationStatus::Cancelled
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
    pub requests: Vec<RequestFact>,
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
    /// Residents' requests filed in the period.
    #[serde(default)]
    pub requests: RequestStats,
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
            && counts_as_given(allocation.status)
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
        requests: request_stats(period, grid, grids, &facts.requests),
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
                station_hours: String::new(),
                station_contact: String::new(),
                station_phone: String::new(),
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
                confirmed_by: None,
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
            requests: Vec::new(),
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
        let summary = |fact: &WishFact| summary(std::slice::from_ref(&fact.wish), &[], 0, 0);
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
        let stats = summary(&wishes, &[], 104, 2);
        assert_eq!((stats.wishes_open, stats.units_needed), (2, 4));
        assert_eq!((stats.wishes_fulfilled, stats.services_done), (2, 1));
        assert_eq!((stats.wishes_total, stats.households_helped), (5, 1));
        assert_eq!((stats.pledged_units, stats.campaigns), (104, 2));
    }

    /// A request filed at `filed` (China: 8 hours later), due to be accepted 4 hours after.
    fn request(grid: &str, category: RequestCategory, filed: DateTime<Utc>) -> RequestFact {
        RequestFact {
            grid: GridId::from(grid),
            category,
            status: RequestStatus::Submitted,
            created_at: filed,
            accept_by: filed + chrono::Duration::hours(4),
            accepted_at: None,
            resolved_at: None,
            closed_at: None,
            rating: None,
            reopen_count: 0,
            read_at: at(9, 30, 0),
        }
    }

    fn minutes(m: i64) -> chrono::Duration {
        chrono::Duration::minutes(m)
    }

    /// Six requests of July: in time and rated 5; late and rated 3; reopened once and rated
    /// 4; declined at once; still open past its limit; and a merged duplicate.
    fn july() -> Vec<RequestFact> {
        let filed = at(7, 1, 2);
        let settled = |mut r: RequestFact, accept: i64, resolve: i64, rating| {
            r.status = RequestStatus::Closed;
            r.accepted_at = Some(r.created_at + minutes(accept));
            r.resolved_at = Some(r.created_at + minutes(resolve));
            r.closed_at = r.resolved_at.map(|at| at + chrono::Duration::days(1));
            r.rating = rating;
            r
        };
        let in_time = settled(
            request("grid-1", RequestCategory::Repair, filed),
            30,
            600,
            Some(5),
        );
        let late = settled(
            request("grid-1", RequestCategory::Cleaning, filed),
            300,
            1200,
            Some(3),
        );
        let mut reopened = settled(
            request("grid-2", RequestCategory::Repair, filed),
            60,
            3000,
            Some(4),
        );
        reopened.reopen_count = 1;
        let mut declined = request("grid-2", RequestCategory::Other, filed);
        declined.status = RequestStatus::Declined;
        declined.closed_at = Some(filed + minutes(10));
        let waiting = request("grid-2", RequestCategory::Safety, filed);
        let mut duplicate = request("grid-1", RequestCategory::Repair, filed);
        duplicate.status = RequestStatus::Merged;
        vec![in_time, late, reopened, declined, waiting, duplicate]
    }

    #[test]
    fn request_rates_count_each_definition_once() {
        let rates = request_rates(&july());
        assert_eq!(rates.total, 5, "the merged duplicate is its original");
        // Answered in time: the first, the reopened one and the declined one, of five due.
        assert_eq!(rates.response_rate, Some(0.6));
        // Resolved: three of five; solved the first time: two of five.
        assert_eq!(rates.resolution_rate, Some(0.6));
        assert_eq!(rates.solved_rate, Some(0.4));
        // Rated 4–5: two of three rated.
        assert_eq!(rates.satisfaction_rate, Some(0.6667));
        // Answers after 10, 30, 60, 300 minutes; resolutions after 600, 1200, 3000.
        assert_eq!(rates.median_minutes_to_accept, Some(45.0));
        assert_eq!(rates.median_minutes_to_resolve, Some(1200.0));

        let empty = request_rates(&[]);
        assert_eq!((empty.total, empty.response_rate), (0, None));
        assert_eq!(empty.satisfaction_rate, None, "no denominator: no rate");

        // Filed a minute ago and not answered yet: not due, so not a miss.
        let mut fresh = request("grid-1", RequestCategory::Repair, at(9, 30, 0) - minutes(1));
        fresh.read_at = at(9, 30, 0);
        assert_eq!(request_rates([&fresh]).response_rate, None);
        fresh.read_at += chrono::Duration::hours(5);
        assert_eq!(request_rates([&fresh]).response_rate, Some(0.0));
    }

    #[test]
    fn a_reopened_request_is_resolved_but_not_solved_and_unresolved_while_open_again() {
        let mut reopened = july().remove(2);
        let once = request_rates([&reopened]);
        assert_eq!(
            (once.resolution_rate, once.solved_rate),
            (Some(1.0), Some(0.0))
        );
        // Open again, waiting for a handler.
        reopened.status = RequestStatus::Accepted;
        reopened.resolved_at = None;
        reopened.rating = None;
        let open = request_rates([&reopened]);
        assert_eq!(
            (open.resolution_rate, open.solved_rate),
            (Some(0.0), Some(0.0))
        );
        assert_eq!(open.median_minutes_to_resolve, None);
    }

    #[test]
    fn the_home_page_and_the_report_count_requests_alike_by_month_grid_and_category() {
        let mut requests = july();
        // 31 July 20:00 UTC is 1 August in China: an August request.
        let mut august = request("grid-1", RequestCategory::Help, at(7, 31, 20));
        august.accepted_at = Some(august.created_at + minutes(20));
        requests.push(august);
        let public = summary(&[], &requests, 0, 0).requests;
        let period = Period {
            from: date(7, 1),
            to: date(8, 31),
        };
        let facts = Facts {
            requests: requests.clone(),
            ..Facts::default()
        };
        let report = detail(period, None, &grids(), &facts).requests;
        assert_eq!(public.total, report.rates.total);
        assert_eq!(public.total, 6);
        assert_eq!(public.resolved, 3);
        assert_eq!(public.response_rate, report.rates.response_rate);
        assert_eq!(public.satisfaction_rate, report.rates.satisfaction_rate);
        let months: Vec<_> = report
            .by_month
            .iter()
            .map(|m| (m.month.as_str(), m.rates.total))
            .collect();
        assert_eq!(months, [("2026-07", 5), ("2026-08", 1)]);
        let by_grid: Vec<_> = report.by_grid.iter().map(|g| g.rates.total).collect();
        assert_eq!(by_grid, [3, 3]);
        assert_eq!(report.by_category.len(), RequestCategory::ALL.len());
        let repairs = &report.by_category[0];
        assert_eq!(
            (repairs.category, repairs.rates.total),
            (RequestCategory::Repair, 2)
        );
        let grid2 = GridId::from("grid-2");
        let one = detail(period, Some(&grid2), &grids(), &facts).requests;
        assert_eq!((one.rates.total, one.by_grid.len()), (3, 1));

        let json = serde_json::to_value(&report).unwrap();
        for field in [
            "total",
            "response_rate",
            "resolution_rate",
            "solved_rate",
            "satisfaction_rate",
            "median_minutes_to_accept",
            "median_minutes_to_resolve",
            "by_month",
            "by_grid",
            "by_category",
        ] {
            assert!(json.get(field).is_some(), "{field}");
        }
        assert_eq!(json["by_month"][0]["month"], "2026-07");
        assert_eq!(json["by_month"][0]["total"], 5);
        let public = serde_json::to_value(public).unwrap();
        assert_eq!(
            public.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["resolved", "response_rate", "satisfaction_rate", "total"]
        );
    }

    #[test]
    fn median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 10.0]), Some(3.0));
    }
}
