//! `/board` (已办结): the public board of fixed problems — category, building, the day and what
//! a worker wrote for the public; never the resident's words, name, phone, unit or photos.
//! Read from the server (it needs the network).

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::components::{BackLink, LoadError};
use crate::i18n::{fill, t};

#[component]
pub fn BoardPage() -> impl IntoView {
    let t = t();
    let board = LocalResource::new(api::board);
    view! {
        <BackLink />
        <header class="page-head">
            <h1 class="page-head__title">{t.board.title}</h1>
        </header>
        <div class="page board">
            <p class="page-head__intro">{t.board.intro}</p>
            {move || match board.get() {
                None => view! { <p class="loading">{t.loading}</p> }.into_any(),
                Some(Err(ApiError::Unreachable)) => view! {
                    <LoadError message=t.board.needs_network on_retry=Callback::new(move |_| board.refetch()) />
                }
                .into_any(),
                Some(Err(error)) => view! { <p class="form-error" role="alert">{t.error(&error)}</p> }.into_any(),
                Some(Ok(items)) if items.is_empty() => view! { <p class="empty">{t.board.empty}</p> }.into_any(),
                Some(Ok(items)) => view! {
                    <ul class="board__list">
                        {items.into_iter().map(|item| view! {
                            <li class="board-item">
                                <p class="board-item__head">
                                    <span class="tag">{t.request_category(item.category)}</span>
                                    <span class="board-item__building">{item.building}</span>
                                </p>
                                <p class="board-item__summary">{item.public_summary}</p>
                                <p class="board-item__date">
                                    {fill(t.board.resolved_on, &[("date", t.date(item.resolved_on))])}
                                </p>
                            </li>
                        }).collect_view()}
                    </ul>
                }
                .into_any(),
            }}
        </div>
    }
}
