use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use microwish_core::command::{Command, NewAllocation};
use microwish_core::{AllocationId, Fit, Me, Pledge, PledgeId, PublicWish, WishId};

use crate::components::{Back, BackLink, FormError, QuantityStepper, WorkerOnly};
use crate::i18n::{fill, t};
use crate::pages::{id_param, not_cached, FormProblem};
use crate::state::use_data;
use crate::sync::use_sync;

/// `/worker/pledges/:id`: give units of a pledge (of one size) to a wish of the worker's
/// community. Wishes that name the size, then those of the pledge's category, are suggested
/// first. The units count as claimed units of the wish at once, offline too; the server
/// refuses (and the phone explains) what the pledge or the wish no longer has room for.
#[component]
pub fn AllocatePage() -> impl IntoView {
    let t = t();
    let data = use_data();
    let id = id_param::<PledgeId>();
    // The form stays while the pledge changes under it (its own allocation among them).
    let shown = Memo::new(move |_| id().filter(|id| data.pledges.get(id).is_some()));
    view! {
        <BackLink to=Back::Pledges />
        <header class="page-head">
            <h1 class="page-head__title">{t.shops.allocate_title}</h1>
        </header>
        <WorkerOnly children=move |me: Me| {
            move || match shown.get() {
                Some(pledge_id) => view! { <AllocateForm pledge_id me=me.clone() /> }.into_any(),
                None => not_cached(t.shops.pledge_not_found),
            }
        } />
    }
}

