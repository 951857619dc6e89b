use leptos::prelude::*;
use microwish_core::command::{Command, VolunteerDecision, REASON_CHARS, VETTING_NOTE_MAX_CHARS};
use microwish_core::{Field, FieldCode, RuleError, VolunteerStatus, VolunteerView};

use crate::components::{Reachability, WorkerOnly};
use crate::i18n::{fill, t};
use crate::state::use_data;
use crate::sync::use_sync;

mod certificates;

use certificates::VolunteerCertificates;

/// `/worker/volunteers` 志愿者审核: volunteers waiting to be met (oldest first), approved and
/// suspended ones. A worker approves after meeting them (with a note of how), suspends with a
/// reason (their active house calls go back to the pool), or restores. Workers only.
#[component]
pub fn VolunteersPage() -> impl IntoView {
    let t = t();
    view! {
        <header class="page-head">
            <h1 class="page-head__title">{t.volunteers.title}</h1>
        </header>
        <WorkerOnly children=move |_me| view! {
            <p class="page-head__intro">{t.volunteers.intro}</p>
            <Section status=VolunteerStatus::Pending title=t.volunteers.pending empty=t.volunteers.none_pending />
            <Section status=VolunteerStatus::Approved title=t.volunteers.approved empty=t.volunteers.none_approved />
            <Section status=VolunteerStatus::Suspended title=t.volunteers.suspended empty=t.volunteers.none_suspended />
        } />
    }
}

