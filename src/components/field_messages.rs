use leptos::prelude::*;
use microwish_core::{Field, FieldError};

use crate::i18n::t;

/// What is wrong with one form field, in words, shown under the field.
#[component]
pub fn FieldMessages(field: Field, #[prop(into)] errors: Signal<Vec<FieldError>>) -> impl IntoView {
    move || {
        errors.with(|errors| {
            errors
                .iter()
                .filter(|error| error.field == field)
                .map(|error| {
                    view! {
                        <p class="field__error" data-field=field.as_str() data-code=error.code.as_str()>
                            {t().field_error(error.field, error.code)}
                        </p>
                    }
                })
                .collect_view()
        })
    }
}
