//! The wish form itself: a new wish saved as a draft or published, or an existing one edited,
//! published or cancelled.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use microwish_core::command::{CancelWish, Command, WishPatch, WishUpdate};
use microwish_core::public_text::Private;
use microwish_core::{
    Category, CommunityId, Field, Household, Me, PublicCampaign, PublicWish, RequestId, WishId,
    WishKind, WishStatus,
};

use super::close::CloseSection;
use super::draft::{save, saved_to, station_of, Draft};
use crate::china_time::today;
use crate::components::{DatePicker, FieldMessages, FormError};
use crate::i18n::t;
use crate::pages::households::community_grids;
use crate::pages::{form_problem, select_options, FormProblem};
use crate::state::use_data;
use crate::sync::use_sync;

/// The wish's fields, for a new wish (saved as a draft or published) or an existing one
/// (edited, a draft published, or cancelled; a cancelled or closed one is only shown).
#[component]
pub(super) fn WishForm(
    me: Me,
    household: Option<Household>,
    existing: Option<Signal<PublicWish>>,
    /// The resident's request a new wish answers: tied to it once the wish is posted.
    #[prop(default = None)]
    converts: Option<RequestId>,
) -> impl IntoView {
    let t = t();
    let data = use_data();
    let sync = use_sync();
    let navigate = use_navigate();
    let community: Option<CommunityId> = me.community;
    let today = today();
    let initial = existing.map(|wish| wish.get_untracked());
    let initial_station = initial.as_ref().map(|wish| {
        let grids = untrack(|| community_grids(data, community));
        station_of(&grids, wish)
    });
    let draft = match &initial {
        Some(wish) => Draft::of(wish, initial_station.as_ref().unwrap_or(&wish.grid)),
        None => Draft::for_household(household.as_ref()),
    };
    let (real_name, address, minor) =
        household
            .as_ref()
            .map_or((String::new(), String::new(), false), |household| {
                (
                    household.name.clone(),
                    household.address.clone(),
                    household.minor,
                )
            });
    let household_id = household.as_ref().map(|household| household.id);
    let new_id = StoredValue::new(WishId::generate());
    // Which submit button was pressed (Enter in a field saves without publishing).
    let publish_pressed = StoredValue::new(false);
    let problem = RwSignal::new(None::<FormProblem>);
    let note = RwSignal::new(None::<&'static str>);
    let asking_reason = RwSignal::new(false);
    let reason = RwSignal::new(String::new());

    let submit = Action::new_local(move |command: &Command| {
        save(sync, command.clone(), converts, new_id.get_value())
    });
    let pending = submit.pending();
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(())) => navigate(&saved_to(converts, household_id), Default::default()),
        Some(Err(error)) => problem.set(Some(FormProblem::Refused(error))),
        None => {}
    });

    let status = Signal::derive(move || existing.map(|wish| wish.with(|wish| wish.status)));
    let read_only = Signal::derive(move || status.get().is_some_and(WishStatus::is_final));
    let kind = Signal::derive(move || draft.kind.get());

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let publish = publish_pressed.get_value();
        publish_pressed.set_value(false);
        if pending.get_untracked() || read_only.get_untracked() {
            return;
        }
        note.set(None);
        let command = match existing {
            None => {
                let Some(household) = household_id else {
                    return;
                };
                let new = draft.new_wish(new_id.get_value(), household, publish);
                let private = Private {
                    name: Some(&real_name),
                    address: Some(&address),
                };
                if let Err(error) = new.validate(private, today) {
                    return problem.set(Some(FormProblem::invalid(error)));
                }
                Command::CreateWish(new)
            }
            Some(wish) => {
                let wish = wish.get_untracked();
                let station = initial_station.clone().unwrap_or_else(|| wish.grid.clone());
                let patch = draft.patch(&wish, &station, publish);
                if patch == WishPatch::default() {
                    return note.set(Some(t.wish_form.no_changes));
                }
                let private = Private {
                    name: Some(&real_name),
                    address: Some(&address),
                };
                if let Err(error) = patch.validate(wish.kind, private, today) {
                    return problem.set(Some(FormProblem::invalid(error)));
                }
                Command::UpdateWish(WishUpdate {
                    wish_id: wish.id,
                    patch,
                })
            }
        };
        problem.set(None);
        submit.dispatch(command);
    };

    let cancel = move |_| {
        let Some(wish) = existing else {
            return;
        };
        if pending.get_untracked() {
            return;
        }
        let command = CancelWish {
            wish_id: wish.with_untracked(|wish| wish.id),
            reason: reason.with_untracked(|reason| reason.trim().to_owned()),
        };
        if let Err(error) = command.validate() {
            return problem.set(Some(FormProblem::invalid(error)));
        }
        problem.set(None);
        submit.dispatch(Command::CancelWish(command));
    };

    let (errors, message) = form_problem(problem);

    let kind_field = match &initial {
        None => {
            let choices = [WishKind::Item, WishKind::Service]
                .into_iter()
                .map(|choice| {
                    view! {
                        <label class="role-choice wish-kind__choice">
                            <input
                                type="radio"
                                name="kind"
                                value=choice.as_str()
                                prop:checked=move || kind.get() == choice
                                on:change=move |_| draft.set_kind(choice)
                            />
                            <span class="role-choice__text">
                                <span class="role-choice__name">{t.kind(choice)}</span>
                            </span>
                        </label>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="field roles wish-kind">
                    <legend class="field__label">{t.wish_form.kind}</legend>
                    <div class="wish-kind__choices">{choices}</div>
                </fieldset>
            }
            .into_any()
        }
        Some(wish) => view! {
            <p class="wish-kind__fixed">
                <span class=format!("tag tag--{}", wish.kind)>{t.kind(wish.kind)}</span>
                <span class=move || format!("status status--{}", status.get().unwrap_or(WishStatus::Draft))>
                    {move || status.get().map(|status| t.status(status))}
                </span>
            </p>
        }
        .into_any(),
    };
    let category_options = Category::ALL
        .iter()
        .map(|&category| {
            view! {
                <option value=category.as_str() selected=move || draft.category.get() == category>
                    {t.category(category)}
                </option>
            }
        })
        .collect_view();
    let station_options = move || {
        let choices = community_grids(data, community)
            .into_iter()
            .map(|grid| (grid.id.to_string(), grid.station))
            .collect();
        select_options(choices, draft.station)
    };
    // The newest drives first.
    let campaign_options = move || {
        let mut campaigns: Vec<PublicCampaign> = data.campaigns.values(|_| true);
        campaigns.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id)));
        let choices = std::iter::once((String::new(), t.wish_form.no_campaign.to_owned()))
            .chain(
                campaigns
                    .into_iter()
                    .map(|campaign| (campaign.id.to_string(), campaign.title)),
            )
            .collect();
        select_options(choices, draft.campaign)
    };
    let consent_warning = (initial.is_none()
        && household
            .as_ref()
            .is_some_and(|household| !household.consents_to_publish()))
    .then(|| view! { <p class="form-note">{t.wish_form.no_consent}</p> });
    let state_note = move || match status.get() {
        Some(WishStatus::Cancelled) => Some(t.wish_form.read_only_cancelled),
        Some(WishStatus::Closed) => Some(t.wish_form.read_only_closed),
        Some(WishStatus::Draft) => Some(t.wish_form.draft_note),
        _ => None,
    };
    let is_new = initial.is_none();
    // A new wish is saved as a draft or published; an existing one saved, and a draft
    // published too.
    let save_label = if is_new {
        t.wish_form.save_draft
    } else {
        t.wish_form.save
    };
    let actions = move || {
        if read_only.get() {
            return None;
        }
        let busy = move || pending.get();
        let may_publish = is_new || status.get() == Some(WishStatus::Draft);
        Some(view! {
            <div class="form-actions">
                <button
                    type="submit"
                    class="button button--quiet wish-form__save"
                    disabled=busy
                    on:click=move |_| publish_pressed.set_value(false)
                >
                    {move || if busy() { t.wish_form.saving } else { save_label }}
                </button>
                {may_publish.then(|| view! {
                    <button
                        type="submit"
                        class="button wish-form__publish"
                        disabled=busy
                        on:click=move |_| publish_pressed.set_value(true)
                    >
                        {t.wish_form.publish}
                    </button>
                })}
            </div>
        })
    };
    let cancel_section = move || {
        if is_new || read_only.get() {
            return ().into_any();
        }
        if !asking_reason.get() {
            return view! {
                <button type="button" class="button button--quiet wish-form__cancel" on:click=move |_| asking_reason.set(true)>
                    {t.wish_form.cancel_wish}
                </button>
            }
            .into_any();
        }
        view! {
            <div class="claim-panel wish-cancel" role="group" aria-label=t.wish_form.cancel_wish>
                <label class="field">
                    <span class="field__label">{t.wish_form.cancel_reason}</span>
                    <textarea
                        class="field__input"
                        name="reason"
                        rows="2"
                        placeholder=t.wish_form.cancel_placeholder
                        bind:value=reason
                    ></textarea>
                    <span class="field__hint">{t.wish_form.cancel_hint}</span>
                </label>
                <FieldMessages field=Field::Reason errors />
                <div class="form-actions">
                    <button type="button" class="button button--quiet" on:click=move |_| asking_reason.set(false)>
                        {t.wish_form.keep}
                    </button>
                    <button
                        type="button"
                        class="button button--danger wish-cancel__confirm"
                        disabled=move || pending.get()
                        on:click=cancel
                    >
                        {t.wish_form.cancel_confirm}
                    </button>
                </div>
            </div>
        }
        .into_any()
    };

    view! {
        <form class="auth-form worker-form wish-form" novalidate on:submit=on_submit>
            {move || state_note().map(|text| view! { <p class="form-note wish-form__state">{text}</p> })}
            {consent_warning}
            <fieldset class="wish-form__fields" disabled=move || read_only.get()>
                {kind_field}
                <label class="field">
                    <span class="field__label">{t.wish_form.title}</span>
                    <input class="field__input" name="title" placeholder=t.wish_form.title_placeholder bind:value=draft.title />
                </label>
                <FieldMessages field=Field::Title errors />
                <label class="field">
                    <span class="field__label">{t.wish_form.description}</span>
                    <textarea class="field__input" name="description" rows="3" bind:value=draft.description></textarea>
                    {minor.then(|| view! { <span class="field__hint">{t.wish_form.description_minor_hint}</span> })}
                </label>
                <FieldMessages field=Field::Description errors />
                <label class="field">
                    <span class="field__label">{t.wish_form.category}</span>
                    <select
                        class="field__input"
                        name="category"
                        on:change=move |ev| {
                            if let Ok(category) = event_target_value(&ev).parse() {
                                draft.category.set(category);
                            }
                        }
                    >
                        {category_options}
                    </select>
                </label>
                <div class="field-row">
                    <label class="field">
                        <span class="field__label">{t.wish_form.quantity}</span>
                        <input
                            class="field__input"
                            name="quantity"
                            type="number"
                            inputmode="numeric"
                            min="1"
                            step="1"
                            disabled=move || kind.get() == WishKind::Service
                            bind:value=draft.quantity
                        />
                    </label>
                    <label class="field">
                        <span class="field__label">{t.wish_form.unit}</span>
                        <input class="field__input" name="unit" bind:value=draft.unit />
                    </label>
                </div>
                {move || (kind.get() == WishKind::Service)
                    .then(|| view! { <p class="field__hint">{t.wish_form.service_one_visit}</p> })}
                <FieldMessages field=Field::Quantity errors />
                <FieldMessages field=Field::Unit errors />
                <label class="field">
                    <span class="field__label">{t.wish_form.alias}</span>
                    <input class="field__input" name="alias" autocomplete="off" bind:value=draft.alias />
                    <span class="field__hint">{t.wish_form.alias_hint}</span>
                </label>
                <FieldMessages field=Field::Alias errors />
                {move || (kind.get() == WishKind::Item).then(|| view! {
                    <label class="field">
                        <span class="field__label">{t.drop_off}</span>
                        <select
                            class="field__input"
                            name="station"
                            on:change=move |ev| draft.station.set(event_target_value(&ev))
                        >
                            {station_options}
                        </select>
                    </label>
                })}
                <FieldMessages field=Field::Station errors />
                <DatePicker
                    name="needed_by"
                    label=t.needed_by
                    value=draft.needed_by
                    years=chrono::Datelike::year(&today)..=chrono::Datelike::year(&today) + 2
                />
                <FieldMessages field=Field::NeededBy errors />
                <label class="field">
                    <span class="field__label">{t.wish_form.campaign}</span>
                    <select
                        class="field__input"
                        name="campaign"
                        on:change=move |ev| draft.campaign.set(event_target_value(&ev))
                    >
                        {campaign_options}
                    </select>
                </label>
                <FieldMessages field=Field::CampaignId errors />
            </fieldset>
            <FormError message />
            {move || note.get().map(|text| view! { <p class="form-status" role="status">{text}</p> })}
            {actions}
        </form>
        {cancel_section}
        {existing.map(|wish| view! { <CloseSection wish /> })}
    }
}
