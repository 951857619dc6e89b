//! A shop's record of giving (我的捐赠 · 历年捐赠, issue 28): every year it has given, counted
//! from its allocations as the workers' report counts them ([`crate::stats::counts_as_given`])
//! and from the past years a worker entered (the shop gave before the app existed); who may
//! read it and record a past year; and its public thank-you page (totals only, opt-in).
//!
//! A year never adds up twice: a year with giving in the app shows the app's figures and
//! nothing of a record, and a worker may not record a year the app already counts.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::clock::to_china;
use crate::error::{Field, FieldCode, RuleError, ValidationErrors};
use crate::ids::{CommunityId, UserId, WishId};
use crate::model::{AllocationStatus, Role};
use crate::stats::counts_as_given;
use crate::visibility::Viewer;

/// The first year a worker may record (the shoe shop's first was long after).
pub const FIRST_YEAR: i32 = 1990;
pub const UNITS: std::ops::RangeInclusive<u32> = 1..=100_000;
pub const NOTE_MAX_CHARS: usize = 200;

/// One year of a shop's giving.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShopYear {
    pub year: i32,
    /// Units given to wishes (not cancelled since).
    pub units: u32,
    /// Wishes given to.
    pub wishes: u32,
    /// Communities those wishes were in (0 for a past year: a record does not say).
    pub communities: u32,
    /// Of those gifts, how many the households thanked for (0 for a past year).
    pub thanks: u32,
    /// A past year a worker entered, not counted by the app.
    pub from_records: bool,
    /// A worker's note on a past year (only for the shop and workers).
    #[serde(default)]
    pub note: Option<String>,
}

/// `GET /api/shops/{id}/record`: every year the shop has given, the latest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShopRecord {
    pub shop_id: UserId,
    pub shop_name: String,
    pub years: Vec<ShopYear>,
    pub total_units: u32,
    /// Years with any giving.
    pub years_given: u32,
    /// The shop's thank-you page is public (`/shops/{id}`).
    pub public: bool,
}

/// One year as the public thank-you page shows it: units and wishes, nothing else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicYear {
    pub year: i32,
    pub units: u32,
    pub wishes: u32,
}

/// `GET /api/shops/{id}/thanks` (no login, only once the shop opted in): its totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShopThanks {
    pub shop_id: UserId,
    pub shop_name: String,
    pub years_given: u32,
    pub total_units: u32,
    pub years: Vec<PublicYear>,
}

impl ShopRecord {
    /// What the public page shows: the totals and each year's units and wishes (never a
    /// household, a thanks text or a worker's note).
    pub fn thanks(&self) -> ShopThanks {
        ShopThanks {
            shop_id: self.shop_id,
            shop_name: self.shop_name.clone(),
            years_given: self.years_given,
            total_units: self.total_units,
            years: self
                .years
                .iter()
                .map(|year| PublicYear {
                    year: year.year,
                    units: year.units,
                    wishes: year.wishes,
                })
                .collect(),
        }
    }
}

/// Units of the shop's pledges given to a wish, as the record reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopAllocation {
    pub wish: WishId,
    /// The wish's community.
    pub community: CommunityId,
    pub allocated_at: DateTime<Utc>,
    pub status: AllocationStatus,
    pub units: u32,
    /// The household thanked for it.
    pub thanked: bool,
}

/// A past year a worker entered, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PastYear {
    pub year: i32,
    pub units: u32,
    pub wishes: u32,
    #[serde(default)]
    pub note: String,
}

/// `PUT /api/shops/{id}/years/{year}`: what the shop gave that year (the year is the path's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RecordPastYear {
    pub units: i64,
    pub wishes: i64,
    #[serde(default)]
    pub note: String,
}

/// `PUT /api/me/shop-page`: whether the shop's thank-you page is public.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ShopPage {
    pub public: bool,
}

/// The China-time year of an instant (the community's calendar).
pub fn year_of(at: DateTime<Utc>) -> i32 {
    to_china(at).year()
}

