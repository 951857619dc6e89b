use chrono::NaiveDate;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use microwish_core::command::{CancelWish, Command, NewWish, WishPatch, WishUpdate};
use microwish_core::{
    BeneficiaryGroup, CampaignId, Category, CommunityId, Field, Grid, GridId, Household,
    HouseholdId, Me, PublicCampaign, PublicWish, WishId, WishKind, WishStatus,
};

use crate::china_time::{date_input_value, today};
use crate::components::{DatePicker, FieldMessages, FormError, WorkerOnly};
use crate::i18n::{fill, t};
use crate::pages::households::community_grids;
use crate::pages::{form_problem, not_cached, select_options, FormProblem};
use crate::state::use_data;
use crate::sync::use_sync;

/// Which wish the page is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// A new wish for this household (`?household=ID`).
    New(Option<HouseholdId>),
    Existing(WishId),
    /// A malformed id in the address.
    Unknown,
}

/// `/worker/wishes/new?household=ID` and `/worker/wishes/:id`: post a wish on a household's
/// behalf (a draft or published), edit, publish or cancel it. Workers only. Works offline:
/// the change is checked by core's rules over the cache, queued, and shown at once.
#[component]
pub fn WishFormPage() -> impl IntoView {
    let t = t();
    let params = use_params_map();
    let query = use_query_map();
    let target = Memo::new(move |_| match params.read().get_str("id") {
        None | Some("new") => Target::New(
            query
                .read()
                .get_str("household")
                .and_then(|id| id.parse().ok()),
        ),
        Some(id) => id.parse().map_or(Target::Unknown, Target::Existing),
    });
    view! {
        <WorkerOnly children=move |me| {
            move || match target.get() {
                Target::New(Some(household)) => view! { <NewWish household me=me.clone() /> }.into_any(),
                Target::Existing(id) => view! { <ExistingWish id me=me.clone() /> }.into_any(),
                Target::New(None) | Target::Unknown => view! {
                    <TopBar household=None />
                    <section class="page not-found"><p>{t.wish_form.household_not_found}</p></section>
                }
                .into_any(),
            }
        } />
    }
}

/// Back to the household (or to the list when the household is not known).
#[component]
fn TopBar(household: Option<HouseholdId>) -> impl IntoView {
    let t = t();
    let (href, label) = match household {
        Some(id) => (format!("/worker/households/{id}"), t.wish_form.back),
        None => ("/worker/households".to_owned(), t.households.back),
    };
    view! {
        <nav class="topbar">
            <a class="topbar__back" href=href>{format!("‹ {label}")}</a>
        </nav>
    }
}

/// What the page says when the cache lacks the household or the wish, under a way back.
fn not_in_cache(gone: &'static str) -> AnyView {
    view! {
        <TopBar household=None />
        {not_cached(gone)}
    }
    .into_any()
}

/// A new wish for a household of the cache.
#[component]
fn NewWish(household: HouseholdId, me: Me) -> impl IntoView {
    let t = t();
    let data = use_data();
    let cached = Memo::new(move |_| data.households.signal(&household).is_some());
    move || {
        if let Some(found) = cached
            .get()
            .then(|| untrack(|| data.households.get(&household)))
            .flatten()
        {
            view! {
                <TopBar household=Some(household) />
                <header class="page-head">
                    <h1 class="page-head__title">{t.wish_form.title_new}</h1>
                </header>
                <p class="page-head__sub">{fill(t.wish_form.for_household, &[("name", found.name.clone())])}</p>
                <div class="page worker-page">
                    <WishForm me=me.clone() household=Some(found) existing=None />
                </div>
            }
            .into_any()
        } else {
            not_in_cache(t.wish_form.household_not_found)
        }
    }
}

