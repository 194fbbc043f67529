//! The login page: a plain HTML form posted to `/login`, identical with and without JavaScript.

use crate::i18n::{t, t_string, use_i18n};
use crate::ui::layout::LanguageSwitch;
use crate::ui::posted::refused_form_of;
use crate::ui::title::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let param = move |name: &str| query.with(|q| q.get(name).unwrap_or_default());
    let next = move || param("next");
    // After a refusal the address typed is kept, and the password field takes the focus.
    let typed_email = refused_form_of("/login")
        .and_then(|form| form.value("email").map(str::to_owned))
        .unwrap_or_default();
    let message = move || {
        let retry = param("retry");
        match param("error").as_str() {
            "credentials" => Some(view! { {t!(i18n, login.error_credentials)} }.into_any()),
            "disabled" => Some(view! { {t!(i18n, login.error_disabled)} }.into_any()),
            "throttled" => {
                Some(view! { {t!(i18n, login.error_throttled, time = retry)} }.into_any())
            }
            "missing" => Some(view! { {t!(i18n, login.error_missing)} }.into_any()),
            "unavailable" => Some(view! { {t!(i18n, login.error_unavailable)} }.into_any()),
            "busy" => Some(view! { {t!(i18n, login.error_busy)} }.into_any()),
            _ => None,
        }
    };
    let bye = move || !param("bye").is_empty();
    let deleted = move || !param("supprime").is_empty();
    view! {
        <PageTitle text=|i| t_string!(i, login.title).to_string() />
        <main class="login-page">
            <section class="panel login-panel">
                <div class="brand login-brand">
                    <span class="brand-mark" aria-hidden="true">"C"</span>
                    <span>"Comptoir"</span>
                </div>
                <h1>{t!(i18n, login.heading)}</h1>
                <p class="muted">{t!(i18n, app.tagline)}</p>
                <Show when=bye>
                    <p class="notice notice-success" role="status">{t!(i18n, login.bye)}</p>
                </Show>
                <Show when=deleted>
                    <p class="notice notice-success" role="status">{t!(i18n, login.deleted)}</p>
                </Show>
                {move || {
                    message()
                        .map(|m| {
                            view! {
                                <p class="notice notice-error" role="alert" id="login-error">
                                    {m}
                                </p>
                            }
                        })
                }}
                <form method="post" action="/login" class="form">
                    <input type="hidden" name="next" value=next />
                    <label for="email">{t!(i18n, login.email)}</label>
                    <input
                        id="email"
                        name="email"
                        type="email"
                        autocomplete="username"
                        required
                        value=typed_email.clone()
                        autofocus=typed_email.is_empty()
                    />
                    <label for="password">{t!(i18n, login.password)}</label>
                    <input
                        id="password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required
                        autofocus=!typed_email.is_empty()
                    />
                    <button type="submit" class="button primary">{t!(i18n, login.submit)}</button>
                </form>
                <p class="login-lang">
                    <LanguageSwitch />
                </p>
            </section>
        </main>
    }
}
