//! The script that starts the islands: the only code the browser runs.

use leptos::prelude::*;

/// Starts the page's islands once the browser is idle. It replaces leptos' `HydrationScripts`,
/// whose `<link rel="preload">` of the WebAssembly is followed even with JavaScript disabled.
/// File hashing (`hash-files`) is not supported: it is off in the workspace's leptos metadata.
#[component]
pub fn IslandScripts(options: LeptosOptions) -> impl IntoView {
    let js = options.output_name.to_string();
    // cargo-leptos names the WebAssembly after the package; a plain wasm-bindgen run adds `_bg`.
    let wasm = if option_env!("LEPTOS_OUTPUT_NAME").is_some() {
        js.clone()
    } else {
        format!("{js}_bg")
    };
    let call = format!(
        "{}({:?}, {js:?}, {wasm:?});",
        include_str!("islands.js").trim_end(),
        options.site_pkg_dir.as_ref(),
    );
    view! { <script type="module" nonce=leptos::nonce::use_nonce()>{call}</script> }
}

/// Text made safe inside HTML, for the markup islands write into the page (a few characters:
/// not worth an escaping crate in the WASM).
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Calls `changed` with the form around `inside` after every input or change in it, for as
/// long as the page lives (the islands that follow a form: totals, previews).
#[cfg(feature = "hydrate")]
pub fn on_form_change(
    inside: &web_sys::Element,
    changed: impl Fn(&web_sys::HtmlFormElement) + 'static,
) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let Some(form) = inside
        .closest("form")
        .ok()
        .flatten()
        .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok())
    else {
        return;
    };
    let listener = Closure::<dyn Fn()>::new({
        let form = form.clone();
        move || changed(&form)
    });
    for event in ["input", "change"] {
        let _ = form.add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
    }
    listener.forget();
}

/// The names and values `form` would post (files left out).
#[cfg(feature = "hydrate")]
pub fn form_pairs(form: &web_sys::HtmlFormElement) -> Vec<(String, String)> {
    let Ok(data) = web_sys::FormData::new_with_form(form) else {
        return Vec::new();
    };
    let Ok(Some(entries)) = js_sys::try_iter(&data) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let pair = js_sys::Array::from(&entry);
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}

/// Ignores a second submission of the form around `inside` within two seconds of the first
/// (a double click on "save" would otherwise post the draft twice while the first post is on
/// its way). A time rather than a flag: a page restored by the back button must post again.
#[cfg(feature = "hydrate")]
pub fn one_post_at_a_time(inside: &web_sys::Element) {
    use std::cell::Cell;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let Some(form) = inside.closest("form").ok().flatten() else {
        return;
    };
    let last_post = Cell::new(f64::NEG_INFINITY);
    let listener = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
        let now = js_sys::Date::now();
        if now - last_post.get() < 2000.0 {
            ev.prevent_default();
        } else {
            last_post.set(now);
        }
    });
    let _ = form.add_event_listener_with_callback("submit", listener.as_ref().unchecked_ref());
    listener.forget();
}
