use chrono::NaiveDate;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use microwish_core::command::{Command, NewPledge, VariantInput};
use microwish_core::{Category, CommunityId, Field, FieldCode, FieldError, Pledge, PledgeId};

use crate::api;
use crate::components::{Back, BackLink, DatePicker, FieldMessages, FormError, ShopOnly};
use crate::i18n::{t, Texts};
use crate::pages::{form_problem, id_param, select_options, FormProblem};
use crate::state::use_data;
use crate::sync::use_sync;

/// Children's shoe sizes, the story's pledge: one row each, the shop fills in how many.
const SHOE_SIZES: std::ops::RangeInclusive<u32> = 28..=36;

/// One row of the sizes table: a label and how many (as typed).
#[derive(Clone, Copy)]
struct VariantRow {
    key: usize,
    label: RwSignal<String>,
    quantity: RwSignal<String>,
}

/// `/shop/pledges/new`: a shop pledges goods — what, how many (per size), from when, every
/// year or once, and how they reach the station. Checked by core's rules before it is
/// queued; offline it waits in the outbox like every other change.
#[component]
pub fn PledgeFormPage() -> impl IntoView {
    let t = t();
    view! {
        <BackLink to=Back::Shop />
        <header class="page-head">
            <h1 class="page-head__title">{t.shops.form_title}</h1>
            <p class="page-head__intro">{t.shops.form_intro}</p>
        </header>
        <ShopOnly children=|_| view! { <PledgeForm existing=None /> } />
    }
}

/// `/shop/pledges/:id/edit`: the shop changes its pledge in the same form; core keeps every
/// size at or above what is given out.
#[component]
pub fn PledgeEditPage() -> impl IntoView {
    let t = t();
    let data = use_data();
    let id = id_param::<PledgeId>();
    // Drawn once the pledge is known, and not again when saving changes it.
    let known = Memo::new(move |_| id().is_some_and(|id| data.pledges.get(&id).is_some()));
    view! {
        <BackLink to=Back::Shop />
        <header class="page-head">
            <h1 class="page-head__title">{t.pledge_changes.edit_title}</h1>
        </header>
        <ShopOnly children=move |_| view! {
            {move || match known.get() {
                true => {
                    let pledge = untrack(|| id().and_then(|id| data.pledges.get(&id)));
                    view! { <PledgeForm existing=pledge /> }.into_any()
                }
                false => view! { <p class="loading">{t.loading}</p> }.into_any(),
            }}
        } />
    }
}

