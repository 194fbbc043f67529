//! Form helpers shared by every page: field-level and form-level problems (rendered by the
//! server too, from the action's value), the confirmation box and the loaded select.

use crate::error::AppError;
use crate::ui::messages::{I18n, error_text, problem_text};
use leptos::prelude::*;

/// The field's problem from the last submission, translated.
pub fn field_problem<T, S>(
    value: S,
    i18n: I18n,
    field: &'static str,
) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static
where
    T: Clone + Send + Sync + 'static,
    S: With<Value = Option<Result<T, AppError>>> + Copy + Send + Sync + 'static,
{
    move || {
        value.with(|v| match v {
            Some(Err(err)) => err.problem_for(field).map(|p| problem_text(i18n, p)),
            _ => None,
        })
    }
}

/// The last submission's error when it belongs to no field (refused, unavailable…), translated.
/// Without JavaScript it comes back in the redirect's URL, so the server renders it too.
pub fn form_problem<T, S>(
    value: S,
    i18n: I18n,
) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static
where
    T: Clone + Send + Sync + 'static,
    S: With<Value = Option<Result<T, AppError>>> + Copy + Send + Sync + 'static,
{
    move || {
        value.with(|v| match v {
            Some(Err(AppError::Invalid(_))) | Some(Ok(_)) | None => None,
            Some(Err(err)) => Some(error_text(i18n, err)),
        })
    }
}

/// The form's own error (see [`form_problem`]), announced at once.
#[component]
pub fn FormError(problem: Box<dyn Fn() -> Option<String> + Send + Sync>) -> impl IntoView {
    view! {
        {move || problem().map(|text| view! { <p class="notice notice-error" role="alert">{text}</p> })}
    }
}

#[component]
pub fn FieldError(
    problem: Box<dyn Fn() -> Option<String> + Send + Sync>,
    #[prop(into)] id: String,
) -> impl IntoView {
    view! { <p class="field-error" id=id>{problem}</p> }
}

/// The box a deletion form asks to tick: a form step that needs no script dialog, checked by
/// the server too (`crate::error::require_confirmation`), with its error below it.
#[component]
pub fn ConfirmBox(
    text: String,
    problem: Box<dyn Fn() -> Option<String> + Send + Sync>,
    #[prop(into)] id: String,
) -> impl IntoView {
    view! {
        <label class="choice">
            <input type="checkbox" name="confirm" value="oui" required aria-describedby=id.clone() />
            {text}
        </label>
        <FieldError problem id />
    }
}

/// A `<select>` built whole from options already loaded. Render it inside the suspense that
/// loads them, never a suspense inside a `<select>`: the browser's parser moves its markers
/// out (harmless in a server component, fatal to an island's hydration). `empty` labels a
/// first option with no value ("any", "choose").
#[component]
pub fn LoadedSelect(
    name: &'static str,
    /// `(value, label)` pairs.
    options: Vec<(String, String)>,
    current: String,
    id: Option<&'static str>,
    empty: Option<String>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    view! {
        <select id=id name=name required=required>
            {empty.map(|label| view! { <option value="">{label}</option> })}
            {options.into_iter().map(|(value, label)| {
                let selected = value == current;
                view! { <option value=value selected=selected>{label}</option> }
            }).collect_view()}
        </select>
    }
}
