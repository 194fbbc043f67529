//! Keeps a refused form's input when JavaScript is off, as Laravel's `old()` does.
//!
//! Without JavaScript a form posts to its server function, which answers a refusal with a
//! redirect back to the form's page and the error in the URL (`?__path=…&__err=…`). The page is
//! then rendered afresh, and the user's input would be lost. [`keep_refused_input`] keeps the
//! posted fields in the session when that redirect happens, hands them to the next render of
//! the page, and [`posted`] lets each field start from what the user typed. Every form posts
//! this way since the islands switch, with or without JavaScript.
//!
//! Only the fields a form names are kept ([`KeptInput`], listed by each feature): a field
//! added later (an API key, a second-factor secret) is never written to the session unless
//! someone names it, and a form that names none keeps nothing.

use leptos::server_fn::ServerFn;
use serde::{Deserialize, Serialize};

/// The fields of a refused form, in the order they were posted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostedForm {
    /// The server function's path, as in the redirect's `__path`.
    pub path: String,
    pub fields: Vec<(String, String)>,
}

impl PostedForm {
    pub fn value(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Field `name` of the nested struct posted as `group[…]`, empty when absent (an unticked
    /// radio button).
    pub fn nested(&self, group: &str, name: &str) -> String {
        self.value(&format!("{group}[{name}]"))
            .unwrap_or_default()
            .to_owned()
    }
}

/// The fields of one form that are kept when it is refused, each named (an allow-list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeptInput {
    /// The server function's path (`ServerFn::PATH`), or the page a handler's form posts to.
    pub path: &'static str,
    /// The names kept, as posted (`fields[title]`); `groups[]` keeps the indexed checkboxes
    /// `groups[0]`, `groups[1]`…
    pub fields: &'static [&'static str],
}

impl KeptInput {
    /// The kept fields of the form of server function `S`.
    pub const fn of<S: ServerFn>(fields: &'static [&'static str]) -> Self {
        Self {
            path: S::PATH,
            fields,
        }
    }

    /// Whether field `name` of this form is kept.
    pub fn keeps(&self, name: &str) -> bool {
        self.fields
            .iter()
            .any(|kept| match kept.strip_suffix("[]") {
                Some(list) => name
                    .strip_prefix(list)
                    .and_then(|rest| rest.strip_prefix('['))
                    .and_then(|rest| rest.strip_suffix(']'))
                    .is_some_and(|index| {
                        !index.is_empty() && index.bytes().all(|b| b.is_ascii_digit())
                    }),
                None => name == *kept,
            })
    }

    /// The kept form among `kept` that posts to `path`.
    pub fn find<'a>(kept: &'a [KeptInput], path: &str) -> Option<&'a KeptInput> {
        kept.iter().find(|k| k.path == path)
    }
}

/// Words that mark a field as a secret or a deliberate act (passwords, keys, tokens, the
/// confirmation ticks the user must give again on purpose). No form may name such a field as
/// kept: a test checks every feature's list against them.
pub fn looks_secret(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["password", "secret", "token", "key", "totp", "recovery"]
        .iter()
        .any(|word| name.contains(word))
        || matches!(name.as_str(), "current" | "confirm")
}

/// The refused form of server function `S` that this render of the page comes back from.
pub fn refused_form<S: ServerFn>() -> Option<PostedForm> {
    refused_form_of(S::PATH)
}

/// The refused form posted to `path` that this render of the page comes back from.
pub fn refused_form_of(path: &str) -> Option<PostedForm> {
    #[cfg(feature = "ssr")]
    {
        use axum::http::request::Parts;
        // Borrowed, not cloned: a form calls this once per field on every render.
        leptos::prelude::with_context::<Parts, _>(|parts| {
            parts
                .extensions
                .get::<PostedForm>()
                .filter(|form| form.path == path)
                .cloned()
        })
        .flatten()
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = path;
        None
    }
}

/// What the user typed in field `name` of the refused form of `S`, else `default`.
pub fn posted<S: ServerFn>(name: &str, default: impl Into<String>) -> String {
    refused_form::<S>()
        .and_then(|form| form.value(name).map(str::to_owned))
        .unwrap_or_else(|| default.into())
}

/// Whether checkbox `name` was ticked in the refused form of `S`, else `default`.
pub fn posted_checked<S: ServerFn>(name: &str, default: bool) -> bool {
    refused_form::<S>().map_or(default, |form| form.value(name).is_some())
}

#[cfg(feature = "ssr")]
pub use server_side::{keep, keep_refused_input};

#[cfg(feature = "ssr")]
mod server_side {
    use super::{KeptInput, PostedForm};
    use axum::body::{Body, to_bytes};
    use axum::extract::{Request, State};
    use axum::http::{Method, StatusCode, header};
    use axum::middleware::Next;
    use axum::response::{IntoResponse, Response};
    use tower_sessions::Session;

    const KEY: &str = "comptoir.refused_form";
    /// The body guard (`request_body`) refused larger bodies before this reads them.
    use crate::ui::request_body::MAX_FORM_BYTES;

