//! What the worker types into the wish form, and the command it makes: a new wish, or a
//! patch of only what changed.

use chrono::NaiveDate;
use leptos::prelude::*;
use microwish_core::command::{Command, NewWish, RequestConversion, WishPatch};
use microwish_core::engine::MutateError;
use microwish_core::public_text::pseudonym_surname;
use microwish_core::{
    BeneficiaryGroup, CampaignId, Category, Grid, GridId, Household, HouseholdId, PublicWish,
    RequestId, WishId, WishKind,
};

use crate::sync::Sync;

use crate::china_time::date_input_value;
use crate::i18n::t;

/// A first suggestion for the alias: a borrowed surname (never the household's own: core's
/// [`pseudonym_surname`]) with a respectful word. A child (小周), an elderly person (王老人:
/// their sex is not recorded), anyone else (王阿姨).
fn suggested_alias(household: &Household) -> String {
    let words = &t().wish_form;
    if household.name.trim().is_empty() {
        return String::new();
    }
    let surname = pseudonym_surname(&household.name, &household.id.to_string());
    let child = household.minor
        || household.groups.iter().any(|group| {
            matches!(
                group,
                BeneficiaryGroup::ChildInDifficulty | BeneficiaryGroup::Orphan
            )
        });
    if child {
        format!("{}{surname}", words.alias_child_prefix)
    } else if household.groups.contains(&BeneficiaryGroup::ElderlyAlone) {
        format!("{surname}{}", words.alias_elder_suffix)
    } else {
        format!("{surname}{}", words.alias_adult_suffix)
    }
}

/// The grid whose station a wish names (the public wish carries the station's name, not
/// its grid); the household's grid when none matches.
pub(super) fn station_of(grids: &[Grid], wish: &PublicWish) -> GridId {
    grids
        .iter()
        .find(|grid| grid.is_station_of(wish))
        .map_or_else(|| wish.grid.clone(), |grid| grid.id.clone())
}

/// Saves the form's `command`; a new wish (`wish`) answering a resident's request is then tied
/// to it (`convert_request`), so the wish's fulfilment resolves the request.
pub(super) async fn save(
    sync: Sync,
    command: Command,
    converts: Option<RequestId>,
    wish: WishId,
) -> Result<(), MutateError> {
    let created = matches!(command, Command::CreateWish(_));
    sync.mutate(command).await?;
    match converts.filter(|_| created) {
        Some(request_id) => {
            let conversion = RequestConversion {
                request_id,
                wish_id: wish,
            };
            sync.mutate(Command::ConvertRequest(conversion)).await
        }
        None => Ok(()),
    }
}

/// Where the form goes once saved: back to the request it answers, or to the household.
pub(super) fn saved_to(converts: Option<RequestId>, household: Option<HouseholdId>) -> String {
    match (converts, household) {
        (Some(request), _) => format!("/requests/{request}"),
        (None, Some(id)) => format!("/worker/households/{id}"),
        (None, None) => "/worker/households".to_owned(),
    }
}

/// What the worker types, as the inputs hold it.
#[derive(Clone, Copy)]
pub(super) struct Draft {
    pub(super) kind: RwSignal<WishKind>,
    pub(super) title: RwSignal<String>,
    pub(super) description: RwSignal<String>,
    pub(super) category: RwSignal<Category>,
    pub(super) quantity: RwSignal<String>,
    pub(super) unit: RwSignal<String>,
    pub(super) alias: RwSignal<String>,
    pub(super) station: RwSignal<String>,
    pub(super) needed_by: RwSignal<String>,
    pub(super) campaign: RwSignal<String>,
}

impl Draft {
    pub(super) fn for_household(household: Option<&Household>) -> Draft {
        Draft {
            kind: RwSignal::new(WishKind::Item),
            title: RwSignal::new(String::new()),
            description: RwSignal::new(String::new()),
            category: RwSignal::new(Category::Daily),
            quantity: RwSignal::new("1".to_owned()),
            unit: RwSignal::new(t().wish_form.unit_item.to_owned()),
            alias: RwSignal::new(household.map(suggested_alias).unwrap_or_default()),
            station: RwSignal::new(
                household
                    .map(|household| household.grid.to_string())
                    .unwrap_or_default(),
            ),
            needed_by: RwSignal::new(String::new()),
            campaign: RwSignal::new(String::new()),
        }
    }

