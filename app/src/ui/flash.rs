//! One-shot messages that survive the redirect after a form post (the "flash" of Rails and
//! Laravel). A server function that succeeded keeps its message, already translated, in the
//! session; the next page the layout renders takes it (and so clears it) and shows it with
//! `role="status"`. Works the same without JavaScript (the post's redirect loads the next page
//! from the server) and hydrated (the layout takes the flash again after each client-side
//! navigation and each successful submission).

use crate::error::AppError;
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

/// What a page render took from the session: the render may build the layout more than once
/// (e.g. when the language from the cookie applies), and each build must show the same flash.
#[cfg(feature = "ssr")]
#[derive(Clone, Default)]
pub struct TakenThisRender(std::sync::Arc<tokio::sync::Mutex<Option<Option<Flash>>>>);

#[cfg(feature = "ssr")]
impl TakenThisRender {
    /// Called by the app's root for each server render.
    pub fn provide() {
        provide_context(TakenThisRender::default());
    }
}

/// Takes the session's flash message, if any (it is shown once).
#[server(endpoint = "take_flash")]
pub async fn take_flash() -> Result<Option<Flash>, AppError> {
    let render = use_context::<TakenThisRender>();
    let mut taken = match &render {
        Some(render) => Some(render.0.lock().await),
        None => None,
    };
    if let Some(Some(flash)) = taken.as_deref() {
        return Ok(flash.clone());
    }
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
    if let Some(taken) = taken.as_deref_mut() {
        *taken = Some(flash.clone());
    }
    Ok(flash)
}

/// Counts the successful submissions of this page view, so the layout takes the flash again
/// after one even when its redirect leads back to the same address.
#[derive(Clone, Copy)]
pub struct FlashTick(RwSignal<u64>);

impl FlashTick {
    pub fn provide() {
        provide_context(FlashTick(RwSignal::new(0)));
    }
}

/// Lets the layout show the flash message the action's server function left, once it succeeds
/// (hydrated; without JavaScript the redirect loads the page that shows it).
pub fn show_flash_after<A>(action: ServerAction<A>)
where
    A: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    A::Output: Clone + Send + Sync + 'static,
{
    let Some(FlashTick(tick)) = use_context::<FlashTick>() else {
        return;
    };
    Effect::new(move |_| {
        if action.value().with(|v| matches!(v, Some(Ok(_)))) {
            tick.update(|n| *n += 1);
        }
    });
}

/// The flash message of this page view: taken while the server renders the page, then again
/// after every client-side navigation and successful submission.
#[component]
pub fn FlashRegion() -> impl IntoView {
    let first = Resource::new(|| (), |_| take_flash());
    // Once the page has moved on (hydrated), what the last take brought.
    let later = RwSignal::new(None::<Flash>);
    let moved = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    {
        let location = leptos_router::hooks::use_location();
        let tick = use_context::<FlashTick>().map(|t| t.0);
        Effect::new(move |previous: Option<()>| {
            location.pathname.track();
            location.search.track();
            if let Some(tick) = tick {
                tick.track();
            }
            // The first run is hydration: the server already took and rendered the flash.
            if previous.is_some() {
                moved.set(true);
                later.set(None);
                leptos::task::spawn_local(async move {
                    if let Ok(Some(flash)) = take_flash().await {
                        later.set(Some(flash));
                    }
                });
            }
        });
    }
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let first = first.await.ok().flatten();
                view! {
                    <div class="flash-region" role="status" aria-live="polite">
                        {move || {
                            let shown = if moved.get() { later.get() } else { first.clone() };
                            shown.map(|flash| view! {
                                <p class=match flash.kind {
                                    FlashKind::Success => "flash flash-success",
                                    FlashKind::Error => "flash flash-error",
                                }>
                                    {flash.text}
                                    {flash.secret.map(|secret| view! { " " <code class="secret">{secret}</code> })}
                                </p>
                            })
                        }}
                    </div>
                }
            })}
        </Suspense>
    }
}
