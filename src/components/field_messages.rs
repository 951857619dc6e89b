use leptos::prelude::*;
use microwish_core::{Field, FieldCode, FieldError};

use crate::i18n::{t, Texts};

/// Words for a field's error, by the field and its code.
pub type FieldWords = fn(&Texts, Field, FieldCode) -> String;

/// What is wrong with one form field, in words, shown under the field; `words` says it when
/// the form's fields have limits of their own (a request's unit is not a wish's unit).
#[component]
pub fn FieldMessages(
    field: Field,
    #[prop(into)] errors: Signal<Vec<FieldError>>,
    #[prop(optional)] words: Option<FieldWords>,
) -> impl IntoView {
    let words = words.unwrap_or(Texts::field_error);
    move || {
        errors.with(|errors| {
            errors
                .iter()
                .filter(|error| error.field == field)
                .map(|error| {
                    view! {
                        <p class="field__error" data-field=field.as_str() data-code=error.code.as_str()>
                            {words(t(), error.field, error.code)}
                        </p>
                    }
                })
                .collect_view()
        })
    }
}
