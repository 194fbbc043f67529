//! Browser entry point: the islands. Pages are server-rendered and work without JavaScript; the
//! browser runs only the `#[island]` components, which `ui/islands.js` starts one by one.

// Deeply nested view types need more than the default 128.
#![recursion_limit = "512"]

// Exports every island's start function to the JavaScript that calls them.
#[allow(unused_imports)]
use app::*;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    // Styles show the live switches only once there is code to run them.
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        let _ = body.class_list().add_1("js");
    }
    leptos::mount::hydrate_islands();
}
