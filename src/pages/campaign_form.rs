use chrono::{Days, NaiveDate};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use microwish_core::command::{CampaignUpdate, Command, NewCampaign};
use microwish_core::{CampaignId, Field, FieldCode, FieldError, PublicCampaign};

use crate::china_time::{date_input_value, today};
use crate::components::{Back, BackLink, DatePicker, FieldMessages, FormError, WorkerOnly};
use crate::i18n::t;
use crate::pages::{form_problem, id_param, FormProblem};
use crate::state::use_data;
use crate::sync::use_sync;

/// `/worker/campaigns/new`: a drive with a goal and dates ("暖心行动送书包: 30 个书包").
/// Wishes join it from the wish form; its page shows the progress towards the goal.
#[component]
pub fn CampaignFormPage() -> impl IntoView {
    let t = t();
    view! {
        <BackLink to=Back::Console />
        <header class="page-head">
            <h1 class="page-head__title">{t.report.campaign_form_title}</h1>
        </header>
        <WorkerOnly children=|_| view! { <CampaignForm existing=None /> } />
    }
}

/// `/worker/campaigns/:id/edit`: the same form, filled with the drive as it is; saving sends
/// `update_campaign` (offline too).
#[component]
pub fn CampaignEditPage() -> impl IntoView {
    let t = t();
    let data = use_data();
    let id = id_param::<CampaignId>();
    // Drawn once the drive is known, and not again when saving changes it (the form would
    // start over and miss its own answer).
    let known = Memo::new(move |_| id().is_some_and(|id| data.campaigns.get(&id).is_some()));
    view! {
        <BackLink to=Back::Console />
        <header class="page-head">
            <h1 class="page-head__title">{t.report.campaign_edit_title}</h1>
        </header>
        <WorkerOnly children=move |_| view! {
            {move || match known.get() {
                true => {
                    let campaign = untrack(|| id().and_then(|id| data.campaigns.get(&id)));
                    view! { <CampaignForm existing=campaign /> }.into_any()
                }
                false => view! { <p class="loading">{t.loading}</p> }.into_any(),
            }}
        } />
    }
}

#[component]
fn CampaignForm(existing: Option<PublicCampaign>) -> impl IntoView {
    let t = t();
    let sync = use_sync();
    let navigate = use_navigate();
    let editing = existing.is_some();
    let id = StoredValue::new(
        existing
            .as_ref()
            .map_or_else(CampaignId::generate, |campaign| campaign.id),
    );
    let start = today();
    let was = |pick: fn(&PublicCampaign) -> String, otherwise: String| {
        existing.as_ref().map_or(otherwise, pick)
    };
    let title = RwSignal::new(was(|c| c.title.clone(), String::new()));
    let description = RwSignal::new(was(|c| c.description.clone(), String::new()));
    let goal = RwSignal::new(was(|c| c.goal.to_string(), String::new()));
    let unit = RwSignal::new(was(
        |c| c.unit.clone(),
        t.report.goal_unit_default.to_owned(),
    ));
    let starts_on = RwSignal::new(date_input_value(
        existing.as_ref().and_then(|c| c.starts_on).unwrap_or(start),
    ));
    let ends_on = RwSignal::new(date_input_value(
        existing
            .as_ref()
            .and_then(|c| c.ends_on)
            .unwrap_or(start + Days::new(30)),
    ));
    let problem = RwSignal::new(None::<FormProblem>);
    let submit = Action::new_local(move |command: &Command| {
        let command = command.clone();
        async move { sync.mutate(command).await }
    });
    let pending = submit.pending();
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(())) => navigate(
            &format!("/campaigns/{}", id.get_value()),
            Default::default(),
        ),
        Some(Err(error)) => problem.set(Some(FormProblem::Refused(error))),
        None => {}
    });
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let mut problems = Vec::new();
        let mut date = |text: String, field: Field| {
            NaiveDate::parse_from_str(&text, "%Y-%m-%d").unwrap_or_else(|_| {
                problems.push(FieldError {
                    field,
                    code: FieldCode::Required,
                    message: String::new(),
                });
                start
            })
        };
        let new = NewCampaign {
            id: id.get_value(),
            title: title.get_untracked(),
            description: description.get_untracked(),
            goal: goal.get_untracked().trim().parse().unwrap_or(0),
            unit: unit.get_untracked(),
            starts_on: date(starts_on.get_untracked(), Field::From),
            ends_on: date(ends_on.get_untracked(), Field::EndsOn),
        };
        match new.validate() {
            Ok(_) if problems.is_empty() => {
                problem.set(None);
                submit.dispatch(if editing {
                    Command::UpdateCampaign(CampaignUpdate {
                        campaign_id: new.id,
                        title: new.title,
                        description: new.description,
                        goal: new.goal,
                        unit: new.unit,
                        starts_on: new.starts_on,
                        ends_on: new.ends_on,
                    })
                } else {
                    Command::CreateCampaign(new)
                });
            }
            Ok(_) => problem.set(Some(FormProblem::Invalid(problems))),
            Err(error) => problem.set(Some(FormProblem::invalid(error))),
        }
    };
    let (errors, message) = form_problem(problem);
    view! {
        <form class="auth-form worker-form campaign-form" novalidate on:submit=on_submit>
            <label class="field">
                <span class="field__label">{t.report.campaign_name}</span>
                <input class="field__input" name="title" placeholder=t.report.campaign_name_hint bind:value=title />
            </label>
            <FieldMessages field=Field::Title errors />
            <label class="field">
                <span class="field__label">{t.report.campaign_description}</span>
                <textarea class="field__input" name="description" rows="3" bind:value=description></textarea>
            </label>
            <FieldMessages field=Field::Description errors />
            <div class="field-row">
                <label class="field">
                    <span class="field__label">{t.report.goal}</span>
                    <input class="field__input" name="goal" type="number" inputmode="numeric" min="1" bind:value=goal />
                </label>
                <label class="field">
                    <span class="field__label">{t.report.goal_unit}</span>
                    <input class="field__input" name="unit" placeholder=t.report.goal_unit_hint bind:value=unit />
                </label>
            </div>
            <FieldMessages field=Field::Goal errors />
            <FieldMessages field=Field::Unit errors />
            <DatePicker name="starts_on" label=t.report.starts_on value=starts_on years=campaign_years() />
            <DatePicker name="ends_on" label=t.report.ends_on value=ends_on years=campaign_years() />
            <FieldMessages field=Field::From errors />
            <FieldMessages field=Field::EndsOn errors />
            <FormError message />
            <button type="submit" class="button button--primary button--wide" disabled=move || pending.get()>
                {if editing { t.report.save_campaign } else { t.report.start_campaign }}
            </button>
        </form>
    }
}

/// The years a drive may start or end in: last year's (one still running) to two ahead.
fn campaign_years() -> std::ops::RangeInclusive<i32> {
    let year = chrono::Datelike::year(&crate::china_time::today());
    year - 1..=year + 2
}
