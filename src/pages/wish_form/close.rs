//! Closing a fulfilled wish (archived after the thanks): offered to the worker once every
//! unit is handed over; the wish stays public and can no longer be changed.

use leptos::prelude::*;
use microwish_core::command::{CloseWish, Command};
use microwish_core::{PublicWish, WishStatus};

use crate::components::FormError;
use crate::i18n::t;
use crate::pages::{form_problem, FormProblem};
use crate::sync::use_sync;

#[component]
pub(super) fn CloseSection(wish: Signal<PublicWish>) -> impl IntoView {
    let t = t();
    let sync = use_sync();
    let problem = RwSignal::new(None::<FormProblem>);
    let close = Action::new_local(move |command: &Command| {
        let command = command.clone();
        async move { sync.mutate(command).await }
    });
    let pending = close.pending();
    Effect::new(move |_| {
        if let Some(Err(error)) = close.value().get() {
            problem.set(Some(FormProblem::Refused(error)));
        }
    });
    let (_, message) = form_problem(problem);
    move || {
        (wish.with(|wish| wish.status) == WishStatus::Fulfilled).then(|| {
            view! {
                <section class="claim-panel wish-close" aria-label=t.wish_form.close_wish>
                    <p class="form-note">{t.wish_form.close_hint}</p>
                    <FormError message />
                    <button
                        type="button"
                        class="button button--quiet wish-close__confirm"
                        disabled=move || pending.get()
                        on:click=move |_| {
                            problem.set(None);
                            let wish_id = wish.with_untracked(|wish| wish.id);
                            close.dispatch(Command::CloseWish(CloseWish { wish_id }));
                        }
                    >
                        {move || if pending.get() { t.wish_form.closing } else { t.wish_form.close_wish }}
                    </button>
                </section>
            }
        })
    }
}