    pub(super) fn of(wish: &PublicWish, station: &GridId) -> Draft {
        Draft {
            kind: RwSignal::new(wish.kind),
            title: RwSignal::new(wish.title.clone()),
            description: RwSignal::new(wish.description.clone()),
            category: RwSignal::new(wish.category),
            quantity: RwSignal::new(wish.quantity.to_string()),
            unit: RwSignal::new(wish.unit.clone()),
            alias: RwSignal::new(wish.alias.clone()),
            station: RwSignal::new(station.to_string()),
            needed_by: RwSignal::new(wish.needed_by.map(date_input_value).unwrap_or_default()),
            campaign: RwSignal::new(
                wish.campaign_id
                    .map(|id| id.to_string())
                    .unwrap_or_default(),
            ),
        }
    }

    /// A house call is one visit, counted in 次; an item, in 个 unless the worker chose.
    pub(super) fn set_kind(&self, kind: WishKind) {
        let words = &t().wish_form;
        self.kind.set(kind);
        let (from, to) = match kind {
            WishKind::Service => {
                self.quantity.set("1".to_owned());
                (words.unit_item, words.unit_service)
            }
            WishKind::Item => (words.unit_service, words.unit_item),
        };
        if self.unit.with_untracked(|unit| unit.trim() == from) {
            self.unit.set(to.to_owned());
        }
    }

    /// The quantity typed; anything but a whole number is 0, which the rules refuse.
    fn quantity(&self) -> i64 {
        match self.kind.get_untracked() {
            WishKind::Service => 1,
            WishKind::Item => self
                .quantity
                .with_untracked(|quantity| quantity.trim().parse().unwrap_or(0)),
        }
    }

    fn needed_by(&self) -> Option<NaiveDate> {
        self.needed_by
            .with_untracked(|day| NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").ok())
    }

    fn campaign(&self) -> Option<CampaignId> {
        self.campaign.with_untracked(|id| id.parse().ok())
    }

    /// Items are dropped at a station; a house call goes to the household.
    fn station(&self) -> Option<GridId> {
        let station = self.station.get_untracked();
        (self.kind.get_untracked() == WishKind::Item && !station.is_empty())
            .then_some(GridId(station))
    }

    fn text(signal: RwSignal<String>) -> String {
        signal.with_untracked(|text| text.trim().to_owned())
    }

    pub(super) fn new_wish(&self, id: WishId, household: HouseholdId, publish: bool) -> NewWish {
        NewWish {
            id,
            household_id: household,
            kind: self.kind.get_untracked(),
            title: Self::text(self.title),
            description: Self::text(self.description),
            category: self.category.get_untracked(),
            quantity: self.quantity(),
            unit: Self::text(self.unit),
            alias: Self::text(self.alias),
            group: None,
            station: self.station(),
            needed_by: self.needed_by(),
            campaign_id: self.campaign(),
            publish,
        }
    }

    /// Only what differs from the wish as it is.
    pub(super) fn patch(&self, wish: &PublicWish, station: &GridId, publish: bool) -> WishPatch {
        let text = |signal: RwSignal<String>, was: &str| {
            let now = Self::text(signal);
            (now != was).then_some(now)
        };
        let category = self.category.get_untracked();
        let quantity = self.quantity();
        let needed_by = self.needed_by();
        let campaign = self.campaign();
        WishPatch {
            title: text(self.title, &wish.title),
            description: text(self.description, &wish.description),
            category: (category != wish.category).then_some(category),
            quantity: (wish.kind == WishKind::Item && quantity != i64::from(wish.quantity))
                .then_some(quantity),
            unit: text(self.unit, &wish.unit),
            alias: text(self.alias, &wish.alias),
            group: None,
            station: self.station().filter(|chosen| chosen != station),
            needed_by: (needed_by != wish.needed_by).then_some(needed_by),
            campaign_id: (campaign != wish.campaign_id).then_some(campaign),
            publish,
        }
    }
}
