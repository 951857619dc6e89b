//! The household's form: a new household, or only the changes to an existing one.

use chrono::NaiveDate;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use microwish_core::command::{
    Command, HouseholdFields, HouseholdPatch, HouseholdUpdate, NewHousehold,
};
use microwish_core::{
    BeneficiaryGroup, CommunityId, Field, FieldCode, FieldError, GridId, Household, HouseholdId,
    Me, RuleError,
};

use crate::china_time::{date_input_value, today};
use crate::components::{DatePicker, FieldMessages, FormError};
use crate::i18n::{t, Texts};
use crate::pages::households::community_grids;
use crate::pages::{form_problem, select_options, FormProblem};
use crate::state::use_data;
use crate::sync::use_sync;

/// What the worker types, as the inputs hold it.
#[derive(Clone, Copy)]
struct Draft {
    name: RwSignal<String>,
    address: RwSignal<String>,
    phone: RwSignal<String>,
    grid: RwSignal<String>,
    groups: RwSignal<Vec<BeneficiaryGroup>>,
    notes: RwSignal<String>,
    consent_on: RwSignal<String>,
    guardian_consent_on: RwSignal<String>,
    minor: RwSignal<bool>,
}

impl Draft {
    fn new(household: Option<&Household>, default_grid: Option<GridId>) -> Draft {
        let text = |pick: fn(&Household) -> &String| {
            RwSignal::new(household.map(pick).cloned().unwrap_or_default())
        };
        Draft {
            name: text(|household| &household.name),
            address: text(|household| &household.address),
            phone: text(|household| &household.phone),
            grid: RwSignal::new(
                household
                    .map(|household| household.grid.clone())
                    .or(default_grid)
                    .map(|grid| grid.to_string())
                    .unwrap_or_default(),
            ),
            groups: RwSignal::new(
                household
                    .map(|household| household.groups.clone())
                    .unwrap_or_default(),
            ),
            notes: text(|household| &household.notes),
            consent_on: RwSignal::new(
                household
                    .and_then(|household| household.consent_on)
                    .map(date_input_value)
                    .unwrap_or_default(),
            ),
            guardian_consent_on: RwSignal::new(
                household
                    .and_then(|household| household.guardian_consent_on)
                    .map(date_input_value)
                    .unwrap_or_default(),
            ),
            minor: RwSignal::new(household.is_some_and(|household| household.minor)),
        }
    }

    /// The fields, checked by core's rules (trimmed), or every problem at once.
    fn check(&self, today: NaiveDate) -> Result<HouseholdFields, Vec<FieldError>> {
        let mut problems = Vec::new();
        let grid = self.grid.get_untracked();
        if grid.is_empty() {
            problems.push(field_error(Field::Grid, FieldCode::Required));
        }
        let mut date = |field: Field, value: RwSignal<String>| match value.get_untracked().trim() {
            "" => None,
            day => NaiveDate::parse_from_str(day, "%Y-%m-%d")
                .map_err(|_| problems.push(field_error(field, FieldCode::Invalid)))
                .ok(),
        };
        let consent_on = date(Field::ConsentOn, self.consent_on);
        let minor = self.minor.get_untracked();
        // Without a child there is no guardian's consent to keep.
        let guardian_consent_on =
            date(Field::GuardianConsentOn, self.guardian_consent_on).filter(|_| minor);
        let fields = HouseholdFields {
            name: self.name.get_untracked(),
            address: self.address.get_untracked(),
            phone: self.phone.get_untracked(),
            grid: GridId(grid),
            groups: self.groups.get_untracked(),
            notes: self.notes.get_untracked(),
            consent_on,
            guardian_consent_on,
            minor,
        };
        match fields.validate(today) {
            Ok(fields) if problems.is_empty() => Ok(fields),
            Ok(_) => Err(problems),
            Err(RuleError::Validation(errors)) => {
                let mut all = errors.0;
                all.append(&mut problems);
                Err(all)
            }
            Err(_) => Err(problems),
        }
    }
}

fn field_error(field: Field, code: FieldCode) -> FieldError {
    FieldError {
        field,
        code,
        message: code.as_str().to_owned(),
    }
}

/// What differs between the household as it is and the checked fields.
fn patch_of(current: &HouseholdFields, new: HouseholdFields) -> HouseholdPatch {
    HouseholdPatch {
        name: (new.name != current.name).then_some(new.name),
        address: (new.address != current.address).then_some(new.address),
        phone: (new.phone != current.phone).then_some(new.phone),
        grid: (new.grid != current.grid).then_some(new.grid),
        groups: (new.groups != current.groups).then_some(new.groups),
        notes: (new.notes != current.notes).then_some(new.notes),
        consent_on: (new.consent_on != current.consent_on).then_some(new.consent_on),
        guardian_consent_on: (new.guardian_consent_on != current.guardian_consent_on)
            .then_some(new.guardian_consent_on),
        minor: (new.minor != current.minor).then_some(new.minor),
    }
}