/// A wish of the cache, with the household it was posted for (when the cache has it).
#[component]
fn ExistingWish(id: WishId, me: Me) -> impl IntoView {
    let t = t();
    let data = use_data();
    let cached = Memo::new(move |_| data.wishes.signal(&id).is_some());
    move || {
        let signal = cached
            .get()
            .then(|| untrack(|| data.wishes.signal(&id)))
            .flatten();
        let Some(signal) = signal else {
            return not_in_cache(t.wish_not_found);
        };
        let current = Signal::derive(move || signal.get());
        let household = untrack(|| {
            data.households
                .values(|household| household.wishes.contains(&id))
                .into_iter()
                .next()
        });
        let household_id = household.as_ref().map(|household| household.id);
        let sub = household.as_ref().map(|household| {
            fill(
                t.wish_form.for_household,
                &[("name", household.name.clone())],
            )
        });
        view! {
            <TopBar household=household_id />
            <header class="page-head">
                <h1 class="page-head__title">{t.wish_form.title_edit}</h1>
            </header>
            {sub.map(|sub| view! { <p class="page-head__sub">{sub}</p> })}
            <div class="page worker-page">
                <WishForm me=me.clone() household existing=Some(current) />
            </div>
        }
        .into_any()
    }
}

/// A first suggestion for the alias: the surname with a respectful word, never the given
/// name. A child (小周), an elderly person (王老人: their sex is not recorded), anyone
/// else (王阿姨).
fn suggested_alias(household: &Household) -> String {
    let words = &t().wish_form;
    let Some(surname) = household.name.trim().chars().next() else {
        return String::new();
    };
    let child = household.minor
        || household.groups.iter().any(|group| {
            matches!(
                group,
                BeneficiaryGroup::ChildInDifficulty | BeneficiaryGroup::Orphan
            )
        });
    if child {
        format!("{}{surname}", words.alias_child_prefix)
    } else if household.groups.contains(&BeneficiaryGroup::ElderlyAlone) {
        format!("{surname}{}", words.alias_elder_suffix)
    } else {
        format!("{surname}{}", words.alias_adult_suffix)
    }
}

/// The grid whose station a wish names (the public wish carries the station's name, not
/// its grid); the household's grid when none matches.
fn station_of(grids: &[Grid], wish: &PublicWish) -> GridId {
    grids
        .iter()
        .find(|grid| grid.station == wish.station && grid.station_location == wish.station_location)
        .map_or_else(|| wish.grid.clone(), |grid| grid.id.clone())
}

/// What the worker types, as the inputs hold it.
#[derive(Clone, Copy)]
struct Draft {
    kind: RwSignal<WishKind>,
    title: RwSignal<String>,
    description: RwSignal<String>,
    category: RwSignal<Category>,
    quantity: RwSignal<String>,
    unit: RwSignal<String>,
    alias: RwSignal<String>,
    station: RwSignal<String>,
    needed_by: RwSignal<String>,
    campaign: RwSignal<String>,
}

impl Draft {
    fn for_household(household: Option<&Household>) -> Draft {
        Draft {
            kind: RwSignal::new(WishKind::Item),
            title: RwSignal::new(String::new()),
            description: RwSignal::new(String::new()),
            category: RwSignal::new(Category::Daily),
            quantity: RwSignal::new("1".to_owned()),
            unit: RwSignal::new(t().wish_form.unit_item.to_owned()),
            alias: RwSignal::new(household.map(suggested_alias).unwrap_or_default()),
            station: RwSignal::new(
                household
                    .map(|household| household.grid.to_string())
                    .unwrap_or_default(),
            ),
            needed_by: RwSignal::new(String::new()),
            campaign: RwSignal::new(String::new()),
        }
    }

    fn of(wish: &PublicWish, station: &GridId) -> Draft {
        Draft {
            kind: RwSignal::new(wish.kind),
            title: RwSignal::new(wish.title.clone()),
            description: RwSignal::new(wish.description.clone()),
            category: RwSignal::new(wish.category),
            quantity: RwSignal::new(wish.quantity.to_string()),
            unit: RwSignal::new(wish.unit.clone()),
            alias: RwSignal::new(wish.alias.clone()),
            station: RwSignal::new(station.to_string()),
            needed_by: RwSignal::new(wish.needed_by.map(date_input_value).unwrap_or_default()),
            campaign: RwSignal::new(
                wish.campaign_id
                    .map(|id| id.to_string())
                    .unwrap_or_default(),
            ),
        }
    }

