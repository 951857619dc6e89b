use leptos::prelude::*;

/// A bar showing `done` of `total`, for screen readers too. The width is set through
/// CSSOM (`style:width`), which the content security policy allows, unlike a `style` attribute.
#[component]
pub fn ProgressBar(done: u32, total: u32, #[prop(into)] label: String) -> impl IntoView {
    let percent = if total == 0 {
        0
    } else {
        (u64::from(done.min(total)) * 100 / u64::from(total)) as u32
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
            <div class="progress__fill" style:width=format!("{percent}%")></div>
        </div>
    }
}