#[component]
fn AllocateForm(pledge_id: PledgeId, me: Me) -> impl IntoView {
    let t = t();
    let data = use_data();
    let sync = use_sync();
    let navigate = use_navigate();
    let pledge = Memo::new(move |_| data.pledges.get(&pledge_id));
    let read =
        move |f: &dyn Fn(&Pledge) -> String| pledge.with(|p| p.as_ref().map(f).unwrap_or_default());
    let sized = pledge.with_untracked(|p| p.as_ref().is_some_and(|p| !p.variants.is_empty()));
    // The first size with units left, to start with.
    let first = pledge.with_untracked(|p| {
        p.as_ref()?
            .variants
            .iter()
            .find(|variant| variant.allocated < variant.quantity)
            .map(|variant| variant.label.clone())
    });
    let variant = RwSignal::new(first);
    let wish = RwSignal::new(None::<WishId>);
    let quantity = RwSignal::new(1u32);
    let problem = RwSignal::new(None::<FormProblem>);
    let left = move || {
        let variant = variant.get();
        pledge.with(|p| p.as_ref().map_or(0, |p| p.left(variant.as_deref())))
    };
    let own_grids = move || {
        data.grids
            .values(|grid| Some(grid.community) == me.community)
            .into_iter()
            .map(|grid| grid.id)
            .collect::<Vec<_>>()
    };
    let wishes = Memo::new(move |_| {
        let grids = own_grids();
        data.wishes.values(|wish| grids.contains(&wish.grid))
    });
    let suggested = Memo::new(move |_| {
        let variant = variant.get();
        wishes.with(|wishes| {
            pledge.with(|p| {
                p.as_ref()
                    .map(|p| {
                        p.suggested_wishes(variant.as_deref(), wishes)
                            .into_iter()
                            .map(|suggestion| (suggestion.wish.clone(), Some(suggestion.fit)))
                            .collect::<Vec<(PublicWish, Option<Fit>)>>()
                    })
                    .unwrap_or_default()
            })
        })
    });
    let others = Memo::new(move |_| {
        let suggested: Vec<WishId> =
            suggested.with(|wishes| wishes.iter().map(|(w, _)| w.id).collect());
        let mut others: Vec<PublicWish> = wishes.with(|wishes| {
            wishes
                .iter()
                .filter(|wish| {
                    wish.kind == microwish_core::WishKind::Item
                        && wish.status == microwish_core::WishStatus::Open
                        && !suggested.contains(&wish.id)
                })
                .cloned()
                .collect()
        });
        others.sort_by_key(microwish_core::WishQuery::sort_key);
        others
    });
    // At most what the size has left and what the chosen wish still needs.
    let most = Signal::derive(move || {
        let wish_needs = wish
            .get()
            .and_then(|id| data.wishes.get(&id))
            .map_or(u32::MAX, |wish| wish.remaining);
        left().min(wish_needs).max(1)
    });

    let submit = Action::new_local(move |command: &Command| {
        let command = command.clone();
        async move { sync.mutate(command).await }
    });
    let pending = submit.pending();
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(())) => navigate("/worker/pledges", Default::default()),
        Some(Err(error)) => problem.set(Some(FormProblem::Refused(error))),
        None => {}
    });
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(wish_id) = wish.get_untracked() else {
            problem.set(None);
            return;
        };
        submit.dispatch(Command::AllocatePledge(NewAllocation {
            id: AllocationId::generate(),
            pledge_id,
            wish_id,
            quantity: i64::from(quantity.get_untracked()),
            variant: variant.get_untracked(),
        }));
    };
    let message =
        Signal::derive(move || problem.with(|problem| problem.as_ref().map(FormProblem::message)));
    let unit = pledge.with_untracked(|p| p.as_ref().map(|p| p.unit.clone()).unwrap_or_default());
    let sizes = move || {
        pledge.with(|p| {
            p.iter()
                .flat_map(|p| p.variants.iter())
                .map(|size| {
                    let label = size.label.clone();
                    let is_chosen = {
                        let label = label.clone();
                        move || variant.with(|variant| variant.as_deref() == Some(label.as_str()))
                    };
                    let chosen = is_chosen.clone();
                    let left = size.quantity.saturating_sub(size.allocated);
                    let pick = {
                        let label = label.clone();
                        move |_| variant.set(Some(label.clone()))
                    };
                    view! {
                        <label class="size-choice" class:size-choice--chosen=is_chosen>
                            <input type="radio" name="variant" value=label.clone()
                                prop:checked=chosen disabled=left == 0 on:change=pick />
                            <span class="size-choice__label">{label.clone()}</span>
                            <span class="size-choice__left">{left}</span>
                        </label>
                    }
                })
                .collect_view()
        })
    };
    // Why a wish is suggested, in words: "写明32码 · 同样是鞋 · 同类别".
    let thing = pledge.with_untracked(|p| p.as_ref().and_then(Pledge::thing));
    let why = move |fit: Fit| {
        let mut reasons = Vec::new();
        if fit.names_size {
            let size = variant.get_untracked().unwrap_or_default();
            reasons.push(fill(t.shops.fit_size, &[("size", size)]));
        }
        if let (true, Some(thing)) = (fit.same_thing, thing) {
            reasons.push(fill(t.shops.fit_thing, &[("thing", thing.to_string())]));
        }
        if fit.same_category {
            reasons.push(t.shops.fit_category.to_owned());
        }
        t.labelled(t.shops.fit_label, &reasons.join(" · "))
    };
    let wish_choices = move |wishes: Vec<(PublicWish, Option<Fit>)>| {
        wishes
            .into_iter()
            .map(|(option, fit)| {
                let id = option.id;
                let chosen = move || wish.get() == Some(id);
                view! {
                    <li>
                        <label class="wish-choice" class:wish-choice--chosen=chosen>
                            <input type="radio" name="wish" value=id.to_string()
                                prop:checked=chosen on:change=move |_| wish.set(Some(id)) />
                            <span class="wish-choice__title">{option.title.clone()}</span>
                            <span class="wish-choice__meta">
                                {format!("{} · {} · {}", option.alias, option.grid_name, t.category(option.category))}
                            </span>
                            <span class="wish-choice__meta">
                                {format!("{} {} {}", t.shops.wish_needs, option.remaining, option.unit)}
                                {option.needed_by.map(|date| format!(" · {}", t.date(date)))}
                            </span>
                            {(!option.description.is_empty()).then(|| view! {
                                <span class="wish-choice__description">{option.description.clone()}</span>
                            })}
                            {fit.map(|fit| view! { <span class="wish-choice__why">{why(fit)}</span> })}
                        </label>
                    </li>
                }
            })
            .collect_view()
    };
    let summary = move || {
        read(&|p: &Pledge| format!("{} · {} · {}", p.shop_name, p.title, t.pledge_summary(p)))
    };
    let button_unit = unit.clone();
    let stepper_unit = unit.clone();

    view! {
        <form class="auth-form worker-form allocate-form" novalidate on:submit=on_submit>
            <p class="allocate-form__pledge">{summary}</p>
            {sized.then(|| view! {
                <fieldset class="field">
                    <legend class="field__label">{t.shops.choose_size}</legend>
                    <div class="size-choices">{sizes}</div>
                </fieldset>
            })}
            <p class="allocate-form__left" aria-live="polite">{move || t.pledge_left(left(), &unit)}</p>
            <Show when=move || { left() > 0 } fallback=move || view! { <p class="empty">{t.shops.nothing_left}</p> }>
                <div class="field">
                    <span class="field__label">{t.shops.allocate_quantity}</span>
                    <QuantityStepper value=quantity max=most unit=stepper_unit.clone() />
                </div>
                <fieldset class="field">
                    <legend class="field__label">{t.shops.suggested}</legend>
                    <span class="field__hint">{t.shops.suggested_hint}</span>
                    {move || {
                        let wishes = suggested.get();
                        if wishes.is_empty() {
                            view! { <p class="empty">{t.shops.no_suggestions}</p> }.into_any()
                        } else {
                            view! { <ul class="wish-choices wish-choices--suggested">{wish_choices(wishes)}</ul> }.into_any()
                        }
                    }}
                </fieldset>
                // Opened by itself when nothing fits: the worker's choice is among the others.
                <details class="field allocate-form__others" prop:open=move || suggested.with(Vec::is_empty)>
                    <summary class="field__label">
                        {move || fill(t.shops.other_wishes_count, &[("n", others.with(Vec::len).to_string())])}
                    </summary>
                    <ul class="wish-choices">
                        {move || wish_choices(others.get().into_iter().map(|wish| (wish, None)).collect())}
                    </ul>
                </details>
            </Show>
            {move || (wish.get().is_none()).then(|| view! { <p class="field__hint">{t.shops.choose_wish}</p> })}
            <FormError message />
            <button
                type="submit"
                class="button button--primary button--wide"
                disabled=move || pending.get() || wish.get().is_none() || left() == 0
            >
                {move || t.allocate_units(quantity.get(), &button_unit)}
            </button>
        </form>
    }
}
