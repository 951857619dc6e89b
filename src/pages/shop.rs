use leptos::prelude::*;
use microwish_core::shop_record::ShopPage as PageSwitch;
use microwish_core::{Me, Pledge};

use crate::api;
use crate::components::{FormError, LoadError, PledgeCard, ShopOnly, ShopYears};
use crate::i18n::t;
use crate::pages::failure;
use crate::state::use_data;

/// `/shop` 我的捐赠: the shop's pledges, where every unit went and the thanks received;
/// goods are marked dropped at the station from here.
#[component]
pub fn ShopPage() -> impl IntoView {
    let t = t();
    view! {
        <header class="page-head">
            <h1 class="page-head__title">{t.shops.title}</h1>
        </header>
        <ShopOnly children=move |me: Me| view! {
            <p class="page-head__intro">{t.shops.intro}</p>
            <a class="button button--primary button--wide" href="/shop/pledges/new">{t.shops.new_pledge}</a>
            <OwnPledges me=me.clone() />
            <Years me />
        } />
    }
}

#[component]
fn OwnPledges(me: Me) -> impl IntoView {
    let t = t();
    let data = use_data();
    let pledges = Memo::new(move |_| {
        let mut own: Vec<Pledge> = data.pledges.values(|pledge| pledge.shop == me.id);
        own.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
        own
    });
    move || {
        let pledges = pledges.get();
        if !data.loaded.get() {
            view! { <p class="loading">{t.loading}</p> }.into_any()
        } else if pledges.is_empty() {
            view! {
                <section class="page empty-state">
                    <p class="notice__title">{t.shops.none}</p>
                    <p>{t.shops.none_hint}</p>
                </section>
            }
            .into_any()
        } else {
            view! {
                <ul class="pledge-list" aria-live="polite">
                    {pledges
                        .into_iter()
                        .map(|pledge| view! { <li><PledgeCard pledge as_worker=false /></li> })
                        .collect_view()}
                </ul>
            }
            .into_any()
        }
    }
}

/// 历年捐赠: every year the shop has given, from the server (it counts the years; offline
/// this says so), and the switch of its public thank-you page.
#[component]
fn Years(me: Me) -> impl IntoView {
    let t = t();
    let shop = me.id;
    let record = LocalResource::new(move || api::shop_record(shop));
    let switch = Action::new_local(|public: &bool| {
        let page = PageSwitch { public: *public };
        async move { api::set_shop_page(page).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = switch.value().get() {
            record.refetch();
        }
    });
    let error = Signal::derive(move || {
        failure(switch.value().get().as_ref()).map(|error| t.error(&error).to_owned())
    });
    view! {
        <section class="shop-record" aria-labelledby="shop-record-title">
            <h2 class="section-title" id="shop-record-title">{t.shop_record.title}</h2>
            {move || match record.get() {
                None => view! { <p class="loading">{t.loading}</p> }.into_any(),
                Some(Err(error)) => view! {
                    <LoadError message=t.error(&error) on_retry=Callback::new(move |_| record.refetch()) />
                }
                .into_any(),
                Some(Ok(record)) => {
                    let public = record.public;
                    let link = format!("/shops/{shop}");
                    view! {
                        <ShopYears record />
                        <label class="role-choice check shop-record__public">
                            <input type="checkbox" name="public" prop:checked=public
                                disabled=move || switch.pending().get()
                                on:change=move |event| { switch.dispatch(event_target_checked(&event)); } />
                            <span>{t.shop_record.public_switch}</span>
                        </label>
                        <p class="field__hint">{t.shop_record.public_hint}</p>
                        {public.then(|| view! {
                            <a class="shop-record__link" href=link>{t.shop_record.public_link}</a>
                        })}
                    }
                    .into_any()
                }
            }}
            <FormError message=error />
        </section>
    }
}
