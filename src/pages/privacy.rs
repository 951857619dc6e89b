//! `/privacy` (隐私说明): what is kept, why, for how long and who sees it. Linked from sign-up.

use leptos::prelude::*;

use crate::i18n::t;

#[component]
pub fn PrivacyPage() -> impl IntoView {
    let texts = &t().privacy;
    let sections = texts
        .sections
        .iter()
        .map(|(heading, paragraphs)| {
            view! {
                <section class="privacy__section">
                    <h2>{*heading}</h2>
                    {paragraphs.iter().map(|paragraph| view! { <p>{*paragraph}</p> }).collect_view()}
                </section>
            }
        })
        .collect_view();
    view! {
        <article class="page privacy">
            <h1 class="page-title">{texts.title}</h1>
            <p class="privacy__intro">{texts.intro}</p>
            {sections}
        </article>
    }
}
