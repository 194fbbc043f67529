//! Browser entry point: hydrates the server-rendered page.

// Deeply nested view types (the invoice editor) need more than the default 128.
#![recursion_limit = "512"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Styles collapse the phone menu only once interactive code is there to open it.
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        let _ = body.class_list().add_1("js");
    }
    leptos::mount::hydrate_body(app::App);
    // Lets browser tests wait for interactivity instead of sleeping.
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
