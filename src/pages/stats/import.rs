//! 导入: a spreadsheet of households or wishes, previewed (`dry_run=true`: counts and every
//! problem by row and column), then applied (all or nothing). The template is the export's
//! columns with one example row, made here (core's `import::*_TEMPLATE`).

use leptos::prelude::*;
use microwish_core::import::{ImportReport, HOUSEHOLDS_TEMPLATE, WISHES_TEMPLATE};
use wasm_bindgen::JsCast;

use crate::api;
use crate::i18n::{fill, t};

#[component]
pub(super) fn Import() -> impl IntoView {
    let t = t();
    let what = RwSignal::new("households");
    let file = RwSignal::new_local(None::<web_sys::File>);
    let report = RwSignal::new(None::<(ImportReport, bool)>);
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let send = move |dry_run: bool| {
        let Some(chosen) = file.get_untracked() else {
            return;
        };
        busy.set(true);
        problem.set(None);
        let kind = what.get_untracked();
        leptos::task::spawn_local(async move {
            match api::import(kind, dry_run, &chosen).await {
                Ok(answer) => report.set(Some((answer, dry_run))),
                Err(error) => problem.set(Some(t.problem(&error))),
            }
            busy.set(false);
        });
    };
    let on_change = move |event: leptos::ev::Event| {
        let chosen = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        report.set(None);
        file.set(chosen);
        send(true);
    };
    let template = move || {
        let text = if what.get() == "wishes" {
            WISHES_TEMPLATE
        } else {
            HOUSEHOLDS_TEMPLATE
        };
        format!("data:text/csv;charset=utf-8,{}", percent_encode(text))
    };
    let template_name = move || format!("{}-template.csv", what.get());
    let choose = move |kind: &'static str| {
        move |_| {
            what.set(kind);
            report.set(None);
            file.set(None);
        }
    };
    let shown = move || {
        report.get().map(|(answer, dry_run)| {
            let refused = !dry_run && !answer.errors.is_empty();
            let done = !dry_run && answer.errors.is_empty();
            let can_apply = dry_run && answer.errors.is_empty() && answer.created + answer.updated > 0;
            let errors = answer
                .errors
                .iter()
                .map(|error| {
                    let words = t.import.code(&error.code);
                    let value = (!error.value.is_empty())
                        .then(|| fill(t.import.value, &[("value", error.value.clone())]));
                    // The server's English detail where the code has no words here, or
                    // where the reader reads English.
                    let detail = (words.is_none() || t.import.server_words)
                        .then(|| error.message.clone());
                    view! {
                        <li class="import__error">
                            <strong>{t.import.at(error.row, &error.column)}</strong>
                            " "
                            {value.map(|value| view! { <span class="import__value">{value}</span> " " })}
                            {words}
                            {detail.map(|detail| view! {
                                {words.map(|_| ": ")}
                                <span class="import__detail">{detail}</span>
                            })}
                        </li>
                    }
                })
                .collect_view();
            let ignored = (!answer.ignored_columns.is_empty()).then(|| {
                fill(t.import.ignored, &[("columns", answer.ignored_columns.join(", "))])
            });
            view! {
                <div class="import__report" role="status">
                    <p class="import__summary">
                        {t.import.summary(answer.rows, answer.created, answer.updated, answer.skipped)}
                    </p>
                    {done.then(|| view! { <p class="import__done">{t.import.applied}</p> })}
                    {refused.then(|| view! { <p class="field__error">{t.import.refused}</p> })}
                    {ignored.map(|text| view! { <p class="field__hint">{text}</p> })}
                    {(!answer.errors.is_empty()).then(|| view! {
                        <h3 class="import__errors-title">
                            {fill(t.import.errors_title, &[("n", answer.errors.len().to_string())])}
                        </h3>
                        <ul class="import__errors">{errors}</ul>
                    })}
                    {can_apply.then(|| view! {
                        <button
                            type="button"
                            class="button button--wide import__apply"
                            disabled=move || busy.get()
                            on:click=move |_| send(false)
                        >
                            {t.import.apply}
                        </button>
                    })}
                </div>
            }
        })
    };
    view! {
        <section class="exports import">
            <h2 class="section-title">{t.import.title}</h2>
            <p class="field__hint">{t.import.intro}</p>
            <fieldset class="import__what">
                <legend class="field__label">{t.import.what}</legend>
                <label class="import__choice">
                    <input type="radio" name="import-what" value="households"
                        prop:checked=move || what.get() == "households"
                        on:change=choose("households") />
                    {t.import.households}
                </label>
                <label class="import__choice">
                    <input type="radio" name="import-what" value="wishes"
                        prop:checked=move || what.get() == "wishes"
                        on:change=choose("wishes") />
                    {t.import.wishes}
                </label>
            </fieldset>
            <a class="button button--quiet button--wide import__template" href=template download=template_name rel="external">
                {t.import.template}
            </a>
            <label class="button button--wide import__choose">
                {t.import.choose}
                <input
                    class="import__file"
                    type="file"
                    name="import-file"
                    accept=".xlsx,.xls,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    on:change=on_change
                />
            </label>
            <p class="field__hint">{t.import.choose_hint}</p>
            {move || file.get().map(|chosen| view! { <p class="import__file-name">{chosen.name()}</p> })}
            {move || busy.get().then(|| view! { <p class="form-status" role="status">{t.import.working}</p> })}
            {move || problem.get().map(|text| view! { <p class="field__error" role="alert">{text}</p> })}
            {shown}
        </section>
    }
}

/// A `data:` address's text: every byte but the unreserved ones as `%XX`.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
