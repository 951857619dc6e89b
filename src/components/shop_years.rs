//! A shop's years of giving: the headline (years, units in all) and one row a year, a year a
//! worker entered from the community's records marked so. On 我的捐赠 and the workers' page.

use leptos::prelude::*;
use microwish_core::shop_record::ShopRecord;

use crate::i18n::{fill, t};

#[component]
pub fn ShopYears(
    record: ShopRecord,
    /// Called with a recorded year to remove it (the workers' page); none: no button.
    #[prop(optional)]
    on_remove: Option<Callback<i32>>,
) -> impl IntoView {
    let t = t();
    let words = &t.shop_record;
    if record.years.is_empty() {
        return view! { <p class="empty">{words.none}</p> }.into_any();
    }
    let headline = fill(
        words.headline,
        &[
            ("years", record.years_given.to_string()),
            ("units", record.total_units.to_string()),
        ],
    );
    let rows = record
        .years
        .into_iter()
        .map(|year| {
            let label = year.year.to_string();
            let marked = year.from_records.then(|| {
                view! { <span class="shop-years__mark">{words.from_records}</span> }
            });
            let cell = |n: u32, past: bool| {
                if past {
                    "—".to_owned()
                } else {
                    n.to_string()
                }
            };
            let remove = on_remove.filter(|_| year.from_records).map(|on_remove| {
                let which = year.year;
                view! {
                    <button class="button button--quiet shop-years__remove" type="button"
                        aria-label=format!("{} {which}", words.remove)
                        on:click=move |_| on_remove.run(which)>
                        {words.remove}
                    </button>
                }
            });
            view! {
                <tr data-year=year.year.to_string() data-from-records=year.from_records.to_string()>
                    <th scope="row">{label}" "{marked}</th>
                    <td>{year.units}</td>
                    <td>{year.wishes}</td>
                    <td>{cell(year.communities, year.from_records)}</td>
                    <td>{cell(year.thanks, year.from_records)}</td>
                    {on_remove.map(|_| view! { <td>{remove}</td> })}
                </tr>
            }
        })
        .collect_view();
    view! {
        <p class="shop-years__headline">{headline}</p>
        <div class="shop-years__scroll" tabindex="0" role="region" aria-label=words.title>
            <table class="shop-years">
                <thead>
                    <tr>
                        <th scope="col">{words.year}</th>
                        <th scope="col">{words.units}</th>
                        <th scope="col">{words.wishes}</th>
                        <th scope="col">{words.communities}</th>
                        <th scope="col">{words.thanks}</th>
                        {on_remove.map(|_| view! { <th scope="col"><span class="visually-hidden">{words.remove}</span></th> })}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
