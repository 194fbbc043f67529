//! A dialog over the page, addressable: a link (`?modal=…`, `?modifier=…`) opens it and the
//! server renders it, so it works without JavaScript; closing is a link back.

use crate::i18n::{t_string, use_i18n};
use leptos::prelude::*;

/// A dialog over the page; the close link goes back to the list (works without JavaScript).
#[component]
pub fn Modal(title: String, close: String, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="modal-backdrop">
            <div class="modal wide" role="dialog" aria-modal="true" aria-labelledby="modal-title">
                <a class="modal-close" href=close aria-label=move || t_string!(i18n, common.close).to_string()>"✕"</a>
                <h2 id="modal-title">{title}</h2>
                {children()}
            </div>
        </div>
    }
}
