use chrono::{Days, NaiveDate};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use microwish_core::command::{Command, NewCampaign};
use microwish_core::{CampaignId, Field, FieldCode, FieldError};

use crate::china_time::{date_input_value, today};
use crate::components::{Back, BackLink, DatePicker, FieldMessages, FormError, WorkerOnly};
use crate::i18n::t;
use crate::pages::{form_problem, FormProblem};
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
        <WorkerOnly children=|_| view! { <CampaignForm /> } />
    }
}

#[component]
fn CampaignForm() -> impl IntoView {
    let t = t();
    let sync = use_sync();
    let navigate = use_navigate();
    let id = StoredValue::new(CampaignId::generate());
    let start = today();
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let goal = RwSignal::new(String::new());
    let unit = RwSignal::new(t.report.goal_unit_default.to_owned());
    let starts_on = RwSignal::new(date_input_value(start));
    let ends_on = RwSignal::new(date_input_value(start + Days::new(30)));
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
                submit.dispatch(Command::CreateCampaign(new));
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
                {t.report.start_campaign}
            </button>
        </form>
    }
}

/// The years a drive may start or end in: last year's (one still running) to two ahead.
fn campaign_years() -> std::ops::RangeInclusive<i32> {
    let year = chrono::Datelike::year(&crate::china_time::today());
    year - 1..=year + 2
}
