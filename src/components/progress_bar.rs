use leptos::prelude::*;

/// A bar showing `done` of `total`, for screen readers too. The width is set through
/// CSSOM (`style:width`), which the content security policy allows, unlike a `style` attribute.
#[component]
pub fn ProgressBar(
    #[prop(into)] done: Signal<u32>,
    #[prop(into)] total: Signal<u32>,
    #[prop(into)] label: String,
) -> impl IntoView {
    let percent = move || {
        let (done, total) = (done.get(), total.get());
        if total == 0 {
            0
        } else {
            (u64::from(done.min(total)) * 100 / u64::from(total)) as u32
        }
    };
    view! {
        <div
            class="progress"
            role="progressbar"
            aria-label=label
            aria-valuemin="0"
            aria-valuemax=total
            aria-valuenow=done
        >
            <div class="progress__fill" style:width=move || format!("{}%", percent())></div>
        </div>
    }
}