/// A past year as a worker may record it on `today` (a community day): a year from
/// [`FIRST_YEAR`] to last year, [`UNITS`] units, no more wishes than units, a short note.
pub fn past_year(
    year: i32,
    input: &RecordPastYear,
    today: NaiveDate,
) -> Result<PastYear, RuleError> {
    let mut errors = ValidationErrors::default();
    let last = today.year() - 1;
    if year > last {
        errors.add(
            Field::Year,
            FieldCode::InTheFuture,
            "must be before this year",
        );
    } else if year < FIRST_YEAR {
        errors.add(Field::Year, FieldCode::OutOfRange, "must be 1990 or later");
    }
    let units = u32::try_from(input.units)
        .ok()
        .filter(|units| UNITS.contains(units));
    if units.is_none() {
        errors.add(Field::Units, FieldCode::OutOfRange, "must be 1 to 100000");
    }
    let wishes = u32::try_from(input.wishes).ok();
    match (wishes, units) {
        (None, _) => errors.add(Field::Wishes, FieldCode::OutOfRange, "must not be negative"),
        (Some(wishes), Some(units)) if wishes > units => errors.add(
            Field::Wishes,
            FieldCode::OutOfRange,
            "must not be more than the units",
        ),
        _ => {}
    }
    let note = crate::validate::long_text(&mut errors, Field::Note, &input.note, NOTE_MAX_CHARS);
    errors.into_result(PastYear {
        year,
        units: units.unwrap_or(0),
        wishes: wishes.unwrap_or(0),
        note,
    })
}

/// Refuses recording `year` when the app already counts giving in it (a year adds up once).
pub fn not_counted_yet(year: i32, allocations: &[ShopAllocation]) -> Result<(), RuleError> {
    if allocations.iter().any(|allocation| {
        counts_as_given(allocation.status) && year_of(allocation.allocated_at) == year
    }) {
        return Err(RuleError::field(
            Field::Year,
            FieldCode::Duplicate,
            "the app already counts this year's giving",
        ));
    }
    Ok(())
}

/// The shop's record: a year for each year with giving in the app (its figures) or a past
/// year recorded (when the app counts nothing that year), the latest first.
pub fn record(
    shop_id: UserId,
    shop_name: String,
    public: bool,
    allocations: &[ShopAllocation],
    past: &[PastYear],
) -> ShopRecord {
    #[derive(Default)]
    struct Tally {
        units: u32,
        wishes: BTreeSet<WishId>,
        communities: BTreeSet<CommunityId>,
        thanks: u32,
    }
    let mut app: BTreeMap<i32, Tally> = BTreeMap::new();
    for allocation in allocations
        .iter()
        .filter(|allocation| counts_as_given(allocation.status))
    {
        let tally = app.entry(year_of(allocation.allocated_at)).or_default();
        tally.units += allocation.units;
        tally.wishes.insert(allocation.wish);
        tally.communities.insert(allocation.community);
        tally.thanks += u32::from(allocation.thanked);
    }
    let mut years: Vec<ShopYear> = app
        .into_iter()
        .map(|(year, tally)| ShopYear {
            year,
            units: tally.units,
            wishes: tally.wishes.len() as u32,
            communities: tally.communities.len() as u32,
            thanks: tally.thanks,
            from_records: false,
            note: None,
        })
        .collect();
    for each in past {
        if !years.iter().any(|year| year.year == each.year) {
            years.push(ShopYear {
                year: each.year,
                units: each.units,
                wishes: each.wishes,
                communities: 0,
                thanks: 0,
                from_records: true,
                note: Some(each.note.clone()).filter(|note| !note.is_empty()),
            });
        }
    }
    years.sort_by_key(|year| std::cmp::Reverse(year.year));
    ShopRecord {
        shop_id,
        shop_name,
        total_units: years.iter().map(|year| year.units).sum(),
        years_given: years.len() as u32,
        years,
        public,
    }
}

/// Whether `viewer` may read `shop`'s record: the shop itself, and a worker of its own
/// community or of a community one of its pledges is offered to (every community for a pledge
/// offered to all; see [`crate::visibility::pledge`]). `offered_to` lists its pledges'
/// communities (`None`: offered to every community).
pub fn may_read(
    viewer: &Viewer,
    shop: UserId,
    shop_community: Option<CommunityId>,
    offered_to: &[Option<CommunityId>],
) -> bool {
    viewer.id == shop
        || (viewer.role == Role::Worker
            && (viewer.works_in(shop_community)
                || offered_to
                    .iter()
                    .any(|offered| crate::visibility::pledge(Some(viewer), shop, *offered))))
}

