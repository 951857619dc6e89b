//! `/worker/shops/:id` 商户往年记录: a worker reads a shop's years of giving and records the
//! years it gave before the app (year, units, wishes, a note), replaces or removes one. The
//! server keeps the record, so this page needs the network.

use chrono::Datelike;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use microwish_core::shop_record::{past_year, RecordPastYear, FIRST_YEAR, NOTE_MAX_CHARS};
use microwish_core::{Field, FieldError, ProblemCode, RuleError, UserId};

use crate::api::{self, ApiError};
use crate::china_time::today;
use crate::components::{
    Back, BackLink, FieldMessages, FormError, LoadError, ShopYears, WorkerOnly,
};
use crate::i18n::{t, Texts};
use crate::pages::{failure, id_param};

#[component]
pub fn WorkerShopPage() -> impl IntoView {
    let t = t();
    let id = id_param::<UserId>();
    view! {
        <BackLink to=Back::Pledges />
        <header class="page-head">
            <h1 class="page-head__title">{t.shop_record.worker_title}</h1>
            <p class="page-head__intro">{t.shop_record.worker_intro}</p>
        </header>
        <WorkerOnly children=move |_| match id() {
            Some(shop) => view! { <PastYears shop /> }.into_any(),
            None => view! { <p class="empty">{t.error(&ApiError::of(ProblemCode::NotFound))}</p> }.into_any(),
        } />
    }
}

#[component]
fn PastYears(shop: UserId) -> impl IntoView {
    let t = t();
    let words = &t.shop_record;
    let record = LocalResource::new(move || api::shop_record(shop));
    let last_year = today().year() - 1;
    let year = RwSignal::new(last_year.to_string());
    let units = RwSignal::new(String::new());
    let wishes = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let save = Action::new_local(move |(year, body): &(i32, RecordPastYear)| {
        let (year, body) = (*year, body.clone());
        async move { api::put_shop_year(shop, year, &body).await }
    });
    let remove = Action::new_local(move |year: &i32| {
        let year = *year;
        async move { api::delete_shop_year(shop, year).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => {
            errors.set(Vec::new());
            units.set(String::new());
            wishes.set(String::new());
            note.set(String::new());
            record.refetch();
        }
        // The server's field errors (a year the app already counts) go under their fields.
        Some(Err(error)) => errors.set(error.field_errors().to_vec()),
        None => {}
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = remove.value().get() {
            record.refetch();
        }
    });
    let error = Signal::derive(move || {
        failure(save.value().get().as_ref())
            .filter(|error| error.field_errors().is_empty())
            .map(|error| t.problem(&error))
            .or_else(|| {
                failure(remove.value().get().as_ref()).map(|error| t.error(&error).to_owned())
            })
    });
    let number =
        |value: RwSignal<String>| value.get_untracked().trim().parse::<i64>().unwrap_or(-1);
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if save.pending().get_untracked() {
            return;
        }
        let year = year.get_untracked().trim().parse::<i32>().unwrap_or(0);
        let input = RecordPastYear {
            units: number(units),
            wishes: number(wishes).max(0),
            note: note.get_untracked(),
        };
        // Core's rule first, so a wrong figure is said under its field before anything is sent.
        match past_year(year, &input, today()) {
            Err(RuleError::Validation(invalid)) => errors.set(invalid.0),
            _ => {
                errors.set(Vec::new());
                save.dispatch((year, input));
            }
        }
    };
    let errors = Signal::from(errors);
    let messages = Texts::shop_year_field_error;
    let on_remove = Callback::new(move |year: i32| {
        remove.dispatch(year);
    });
    view! {
        <section class="shop-record" aria-live="polite">
            {move || match record.get() {
                None => view! { <p class="loading">{t.loading}</p> }.into_any(),
                Some(Err(error)) => view! {
                    <LoadError message=t.error(&error) on_retry=Callback::new(move |_| record.refetch()) />
                }
                .into_any(),
                Some(Ok(record)) => view! {
                    <h2 class="section-title">{record.shop_name.clone()}</h2>
                    <ShopYears record on_remove />
                }
                .into_any(),
            }}
        </section>
        <form class="account__card shop-year-form" novalidate on:submit=on_submit>
            <label class="field">
                <span class="field__label">{words.year}</span>
                <input class="field__input" name="year" type="number" inputmode="numeric"
                    min=FIRST_YEAR.to_string() max=last_year.to_string() bind:value=year />
            </label>
            <FieldMessages field=Field::Year errors words=messages />
            <label class="field">
                <span class="field__label">{words.units}</span>
                <input class="field__input" name="units" type="number" inputmode="numeric"
                    min="1" bind:value=units />
            </label>
            <FieldMessages field=Field::Units errors words=messages />
            <label class="field">
                <span class="field__label">{words.wishes}</span>
                <input class="field__input" name="wishes" type="number" inputmode="numeric"
                    min="0" bind:value=wishes />
            </label>
            <FieldMessages field=Field::Wishes errors words=messages />
            <label class="field">
                <span class="field__label">{words.note}</span>
                <input class="field__input" name="note" type="text" maxlength=NOTE_MAX_CHARS.to_string() bind:value=note />
            </label>
            <FieldMessages field=Field::Note errors words=messages />
            <FormError message=error />
            <button class="button button--primary button--wide" type="submit"
                disabled=move || save.pending().get()>
                {words.save}
            </button>
        </form>
    }
}