#[component]
fn PledgeForm(existing: Option<Pledge>) -> impl IntoView {
    let t = t();
    let sync = use_sync();
    let navigate = use_navigate();
    let editing = existing.is_some();
    // A new pledge goes to the shop's own community (none named: the server's default, as
    // before pairings) or to one paired with it (结对帮扶); a pledge being changed stays where
    // it was offered (core's rule).
    // Read as the session changes: a pairing agreed while the form is open offers it at once.
    let data = use_data();
    let own = move || data.me().and_then(|me| me.community);
    let partners = move || {
        data.me()
            .map(|me| me.partner_communities)
            .unwrap_or_default()
    };
    let destination = RwSignal::new(existing.as_ref().and_then(|pledge| pledge.community_id));
    let id = StoredValue::new(existing.as_ref().map_or_else(PledgeId::generate, |p| p.id));
    let was =
        |pick: fn(&Pledge) -> String, otherwise: String| existing.as_ref().map_or(otherwise, pick);
    let title = RwSignal::new(was(|p| p.title.clone(), String::new()));
    let category = RwSignal::new(was(
        |p| p.category.as_str().to_owned(),
        Category::Clothing.as_str().to_owned(),
    ));
    let quantity = RwSignal::new(was(|p| p.quantity.to_string(), String::new()));
    let unit = RwSignal::new(was(|p| p.unit.clone(), t.shops.pairs.to_owned()));
    let by_variant = RwSignal::new(existing.as_ref().is_none_or(|p| !p.variants.is_empty()));
    let next_key = StoredValue::new(0usize);
    let row = move |label: String, quantity: String| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        VariantRow {
            key,
            label: RwSignal::new(label),
            quantity: RwSignal::new(quantity),
        }
    };
    let rows = RwSignal::new(match &existing {
        Some(pledge) if !pledge.variants.is_empty() => pledge
            .variants
            .iter()
            .map(|variant| row(variant.label.clone(), variant.quantity.to_string()))
            .collect(),
        _ => vec![row(String::new(), String::new())],
    });
    let available_from = RwSignal::new(was(
        |p| {
            p.available_from
                .map(|day| day.to_string())
                .unwrap_or_default()
        },
        String::new(),
    ));
    let yearly = RwSignal::new(existing.as_ref().is_some_and(|p| p.yearly));
    let note = RwSignal::new(was(|p| p.note.clone(), String::new()));
    let problem = RwSignal::new(None::<FormProblem>);
    let submit = Action::new_local(move |command: &Command| {
        let command = command.clone();
        async move { sync.mutate(command).await }
    });
    let pending = submit.pending();
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(())) => navigate("/shop", Default::default()),
        Some(Err(error)) => problem.set(Some(FormProblem::at_fields(error))),
        None => {}
    });

    let total = move || -> i64 {
        rows.with(|rows| {
            rows.iter()
                .filter_map(|row| row.quantity.with(|q| q.trim().parse::<i64>().ok()))
                .sum()
        })
    };
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let mut problems = Vec::new();
        let number = |text: String, field: Field, problems: &mut Vec<FieldError>| -> i64 {
            text.trim().parse::<i64>().unwrap_or_else(|_| {
                problems.push(FieldError {
                    field,
                    code: FieldCode::OutOfRange,
                    message: String::new(),
                });
                0
            })
        };
        let (quantity, variants) = if by_variant.get_untracked() {
            let variants = rows
                .get_untracked()
                .into_iter()
                // A size left blank is a size the shop does not give.
                .filter(|row| {
                    !(row.label.with_untracked(|l| l.trim().is_empty())
                        && row.quantity.with_untracked(|q| q.trim().is_empty()))
                })
                .map(|row| VariantInput {
                    label: row.label.get_untracked(),
                    quantity: number(row.quantity.get_untracked(), Field::Variants, &mut problems),
                })
                .collect();
            (None, variants)
        } else {
            let quantity = number(quantity.get_untracked(), Field::Quantity, &mut problems);
            (Some(quantity), Vec::new())
        };
        let new = NewPledge {
            id: id.get_value(),
            title: title.get_untracked(),
            category: category.get_untracked().parse().unwrap_or(Category::Other),
            quantity,
            unit: unit.get_untracked(),
            variants,
            available_from: NaiveDate::parse_from_str(&available_from.get_untracked(), "%Y-%m-%d")
                .ok(),
            yearly: yearly.get_untracked(),
            note: note.get_untracked(),
            community_id: destination.get_untracked(),
        };
        match new.validate() {
            Ok(_) if problems.is_empty() => {
                problem.set(None);
                submit.dispatch(if editing {
                    Command::UpdatePledge(new)
                } else {
                    Command::CreatePledge(new)
                });
            }
            Ok(_) => problem.set(Some(FormProblem::Invalid(problems))),
            Err(error) => problem.set(Some(FormProblem::invalid(error))),
        }
    };

    let (errors, message) = form_problem(problem);
    let categories = Category::ALL
        .iter()
        .filter(|category| {
            !matches!(
                category,
                Category::Repair | Category::Haircut | Category::Care
            )
        })
        .map(|category| {
            (
                category.as_str().to_owned(),
                t.category(*category).to_owned(),
            )
        })
        .collect();
    let shoe_sizes = move |_| {
        let filled: Vec<VariantRow> = SHOE_SIZES
            .map(|size| row(t.shoe_size(size), String::new()))
            .collect();
        rows.set(filled);
        unit.set(t.shops.pairs.to_owned());
    };
    let add_row = move |_| rows.update(|rows| rows.push(row(String::new(), String::new())));
    let variant_rows = move || {
        rows.get()
            .into_iter()
            .map(|variant| {
                let key = variant.key;
                view! {
                    <li class="variant-row">
                        <input class="field__input variant-row__label" aria-label=t.shops.variant_label
                            placeholder=t.shops.variant_label bind:value=variant.label />
                        <input class="field__input variant-row__quantity" type="number" inputmode="numeric"
                            min="1" aria-label=t.shops.variant_quantity placeholder=t.shops.variant_quantity
                            bind:value=variant.quantity />
                        <button type="button" class="button button--quiet variant-row__remove"
                            on:click=move |_| rows.update(|rows| rows.retain(|row| row.key != key))>
                            {t.shops.remove_variant}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };

    view! {
        <form class="auth-form worker-form pledge-form" novalidate on:submit=on_submit>
            <label class="field">
                <span class="field__label">{t.shops.item_title}</span>
                <input class="field__input" name="title" placeholder=t.shops.item_title_hint bind:value=title />
            </label>
            <FieldMessages field=Field::Title errors />
            <label class="field">
                <span class="field__label">{t.shops.category}</span>
                <select class="field__input" name="category" on:change=move |ev| category.set(event_target_value(&ev))>
                    {select_options(categories, category)}
                </select>
            </label>
            <label class="field pledge-form__unit">
                <span class="field__label">{t.shops.unit}</span>
                <input class="field__input" name="unit" bind:value=unit />
            </label>
            <FieldMessages field=Field::Unit errors />
            <label class="role-choice check">
                <input type="checkbox" name="by_variant" bind:checked=by_variant />
                <span>{t.shops.by_variant}</span>
            </label>
            <Show
                when=move || by_variant.get()
                fallback=move || view! {
                    <label class="field">
                        <span class="field__label">{t.shops.quantity}</span>
                        <input class="field__input" name="quantity" type="number" inputmode="numeric" min="1" bind:value=quantity />
                    </label>
                }
            >
                <fieldset class="field variants">
                    <legend class="field__label">{t.shops.by_variant}</legend>
                    <span class="field__hint">{t.shops.by_variant_hint}</span>
                    <button type="button" class="button" on:click=shoe_sizes>{t.shops.shoe_sizes}</button>
                    <ul class="variant-rows">{variant_rows}</ul>
                    <button type="button" class="button button--quiet" on:click=add_row>{t.shops.add_variant}</button>
                    <p class="variants__total" aria-live="polite">
                        {move || t.pledge_total(total(), &unit.get())}
                    </p>
                </fieldset>
                <FieldMessages field=Field::Variants errors words=Texts::pledge_field_error />
            </Show>
            <FieldMessages field=Field::Quantity errors words=Texts::pledge_field_error />
            <DatePicker name="available_from" label=t.shops.available_from value=available_from years=coming_years() />
            <label class="role-choice check">
                <input type="checkbox" name="yearly" bind:checked=yearly />
                <span>{t.shops.yearly_label}</span>
            </label>
            <label class="field">
                <span class="field__label">{t.shops.note}</span>
                <textarea class="field__input" name="note" rows="3" placeholder=t.shops.note_hint bind:value=note></textarea>
            </label>
            <FieldMessages field=Field::Note errors />
            {move || {
                let partners = partners();
                own()
                    .filter(|_| !editing && !partners.is_empty())
                    .map(|own| view! { <Destination own partners chosen=destination /> })
            }}
            <FieldMessages field=Field::CommunityId errors />
            <FormError message />
            <button type="submit" class="button button--primary button--wide" disabled=move || pending.get()>
                {move || match (pending.get(), editing) {
                    (true, _) => t.shops.submitting,
                    (false, true) => t.pledge_changes.save,
                    (false, false) => t.shops.submit,
                }}
            </button>
        </form>
    }
}

/// Where a new pledge goes: the shop's own community, or one paired with it. The names come
/// from the server; offline the choices still say which is ours and which is paired.
#[component]
fn Destination(
    own: CommunityId,
    partners: Vec<CommunityId>,
    chosen: RwSignal<Option<CommunityId>>,
) -> impl IntoView {
    let t = t();
    let words = &t.pairings;
    let names = LocalResource::new(api::communities_known);
    let name_of = move |id: CommunityId| {
        names
            .get()
            .and_then(|items| items.into_iter().find(|item| item.id == id))
            .map(|item| item.name)
    };
    // The shop's own community is chosen by naming none.
    let pick = move |id: CommunityId| (id != own).then_some(id);
    let choice = move |id: CommunityId, template: &'static str, unnamed: &'static str| {
        view! {
            <label class="role-choice">
                <input type="radio" name="community_id" value=id.to_string()
                    prop:checked=move || chosen.get() == pick(id)
                    on:change=move |_| chosen.set(pick(id)) />
                <span>{move || name_of(id).map_or_else(|| unnamed.to_owned(), |name| t.pairing_line(template, &name))}</span>
            </label>
        }
    };
    view! {
        <fieldset class="field destination">
            <legend class="field__label">{words.destination}</legend>
            <span class="field__hint">{words.destination_hint}</span>
            {choice(own, words.own, words.own_unnamed)}
            {partners
                .into_iter()
                .map(|partner| choice(partner, words.partner, words.partner_unnamed))
                .collect_view()}
        </fieldset>
    }
}

/// This year and the next two: when pledged goods may be ready.
fn coming_years() -> std::ops::RangeInclusive<i32> {
    let year = chrono::Datelike::year(&crate::china_time::today());
    year..=year + 2
}
