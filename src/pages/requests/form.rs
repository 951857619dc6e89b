//! `/requests/new` (我要反映): a resident files a request (居民点单) — what, which building and
//! where, how urgent, whether they may be called, up to three photos; a worker logs one on a
//! resident's behalf (how it reached them, the resident's name and phone). Offline too: the
//! request waits in the outbox, its photos in the photo outbox until it is on the server.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use microwish_core::command::{
    Command, NewRequest, REQUEST_PLACE_MAX_CHARS, REQUEST_UNIT_MAX_CHARS,
};
use microwish_core::validate::DESCRIPTION_MAX_CHARS;
use microwish_core::{
    Building, BuildingId, Channel, Field, FieldCode, Me, OnBehalf, RequestCategory, RequestId,
    Role, RuleError, Urgency, ValidationErrors,
};

use super::photo_picker::{PhotoPicker, PickedPhotos};
use super::SignedIn;
use crate::components::{FieldMessages, FieldWords, FormError};
use crate::i18n::{t, Texts};
use crate::pages::{form_problem, FormProblem};
use crate::state::{use_data, Data};
use crate::sync::use_sync;

/// How a worker may have heard of a request (a resident files their own from the app).
const LOGGED_CHANNELS: [Channel; 3] = [Channel::Phone, Channel::Visit, Channel::WechatGroup];

#[component]
pub fn RequestFormPage() -> impl IntoView {
    view! {
        <SignedIn children=|me: Me| view! { <RequestForm me /> } />
    }
}

/// The buildings of `me`'s community from the cache (all the cache has for someone who has
/// not chosen one), in their natural order ("2幢" before "10幢").
fn community_buildings(data: Data, me: &Me) -> Vec<Building> {
    let community = me.community;
    let mut buildings = data.buildings.values(|building| {
        community.is_none_or(|community| {
            data.grids
                .get(&building.grid)
                .is_none_or(|grid| grid.community == community)
        })
    });
    buildings.sort_by_cached_key(|building| natural_key(&building.name));
    buildings
}

/// A name as text and numbers, so that numbers sort by their value.
fn natural_key(name: &str) -> Vec<(String, u64)> {
    let mut key = Vec::new();
    let mut text = String::new();
    let mut digits = String::new();
    for c in name.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            if !digits.is_empty() {
                key.push((
                    std::mem::take(&mut text),
                    digits.parse().unwrap_or(u64::MAX),
                ));
                digits.clear();
            }
            text.push(c);
        }
    }
    key.push((text, digits.parse().unwrap_or(0)));
    key
}

