//! `/shops/:id` 感谢页: a shop's public thank-you page, for anyone (no login) once the shop
//! made it public — its name, how many years it has given and its totals, year by year.
//! Never a household: the server sends totals only.

use leptos::prelude::*;
use microwish_core::shop_record::ShopThanks;
use microwish_core::{ProblemCode, UserId};

use crate::api::{self, ApiError};
use crate::components::LoadError;
use crate::i18n::{fill, t};
use crate::pages::id_param;

#[component]
pub fn ShopThanksPage() -> impl IntoView {
    let t = t();
    let id = id_param::<UserId>();
    let thanks = LocalResource::new(move || {
        let id = id();
        async move {
            match id {
                Some(id) => api::shop_thanks(id).await,
                None => Err(ApiError::of(ProblemCode::NotFound)),
            }
        }
    });
    view! {
        <section class="page shop-thanks" aria-live="polite">
            {move || match thanks.get() {
                None => view! { <p class="loading">{t.loading}</p> }.into_any(),
                Some(Ok(thanks)) => view! { <Thanks thanks /> }.into_any(),
                Some(Err(error)) if error.is(ProblemCode::NotFound) => view! {
                    <p class="empty">{t.shop_record.not_public}</p>
                }
                .into_any(),
                Some(Err(error)) => view! {
                    <LoadError message=t.error(&error) on_retry=Callback::new(move |_| thanks.refetch()) />
                }
                .into_any(),
            }}
        </section>
    }
}

#[component]
fn Thanks(thanks: ShopThanks) -> impl IntoView {
    let t = t();
    let words = &t.shop_record;
    let title = fill(
        words.thank_you,
        &[
            ("shop", thanks.shop_name.clone()),
            ("years", thanks.years_given.to_string()),
        ],
    );
    let wishes: u32 = thanks.years.iter().map(|year| year.wishes).sum();
    let total = fill(
        words.thank_you_total,
        &[
            ("units", thanks.total_units.to_string()),
            ("wishes", wishes.to_string()),
        ],
    );
    let rows = thanks
        .years
        .into_iter()
        .map(|year| {
            view! {
                <tr>
                    <th scope="row">{year.year}</th>
                    <td>{year.units}</td>
                    <td>{year.wishes}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h1 class="shop-thanks__title">{title}</h1>
        <p class="shop-thanks__total">{total}</p>
        <div class="shop-years__scroll">
            <table class="shop-years">
                <thead>
                    <tr>
                        <th scope="col">{words.year}</th>
                        <th scope="col">{words.units}</th>
                        <th scope="col">{words.wishes}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
