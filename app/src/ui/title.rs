//! The document title of a page (a leaf of the UI: pages of every feature and the layout use it).

use crate::i18n::use_i18n;
use crate::ui::messages::I18n;
use leptos::prelude::*;
use leptos_meta::Title;

/// The document title. On the server it is computed once: leptos_meta reads the title after the
/// page's reactive owner may be gone, and reading a signal then panics (seen under load as reset
/// connections). In the browser it follows the language.
#[component]
pub fn PageTitle(text: impl Fn(I18n) -> String + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    let title: leptos::text_prop::TextProp = text(i18n).into();
    #[cfg(not(feature = "ssr"))]
    let title: leptos::text_prop::TextProp = (move || text(i18n)).into();
    view! { <Title text=title /> }
}