#[component]
fn RequestForm(me: Me) -> impl IntoView {
    let t = t();
    let data = use_data();
    let sync = use_sync();
    let navigate = use_navigate();
    let by_worker = me.role == Role::Worker;
    let id = StoredValue::new(RequestId::generate());
    let category = RwSignal::new(RequestCategory::Repair);
    let building = RwSignal::new(String::new());
    let unit = RwSignal::new(String::new());
    let place = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let urgency = RwSignal::new(Urgency::Normal);
    let contact_ok = RwSignal::new(true);
    let channel = RwSignal::new(None::<Channel>);
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let photos = PickedPhotos::new();
    let problem = RwSignal::new(None::<FormProblem>);
    let (errors, message) = form_problem(problem);
    let buildings = {
        let me = me.clone();
        Memo::new(move |_| community_buildings(data, &me))
    };

    let submit = Action::new_local(move |command: &Command| {
        let command = command.clone();
        let jpegs = photos.jpegs();
        async move {
            sync.mutate(command).await?;
            for jpeg in jpegs {
                // The request is queued: a photo the phone could not keep is the one loss,
                // and the request's page shows what waits.
                let _ = sync.queue_photo(id.get_value(), jpeg).await;
            }
            Ok(())
        }
    });
    let pending = submit.pending();
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(())) => navigate(
            &format!("/requests/{}?filed=1", id.get_value()),
            Default::default(),
        ),
        Some(Err(error)) => problem.set(Some(FormProblem::Refused(error))),
        None => {}
    });

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let new = NewRequest {
            id: id.get_value(),
            category: category.get_untracked(),
            description: description.get_untracked(),
            building_id: building
                .with_untracked(|chosen| chosen.parse::<BuildingId>().ok())
                .unwrap_or_else(BuildingId::generate),
            unit: Some(unit.get_untracked()),
            place: Some(place.get_untracked()),
            urgency: urgency.get_untracked(),
            contact_ok: contact_ok.get_untracked(),
            channel: if by_worker {
                channel.get_untracked()
            } else {
                None
            },
            on_behalf: by_worker.then(|| OnBehalf {
                name: Some(name.get_untracked()),
                phone: Some(phone.get_untracked()),
            }),
        };
        // The building is checked against the cache by the rules; an empty choice is
        // said at once, with the other fields.
        let mut found = match new.validate(by_worker) {
            Ok(_) => ValidationErrors::default(),
            Err(RuleError::Validation(errors)) => errors,
            Err(other) => return problem.set(Some(FormProblem::invalid(other))),
        };
        if building.with_untracked(String::is_empty) {
            found.add(Field::BuildingId, FieldCode::Required, "choose a building");
        }
        if !found.is_empty() {
            return problem.set(Some(FormProblem::Invalid(found.0)));
        }
        problem.set(None);
        submit.dispatch(Command::FileRequest(new));
    };

    let words: FieldWords = Texts::request_field_error;
    let category_chips = RequestCategory::ALL
        .iter()
        .map(|&choice| {
            radio_chip(
                "category",
                choice.as_str(),
                t.request_category(choice),
                move || category.get() == choice,
                move || category.set(choice),
            )
        })
        .collect_view();
    let urgency_chips = Urgency::ALL
        .iter()
        .map(|&choice| {
            radio_chip(
                "urgency",
                choice.as_str(),
                t.urgency(choice),
                move || urgency.get() == choice,
                move || urgency.set(choice),
            )
        })
        .collect_view();
    let building_options = move || {
        let chosen = building.get();
        std::iter::once(view! { <option value="" selected=chosen.is_empty()>{t.request_form.choose_building}</option> }.into_any())
            .chain(buildings.get().into_iter().map(|each| {
                let value = each.id.to_string();
                let selected = value == chosen;
                view! { <option value=value selected=selected>{each.name}</option> }.into_any()
            }))
            .collect_view()
    };
    let someone = by_worker.then(|| {
        let channel_chips = LOGGED_CHANNELS
            .iter()
            .map(|&choice| radio_chip("channel", choice.as_str(), t.channel(choice), move || channel.get() == Some(choice), move || channel.set(Some(choice))))
            .collect_view();
        view! {
            <fieldset class="choice-chips">
                <legend class="field__label">{t.request_form.channel}</legend>
                <div class="choice-chips__row">{channel_chips}</div>
            </fieldset>
            <FieldMessages field=Field::Channel errors words />
            <label class="field">
                <span class="field__label">{t.request_form.on_behalf_name}</span>
                <input class="field__input" name="on_behalf_name" autocomplete="off" bind:value=name />
            </label>
            <label class="field">
                <span class="field__label">{t.request_form.on_behalf_phone}</span>
                <input class="field__input" name="on_behalf_phone" type="tel" inputmode="tel" autocomplete="off" bind:value=phone />
                <span class="field__hint">{t.request_form.on_behalf_hint}</span>
            </label>
            <FieldMessages field=Field::OnBehalf errors words />
        }
    });
    let (title, intro) = if by_worker {
        (
            t.request_form.title_for_someone,
            t.request_form.intro_for_someone,
        )
    } else {
        (t.request_form.title, t.request_form.intro)
    };

    view! {
        <header class="page-head">
            <h1 class="page-head__title">{title}</h1>
        </header>
        <div class="page">
        <p class="page-head__intro">{intro}</p>
        <form class="auth-form request-form" novalidate on:submit=on_submit>
            {someone}
            <fieldset class="choice-chips">
                <legend class="field__label">{t.request_form.category}</legend>
                <div class="choice-chips__row">{category_chips}</div>
            </fieldset>
            <label class="field">
                <span class="field__label">{t.request_form.building}</span>
                <select class="field__input" name="building_id" on:change=move |ev| building.set(event_target_value(&ev))>
                    {building_options}
                </select>
                {move || buildings.with(Vec::is_empty).then(|| view! {
                    <span class="field__hint">{t.request_form.no_buildings}</span>
                })}
            </label>
            <FieldMessages field=Field::BuildingId errors words />
            <label class="field">
                <span class="field__label">{t.request_form.unit}</span>
                <input class="field__input" name="unit" autocomplete="off" maxlength=REQUEST_UNIT_MAX_CHARS.to_string() bind:value=unit />
                <span class="field__hint">{t.request_form.unit_hint}</span>
            </label>
            <FieldMessages field=Field::Unit errors words />
            <label class="field">
                <span class="field__label">{t.request_form.place}</span>
                <input class="field__input" name="place" maxlength=REQUEST_PLACE_MAX_CHARS.to_string() placeholder=t.request_form.place_placeholder bind:value=place />
            </label>
            <FieldMessages field=Field::Place errors words />
            <label class="field">
                <span class="field__label">{t.request_form.description}</span>
                <textarea
                    class="field__input"
                    name="description"
                    rows="4"
                    maxlength=DESCRIPTION_MAX_CHARS.to_string()
                    placeholder=t.request_form.description_placeholder
                    bind:value=description
                ></textarea>
                <span class="field__hint request-form__counter" aria-live="polite">
                    {move || t.counter(description.with(|text| text.chars().count()), DESCRIPTION_MAX_CHARS)}
                </span>
            </label>
            <FieldMessages field=Field::Description errors words />
            <fieldset class="choice-chips">
                <legend class="field__label">{t.request_form.urgency}</legend>
                <div class="choice-chips__row">{urgency_chips}</div>
                <p class="field__hint">{t.request_form.urgency_hint}</p>
            </fieldset>
            <label class="check request-form__contact">
                <input type="checkbox" name="contact_ok" bind:checked=contact_ok />
                <span>
                    {t.request_form.contact_ok}
                    <small class="field__hint">{t.request_form.contact_ok_hint}</small>
                </span>
            </label>
            <PhotoPicker photos label=t.request_form.photos hint=t.request_form.photos_hint />
            <FormError message />
            <button class="button button--wide request-form__submit" type="submit" disabled=move || pending.get()>
                {move || if pending.get() { t.request_form.submitting } else { t.request_form.submit }}
            </button>
        </form>
        </div>
    }
}

/// One choice of a group of radio buttons drawn as chips (a form's, unlike the lists'
/// filter chips).
fn radio_chip(
    name: &'static str,
    value: &'static str,
    label: &'static str,
    checked: impl Fn() -> bool + Send + Sync + 'static,
    choose: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <label class="choice-chip">
            <input type="radio" name=name value=value prop:checked=checked on:change=move |_| choose() />
            <span>{label}</span>
        </label>
    }
}

#[cfg(test)]
mod tests {
    use super::natural_key;

    #[test]
    fn buildings_sort_by_their_numbers() {
        let mut names = vec!["星怡花园32幢", "星怡花园4幢", "星怡花园10幢", "东区2幢"];
        names.sort_by_cached_key(|name| natural_key(name));
        assert_eq!(
            names,
            ["东区2幢", "星怡花园4幢", "星怡花园10幢", "星怡花园32幢"]
        );
    }
}
