use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use microwish_core::command::StationDetails;
use microwish_core::{Field, FieldError, Grid, Me, RuleError};

use crate::api;
use crate::components::{Back, BackLink, FieldMessages, WorkerOnly};
use crate::i18n::{t, Texts};
use crate::state::use_data;

/// `/worker/stations` 驿站信息: for each grid station of the worker's community, when it is
/// open, whom to ask for and a phone. Saved online (a notice board, changed seldom); phones
/// pull the grid again.
#[component]
pub fn StationsPage() -> impl IntoView {
    let t = t();
    let data = use_data();
    view! {
        <BackLink to=Back::Console />
        <header class="page-head">
            <h1 class="page-head__title">{t.stations.page_title}</h1>
        </header>
        <WorkerOnly children=move |me: Me| {
            // Drawn once per station: a saved form is not drawn again (it says it saved).
            let ids = Memo::new(move |_| {
                let mut ids = data.grids.filter(|grid| Some(grid.community) == me.community);
                ids.sort();
                ids
            });
            view! {
                <p class="page-head__intro">{t.stations.page_intro}</p>
                {move || {
                    ids.get()
                        .into_iter()
                        .filter_map(|id| untrack(|| data.grids.get(&id)))
                        .map(|grid| view! { <StationForm grid /> })
                        .collect_view()
                }}
            }
        } />
    }
}

#[component]
fn StationForm(grid: Grid) -> impl IntoView {
    let t = t();
    let data = use_data();
    let hours = RwSignal::new(grid.station_hours.clone());
    let contact = RwSignal::new(grid.station_contact.clone());
    let phone = RwSignal::new(grid.station_phone.clone());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let id = grid.id.clone();
    let save = Action::new_local(move |details: &StationDetails| {
        let (id, details) = (id.clone(), details.clone());
        async move { api::set_station(&id, &details).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            data.grids.put(saved.id.clone(), Some(saved));
        }
    });
    let answer = move || {
        save.value().get().map(|answer| match answer {
            Ok(_) => view! { <p class="station-form__saved" role="status">{t.stations.saved}</p> }
                .into_any(),
            Err(error) => {
                view! { <p class="form-error" role="alert">{t.problem(&error)}</p> }.into_any()
            }
        })
    };
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let details = StationDetails {
            hours: hours.get_untracked(),
            contact: contact.get_untracked(),
            phone: phone.get_untracked(),
        };
        // Core's rule first: a wrong phone is said at once, offline too.
        match details.validate() {
            Ok(_) => {
                errors.set(Vec::new());
                save.dispatch(details);
            }
            Err(RuleError::Validation(invalid)) => errors.set(invalid.0),
            Err(_) => {}
        }
    };
    let errors = Signal::from(errors);
    let words = Texts::station_field_error;
    view! {
        <form class="station-form" novalidate data-grid=grid.id.to_string() on:submit=on_submit>
            <h2 class="station-form__name">{grid.station.clone()}</h2>
            <p class="station-form__where">{format!("{} · {}", grid.name, grid.station_location)}</p>
            <label class="field">
                <span class="field__label">{t.stations.hours}</span>
                <input class="field__input" name="hours" placeholder=t.stations.hours_hint bind:value=hours />
            </label>
            <FieldMessages field=Field::Hours errors words />
            <label class="field">
                <span class="field__label">{t.stations.contact}</span>
                <input class="field__input" name="contact" placeholder=t.stations.contact_hint bind:value=contact />
            </label>
            <FieldMessages field=Field::Contact errors words />
            <label class="field">
                <span class="field__label">{t.stations.phone}</span>
                <input class="field__input" name="phone" type="tel" inputmode="tel"
                    placeholder=t.stations.phone_hint bind:value=phone />
            </label>
            <FieldMessages field=Field::Phone errors words />
            {answer}
            <button type="submit" class="button button--primary" disabled=move || save.pending().get()>
                {move || if save.pending().get() { t.stations.saving } else { t.stations.save }}
            </button>
        </form>
    }
}
