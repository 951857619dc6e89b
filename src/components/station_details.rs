//! A grid station's opening hours, contact person and phone (staff: public), wherever a
//! giver has a drop-off deadline, and the community's stations for a volunteer to be met at.

use leptos::prelude::*;
use microwish_core::{CommunityId, Grid, PublicWish};

use crate::i18n::t;
use crate::pages::households::community_grids;
use crate::state::{use_data, Data};

/// The details of the station `wish` names, once the community has set any (from the cached
/// grids: offline too).
#[component]
pub fn WishStation(wish: PublicWish) -> impl IntoView {
    // A card drawn outside the app (no cached data) shows the deadline alone.
    let data = use_context::<Data>();
    move || {
        data?
            .grids
            .values(|grid| grid.is_station_of(&wish) && grid.has_station_details())
            .into_iter()
            .next()
            .map(|grid| view! { <StationDetails grid named=false /> })
    }
}

/// Every station of `community`, with where it is and its details.
#[component]
pub fn CommunityStations(community: Option<CommunityId>) -> impl IntoView {
    let t = t();
    let data = use_data();
    view! {
        <div class="stations">
            <h3 class="stations__title">{t.stations.list_title}</h3>
            {move || {
                community_grids(data, community)
                    .into_iter()
                    .map(|grid| view! { <StationDetails grid named=true /> })
                    .collect_view()
            }}
        </div>
    }
}

/// One station: its name and place when `named`, then what the community set of its hours,
/// contact person and phone (a tap calls it).
#[component]
fn StationDetails(grid: Grid, named: bool) -> impl IntoView {
    let t = t();
    let row = |label: &'static str, value: String| {
        (!value.is_empty()).then(|| view! { <dt>{label}</dt> <dd>{value}</dd> })
    };
    let phone = (!grid.station_phone.is_empty()).then(|| {
        let number = grid.station_phone.clone();
        let dial: String = number
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        view! {
            <dt>{t.stations.phone}</dt>
            <dd><a class="station__phone" href=format!("tel:{dial}")>{number}</a></dd>
        }
    });
    let name = named.then(|| {
        view! {
            <p class="station__name">
                {grid.station.clone()}
                <span class="station__place">{t.in_brackets(&grid.station_location)}</span>
            </p>
        }
    });
    view! {
        <div class="station" data-grid=grid.id.to_string()>
            {name}
            <dl class="station__details">
                {row(t.stations.hours, grid.station_hours.clone())}
                {row(t.stations.contact, grid.station_contact.clone())}
                {phone}
            </dl>
        </div>
    }
}
