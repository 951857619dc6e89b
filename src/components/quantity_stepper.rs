use leptos::prelude::*;

use crate::i18n::t;

/// Keeps a wanted quantity within what may be claimed: at least 1, at most `max`.
pub fn clamp_quantity(wanted: u32, max: u32) -> u32 {
    wanted.clamp(1, max.max(1))
}

/// How many units to claim: big − and + buttons for thumbs, and a number field for
/// large quantities. Never below 1 nor above `max`; if `max` drops (someone else
/// claimed meanwhile) the value follows it down, and either way a line says so: a number
/// never changes behind the person's back.
#[component]
pub fn QuantityStepper(
    value: RwSignal<u32>,
    #[prop(into)] max: Signal<u32>,
    #[prop(into)] unit: String,
) -> impl IntoView {
    let t = t();
    // Set when a wanted quantity was cut down to what remains; cleared by the next change.
    let cut_to = RwSignal::new(None::<u32>);
    Effect::new(move |_| {
        let bounded = clamp_quantity(value.get_untracked(), max.get());
        if bounded < value.get_untracked() {
            cut_to.set(Some(bounded));
        }
        if bounded != value.get_untracked() {
            value.set(bounded);
        }
    });
    let unit_text = unit.clone();
    let cut_note = move || {
        cut_to.get().map(|n| {
            view! {
                <p class="field__hint stepper__clamped" role="status">
                    {crate::i18n::fill(
                        t.claim.quantity_cut,
                        &[("n", n.to_string()), ("unit", unit_text.clone())],
                    )}
                </p>
            }
        })
    };
    let step = move |delta: i64| {
        let next = (i64::from(value.get_untracked()) + delta).clamp(1, i64::from(u32::MAX));
        cut_to.set(None);
        value.set(clamp_quantity(next as u32, max.get_untracked()));
    };
    view! {
        <div class="stepper" role="group" aria-label=t.claim.quantity>
            <button
                type="button"
                class="stepper__button stepper__minus"
                aria-label=t.claim.decrease
                disabled=move || value.get() <= 1
                on:click=move |_| step(-1)
            >
                "−"
            </button>
            <input
                class="stepper__value"
                type="number"
                inputmode="numeric"
                name="quantity"
                min="1"
                max=move || max.get()
                aria-label=t.claim.quantity
                prop:value=move || clamp_quantity(value.get(), max.get()).to_string()
                on:change=move |ev| {
                    // Whatever was typed, the field ends up showing a valid quantity
                    // (setting the signal re-renders the value even when unchanged).
                    let typed = event_target_value(&ev).trim().parse().unwrap_or(value.get_untracked());
                    let bounded = clamp_quantity(typed, max.get_untracked());
                    cut_to.set((typed > bounded).then_some(bounded));
                    value.set(bounded);
                }
            />
            <button
                type="button"
                class="stepper__button stepper__plus"
                aria-label=t.claim.increase
                disabled=move || { value.get() >= max.get() }
                on:click=move |_| step(1)
            >
                "+"
            </button>
            <span class="stepper__unit">{unit}</span>
        </div>
        {cut_note}
    }
}
