//! `/requests/:id`: one request as whoever may see it sees it — what, where, how urgent, its
//! limits, whom to call (where allowed), its photos and its progress in plain words — and
//! what they may do with it now: its requester answers a resolved one ([`super::answer`]),
//! workers triage it ([`super::triage`]), whoever holds it handles it ([`super::handling`]).
//! A party-member volunteer opening a call sees the call ([`super::calls`]).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use microwish_core::{
    Channel, HandlerKind, Me, Overdue, PhotoStage, RequestId, RequestStatus, RequestView, Role,
};

use super::answer::Answer;
use super::calls::CallCard;
use super::handling::Handling;
use super::timeline::RequestTimeline;
use super::triage::Triage;
use super::{building_name, SignedIn};
use crate::api;
use crate::china_time::now;
use crate::i18n::{fill, t};
use crate::pages::{id_param, not_cached};
use crate::state::use_data;
use crate::sync::use_sync;

#[component]
pub fn RequestPage() -> impl IntoView {
    let id = id_param::<RequestId>();
    view! {
        <SignedIn children=move |me: Me| match id() {
            Some(id) => view! { <Request id me /> }.into_any(),
            None => view! { <TopBar me=me.clone() /> {not_cached(t().requests.not_found)} }.into_any(),
        } />
    }
}

/// Back to the list this person keeps their requests in.
#[component]
fn TopBar(me: Me) -> impl IntoView {
    let words = &t().requests;
    let (href, label) = match me.role {
        Role::Worker => ("/worker/requests", words.back_inbox),
        Role::Property => ("/assigned", words.back_assigned),
        Role::Volunteer if me.party_member => ("/calls", words.back_calls),
        _ => ("/me/requests", words.back_mine),
    };
    view! {
        <nav class="topbar">
            <a class="topbar__back" href=href>{format!("‹ {label}")}</a>
        </nav>
    }
}

#[component]
fn Request(id: RequestId, me: Me) -> impl IntoView {
    let t = t();
    let data = use_data();
    let cached = Memo::new(move |_| data.requests.signal(&id).is_some());
    let a_call = Memo::new(move |_| data.calls.signal(&id).is_some());
    move || {
        let top = view! { <TopBar me=me.clone() /> };
        if let Some(signal) = cached
            .get()
            .then(|| untrack(|| data.requests.signal(&id)))
            .flatten()
        {
            let request = Signal::derive(move || signal.get());
            view! { {top} <Shown request me=me.clone() /> }.into_any()
        } else if a_call.get() {
            view! {
                {top}
                <div class="page"><CallCard id /></div>
            }
            .into_any()
        } else {
            view! { {top} {not_cached(t.requests.not_found)} }.into_any()
        }
    }
}

#[component]
fn Shown(request: Signal<RequestView>, me: Me) -> impl IntoView {
    let t = t();
    let data = use_data();
    let query = use_query_map();
    let initial = request.get_untracked();
    let id = initial.id;
    let requester = initial.requester == me.id;
    let worker = me.role == Role::Worker;
    let holds = move || request.with(|r| r.handler.is_some_and(|handler| handler.user_id == me.id));
    // A memo, so that a pull changing the request keeps the handling's open form (a new
    // Handling closed it under the handler's fingers); it is redrawn only when this flips.
    let shows_handling = Memo::new(move |_| worker || holds());
    // Said after filing, until the request moves on (the address keeps `?filed=1`).
    let just_filed = move || {
        query.with(|query| query.get_str("filed").is_some())
            && request.with(|r| r.status == RequestStatus::Submitted)
    };
    let pending = move || data.is_pending_request(id);
    let overdue = move || {
        request.with(|r| {
            r.overdue(now()).map(|missed| match missed {
                Overdue::Accept => t.requests.overdue_accept,
                Overdue::Resolve => t.requests.overdue_resolve,
            })
        })
    };
    view! {
        <header class="page-head request-head">
            <h1 class="page-head__title">
                {move || t.request_category(request.with(|r| r.category))}
            </h1>
            <p class=move || format!("request-status request-status--{}", request.with(|r| r.status.as_str()))>
                {move || t.request_status(request.with(|r| r.status))}
            </p>
        </header>
        <div class="page request">
            {move || (just_filed() && requester).then(|| view! {
                <p class="form-status request__filed" role="status">
                    {if pending() { t.requests.saved_offline } else { t.requests.saved }}
                </p>
            })}
            {move || overdue().map(|words| view! { <p class="badge badge--overdue request__overdue">{words}</p> })}
            {move || pending().then(|| view! { <p class="badge badge--pending">{t.sync.pending_badge}</p> })}
            <p class="request__text">{move || request.with(|r| r.description.clone())}</p>
            <Facts request me=me.clone() />
            <Photos request />
            {move || (requester && request.with(|r| r.status == RequestStatus::Resolved))
                .then(|| view! { <Answer request /> })}
            {move || worker.then(|| view! { <Triage request me=me.clone() /> })}
            {move || shows_handling.get().then(|| view! { <Handling request holds=Signal::derive(holds) /> })}
            <RequestTimeline request />
        </div>
    }
}