/// The household's fields: a new one (made with an id of its own, so that however often it
/// is sent the server makes one household) or an existing one's (only changes are sent).
#[component]
pub(super) fn HouseholdForm(me: Me, current: Option<Signal<Household>>) -> impl IntoView {
    let t = t();
    let data = use_data();
    let sync = use_sync();
    let navigate = use_navigate();
    let community: Option<CommunityId> = me.community;
    let new_id = StoredValue::new(HouseholdId::generate());
    let initial = current.map(|current| current.get_untracked());
    let only_grid = untrack(|| {
        let grids = community_grids(data, community);
        (grids.len() == 1).then(|| grids[0].id.clone())
    });
    let draft = Draft::new(initial.as_ref(), only_grid);
    let problem = RwSignal::new(None::<FormProblem>);
    let saved = RwSignal::new(None::<&'static str>);
    let submit = Action::new_local(move |command: &Command| {
        let command = command.clone();
        async move { sync.mutate(command).await }
    });
    let pending = submit.pending();
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(())) if current.is_none() => {
            navigate(
                &format!("/worker/households/{}", new_id.get_value()),
                Default::default(),
            );
        }
        Some(Ok(())) => saved.set(Some(t.households.saved)),
        Some(Err(error)) => problem.set(Some(FormProblem::Refused(error))),
        None => {}
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        saved.set(None);
        let fields = match draft.check(today()) {
            Ok(fields) => fields,
            Err(errors) => return problem.set(Some(FormProblem::Invalid(errors))),
        };
        problem.set(None);
        let command = match current {
            None => Command::CreateHousehold(NewHousehold {
                id: new_id.get_value(),
                fields,
            }),
            Some(current) => {
                let patch = patch_of(&HouseholdFields::of(&current.get_untracked()), fields);
                if patch == HouseholdPatch::default() {
                    return saved.set(Some(t.households.no_changes));
                }
                Command::UpdateHousehold(HouseholdUpdate {
                    household_id: current.with_untracked(|household| household.id),
                    patch,
                })
            }
        };
        submit.dispatch(command);
    };

    let (errors, message) = form_problem(problem);
    let grid_options = move || {
        let choices = std::iter::once((String::new(), t.households.choose_grid.to_owned()))
            .chain(
                community_grids(data, community)
                    .into_iter()
                    .map(|grid| (grid.id.to_string(), grid.name)),
            )
            .collect();
        select_options(choices, draft.grid)
    };
    let group_choices = BeneficiaryGroup::ALL
        .iter()
        .map(|&group| {
            let checked = move || draft.groups.with(|groups| groups.contains(&group));
            let toggle = move |ev: leptos::ev::Event| {
                let on = event_target_checked(&ev);
                draft.groups.update(|groups| {
                    groups.retain(|other| *other != group);
                    if on {
                        groups.push(group);
                    }
                });
            };
            view! {
                <label class="role-choice check">
                    <input type="checkbox" name="groups" value=group.as_str() prop:checked=checked on:change=toggle />
                    <span>{t.group(group)}</span>
                </label>
            }
        })
        .collect_view();
    let submit_label = move || match (pending.get(), current.is_some()) {
        (true, _) => t.households.saving,
        (false, true) => t.households.save,
        (false, false) => t.households.create,
    };

    view! {
        <form class="auth-form worker-form household-form" novalidate on:submit=on_submit>
            <label class="field">
                <span class="field__label">{t.households.name}</span>
                <input class="field__input" name="name" autocomplete="off" bind:value=draft.name />
            </label>
            <FieldMessages field=Field::Name errors />
            <label class="field">
                <span class="field__label">{t.households.address}</span>
                <input class="field__input" name="address" autocomplete="off" bind:value=draft.address />
            </label>
            <FieldMessages field=Field::Address errors />
            <label class="field">
                <span class="field__label">{t.households.phone}</span>
                <input class="field__input" name="phone" type="tel" inputmode="tel" autocomplete="off" bind:value=draft.phone />
                <span class="field__hint">{t.households.phone_hint}</span>
            </label>
            <FieldMessages field=Field::Phone errors words=Texts::household_field_error />
            <label class="field">
                <span class="field__label">{t.households.grid}</span>
                <select
                    class="field__input"
                    name="grid"
                    on:change=move |ev| draft.grid.set(event_target_value(&ev))
                >
                    {grid_options}
                </select>
            </label>
            <FieldMessages field=Field::Grid errors />
            <fieldset class="field checks">
                <legend class="field__label">{t.households.groups}</legend>
                <div class="checks__list">{group_choices}</div>
            </fieldset>
            <FieldMessages field=Field::Groups errors />
            <label class="field">
                <span class="field__label">{t.households.notes}</span>
                <textarea class="field__input" name="notes" rows="3" bind:value=draft.notes></textarea>
                <span class="field__hint">{t.households.notes_hint}</span>
            </label>
            <FieldMessages field=Field::Notes errors />
            <DatePicker
                name="consent_on"
                label=t.households.consent_on
                value=draft.consent_on
                years=chrono::Datelike::year(&today()) - 10..=chrono::Datelike::year(&today())
                hint=t.households.consent_hint
            />
            <FieldMessages field=Field::ConsentOn errors />
            <label class="role-choice household-form__minor">
                <input type="checkbox" name="minor" bind:checked=draft.minor />
                <span>{t.households.minor}</span>
            </label>
            {move || draft.minor.get().then(|| view! {
                <DatePicker
                    name="guardian_consent_on"
                    label=t.households.guardian_consent_on
                    value=draft.guardian_consent_on
                    years=chrono::Datelike::year(&today()) - 10..=chrono::Datelike::year(&today())
                    hint=t.households.guardian_consent_hint
                />
                <FieldMessages field=Field::GuardianConsentOn errors />
            })}
            <FormError message />
            {move || saved.get().map(|text| view! { <p class="form-status" role="status">{text}</p> })}
            <button type="submit" class="button button--wide household-form__submit" disabled=move || pending.get()>
                {submit_label}
            </button>
        </form>
    }
}
