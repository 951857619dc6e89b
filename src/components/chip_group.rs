use leptos::prelude::*;

/// A row of mutually exclusive filter chips; the chip with `None` means "all".
#[component]
pub fn ChipGroup<T>(
    label: &'static str,
    options: Vec<(Option<T>, String)>,
    #[prop(into)] selected: Signal<Option<T>>,
    on_select: Callback<Option<T>>,
) -> impl IntoView
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    view! {
        <div class="chips" role="group" aria-label=label>
            <span class="chips__label">{label}</span>
            <div class="chips__row">
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let is_selected = {
                            let value = value.clone();
                            move || selected.with(|current| *current == value)
                        };
                        view! {
                            <button
                                type="button"
                                class="chip"
                                class:chip--on=is_selected.clone()
                                aria-pressed=move || is_selected().to_string()
                                on:click=move |_| on_select.run(value.clone())
                            >
                                {text}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
        </div>
    }
}