/// What, where, who and by when. The requester is not offered their own phone to call, and
/// whoever holds the request reads their own name as its handler.
#[component]
fn Facts(request: Signal<RequestView>, me: Me) -> impl IntoView {
    let t = t();
    let data = use_data();
    move || {
        let r = request.get();
        let w = &t.requests;
        let requester = r.requester == me.id;
        let fact = |label: &'static str, value: String| {
            view! { <dt>{label}</dt><dd>{value}</dd> }
        };
        let handler = r.handler.map(|handler| {
            let name = if handler.user_id == me.id {
                Some(me.display_name.to_string())
            } else {
                data.staff
                    .get(&handler.user_id)
                    .map(|staff| staff.display_name)
            };
            let kind = t.handler_kind(handler.kind).to_owned();
            match name {
                Some(name) if handler.kind != HandlerKind::Volunteer => {
                    format!("{name}{}", t.in_brackets(kind))
                }
                // Alone, the kind starts the line ("property staff" is worded for a sentence).
                _ => sentence_case(&kind),
            }
        });
        let limits = match r.next_deadline() {
            Some(by) if r.status == RequestStatus::Submitted => {
                Some(fill(w.accept_by, &[("time", t.date_time(by))]))
            }
            Some(by) => Some(fill(w.resolve_by, &[("time", t.date_time(by))])),
            None => None,
        };
        let contact = r.contact.clone().filter(|_| !requester);
        // A request logged for someone names them once: as its contact when that shows.
        let logged_for = r
            .on_behalf
            .as_ref()
            .and_then(|person| person.name.clone())
            .filter(|name| contact.as_ref().is_none_or(|contact| &contact.name != name));
        let contact = contact.map(|contact| {
            let href = format!("tel:{}", contact.phone.replace([' ', '-'], ""));
            view! {
                <dt>{w.contact}</dt>
                <dd class="request__contact">
                    {contact.name.clone()}" "
                    <a class="button button--quiet request__call" href=href>
                        {t.labelled(w.call, &contact.phone)}
                    </a>
                </dd>
            }
        });
        view! {
            <dl class="detail__facts request__facts">
                {fact(w.building, building_name(data, r.building_id))}
                {r.unit.clone().map(|unit| fact(w.unit, unit))}
                {r.place.clone().map(|place| fact(w.place, place))}
                {fact(w.urgency, t.urgency(r.urgency).to_owned())}
                {(r.channel != Channel::App).then(|| fact(w.channel, t.channel(r.channel).to_owned()))}
                {logged_for.map(|name| fact(w.logged_for, name))}
                {contact}
                {handler.map(|handler| fact(w.handler, handler))}
                {fact(w.filed_at, t.date_time(r.created_at))}
                {limits.map(|limits| fact(w.limits, limits))}
                {r.public_summary.clone().map(|summary| fact(w.public_summary, summary))}
                {r.rating.map(|stars| fact(w.rating_given, t.stars(stars)))}
                {r.rating_note.clone().map(|note| fact(w.rating_note, note))}
            </dl>
            {r.merged_into.map(|into| view! {
                <a class="button button--quiet" href=format!("/requests/{into}")>{w.merged_into}</a>
            })}
            {r.wish_id.map(|wish| view! {
                <a class="button button--quiet" href=format!("/wishes/{wish}")>{w.open_wish}</a>
            })}
        }
    }
}

/// The photos the server has (read from it, for who may see them), those still waiting on
/// this phone, and any it refused.
#[component]
fn Photos(request: Signal<RequestView>) -> impl IntoView {
    let t = t();
    let data = use_data();
    let sync = use_sync();
    let id = request.with_untracked(|r| r.id);
    let waiting = move || {
        data.photos
            .with(|photos| photos.iter().filter(|p| p.request_id == id).count())
    };
    let refused = move || {
        data.photo_problems.with(|problems| {
            problems
                .iter()
                .filter(|p| p.request_id == id)
                .copied()
                .collect::<Vec<_>>()
        })
    };
    view! {
        {move || {
            let photos = request.with(|r| r.photos.clone());
            (!photos.is_empty() || waiting() > 0).then(|| {
                let mut before = 0;
                let mut after = 0;
                let shown = photos.into_iter().map(|photo| {
                    let (template, n) = match photo.stage {
                        PhotoStage::Before => { before += 1; (t.requests.photo_before_alt, before) }
                        PhotoStage::After => { after += 1; (t.requests.photo_after_alt, after) }
                    };
                    view! {
                        <li class="request-photos__item">
                            <img
                                class="request-photos__img"
                                src=api::photo_url(id, photo.id)
                                alt=fill(template, &[("n", n.to_string())])
                                loading="lazy"
                            />
                        </li>
                    }
                }).collect_view();
                view! {
                    <section class="request-photos">
                        <h2 class="section-title">{t.requests.photos}</h2>
                        <ul class="request-photos__list">{shown}</ul>
                        {(waiting() > 0).then(|| view! {
                            <p class="form-note request-photos__waiting">
                                {fill(t.requests.photos_waiting, &[("n", waiting().to_string())])}
                            </p>
                        })}
                    </section>
                }
            })
        }}
        {move || refused().into_iter().map(|problem| view! {
            <div class="sync-notice request-photos__refused" role="alert">
                <p class="sync-notice__text">
                    {fill(t.requests.photo_refused, &[("reason", t.code(problem.code).to_owned())])}
                </p>
                <button class="button button--quiet" on:click=move |_| sync.dismiss_photo_problem(problem.photo_id)>
                    {t.sync.dismiss}
                </button>
            </div>
        }).collect_view()}
    }
}

/// `words` with its first letter in capitals (a no-op in Chinese).
fn sentence_case(words: &str) -> String {
    let mut letters = words.chars();
    letters
        .next()
        .map(|first| first.to_uppercase().chain(letters).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::sentence_case;

    #[test]
    fn a_handlers_kind_alone_starts_with_a_capital() {
        assert_eq!(sentence_case("property staff"), "Property staff");
        assert_eq!(sentence_case("物业"), "物业");
        assert_eq!(sentence_case(""), "");
    }
}
