//! Comptoir: components, pages and server functions shared by the server (`ssr`) and the
//! browser (`hydrate`).

#![recursion_limit = "256"]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod accounts;
pub mod auth;
pub mod error;
pub mod format;
#[cfg(feature = "ssr")]
pub mod state;
pub mod ui;

use crate::i18n::I18nContextProvider;
use leptos::prelude::*;
use leptos_i18n::context::CookieOptions;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_security_policy();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <meta name="description" content="Comptoir" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// A per-response nonce lets the hydration script run under a strict Content-Security-Policy.
#[cfg(feature = "ssr")]
fn set_security_policy() {
    use axum::http::{HeaderValue, header};
    let nonce = leptos::nonce::provide_nonce();
    let _ = nonce;
    let Some(nonce) = leptos::nonce::use_nonce() else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    if let (Some(resp), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&policy),
    ) {
        resp.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    ui::toast::Toasts::provide();
    let cookie = CookieOptions::default()
        .path("/".to_string())
        .max_age(365_i64 * 24 * 3600 * 1000);
    view! {
        <Stylesheet id="leptos" href="/pkg/comptoir.css" />
        <Title formatter=|text: String| {
            if text.is_empty() { "Comptoir".to_string() } else { format!("{text} · Comptoir") }
        } />
        <I18nContextProvider cookie_options=cookie>
            <Router>
                <Routes fallback=ui::layout::NotFound>
                    <Route path=path!("/login") ssr=SsrMode::Async view=auth::pages::LoginPage />
                    <ParentRoute path=path!("") ssr=SsrMode::Async view=ui::layout::AppLayout>
                        <Route path=path!("") ssr=SsrMode::Async view=accounts::pages::HomePage />
                        <Route path=path!("/compte") ssr=SsrMode::Async view=accounts::pages::ProfilePage />
                        <Route path=path!("/equipe") ssr=SsrMode::Async view=accounts::pages::AccountsPage />
                        <Route path=path!("/admin/organisations") ssr=SsrMode::Async view=accounts::pages::OrganisationsPage />
                        <Route path=path!("/admin/comptes") ssr=SsrMode::Async view=accounts::pages::AccountsPage />
                    </ParentRoute>
                </Routes>
            </Router>
            <ui::toast::ToastRegion />
        </I18nContextProvider>
    }
}