    /// A house call is one visit, counted in 次; an item, in 个 unless the worker chose.
    fn set_kind(&self, kind: WishKind) {
        let words = &t().wish_form;
        self.kind.set(kind);
        let (from, to) = match kind {
            WishKind::Service => {
                self.quantity.set("1".to_owned());
                (words.unit_item, words.unit_service)
            }
            WishKind::Item => (words.unit_service, words.unit_item),
        };
        if self.unit.with_untracked(|unit| unit.trim() == from) {
            self.unit.set(to.to_owned());
        }
    }

    /// The quantity typed; anything but a whole number is 0, which the rules refuse.
    fn quantity(&self) -> i64 {
        match self.kind.get_untracked() {
            WishKind::Service => 1,
            WishKind::Item => self
                .quantity
                .with_untracked(|quantity| quantity.trim().parse().unwrap_or(0)),
        }
    }

    fn needed_by(&self) -> Option<NaiveDate> {
        self.needed_by
            .with_untracked(|day| NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").ok())
    }

    fn campaign(&self) -> Option<CampaignId> {
        self.campaign.with_untracked(|id| id.parse().ok())
    }

    /// Items are dropped at a station; a house call goes to the household.
    fn station(&self) -> Option<GridId> {
        let station = self.station.get_untracked();
        (self.kind.get_untracked() == WishKind::Item && !station.is_empty())
            .then_some(GridId(station))
    }

    fn text(signal: RwSignal<String>) -> String {
        signal.with_untracked(|text| text.trim().to_owned())
    }

    fn new_wish(&self, id: WishId, household: HouseholdId, publish: bool) -> NewWish {
        NewWish {
            id,
            household_id: household,
            kind: self.kind.get_untracked(),
            title: Self::text(self.title),
            description: Self::text(self.description),
            category: self.category.get_untracked(),
            quantity: self.quantity(),
            unit: Self::text(self.unit),
            alias: Self::text(self.alias),
            group: None,
            station: self.station(),
            needed_by: self.needed_by(),
            campaign_id: self.campaign(),
            publish,
        }
    }

    /// Only what differs from the wish as it is.
    fn patch(&self, wish: &PublicWish, station: &GridId, publish: bool) -> WishPatch {
        let text = |signal: RwSignal<String>, was: &str| {
            let now = Self::text(signal);
            (now != was).then_some(now)
        };
        let category = self.category.get_untracked();
        let quantity = self.quantity();
        let needed_by = self.needed_by();
        let campaign = self.campaign();
        WishPatch {
            title: text(self.title, &wish.title),
            description: text(self.description, &wish.description),
            category: (category != wish.category).then_some(category),
            quantity: (wish.kind == WishKind::Item && quantity != i64::from(wish.quantity))
                .then_some(quantity),
            unit: text(self.unit, &wish.unit),
            alias: text(self.alias, &wish.alias),
            group: None,
            station: self.station().filter(|chosen| chosen != station),
            needed_by: (needed_by != wish.needed_by).then_some(needed_by),
            campaign_id: (campaign != wish.campaign_id).then_some(campaign),
            publish,
        }
    }
}

/// The wish's fields, for a new wish (saved as a draft or published) or an existing one
/// (edited, a draft published, or cancelled; a cancelled or closed one is only shown).
#[component]
fn WishForm(
    me: Me,
    household: Option<Household>,
    existing: Option<Signal<PublicWish>>,
) -> impl IntoView {
    let t = t();
    let data = use_data();
    let sync = use_sync();
    let navigate = use_navigate();
    let community: Option<CommunityId> = me.community;
    let today = today();
    let initial = existing.map(|wish| wish.get_untracked());
    let initial_station = initial.as_ref().map(|wish| {
        let grids = untrack(|| community_grids(data, community));
        station_of(&grids, wish)
    });
    let draft = match &initial {
        Some(wish) => Draft::of(wish, initial_station.as_ref().unwrap_or(&wish.grid)),
        None => Draft::for_household(household.as_ref()),
    };
    let (real_name, minor) = household
        .as_ref()
        .map_or((String::new(), false), |household| {
            (household.name.clone(), household.minor)
        });
    let household_id = household.as_ref().map(|household| household.id);
    let new_id = StoredValue::new(WishId::generate());
    // Which submit button was pressed (Enter in a field saves without publishing).
    let publish_pressed = StoredValue::new(false);
    let problem = RwSignal::new(None::<FormProblem>);
    let note = RwSignal::new(None::<&'static str>);
    let asking_reason = RwSignal::new(false);
    let reason = RwSignal::new(String::new());

    let submit = Action::new_local(move |command: &Command| {
        let command = command.clone();
        async move { sync.mutate(command).await }
    });
    let pending = submit.pending();
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(())) => {
            let to = household_id.map_or_else(
                || "/worker/households".to_owned(),
                |id| format!("/worker/households/{id}"),
            );
            navigate(&to, Default::default());
        }
        Some(Err(error)) => problem.set(Some(FormProblem::Refused(error))),
        None => {}
    });

    let status = Signal::derive(move || existing.map(|wish| wish.with(|wish| wish.status)));
    let read_only = Signal::derive(move || status.get().is_some_and(WishStatus::is_final));
    let kind = Signal::derive(move || draft.kind.get());

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let publish = publish_pressed.get_value();
        publish_pressed.set_value(false);
        if pending.get_untracked() || read_only.get_untracked() {
            return;
        }
        note.set(None);
        let command = match existing {
            None => {
                let Some(household) = household_id else {
                    return;
                };
                let new = draft.new_wish(new_id.get_value(), household, publish);
                if let Err(error) = new.validate(&real_name, minor, today) {
                    return problem.set(Some(FormProblem::invalid(error)));
                }
                Command::CreateWish(new)
            }
            Some(wish) => {
                let wish = wish.get_untracked();
                let station = initial_station.clone().unwrap_or_else(|| wish.grid.clone());
                let patch = draft.patch(&wish, &station, publish);
                if patch == WishPatch::default() {
                    return note.set(Some(t.wish_form.no_changes));
                }
                if let Err(error) = patch.validate(wish.kind, &real_name, minor, today) {
                    return problem.set(Some(FormProblem::invalid(error)));
                }
                Command::UpdateWish(WishUpdate {
                    wish_id: wish.id,
                    patch,
                })
            }
        };
        problem.set(None);
        submit.dispatch(command);
    };

    let cancel = move |_| {
        let Some(wish) = existing else {
            return;
        };
        if pending.get_untracked() {
            return;
        }
        let command = CancelWish {
            wish_id: wish.with_untracked(|wish| wish.id),
            reason: reason.with_untracked(|reason| reason.trim().to_owned()),
        };
        if let Err(error) = command.validate() {
            return problem.set(Some(FormProblem::invalid(error)));
        }
        problem.set(None);
        submit.dispatch(Command::CancelWish(command));
    };

    let (errors, message) = form_problem(problem);

    let kind_field = match &initial {
        None => {
            let choices = [WishKind::Item, WishKind::Service]
                .into_iter()
                .map(|choice| {
                    view! {
                        <label class="role-choice wish-kind__choice">
                            <input
                                type="radio"
                                name="kind"
                                value=choice.as_str()
                                prop:checked=move || kind.get() == choice
                                on:change=move |_| draft.set_kind(choice)
                            />
                            <span class="role-choice__text">
                                <span class="role-choice__name">{t.kind(choice)}</span>
                            </span>
                        </label>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="field roles wish-kind">
                    <legend class="field__label">{t.wish_form.kind}</legend>
                    <div class="wish-kind__choices">{choices}</div>
                </fieldset>
            }
            .into_any()
        }
        Some(wish) => view! {
            <p class="wish-kind__fixed">
                <span class=format!("tag tag--{}", wish.kind)>{t.kind(wish.kind)}</span>
                <span class=move || format!("status status--{}", status.get().unwrap_or(WishStatus::Draft))>
                    {move || status.get().map(|status| t.status(status))}
                </span>
            </p>
        }
        .into_any(),
    };
    let category_options = Category::ALL
        .iter()
        .map(|&category| {
            view! {
                <option value=category.as_str() selected=move || draft.category.get() == category>
                    {t.category(category)}
                </option>
            }
        })
        .collect_view();
    let station_options = move || {
        let choices = community_grids(data, community)
            .into_iter()
            .map(|grid| (grid.id.to_string(), grid.station))
            .collect();
        select_options(choices, draft.station)
    };
    // The newest drives first.
    let campaign_options = move || {
        let mut campaigns: Vec<PublicCampaign> = data.campaigns.values(|_| true);
        campaigns.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id)));
        let choices = std::iter::once((String::new(), t.wish_form.no_campaign.to_owned()))
            .chain(
                campaigns
                    .into_iter()
                    .map(|campaign| (campaign.id.to_string(), campaign.title)),
            )
            .collect();
        select_options(choices, draft.campaign)
    };
    let consent_warning = (initial.is_none()
        && household
            .as_ref()
            .is_some_and(|household| household.consent_on.is_none()))
    .then(|| view! { <p class="form-note">{t.wish_form.no_consent}</p> });
    let state_note = move || match status.get() {
        Some(WishStatus::Cancelled) => Some(t.wish_form.read_only_cancelled),
        Some(WishStatus::Closed) => Some(t.wish_form.read_only_closed),
        Some(WishStatus::Draft) => Some(t.wish_form.draft_note),
        _ => None,
    };
    let is_new = initial.is_none();
    // A new wish is saved as a draft or published; an existing one saved, and a draft
    // published too.
    let save_label = if is_new {
        t.wish_form.save_draft
    } else {
        t.wish_form.save
    };
    let actions = move || {
        if read_only.get() {
            return None;
        }
        let busy = move || pending.get();
        let may_publish = is_new || status.get() == Some(WishStatus::Draft);
        Some(view! {
            <div class="form-actions">
                <button
                    type="submit"
                    class="button button--quiet wish-form__save"
                    disabled=busy
                    on:click=move |_| publish_pressed.set_value(false)
                >
                    {move || if busy() { t.wish_form.saving } else { save_label }}
                </button>
                {may_publish.then(|| view! {
                    <button
                        type="submit"
                        class="button wish-form__publish"
                        disabled=busy
                        on:click=move |_| publish_pressed.set_value(true)
                    >
                        {t.wish_form.publish}
                    </button>
                })}
            </div>
        })
    };
    let cancel_section = move || {
        if is_new || read_only.get() {
            return ().into_any();
        }
        if !asking_reason.get() {
            return view! {
                <button type="button" class="button button--quiet wish-form__cancel" on:click=move |_| asking_reason.set(true)>
                    {t.wish_form.cancel_wish}
                </button>
            }
            .into_any();
        }
        view! {
            <div class="claim-panel wish-cancel" role="group" aria-label=t.wish_form.cancel_wish>
                <label class="field">
                    <span class="field__label">{t.wish_form.cancel_reason}</span>
                    <textarea
                        class="field__input"
                        name="reason"
                        rows="2"
                        placeholder=t.wish_form.cancel_placeholder
                        bind:value=reason
                    ></textarea>
                    <span class="field__hint">{t.wish_form.cancel_hint}</span>
                </label>
                <FieldMessages field=Field::Reason errors />
                <div class="form-actions">
                    <button type="button" class="button button--quiet" on:click=move |_| asking_reason.set(false)>
                        {t.wish_form.keep}
                    </button>
                    <button
                        type="button"
                        class="button button--danger wish-cancel__confirm"
                        disabled=move || pending.get()
                        on:click=cancel
                    >
                        {t.wish_form.cancel_confirm}
                    </button>
                </div>
            </div>
        }
        .into_any()
    };

    view! {
        <form class="auth-form worker-form wish-form" novalidate on:submit=on_submit>
            {move || state_note().map(|text| view! { <p class="form-note wish-form__state">{text}</p> })}
            {consent_warning}
            <fieldset class="wish-form__fields" disabled=move || read_only.get()>
                {kind_field}
                <label class="field">
                    <span class="field__label">{t.wish_form.title}</span>
                    <input class="field__input" name="title" placeholder=t.wish_form.title_placeholder bind:value=draft.title />
                </label>
                <FieldMessages field=Field::Title errors />
                <label class="field">
                    <span class="field__label">{t.wish_form.description}</span>
                    <textarea class="field__input" name="description" rows="3" bind:value=draft.description></textarea>
                    {minor.then(|| view! { <span class="field__hint">{t.wish_form.description_minor_hint}</span> })}
                </label>
                <FieldMessages field=Field::Description errors />
                <label class="field">
                    <span class="field__label">{t.wish_form.category}</span>
                    <select
                        class="field__input"
                        name="category"
                        on:change=move |ev| {
                            if let Ok(category) = event_target_value(&ev).parse() {
                                draft.category.set(category);
                            }
                        }
                    >
                        {category_options}
                    </select>
                </label>
                <div class="field-row">
                    <label class="field">
                        <span class="field__label">{t.wish_form.quantity}</span>
                        <input
                            class="field__input"
                            name="quantity"
                            type="number"
                            inputmode="numeric"
                            min="1"
                            step="1"
                            disabled=move || kind.get() == WishKind::Service
                            bind:value=draft.quantity
                        />
                    </label>
                    <label class="field">
                        <span class="field__label">{t.wish_form.unit}</span>
                        <input class="field__input" name="unit" bind:value=draft.unit />
                    </label>
                </div>
                {move || (kind.get() == WishKind::Service)
                    .then(|| view! { <p class="field__hint">{t.wish_form.service_one_visit}</p> })}
                <FieldMessages field=Field::Quantity errors />
                <FieldMessages field=Field::Unit errors />
                <label class="field">
                    <span class="field__label">{t.wish_form.alias}</span>
                    <input class="field__input" name="alias" autocomplete="off" bind:value=draft.alias />
                    <span class="field__hint">{t.wish_form.alias_hint}</span>
                </label>
                <FieldMessages field=Field::Alias errors />
                {move || (kind.get() == WishKind::Item).then(|| view! {
                    <label class="field">
                        <span class="field__label">{t.drop_off}</span>
                        <select
                            class="field__input"
                            name="station"
                            on:change=move |ev| draft.station.set(event_target_value(&ev))
                        >
                            {station_options}
                        </select>
                    </label>
                })}
                <FieldMessages field=Field::Station errors />
                <DatePicker
                    name="needed_by"
                    label=t.needed_by
                    value=draft.needed_by
                    years=chrono::Datelike::year(&today)..=chrono::Datelike::year(&today) + 2
                />
                <FieldMessages field=Field::NeededBy errors />
                <label class="field">
                    <span class="field__label">{t.wish_form.campaign}</span>
                    <select
                        class="field__input"
                        name="campaign"
                        on:change=move |ev| draft.campaign.set(event_target_value(&ev))
                    >
                        {campaign_options}
                    </select>
                </label>
                <FieldMessages field=Field::CampaignId errors />
            </fieldset>
            <FormError message />
            {move || note.get().map(|text| view! { <p class="form-status" role="status">{text}</p> })}
            {actions}
        </form>
        {cancel_section}
    }
}