    /// Middleware, inside the session layer, around the server functions and the pages;
    /// `kept` lists every form that keeps input (the features' lists).
    pub async fn keep_refused_input(
        State(kept): State<&'static [KeptInput]>,
        req: Request,
        next: Next,
    ) -> Response {
        let Some(session) = req.extensions().get::<Session>().cloned() else {
            return next.run(req).await;
        };
        // Only a plain form post is looked up (most requests are pages).
        let form_kept = is_plain_form_post(&req)
            .then(|| KeptInput::find(kept, req.uri().path()))
            .flatten();
        if let Some(form_kept) = form_kept {
            let path = req.uri().path().to_owned();
            let (parts, body) = req.into_parts();
            let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
                return (
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "formulaire trop volumineux (2 Mio au plus)",
                )
                    .into_response();
            };
            let fields = ::url::form_urlencoded::parse(&bytes).into_owned().collect();
            let resp = next
                .run(Request::from_parts(parts, Body::from(bytes)))
                .await;
            if is_refusal_redirect(&resp) {
                keep(&session, form_kept, PostedForm { path, fields }).await;
            }
            return resp;
        }
        let mut req = req;
        if req.method() == Method::GET && comes_back_refused(req.uri().query()) {
            // A server function's refusal names it (`__path`); a handler posts to the page.
            let path = refused_path(req.uri().query()).unwrap_or_else(|| req.uri().path().into());
            // Read first and remove only what is there: a removal marks the session changed
            // and saves it (see `flash::take_flash`).
            match session.get::<PostedForm>(KEY).await {
                Ok(Some(form)) => {
                    if let Err(err) = session.remove::<PostedForm>(KEY).await {
                        tracing::warn!(error = %err, "clearing a refused form's input failed");
                    }
                    if form.path == path {
                        req.extensions_mut().insert(form);
                    }
                }
                Ok(None) => {}
                Err(err) => tracing::warn!(error = %err, "reading a refused form's input failed"),
            }
        }
        next.run(req).await
    }

    /// Keeps the fields of `form` that `kept` names for the next render of its page: called
    /// here for the server functions, and by handlers that redirect back to their form
    /// (sign-in). Nothing kept, nothing written.
    pub async fn keep(session: &Session, kept: &KeptInput, mut form: PostedForm) {
        form.fields.retain(|(name, _)| kept.keeps(name));
        if form.fields.is_empty() {
            return;
        }
        if let Err(err) = session.insert(KEY, form).await {
            // The refusal still shows; only the input is lost.
            tracing::warn!(error = %err, "keeping a refused form's input failed");
        }
    }

    /// The page's URL says it comes back from a refused form: a server function's
    /// (`__err`) or the sign-in's (`error`).
    fn comes_back_refused(query: Option<&str>) -> bool {
        query.is_some_and(|q| {
            q.contains("__err=") || q.starts_with("error=") || q.contains("&error=")
        })
    }

    /// A server function posted by a browser form without JavaScript (it wants a page back).
    fn is_plain_form_post(req: &Request) -> bool {
        let header_has = |name, needle| {
            req.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains(needle))
        };
        req.method() == Method::POST
            && req.uri().path().starts_with("/api/")
            && header_has(header::ACCEPT, "text/html")
            && header_has(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
    }

    /// Leptos' answer to a refused form post: back to the form's page, the error in the URL.
    fn is_refusal_redirect(resp: &Response) -> bool {
        resp.status().is_redirection()
            && resp
                .headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|location| location.split_once('?'))
                .is_some_and(|(_, query)| refused_path(Some(query)).is_some())
    }

    /// The server function whose refusal this page's URL carries (`__path`, with `__err`).
    fn refused_path(query: Option<&str>) -> Option<String> {
        let query = query?;
        if !query.contains("__err=") {
            return None;
        }
        ::url::form_urlencoded::parse(query.as_bytes())
            .find(|(name, _)| name == "__path")
            .map(|(_, path)| path.into_owned())
    }

    #[cfg(test)]
    mod tests {
        use super::refused_path;

        #[test]
        fn the_refused_path_comes_from_the_query() {
            assert_eq!(
                refused_path(Some("q=1&__path=%2Fapi%2Fsave_alert&__err=eyJ9")),
                Some("/api/save_alert".into())
            );
            assert_eq!(refused_path(Some("__path=/api/save_alert")), None);
            assert_eq!(refused_path(None), None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_and_confirmations_look_secret() {
        for name in [
            "password",
            "new_password",
            "current",
            "confirm",
            "api_token",
            "fields[api_key]",
            "totp_secret",
            "recovery_code",
        ] {
            assert!(looks_secret(name), "{name}");
        }
        for name in ["email", "fields[title]", "timing[first_date]", "name"] {
            assert!(!looks_secret(name), "{name}");
        }
    }

    #[test]
    fn only_the_named_fields_are_kept() {
        const KEPT: KeptInput = KeptInput {
            path: "/api/x",
            fields: &["name", "fields[title]", "groups[]"],
        };
        for name in ["name", "fields[title]", "groups[0]", "groups[12]"] {
            assert!(KEPT.keeps(name), "{name}");
        }
        for name in [
            "fields[api_key]",
            "fields[title2]",
            "fields",
            "names",
            "groups[]",
            "groups[x]",
            "groups[0][a]",
            "groups",
            "password",
        ] {
            assert!(!KEPT.keeps(name), "{name}");
        }
        assert_eq!(KeptInput::find(&[KEPT], "/api/x"), Some(&KEPT));
        assert_eq!(KeptInput::find(&[KEPT], "/api/y"), None);
    }

    #[test]
    fn a_field_reads_its_first_posted_value() {
        let form = PostedForm {
            path: "/api/x".into(),
            fields: vec![("a".into(), "1".into()), ("a".into(), "2".into())],
        };
        assert_eq!(form.value("a"), Some("1"));
        assert_eq!(form.value("b"), None);
    }

    #[test]
    fn a_nested_field_reads_its_bracketed_name() {
        let form = PostedForm {
            path: "/api/x".into(),
            fields: vec![("timing[time_zone]".into(), "Europe/Paris".into())],
        };
        assert_eq!(form.nested("timing", "time_zone"), "Europe/Paris");
        assert_eq!(form.nested("timing", "weekday"), "");
    }
}
