//! One-shot messages that survive the redirect after a form post (the "flash" of Rails and
//! Laravel). A server function that succeeded keeps its message, already translated, in the
//! session; the next page the layout renders takes it (and so clears it) and shows it with
//! `role="status"`. Every post ends in a redirect that loads the next page from the server,
//! with or without JavaScript.

use crate::error::AppError;
use crate::ui::page_data::page_data;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FlashKind {
    Success,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    pub kind: FlashKind,
    /// Already in the user's language.
    pub text: String,
    /// A value shown this once, to copy (an initial password).
    pub secret: Option<String>,
}

#[cfg(feature = "ssr")]
pub use server_side::{request_locale, session, set, set_with_secret, success, success_in};

#[cfg(feature = "ssr")]
mod server_side {
    use super::{Flash, FlashKind};
    use crate::i18n::Locale;
    use axum::http::header;
    use axum::http::request::Parts;
    use leptos::prelude::use_context;
    use tower_sessions::Session;

    pub(super) const KEY: &str = "comptoir.flash";

    /// The request's session (set by the session layer), for what a page keeps between posts.
    pub fn session() -> Option<Session> {
        use_context::<Parts>().and_then(|p| p.extensions.get::<Session>().cloned())
    }

    /// Keeps `text` for the next page of this session (replacing an unread one).
    pub async fn set(kind: FlashKind, text: impl Into<String>) {
        keep(Flash {
            kind,
            text: text.into(),
            secret: None,
        })
        .await;
    }

    /// Keeps a success message, written in the request's language by `text`.
    pub async fn success<S: Into<String>>(text: impl FnOnce(Locale) -> S) {
        set(FlashKind::Success, text(request_locale())).await;
    }

    /// Keeps a success `text` with a `secret` shown once beside it (the session row holds it
    /// until the next page takes it).
    pub async fn set_with_secret(text: impl Into<String>, secret: impl Into<String>) {
        keep(Flash {
            kind: FlashKind::Success,
            text: text.into(),
            secret: Some(secret.into()),
        })
        .await;
    }

    async fn keep(flash: Flash) {
        let Some(session) = session() else {
            return;
        };
        keep_in(&session, flash).await;
    }

    /// Keeps a success message for a plain handler (outside a server function), written by
    /// `text` in the language of the request's `headers`.
    pub async fn success_in<S: Into<String>>(
        session: &Session,
        headers: &axum::http::HeaderMap,
        text: impl FnOnce(Locale) -> S,
    ) {
        let flash = Flash {
            kind: FlashKind::Success,
            text: text(locale_of(headers)).into(),
            secret: None,
        };
        keep_in(session, flash).await;
    }

    async fn keep_in(session: &Session, flash: Flash) {
        if let Err(err) = session.insert(KEY, flash).await {
            // The change itself is saved; only its confirmation is lost.
            tracing::warn!(error = %err, "keeping the flash message failed");
        }
    }

    /// The language of the current request's pages (the user's choice, French by default), to
    /// translate a flash message on the server.
    pub fn request_locale() -> Locale {
        use_context::<Parts>().map_or(Locale::fr, |parts| locale_of(&parts.headers))
    }

    /// The language the locale cookie among `headers` chose, French by default.
    fn locale_of(headers: &axum::http::HeaderMap) -> Locale {
        let english = headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == crate::auth::http::LOCALE_COOKIE)
            .is_some_and(|(_, value)| value == "en");
        if english { Locale::en } else { Locale::fr }
    }
}

/// Takes the session's flash message, if any (it is shown once). A page render may build the
/// layout more than once; `page_data` gives every build the one message taken.
#[server(endpoint = "take_flash")]
pub async fn take_flash() -> Result<Option<Flash>, AppError> {
    let Some(session) = server_side::session() else {
        return Ok(None);
    };
    // Read first, and remove only a flash that is there: a removal marks the session changed
    // and saves it, and a save on every page view could bring back a session that a logout in
    // another tab deleted meanwhile.
    let flash = match session.get::<Flash>(server_side::KEY).await {
        Ok(Some(flash)) => {
            if let Err(err) = session.remove::<Flash>(server_side::KEY).await {
                tracing::warn!(error = %err, "clearing the flash message failed");
            }
            Some(flash)
        }
        Ok(None) => None,
        Err(err) => {
            tracing::warn!(error = %err, "reading the flash message failed");
            None
        }
    };
    Ok(flash)
}

/// The flash message of this page view, taken while the server renders the page.
#[component]
pub fn FlashRegion() -> impl IntoView {
    let taken = page_data((), |_| take_flash());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let flash = taken.await.ok().flatten();
                view! {
                    <div class="flash-region" role="status" aria-live="polite">
                        {flash.map(|flash| view! {
                            <p class=match flash.kind {
                                FlashKind::Success => "flash flash-success",
                                FlashKind::Error => "flash flash-error",
                            }>
                                {flash.text}
                                {flash.secret.map(|secret| view! { " " <code class="secret">{secret}</code> })}
                            </p>
                        })}
                    </div>
                }
            })}
        </Suspense>
    }
}