#[component]
fn Section(status: VolunteerStatus, title: &'static str, empty: &'static str) -> impl IntoView {
    let t = t();
    let data = use_data();
    let volunteers = Memo::new(move |_| {
        let mut found: Vec<VolunteerView> = data.volunteers.values(|v| v.status == status);
        // Waiting: first come, first met. The others: most recently vetted first.
        if status == VolunteerStatus::Pending {
            found.sort_by(|a, b| a.registered_at.cmp(&b.registered_at).then(a.id.cmp(&b.id)));
        } else {
            found.sort_by(|a, b| b.vetted_at.cmp(&a.vetted_at).then(a.id.cmp(&b.id)));
        }
        found
    });
    view! {
        <section class="volunteers" data-status=status.as_str() aria-live="polite">
            <h2 class="section-title">{title}{move || t.in_brackets(volunteers.with(Vec::len))}</h2>
            {move || {
                let volunteers = volunteers.get();
                if !data.loaded.get() {
                    view! { <p class="loading">{t.loading}</p> }.into_any()
                } else if volunteers.is_empty() {
                    view! { <p class="empty">{empty}</p> }.into_any()
                } else {
                    view! {
                        <ul class="volunteer-list">
                            {volunteers
                                .into_iter()
                                .map(|volunteer| view! { <li><VolunteerCard volunteer /></li> })
                                .collect_view()}
                        </ul>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}

/// One volunteer: who, how to call them (and whether alerts reach them), what they have done, how they were vetted, and what
/// a worker may do now. A decision shows at once (the overlay applies it) and is marked
/// "已保存,待提交" until the server has it.
#[component]
fn VolunteerCard(volunteer: VolunteerView) -> impl IntoView {
    let t = t();
    let sync = use_sync();
    let data = use_data();
    let id = volunteer.id;
    let status = volunteer.status;
    let pending = move || {
        data.pending_volunteers
            .with(|pending| pending.contains(&id))
    };
    let step = Action::new_local(move |command: &Command| {
        let command = command.clone();
        async move { sync.mutate(command).await }
    });
    let busy = step.pending();
    let note = RwSignal::new(String::new());
    let suspending = RwSignal::new(false);
    // What the form's own check found; what the rules refused comes from the action.
    let invalid = RwSignal::new(None::<String>);
    let refused = Signal::derive(move || {
        step.value().with(|answer| {
            answer
                .as_ref()
                .and_then(|answer| answer.as_ref().err())
                .map(|error| t.mutate_error(error))
        })
    });
    // Checked by core's rules before anything is queued: a suspension needs a reason.
    let decide = move |suspend: bool| {
        let decision = VolunteerDecision {
            user_id: id,
            note: note.get_untracked(),
            party_member: None,
        };
        match decision.validate(suspend) {
            Err(RuleError::Validation(errors)) => invalid.set(errors.0.first().map(|error| {
                match (suspend, error.code) {
                    // A suspension's note is its reason: say how long one is.
                    (true, FieldCode::Length) => t.field_error(Field::Reason, error.code),
                    _ => t.field_error(error.field, error.code),
                }
            })),
            _ => {
                invalid.set(None);
                suspending.set(false);
                step.dispatch(if suspend {
                    Command::SuspendVolunteer(decision)
                } else {
                    Command::ApproveVolunteer(decision)
                });
            }
        }
    };
    let served = fill(
        t.volunteers.served,
        &[
            ("n", volunteer.house_calls.to_string()),
            ("hours", t.duration(volunteer.minutes)),
        ],
    );
    let vetted = volunteer.vetted_at.map(|at| {
        let text = fill(
            t.volunteers.vetted,
            &[
                ("who", volunteer.vetted_by.clone().unwrap_or_default()),
                ("date", t.date_time(at)),
            ],
        );
        view! { <p class="volunteer-card__meta volunteer-card__vetted">{text}</p> }
    });
    let note_label = match status {
        VolunteerStatus::Suspended => t.volunteers.suspend_reason,
        _ => t.volunteers.note_label,
    };
    let vetting_note = (!volunteer.note.is_empty()).then(|| {
        view! { <p class="volunteer-card__note">{t.labelled(note_label, &volunteer.note)}</p> }
    });
    let note_max = VETTING_NOTE_MAX_CHARS.to_string();
    // A suspension (of an approved volunteer) or a decline (of a pending one) asks for the
    // reason the volunteer will read; both end in `suspend_volunteer`.
    let reason_form = move |declining: bool| {
        let (label, placeholder, hint, submit) = if declining {
            (
                t.volunteers.decline_reason,
                t.volunteers.decline_placeholder,
                t.volunteers.decline_hint,
                t.volunteers.decline_submit,
            )
        } else {
            (
                t.volunteers.suspend_reason,
                t.volunteers.suspend_placeholder,
                t.volunteers.suspend_hint,
                t.volunteers.suspend_submit,
            )
        };
        view! {
            <form class="volunteer-card__form" on:submit=move |ev| {
                ev.prevent_default();
                decide(true);
            }>
                <label class="field">
                    <span class="field__label">{label}</span>
                    <input class="field__input" name="reason"
                        maxlength=REASON_CHARS.end().to_string()
                        placeholder=placeholder bind:value=note />
                    <span class="field__hint">{hint}</span>
                </label>
                <div class="volunteer-card__actions">
                    <button type="submit" class="button button--danger volunteer-card__suspend-yes"
                        disabled=move || busy.get()>
                        {submit}
                    </button>
                    <button type="button" class="button button--quiet volunteer-card__suspend-no"
                        on:click=move |_| {
                            suspending.set(false);
                            invalid.set(None);
                        }>
                        {t.volunteers.cancel}
                    </button>
                </div>
            </form>
        }
    };
    let actions = match status {
        VolunteerStatus::Pending => view! {
            <Show when=move || suspending.get() fallback=move || view! {
                <form class="volunteer-card__form" on:submit=move |ev| {
                    ev.prevent_default();
                    decide(false);
                }>
                    <label class="field">
                        <span class="field__label">{t.volunteers.note_label}</span>
                        <input class="field__input" name="note" maxlength=note_max.clone()
                            placeholder=t.volunteers.note_placeholder bind:value=note />
                    </label>
                    <div class="volunteer-card__actions">
                        <button type="submit" class="button volunteer-card__approve"
                            disabled=move || busy.get()>{t.volunteers.approve}</button>
                        <button type="button" class="button button--quiet volunteer-card__decline"
                            disabled=move || busy.get() on:click=move |_| suspending.set(true)>
                            {t.volunteers.decline}
                        </button>
                    </div>
                </form>
            }>
                {reason_form(true)}
            </Show>
        }
        .into_any(),
        VolunteerStatus::Suspended => view! {
            <form class="volunteer-card__form" on:submit=move |ev| {
                ev.prevent_default();
                decide(false);
            }>
                <label class="field">
                    <span class="field__label">{t.volunteers.note_label}</span>
                    <input class="field__input" name="note" maxlength=note_max
                        placeholder=t.volunteers.restore_placeholder bind:value=note />
                </label>
                <button type="submit" class="button volunteer-card__restore"
                    disabled=move || busy.get()>{t.volunteers.restore}</button>
            </form>
        }
        .into_any(),
        VolunteerStatus::Approved => view! {
            <Show
                when=move || suspending.get()
                fallback=move || view! {
                    <div class="volunteer-card__actions">
                        <button type="button" class="button button--quiet volunteer-card__suspend"
                            disabled=move || busy.get() on:click=move |_| suspending.set(true)>
                            {t.volunteers.suspend}
                        </button>
                    </div>
                }
            >
                {reason_form(false)}
            </Show>
        }
        .into_any(),
    };
    let phone = volunteer.phone.to_string();
    view! {
        <article class="volunteer-card" data-status=status.as_str()>
            <p class="volunteer-card__name">
                {volunteer.display_name.to_string()}
                <Show when=pending>
                    <span class="badge badge--pending">{t.sync.pending_badge}</span>
                </Show>
            </p>
            <a class="volunteer-card__phone" href=format!("tel:{phone}")>{phone.clone()}</a>
            <Reachability reachable=volunteer.reachable />
            <p class="volunteer-card__meta">
                {fill(t.volunteers.registered, &[("date", t.date_time(volunteer.registered_at))])}
                " · "
                {served}
            </p>
            {vetted}
            {vetting_note}
            {(status != VolunteerStatus::Pending).then(|| view! { <VolunteerCertificates volunteer=id /> })}
            {actions}
            {move || {
                invalid
                    .get()
                    .or_else(|| refused.get())
                    .map(|message| view! { <p class="form-error" role="alert">{message}</p> })
            }}
        </article>
    }
}