/// Whether `viewer` may record or remove a past year of `shop`: a worker who may read its
/// record (one its giving reaches). The shop itself may not: its past years are the
/// community's word, which is what makes a thank-you page worth reading.
pub fn may_record(
    viewer: &Viewer,
    shop: UserId,
    shop_community: Option<CommunityId>,
    offered_to: &[Option<CommunityId>],
) -> bool {
    viewer.role == Role::Worker && may_read(viewer, shop, shop_community, offered_to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ProblemCode;
    use chrono::TimeZone;

    fn given(
        wish: WishId,
        community: CommunityId,
        at: DateTime<Utc>,
        status: AllocationStatus,
        units: u32,
        thanked: bool,
    ) -> ShopAllocation {
        ShopAllocation {
            wish,
            community,
            allocated_at: at,
            status,
            units,
            thanked,
        }
    }

    fn past(year: i32, units: u32) -> PastYear {
        PastYear {
            year,
            units,
            wishes: units / 2,
            note: String::new(),
        }
    }

    fn viewer(role: Role, community: Option<CommunityId>) -> Viewer {
        Viewer {
            id: UserId::generate(),
            role,
            community,
            volunteer: None,
            party_member: false,
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
    }

    fn input(units: i64, wishes: i64, note: &str) -> RecordPastYear {
        RecordPastYear {
            units,
            wishes,
            note: note.to_owned(),
        }
    }

    #[test]
    fn app_years_and_past_years_make_one_record_the_latest_first() {
        let (xingyi, juyuan) = (CommunityId::generate(), CommunityId::generate());
        let (a, b) = (WishId::generate(), WishId::generate());
        // 31 Dec 2025 17:00 UTC is already 1 Jan 2026 in China.
        let new_year = Utc.with_ymd_and_hms(2025, 12, 31, 17, 0, 0).unwrap();
        let summer = Utc.with_ymd_and_hms(2025, 7, 1, 2, 0, 0).unwrap();
        let allocations = [
            given(a, xingyi, summer, AllocationStatus::Confirmed, 3, true),
            given(a, xingyi, summer, AllocationStatus::Delivered, 2, false),
            given(b, juyuan, summer, AllocationStatus::Allocated, 4, false),
            // Cancelled: its units went back to the pledge.
            given(b, juyuan, summer, AllocationStatus::Cancelled, 50, false),
            given(b, juyuan, new_year, AllocationStatus::Confirmed, 1, true),
        ];
        let shop = UserId::generate();
        let record = record(
            shop,
            "大拇哥童鞋店".into(),
            true,
            &allocations,
            &[past(2016, 104), past(2024, 104)],
        );
        let years: Vec<(i32, u32, bool)> = record
            .years
            .iter()
            .map(|year| (year.year, year.units, year.from_records))
            .collect();
        assert_eq!(
            years,
            [
                (2026, 1, false),
                (2025, 9, false),
                (2024, 104, true),
                (2016, 104, true)
            ]
        );
        let year_2025 = &record.years[1];
        assert_eq!(
            (year_2025.wishes, year_2025.communities, year_2025.thanks),
            (2, 2, 1)
        );
        assert_eq!(record.total_units, 1 + 9 + 104 + 104);
        assert_eq!(record.years_given, 4);
        assert!(record.public);
    }

    #[test]
    fn a_year_the_app_counts_never_adds_a_record_of_it_too() {
        let summer = Utc.with_ymd_and_hms(2025, 7, 1, 2, 0, 0).unwrap();
        let allocations = [given(
            WishId::generate(),
            CommunityId::generate(),
            summer,
            AllocationStatus::Confirmed,
            10,
            false,
        )];
        let record = record(
            UserId::generate(),
            "shop".into(),
            false,
            &allocations,
            &[past(2025, 104)],
        );
        assert_eq!(record.years.len(), 1);
        assert_eq!(record.years[0].units, 10);
        assert!(!record.years[0].from_records);
        assert_eq!(record.total_units, 10);
        // And recording that year is refused; a year with only cancelled giving is not counted.
        let refused = not_counted_yet(2025, &allocations).unwrap_err();
        assert_eq!(refused.code(), ProblemCode::ValidationFailed);
        assert!(not_counted_yet(2024, &allocations).is_ok());
        let cancelled = [given(
            WishId::generate(),
            CommunityId::generate(),
            summer,
            AllocationStatus::Cancelled,
            10,
            false,
        )];
        assert!(not_counted_yet(2025, &cancelled).is_ok());
    }

    #[test]
    fn a_past_year_is_checked_field_by_field() {
        let ok = past_year(2016, &input(104, 30, " 每个孩子一双 "), today()).unwrap();
        assert_eq!((ok.year, ok.units, ok.wishes), (2016, 104, 30));
        assert_eq!(ok.note, "每个孩子一双");
        assert!(past_year(1990, &input(1, 0, ""), today()).is_ok());
        assert!(past_year(2025, &input(100_000, 0, ""), today()).is_ok());

        let fields = |year: i32, input: RecordPastYear| -> Vec<(Field, FieldCode)> {
            match past_year(year, &input, today()) {
                Err(RuleError::Validation(errors)) => errors
                    .0
                    .into_iter()
                    .map(|error| (error.field, error.code))
                    .collect(),
                other => panic!("expected a validation error, got {other:?}"),
            }
        };
        assert_eq!(
            fields(2026, input(104, 0, "")),
            [(Field::Year, FieldCode::InTheFuture)]
        );
        assert_eq!(
            fields(1989, input(104, 0, "")),
            [(Field::Year, FieldCode::OutOfRange)]
        );
        assert_eq!(
            fields(2020, input(0, 0, "")),
            [(Field::Units, FieldCode::OutOfRange)]
        );
        assert_eq!(
            fields(2020, input(100_001, 0, "")),
            [(Field::Units, FieldCode::OutOfRange)]
        );
        assert_eq!(
            fields(2020, input(10, 11, "")),
            [(Field::Wishes, FieldCode::OutOfRange)]
        );
        assert_eq!(
            fields(2020, input(10, -1, "")),
            [(Field::Wishes, FieldCode::OutOfRange)]
        );
        assert_eq!(
            fields(2020, input(10, 1, &"字".repeat(201))),
            [(Field::Note, FieldCode::Length)]
        );
    }

    #[test]
    fn the_shop_and_the_workers_its_giving_reaches_read_its_record() {
        let (xingyi, juyuan, far) = (
            CommunityId::generate(),
            CommunityId::generate(),
            CommunityId::generate(),
        );
        let shop = viewer(Role::Shopkeeper, Some(xingyi));
        let offered = [Some(juyuan)];
        let read = |who: &Viewer| may_read(who, shop.id, shop.community, &offered);
        let record = |who: &Viewer| may_record(who, shop.id, shop.community, &offered);
        assert!(read(&shop) && !record(&shop));
        let own = viewer(Role::Worker, Some(xingyi));
        let paired = viewer(Role::Worker, Some(juyuan));
        let stranger = viewer(Role::Worker, Some(far));
        assert!(read(&own) && record(&own));
        assert!(read(&paired) && record(&paired));
        assert!(!read(&stranger) && !record(&stranger));
        assert!(!read(&viewer(Role::Shopkeeper, Some(xingyi))));
        assert!(!read(&viewer(Role::Donor, Some(xingyi))));
        // A pledge offered to every community reaches every community's workers.
        assert!(may_read(&stranger, shop.id, None, &[None]));
    }

    #[test]
    fn the_public_page_shows_totals_and_no_notes() {
        let mut year = past(2016, 104);
        year.note = "王阿姨说的".into();
        let record = record(UserId::generate(), "shop".into(), true, &[], &[year]);
        assert_eq!(record.years[0].note.as_deref(), Some("王阿姨说的"));
        let thanks = record.thanks();
        assert_eq!(thanks.total_units, 104);
        assert_eq!(thanks.years_given, 1);
        let json = serde_json::to_string(&thanks).unwrap();
        assert!(!json.contains("王阿姨"));
    }
}
