//! Form helpers shared by every page: field-level problems and outcome toasts.

use crate::error::AppError;
use crate::ui::messages::{I18n, error_text, problem_text};
use crate::ui::toast::use_toasts;
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

/// Toasts the outcome of each completed submission.
pub fn toast_outcome<T, S>(value: S, i18n: I18n, success: fn(I18n) -> String)
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    let toasts = use_toasts();
    Effect::new(move |_| match value.get() {
        Some(Ok(_)) => toasts.success(success(i18n)),
        Some(Err(err)) => toasts.error(error_text(i18n, &err)),
        None => {}
    });
}

#[component]
pub fn FieldError(
    problem: Box<dyn Fn() -> Option<String> + Send + Sync>,
    #[prop(into)] id: String,
) -> impl IntoView {
    view! { <p class="field-error" id=id>{problem}</p> }
}
